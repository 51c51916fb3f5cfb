"""Who may highlight, comment, moderate and flag an item: one place for services, selectors and
templates, in groups.permissions' vocabulary.

`may(viewer, action, target, role)` answers for items what `groups.permissions.can(role, action,
group)` answers for groups: a group item defers to the group's role table (highlighting and
commenting are "post"), a personal item follows its owner's choices. `role` is the viewer's
role in the target's group when the caller already has it (groups.decorators puts it on the
request); left out (or None), it is read.
"""

from bookmarks.models import Bookmark
from bookmarks.selectors import visibility_q
from groups import permissions
from groups.models import Group
from groups.selectors import role_of

# item action → the group action it needs
GROUP_ACTION = {"highlight": "post", "comment": "post", "moderate": "moderate", "flag": "flag"}
UNKNOWN = object()


def authenticated(user) -> bool:
    return user is not None and user.is_authenticated


def can_see_bookmark(user, bookmark: Bookmark) -> bool:
    return Bookmark.objects.filter(visibility_q(user), pk=bookmark.pk).exists()


def may(viewer, action: str, target: Bookmark | Group | None, role=UNKNOWN) -> bool:
    """May `viewer` do `action` (highlight, comment, moderate, flag) on `target`, a bookmark or
    a group (None: a personal item's "group")?"""
    if action not in GROUP_ACTION:
        raise KeyError(f"unknown item action {action!r}")
    if not authenticated(viewer):
        return False
    group = target.group if isinstance(target, Bookmark) else target
    if group is None:
        return _may_on_personal_item(viewer, action, target)
    if role is UNKNOWN or role is None:  # None: not resolved by the caller, or no member
        role = role_of(viewer, group)
    return permissions.can(role, GROUP_ACTION[action], group)


def _may_on_personal_item(viewer, action, bookmark):
    """Personal items: only the owner highlights; the owner and, on a public item whose owner
    left comments on, any logged-in reader comments; nobody moderates; any reader flags."""
    if action == "flag":
        return True
    if action == "moderate" or bookmark is None:
        return False
    if bookmark.owner_id == viewer.pk:
        return True
    return action == "comment" and not bookmark.private and bookmark.comments_enabled


def may_highlight(user, bookmark: Bookmark, role=UNKNOWN) -> bool:
    return may(user, "highlight", bookmark, role)


def may_comment(user, bookmark: Bookmark, role=UNKNOWN) -> bool:
    return may(user, "comment", bookmark, role)


def may_moderate(user, group: Group | None, role=UNKNOWN) -> bool:
    return may(user, "moderate", group, role)


def may_flag(user, group: Group | None, role=UNKNOWN) -> bool:
    return may(user, "flag", group, role)
