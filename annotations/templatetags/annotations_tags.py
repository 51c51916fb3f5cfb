"""Template tags that let other apps' pages show annotations without knowing how they are read."""

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.safestring import mark_safe

from annotations.markdown import markdown_to_text, strip_markdown_marks
from annotations.selectors import bookmark_panel

register = template.Library()


@register.simple_tag(takes_context=True)
def annotations_for(context, bookmark):
    """The annotations block of a bookmark page (for _bookmark_annotations.html)."""
    request = context.get("request")
    viewer = getattr(request, "user", None) or AnonymousUser()
    return bookmark_panel(viewer, bookmark)


@register.filter
def markdown_text(value):
    """Markdown as plain text (autoescaped by the template like any text)."""
    return markdown_to_text(value or "")


@register.filter
def snippet_text(value):
    """A marked search snippet without markdown marks; stays the safe HTML it was."""
    return mark_safe(strip_markdown_marks(value or ""))  # the snippet is escaped text with <mark>s
