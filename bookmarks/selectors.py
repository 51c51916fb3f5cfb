"""Reads of bookmarks and pages, already filtered by what the viewer may see."""

from django.db.models import Q

from groups.selectors import readable_group_ids_subquery

from .models import Bookmark


def visibility_q(viewer, prefix=""):
    """The SQL condition for "the viewer may see this bookmark".

    Group items follow the group's visibility; personal items are public unless private,
    and the owner always sees their own. `prefix` lets other models reuse the rule
    (e.g. prefix="bookmark__" on Highlight).
    """
    p = prefix
    personal_public = Q(**{f"{p}group__isnull": True, f"{p}private": False})
    in_readable_group = Q(**{f"{p}group__in": readable_group_ids_subquery(viewer)})
    q = personal_public | in_readable_group
    if viewer is not None and viewer.is_authenticated:
        q |= Q(**{f"{p}group__isnull": True, f"{p}owner_id": viewer.pk})
    return q


def visible_bookmarks(viewer):
    return Bookmark.objects.filter(visibility_q(viewer)).select_related("page", "owner", "group")
