"""The header's bell: the reader's unread count, one COUNT query per page."""

from django import template

from ..selectors import unread_count

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
