"""Search template helpers: `{% query_with request "sort" "date" %}` (the current query string
with one parameter set), `{% query_with_tag request tag %}` (the current search refined by a
tag) and `{{ text|marked:q }}` (text with the query's words in <mark>)."""

import re
import unicodedata

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.query import parse, unparse

register = template.Library()

_WORD = re.compile(r"\w+")
# what unaccent folds beyond combining accents (ligatures and sharp s)
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"})


@register.simple_tag
def query_with(request, key, value):
    params = request.GET.copy()
    if value in ("", None):
        params.pop(key, None)
    else:
        params[key] = value
    if key != "page":
        params.pop("page", None)
    return params.urlencode()


@register.simple_tag
def query_with_tag(request, tag):
    """The current query string with `tag:<tag>` added to the query, back to the first page;
    the group, scope, sort and type stay (a facet or a result's tag refines this search)."""
    parsed = parse(request.GET.get("q", "")[:2000])
    if tag not in parsed.tags:
        parsed.tags.append(tag)
    params = request.GET.copy()
    params["q"] = unparse(parsed)
    params.pop("page", None)
    return params.urlencode()


def fold(word):
    """Lower case without accents or ligatures: what simple_unaccent makes of a word."""
    decomposed = unicodedata.normalize("NFKD", word.lower().translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@register.filter
def marked(text, q):
    """`text` HTML-escaped, each word the query matches in <mark>: accent- and case-blind, as a
    prefix from three letters, like the titles the database marks (search_marked) for items
    that are not read through it (topics in a group's library)."""
    text = str(text or "")
    parsed = parse(q)
    exact, prefixes = set(), []
    for clause in parsed.clauses:
        for term in clause:
            if term.prefix:
                prefixes.append(fold(term.words[0]))
            else:
                exact.update(fold(w) for w in term.words)
    if not exact and not prefixes:
        return escape(text)
    out, last = [], 0
    for match in _WORD.finditer(text):
        word = fold(match.group())
        if word in exact or any(word.startswith(p) for p in prefixes):
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))
