"""What the follow / stop following buttons show: one context for the page that includes a
button and for the view that answers its htmx request with the button alone."""

from accounts.models import User
from accounts.types import Viewer
from groups.models import Group

from .selectors import group_follow_of, is_following_tag, is_following_user


def _member(viewer: Viewer, role: str | None) -> bool:
    return viewer is not None and viewer.is_authenticated and role is not None


def group_button(viewer: Viewer, group: Group, role: str | None) -> dict:
    shown = _member(viewer, role)
    return {
        "shown": shown,
        "group": group,
        "following": shown and group_follow_of(viewer, group).following,
    }


def tag_button(viewer: Viewer, group: Group, role: str | None, tag: str) -> dict:
    shown = _member(viewer, role) and bool(tag)
    return {
        "shown": shown,
        "group": group,
        "tag": tag,
        "following": shown and is_following_tag(viewer, group, tag),
    }


def user_button(viewer: Viewer, profile_user: User) -> dict:
    shown = viewer is not None and viewer.is_authenticated and viewer.pk != profile_user.pk
    return {
        "shown": shown,
        "profile_user": profile_user,
        "following": shown and is_following_user(viewer, profile_user),
    }
