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
from django.db import connection, connections

from config.dbrouting import direct_alias
from config.locks import advisory_lock

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


class BuildBusy(Exception):
    """Another process is building or dropping search indexes now."""


@contextmanager
def index_ddl():
    """A cursor and the CONCURRENTLY keyword for building or dropping search indexes, held by
    one process at a time (an advisory lock: two builders at once deadlock in PostgreSQL).

    CONCURRENTLY (writes go on) cannot run inside a transaction: the periodic task and the
    commands run in autocommit, on the direct connection (past pgbouncer), with a statement
    timeout that ends a runaway build before the task's time limit and a lock timeout so a
    build never queues writers behind it for long. Indexes left INVALID by an interrupted
    build are dropped first. Inside a transaction (tests), the plain form is used, after the
    deferred foreign-key checks, which Postgres refuses to leave pending across an index
    build; they are deferred again afterwards, as Django declares them.
    Raises BuildBusy when another process holds the lock.
    """
    in_transaction = connection.in_atomic_block
    with advisory_lock("commonplace:search-indexes", wait=False) as mine:
        if not mine:
            raise BuildBusy
        ddl = connection if in_transaction else connections[direct_alias()]
        with ddl.cursor() as cursor:
            if in_transaction:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            else:
                build_ms = int(settings.SEARCH_INDEX_BUILD_SECONDS * 1000)
                lock_ms = int(settings.SEARCH_INDEX_LOCK_SECONDS * 1000)
                cursor.execute(f"SET statement_timeout = {build_ms}")
                cursor.execute(f"SET lock_timeout = {lock_ms}")
                _drop_invalid(cursor)
            try:
                yield cursor, "" if in_transaction else "CONCURRENTLY"
            finally:
                if in_transaction:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                else:
                    cursor.execute("RESET statement_timeout")
                    cursor.execute("RESET lock_timeout")


def _drop_invalid(cursor):
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid "
        "WHERE i.indrelid = 'bookmarks_bookmark'::regclass AND NOT i.indisvalid "
        "AND c.relname LIKE 'bookmark_search_%%'"
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


def build_index(cursor, concurrently, name, definition):
    """CREATE INDEX `name` ON bookmarks_bookmark `definition`, built under a temporary name
    and renamed once valid: searches keep the old index until then, and a build that fails
    leaves nothing INVALID behind."""
    building = f"{name}_new"
    cursor.execute(f"DROP INDEX {concurrently} IF EXISTS {building}")
    try:
        cursor.execute(f"CREATE INDEX {concurrently} {building} ON bookmarks_bookmark {definition}")
    except Exception:
        if concurrently:
            cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {building}")
        raise
    cursor.execute(f"DROP INDEX {concurrently} IF EXISTS {name}")
    cursor.execute(f"ALTER INDEX {building} RENAME TO {name}")


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

    Returns (created, dropped) group ids; nothing when another process is at it.
    """
    minimum = settings.SEARCH_GROUP_INDEX_MIN if minimum is None else minimum
    created, dropped = [], []
    try:
        with index_ddl() as (cursor, concurrently):
            have = existing_indexes()
            cursor.execute(
                "SELECT group_id, count(*) FROM bookmarks_bookmark WHERE group_id IS NOT NULL "
                "GROUP BY group_id HAVING count(*) >= %s",
                [max(1, minimum // 2)],
            )
            sizes = dict(cursor.fetchall())
            wanted = {group_id for group_id, size in sizes.items() if size >= minimum}
            # between half the threshold and the threshold, an index already there is kept
            keep = wanted | {group_id for group_id in have if group_id in sizes}
            for group_id in sorted(wanted - have.keys()):
                name = index_name(group_id)
                log(f"creating {name} ({sizes[group_id]} bookmarks)")
                build_index(
                    cursor,
                    concurrently,
                    name,
                    f"USING gin (search_vector, tags) WHERE group_id = {int(group_id)}",
                )
                created.append(group_id)
            for group_id in sorted(have.keys() - keep):
                log(f"dropping {index_name(group_id)}")
                cursor.execute(f"DROP INDEX {concurrently} IF EXISTS {index_name(group_id)}")
                dropped.append(group_id)
    except BuildBusy:
        log("another process is building the search indexes: skipped")
    forget_cache()
    return created, dropped
