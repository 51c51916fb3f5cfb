"""The header's bell (the reader's unread count, one COUNT query per page) and the follow
buttons of the group page, a tag's page and a profile."""

from django import template

from ..buttons import group_button, tag_button, user_button
from ..selectors import unread_count

register = template.Library()


def _viewer(context):
    return getattr(context.get("request"), "user", None)


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return {
        "count": unread_count(_viewer(context)),
        "current": bool(match and match.view_name == "notifications:list"),
    }


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, profile_user):
    """Follow / stop following someone's public saves (they feed the reader's digest)."""
    return {**user_button(_viewer(context), profile_user), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("notifications/_follow_group_button.html", takes_context=True)
def follow_group_button(context, group, role):
    """Follow a group (on by default for members): its new topics notify, its digest comes."""
    return {**group_button(_viewer(context), group, role), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("notifications/_follow_tag_button.html", takes_context=True)
def follow_tag_button(context, group, role, tag):
    """Follow a tag in a group: its new items come in the group's digest."""
    return {
        **tag_button(_viewer(context), group, role, tag),
        "csrf_token": context.get("csrf_token"),
    }
