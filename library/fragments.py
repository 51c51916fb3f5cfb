"""The rows of a library page, each bookmark's HTML rendered once and kept in the cache.

A row is stored under a digest of everything it is rendered from: the bookmark as the page
loaded it (every loaded field, its page, owner and group, its highlight and comment counts,
the annotations this viewer is shown), the language, the timezone, the view, whether the
viewer is logged in, and the page's query string (a tag link keeps the page's other filters).
So there is nothing to invalidate: an edit, a new comment, a fetched title or a renamed
owner gives the row a new key and shows at once, and two viewers share a row only when it is
built from the same data (the author of a comment held for review, who sees it with its
badge, never shares the row with a reader who does not). A row holding a form (its CSRF
token belongs to one session) is never stored. The page's rows cost one cache read and at
most one write, whatever their number. Other pieces of the page (the tag cloud) are kept the
same way, under a digest of the values they are rendered from (render_piece).
"""

import dataclasses
import hashlib
import pickle
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import django
from django.conf import settings
from django.core.cache import cache
from django.db.models import Model
from django.template.loader_tags import IncludeNode
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

ROW_TEMPLATE = "bookmarks/_item.html"
TOPIC_TEMPLATE = "bookmarks/_topic_item.html"
# Rows are never stale (a change is a new key): the timeout only bounds what the cache holds.
ROW_SECONDS = 3600
# The context names the row templates read besides the item (`request` and `user` are in
# the key through the query string and the log-in state). A new one must be added here.
CONTEXT_NAMES = ("view", "show_group", "search_tags", "swap_title", "expanded")

_version = {}


def _included(template, seen):
    """The names of `template` and of every template it includes by a constant name."""
    for node in template.nodelist.get_nodes_by_type(IncludeNode):
        name = node.template.var
        if isinstance(name, str) and name not in seen:
            seen.add(name)
            _included(template.engine.get_template(name), seen)
    return seen


def _sources_digest(engine, root_name: str) -> str:
    digest = hashlib.blake2b(django.__version__.encode(), digest_size=16)
    root = engine.get_template(root_name)
    for name in sorted(_included(root, {root_name})):
        digest.update(engine.get_template(name).source.encode())
    for path in settings.LOCALE_PATHS:
        for mo in sorted(Path(path).glob("*/LC_MESSAGES/*.mo")):
            digest.update(mo.read_bytes())
    return digest.hexdigest()


def templates_version(engine) -> str:
    """A digest of the row templates' source and the translation catalogues, so a deployment
    that changes either stops reading the rows of the last one."""
    if "digest" not in _version:
        _version["digest"] = _sources_digest(engine, ROW_TEMPLATE)
    return _version["digest"]


_PLAIN = (str, int, float, bool, Decimal, date, datetime)
_PLAIN_TYPES = frozenset((*_PLAIN, type(None)))


def _state(value, seen):
    """A hashable picture of what a template may read from `value`: a model instance's loaded
    fields and annotations, the related objects loaded with it, lists, dataclasses and
    namespaces of those. (Names starting with "_" are Django's own bookkeeping.)"""
    if value is None or isinstance(value, _PLAIN):
        return value
    if isinstance(value, Model):
        if id(value) in seen:
            return (value._meta.label, value.pk)
        seen.add(id(value))
        # most fields are plain values: only the others are walked
        own = [
            (k, v if type(v) in _PLAIN_TYPES else _state(v, seen))
            for k, v in value.__dict__.items()
            if k[0] != "_"
        ]
        related = [(k, _state(v, seen)) for k, v in value._state.fields_cache.items()]
        return (value._meta.label, tuple(own), tuple(related))
    if isinstance(value, (list, tuple)):
        return tuple(_state(v, seen) for v in value)
    if isinstance(value, dict):
        return tuple((k, _state(v, seen)) for k, v in value.items())
    if dataclasses.is_dataclass(value) or isinstance(value, SimpleNamespace):
        return _state(vars(value), seen)
    return repr(value)


def _query_base(request):
    if request is None:
        return ""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _shared(context, version: str) -> bytes:
    """What every row of the page is rendered with besides its item, as bytes."""
    request = context.get("request")
    user = context.get("user")
    shared = (
        version,
        translation.get_language(),
        timezone.get_current_timezone_name(),
        bool(user and user.is_authenticated),
        _query_base(request),
        tuple(context.get(name) for name in CONTEXT_NAMES),
    )
    return repr(shared).encode()


def row_key(item, shared: bytes) -> str:
    # pickle, not repr: the same picture, read back whole from the bytes (so two different
    # pictures never give the same key), in half the time
    digest = hashlib.blake2b(shared, digest_size=20)
    digest.update(pickle.dumps(_state(item, set()), protocol=5))
    return "library:row:" + digest.hexdigest()


def _render(engine, name, item, context):
    with context.push(item=item):
        return engine.get_template(name).render(context)


def render_rows(context, items) -> str:
    """The HTML of a library page's items, in order: bookmarks from the cache when their row
    was built from the same data before, topics (a few per page, never cached) fresh."""
    engine = context.template.engine
    shared = _shared(context, templates_version(engine))
    keys = {
        i: row_key(item, shared) for i, item in enumerate(items) if item.item_kind == "bookmark"
    }
    found = cache.get_many(list(keys.values())) if keys else {}
    html, new = [], {}
    for i, item in enumerate(items):
        key = keys.get(i)
        if key is None:
            html.append(_render(engine, TOPIC_TEMPLATE, item, context))
            continue
        row = found.get(key)
        if row is None:
            row = _render(engine, ROW_TEMPLATE, item, context)
            if "csrfmiddlewaretoken" not in row:
                new[key] = str(row)
        html.append(row)
    if new:
        cache.set_many(new, ROW_SECONDS)
    return mark_safe("\n".join(html))  # each row was rendered by the autoescaping engine


def render_piece(context, name: str, **values) -> str:
    """Template `name` rendered with `values` (besides the page's context: the language, the
    timezone, the query string, the log-in state, as a row), from the cache when it was
    rendered from the same values before. `name` reads nothing else of the context."""
    engine = context.template.engine
    version = _version.get(name) or _version.setdefault(name, _sources_digest(engine, name))
    digest = hashlib.blake2b(_shared(context, version), digest_size=20)
    digest.update(pickle.dumps(_state(values, set()), protocol=5))
    key = f"library:piece:{digest.hexdigest()}"
    html = cache.get(key)
    if html is None:
        with context.push(**values):
            html = engine.get_template(name).render(context)
        cache.set(key, str(html), ROW_SECONDS)
    return mark_safe(html)  # rendered by the autoescaping engine
