"""A search index of the newest bookmarks: a partial GIN index on (vector, tags) holding the
rows saved after a cutoff (about SEARCH_RECENT_ROWS of them).

Why: a search over everything a reader may see wants the newest matches (by date, or the
ranked set of a query with more than 1,000 matches), but the shared GIN index reads posting
lists of the whole table and every candidate's row, scattered over it: 120–180 ms for two
common words or a phrase among 1,000,000 bookmarks (bench/search.py). Whenever the newest
rows hold enough matches, they are the answer; reading them through this index costs a
fraction. search.selectors tries it first and falls back to the whole table otherwise.

The periodic task `search.tasks.update_group_search_indexes` (and `manage.py
search_group_indexes`) moves the cutoff forward when the slice has doubled: a new index is
built CONCURRENTLY, then the old one dropped. The cutoff is in the index's name.
"""

import re
from datetime import UTC, datetime
from time import monotonic

from django.conf import settings

from .group_indexes import BuildBusy, build_index, index_ddl, valid_index_names

PREFIX = "bookmark_search_recent_"
_NAME = re.compile(rf"^{PREFIX}(\d+)$")
_CACHE = {"at": -1e9, "cutoff": None}


def _existing():
    """[(cutoff epoch, index name)] of the valid recent-slice indexes, newest cutoff last."""
    names = valid_index_names(PREFIX)
    return sorted((int(m.group(1)), name) for name in names if (m := _NAME.match(name)))


def recent_cutoff():
    """The cutoff of the recent slice's index (refreshed every ten minutes), None if none."""
    now = monotonic()
    if now - _CACHE["at"] > 600:
        existing = _existing()
        cutoff = datetime.fromtimestamp(existing[-1][0], tz=UTC) if existing else None
        _CACHE.update(at=now, cutoff=cutoff)
    return _CACHE["cutoff"]


def forget_cache():
    _CACHE["at"] = -1e9


def update_recent_index(rows=None, log=print):
    """Build the recent slice's index when there is none or its slice has doubled; drop the
    older ones. Returns the new cutoff, or None when nothing was built. A library smaller
    than twice `rows` needs no slice (and an index there is dropped)."""
    rows = settings.SEARCH_RECENT_ROWS if rows is None else rows
    try:
        built = _update(rows, log)
    except BuildBusy:
        log("another process is building the search indexes: skipped")
        built = None
    forget_cache()
    return datetime.fromtimestamp(built, tz=UTC) if built is not None else None


def _update(rows, log):
    built = None
    with index_ddl() as (cursor, concurrently):
        existing = _existing()
        cursor.execute(
            "SELECT created_at FROM bookmarks_bookmark ORDER BY created_at DESC OFFSET %s LIMIT 1",
            [2 * rows],
        )
        big_enough = cursor.fetchone() is not None
        current = existing[-1][0] if existing else None
        if big_enough:
            in_slice = 0
            if current is not None:
                cursor.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM bookmarks_bookmark "
                    "WHERE created_at >= to_timestamp(%s) LIMIT %s) t",
                    [current, 2 * rows + 1],
                )
                in_slice = cursor.fetchone()[0]
            if current is None or in_slice > 2 * rows:
                cursor.execute(
                    "SELECT floor(extract(epoch FROM created_at))::bigint "
                    "FROM bookmarks_bookmark ORDER BY created_at DESC OFFSET %s LIMIT 1",
                    [rows],
                )
                built = cursor.fetchone()[0]
                name = f"{PREFIX}{int(built)}"
                log(f"creating {name} (about {rows} bookmarks)")
                since = datetime.fromtimestamp(int(built), tz=UTC).isoformat()
                build_index(
                    cursor,
                    concurrently,
                    name,
                    f"USING gin (search_vector, tags) WHERE created_at >= '{since}'::timestamptz",
                )
        keep = built if built is not None else (current if big_enough else None)
        for epoch, name in existing:
            if epoch != keep:
                log(f"dropping {name}")
                cursor.execute(f"DROP INDEX {concurrently} IF EXISTS {name}")
    return built
