"""The header's bell: the reader's unread count, one COUNT query per page."""

from django import template

from ..selectors import is_following_user, unread_count

register = template.Library()


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return {
        "count": unread_count(user),
        "current": bool(match and match.view_name == "notifications:list"),
    }


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, profile_user):
    """Follow / stop following someone's public saves (they feed the reader's digest)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    shown = user is not None and user.is_authenticated and user.pk != profile_user.pk
    return {
        "shown": shown,
        "profile_user": profile_user,
        "following": shown and is_following_user(user, profile_user),
        "csrf_token": context.get("csrf_token"),
    }
