"""Who may highlight, comment and moderate an item: one place for services, selectors, templates."""

from bookmarks.models import Bookmark
from bookmarks.selectors import visibility_q
from groups import permissions
from groups.selectors import role_of


def authenticated(user):
    return user is not None and user.is_authenticated


def can_see_bookmark(user, bookmark):
    return Bookmark.objects.filter(visibility_q(user), pk=bookmark.pk).exists()


def may_highlight(user, bookmark, role=None):
    """Group items: any member. Personal items: only their owner. (`role` saves a query.)"""
    if not authenticated(user):
        return False
    if bookmark.group_id is None:
        return bookmark.owner_id == user.pk
    role = role if role is not None else role_of(user, bookmark.group)
    return permissions.can(role, "post", bookmark.group)


def may_comment(user, bookmark, role=None):
    """Group items: any member. Personal items: the owner, and any logged-in user on a public
    item whose owner left comments on."""
    if not authenticated(user):
        return False
    if bookmark.group_id is not None:
        role = role if role is not None else role_of(user, bookmark.group)
        return permissions.can(role, "post", bookmark.group)
    if bookmark.owner_id == user.pk:
        return True
    return not bookmark.private and bookmark.comments_enabled


def may_moderate(user, group, role=None):
    if group is None or not authenticated(user):
        return False
    role = role if role is not None else role_of(user, group)
    return permissions.can(role, "moderate", group)


def may_flag(user, group, role=None):
    """Members flag group content; on personal items any logged-in reader may."""
    if not authenticated(user):
        return False
    if group is None:
        return True
    role = role if role is not None else role_of(user, group)
    return permissions.can(role, "flag", group)
