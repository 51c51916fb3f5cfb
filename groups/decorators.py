"""A group view declares the permission it needs; the group and the viewer's role are resolved
once per request, before the view runs.

    @group_permission("moderate")
    def moderation_queue(request, slug): ...   # request.group, request.group_role

404 when the viewer may not see the group (a private group does not exist for outsiders, so
no permission question is even asked), 403 with the reason when their role is too low. The
view, its template and the services it calls get the role from the request instead of asking
the database again.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .permissions import can
from .selectors import group_with_role


def group_permission(action: str = "view", *, header: bool = False):
    """Resolve `slug` from the URL into request.group and request.group_role, and refuse the
    request unless groups.permissions.can(role, action, group). With `header`, the group also
    carries the counts its header shows, from the same query (selectors.group_with_role)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            group, role = group_with_role(request.user, slug, header=header)
            if action != "view" and not can(role, action, group):
                raise PermissionDenied(_("You are not allowed to do that in this group."))
            request.group, request.group_role = group, role
            return view(request, slug, *args, **kwargs)

        wrapper.group_permission = action  # read by the permission-matrix test
        return wrapper

    return decorator
