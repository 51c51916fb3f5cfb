"""Template tags that let other apps' pages show annotations without knowing how they are read."""

from django import template
from django.contrib.auth.models import AnonymousUser

from annotations.selectors import bookmark_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def annotations_for(context, bookmark):
    """The annotations block of a bookmark page (for _bookmark_annotations.html)."""
    request = context.get("request")
    viewer = getattr(request, "user", None) or AnonymousUser()
    return bookmark_panel(viewer, bookmark)
