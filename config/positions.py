"""Where a page number starts, remembered: page N of an API list read as a cursor would be.

Serving a page tells where the next one starts (the key its `next` cursor carries) and, for a
page number, where that page starts (the key of the row before it). Both are remembered for a
short while, per viewer and per list (path and parameters), so that `page=N` after page N-1,
or asked again, is read from its key (an index seek) instead of walking the rows before it,
and the count is not taken again. Any change to what lists show (a bookmark, page, topic,
highlight, comment, membership or group saved or deleted, or a bulk write: bump()) makes
every remembered position stale at once; the positions only ever place a page, the rows are
still read through the viewer's visibility filters. With the cache unreachable nothing is
remembered and page numbers walk, as before. A value a list page derives from its rows (a
search's tag facets) is remembered the same way, under the query it was computed from
(remembered()): stale at the same changes.
"""

import hashlib

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "positions:version"
TTL = 120  # seconds: a remembered position is for the pages a reader is going through


def list_params(request):
    """The parameters that choose a list's rows: all but where a page starts and its size."""
    return sorted(
        (k, v)
        for k, values in request.query_params.lists()
        if k not in ("cursor", "page", "page_size")
        for v in values
    )


def _key(request, kind, depth, size):
    params = list_params(request)
    viewer = request.user.pk if request.user.is_authenticated else "-"
    asked = repr((request.path, kind, params, viewer, depth, size)).encode()
    return "positions:" + hashlib.sha256(asked).hexdigest()[:32]


def recall(request, kind, depth, size):
    """(state, version): the cursor state (k, d, s, n, x) of the page starting after `depth`
    rows of this list for this viewer when remembered since the last change (else None), and
    the version to remember the positions this request finds with (read before the rows are,
    so a change made meanwhile leaves them stale)."""
    key = _key(request, kind, depth, size)
    found = cache.get_many([VERSION_KEY, key] if depth > 0 else [VERSION_KEY])
    version, entry = found.get(VERSION_KEY, 0), found.get(key)
    if not entry or entry.get("v") != version:
        return None, version
    return entry["state"], version


def remember(request, kind, version, states):
    """Remember cursor states (dicts with k, d, s, n, x) of this list for this viewer."""
    states = [s for s in states if s is not None and s["d"] > 0 and s["k"] is not None]
    if states:
        entries = {_key(request, kind, s["d"], s["s"]): {"v": version, "state": s} for s in states}
        cache.set_many(entries, TTL)


def remembered(parts, compute, ttl: int = TTL):
    """compute(), remembered under `parts` (a description of everything it reads: a query's
    SQL and parameters, say) until the next change to what lists show, as positions are.
    The version is read before computing, so a change made meanwhile leaves it stale."""
    key = "positions:value:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    found = cache.get_many([VERSION_KEY, key])
    version, entry = found.get(VERSION_KEY, 0), found.get(key)
    if entry and entry.get("v") == version:
        return entry["value"]
    value = compute()
    cache.set(key, {"v": version, "value": value}, ttl)
    return value


def bump(**_signal):
    """Every remembered position is stale (once the transaction commits)."""

    def _bump():
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # missing (or the cache is unreachable: then nothing is read)
            cache.set(VERSION_KEY, 1, None)

    transaction.on_commit(_bump)


# bookmarks themselves: bookmarks.services.forget_tag_counts bumps (their signals and the bulk
# writes call it); so does a fetch stored (bookmarks.signals.page_fetched)
CHANGES = (
    "bookmarks.Page",
    "groups.Topic",
    "groups.Membership",
    "groups.Group",
    "annotations.Highlight",
    "annotations.Comment",
)


def connect():
    for model in CHANGES:
        for signal in (post_save, post_delete):
            signal.connect(bump, sender=model, dispatch_uid=f"positions:{model}:{id(signal)}")
