"""Links that change one thing in a library's query string and keep the rest (shareable)."""

from urllib.parse import quote

from django import template
from django.http import QueryDict

from library import fragments

register = template.Library()

# Changing any of these starts again from page 1.
_RESETS_PAGE = {"sort", "filter", "tag", "user", "q", "per_page", "unread"}


def _href(query):
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """`{% query_with sort="date" %}` → "?...&sort=date"; a value of None removes the key."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = str(value)
    if _RESETS_PAGE & set(changes) and "page" not in changes:
        query.pop("page", None)
    return _href(query)


@register.simple_tag(takes_context=True)
def query_add_tag(context, tag):
    """The current filters plus this tag (several tags = items having them all).

    Called for every tag of every item: the page's own query is encoded once per request.
    """
    request = context["request"]
    cached = getattr(request, "_library_tag_base", None)
    if cached is None:
        query = request.GET.copy()
        query.pop("page", None)
        current = set(query.getlist("tag"))
        encoded = query.urlencode()
        cached = (current, _href(query), f"?{encoded}&tag=" if encoded else "?tag=")
        request._library_tag_base = cached
    current, unchanged, prefix = cached
    if tag in current:
        return unchanged
    return prefix + quote(tag, safe="")


@register.simple_tag(takes_context=True)
def query_remove_tag(context, tag):
    query = context["request"].GET.copy()
    query.setlist("tag", [t for t in query.getlist("tag") if t != tag])
    query.pop("page", None)
    return _href(query)


@register.simple_tag
def tag_query(tag):
    """ "?tag=<tag>" for links from elsewhere into a library filtered by one tag."""
    query = QueryDict(mutable=True)
    query["tag"] = tag
    return _href(query)


@register.simple_tag(takes_context=True)
def library_rows(context, items):
    """The rows of a library page's items, each bookmark's from the row cache when it was
    rendered from the same data before (library.fragments)."""
    return fragments.render_rows(context, items)


@register.simple_tag(takes_context=True)
def cached_piece(context, name, **values):
    """`{% cached_piece "library/_tag_cloud.html" tag_cloud=tag_cloud %}`: that template with
    those values, from the cache when it was rendered from the same ones (library.fragments)."""
    return fragments.render_piece(context, name, **values)
