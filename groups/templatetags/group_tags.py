"""Template helpers for group pages: what the viewer may do, and which groups they may see."""

from django import template

from groups import selectors
from groups.models import Membership
from groups.permissions import REQUIRED_ROLE, can

register = template.Library()


@register.simple_tag
def group_permissions(group, role):
    """{action: bool} for the viewer's role, so templates show only the links that will work."""
    return {action: can(role, action, group) for action in ["view", *REQUIRED_ROLE]}


@register.inclusion_tag("groups/_group_actions.html", takes_context=True)
def group_actions(context, group):
    """Join / request / leave buttons and the group's sub-pages, for the group home page."""
    request = context["request"]
    role = selectors.role_of(request.user, group)
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "group": group,
        "role": role,
        "role_label": Membership.Role(role).label if role else "",
        "perms": group_permissions(group, role),
        "pending": role is None and selectors.has_pending_request(request.user, group),
    }


@register.simple_tag(takes_context=True)
def visible_groups_of(context, profile_user):
    """The groups of profile_user that the current viewer may see."""
    return selectors.profile_groups(profile_user, context["request"].user)
