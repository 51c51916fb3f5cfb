"""A search index of its own for each big group: a partial GIN index on the vector and tags.

Why: the shared GIN index holds every bookmark. In a big group, two common words ("travail
plateformes") either read posting lists of hundreds of thousands of rows from every group, or
walk the group's date index checking tens of thousands of rows: 45–90 ms either way for
1,000,000 bookmarks (bench/search.py). A partial index holding only the group's rows answers
the same query in about 13 ms; a phrase in 8 ms.

Groups reach SEARCH_GROUP_INDEX_MIN bookmarks over time, so the periodic task
`search.tasks.update_group_indexes` (and `manage.py search_group_indexes`) creates the
missing indexes (CONCURRENTLY: writes go on) and drops those of groups deleted or shrunk
below half the threshold. Queries need no change: the planner uses a partial index whenever
the query says `group_id = <that group>`; search.selectors only asks `group_index_rows` to
tell a dense query from a sparse one within the group.
"""

import re
from contextlib import contextmanager
from time import monotonic

from django.conf import settings
from django.db import connection

PREFIX = "bookmark_search_g"
_NAME = re.compile(rf"^{PREFIX}(\d+)$")
_CACHE = {"at": -1e9, "rows": {}}


def index_name(group_id):
    return f"{PREFIX}{int(group_id)}"


def valid_index_names(prefix):
    """The names of the valid indexes on bookmarks_bookmark starting with `prefix` (an
    interrupted CONCURRENTLY build leaves an invalid one behind)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid "
            "WHERE i.indrelid = 'bookmarks_bookmark'::regclass AND i.indisvalid "
            "AND c.relname LIKE %s",
            [prefix + "%"],
        )
        return [name for (name,) in cursor.fetchall()]


@contextmanager
def index_ddl():
    """A cursor and the CONCURRENTLY keyword for building or dropping search indexes.

    CONCURRENTLY (writes go on) cannot run inside a transaction: the periodic task and the
    commands run in autocommit. Inside one (tests), the plain form is used, after the
    deferred foreign-key checks, which Postgres refuses to leave pending across an index
    build; they are deferred again afterwards, as Django declares them.
    """
    in_transaction = connection.in_atomic_block
    with connection.cursor() as cursor:
        if in_transaction:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield cursor, "" if in_transaction else "CONCURRENTLY"
        if in_transaction:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def existing_indexes():
    """{group id: its bookmarks} of the group indexes there now (a GIN index's reltuples
    counts its entries, not its rows: the rows are counted)."""
    ids = [int(m.group(1)) for name in valid_index_names(PREFIX) if (m := _NAME.match(name))]
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT g.id, (SELECT count(*) FROM bookmarks_bookmark b WHERE b.group_id = g.id) "
            "FROM unnest(%s::bigint[]) AS g(id)",
            [ids],
        )
        return {group_id: float(rows) for group_id, rows in cursor.fetchall()}


def group_index_rows(group_id):
    """The rows of the group's own index (refreshed every ten minutes), None if it has none."""
    now = monotonic()
    if now - _CACHE["at"] > 600:
        _CACHE.update(at=now, rows=existing_indexes())
    return _CACHE["rows"].get(group_id)


def forget_cache():
    _CACHE["at"] = -1e9


def update_group_indexes(minimum=None, log=print):
    """Create the missing indexes of big groups, drop those no longer needed.

    Returns (created, dropped) group ids.
    """
    minimum = settings.SEARCH_GROUP_INDEX_MIN if minimum is None else minimum
    have = existing_indexes()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT group_id, count(*) FROM bookmarks_bookmark WHERE group_id IS NOT NULL "
            "GROUP BY group_id HAVING count(*) >= %s",
            [max(1, minimum // 2)],
        )
        sizes = dict(cursor.fetchall())
    wanted = {group_id for group_id, size in sizes.items() if size >= minimum}
    # between half the threshold and the threshold, an index already there is kept
    keep = wanted | {group_id for group_id in have if group_id in sizes}
    created, dropped = [], []
    with index_ddl() as (cursor, concurrently):
        for group_id in sorted(wanted - have.keys()):
            name = index_name(group_id)
            # an interrupted CONCURRENTLY build leaves an invalid index behind: start again
            cursor.execute(f"DROP INDEX {concurrently} IF EXISTS {name}")
            log(f"creating {name} ({sizes[group_id]} bookmarks)")
            cursor.execute(
                f"CREATE INDEX {concurrently} {name} ON bookmarks_bookmark "
                f"USING gin (search_vector, tags) WHERE group_id = {int(group_id)}"
            )
            created.append(group_id)
        for group_id in sorted(have.keys() - keep):
            log(f"dropping {index_name(group_id)}")
            cursor.execute(f"DROP INDEX {concurrently} IF EXISTS {index_name(group_id)}")
            dropped.append(group_id)
    forget_cache()
    return created, dropped
