"""Search vector maintenance.

The vectors are built by Postgres triggers (search/migrations/0002_text_search.py): a bookmark's
row, its page, its highlights and its visible comments, and a topic with its visible replies,
rebuild the vector in the same transaction as the change, whoever writes (services, imports,
bulk updates, raw SQL). Setting search_vector to NULL asks the trigger to rebuild it.
Bulk writers (imports, reindexing) instead defer the triggers and rebuild many vectors in one
statement (search_rebuild_bookmarks, search/migrations/0005_set_based_vectors.py), or insert new
bookmarks with their vectors already built (new_bookmark_vectors, 0014).
"""

from contextlib import contextmanager

from django.db import connection, transaction

BATCH_SIZE = 2000


def reindex_bookmarks(ids):
    """Rebuild the vectors of these bookmarks now, in one statement; returns how many."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_rebuild_bookmarks(%s::bigint[])", [list(ids)])
        return cursor.fetchone()[0]


def new_bookmark_vectors(ids):
    """For an INSERT … SELECT … FROM (rows) AS v of new bookmarks, inside deferred_vectors():
    (column, expression, joins, params) that build each row's search_vector as
    search_rebuild_bookmarks would (the same function, the same texts). `v` has the
    bookmark's columns; `ids` are the ids of its rows. Their highlights and comments must be
    written before the bookmarks: nothing rebuilds these vectors afterwards.

    One write per bookmark instead of an insert and then an update of every new row (the
    update rewrote each row and its index entries: about a third of a large import's time)."""
    return (
        "search_vector",
        "search_bookmark_vector(search_config(p.language), v.title, v.tags, v.description, "
        "a.notes, a.comments, p.url, p.site_name, p.title, p.description, p.text)",
        # LEFT: a row whose page is missing still reaches the foreign key check
        "LEFT JOIN bookmarks_page p ON p.id = v.page_id "
        "LEFT JOIN search_annotation_texts(%s::bigint[]) a ON a.bookmark_id = v.id",
        [list(ids)],
    )


@contextmanager
def deferred_vectors():
    """For bulk writers, inside a transaction: bookmark, highlight and comment writes skip the
    per-row search triggers until the block ends. The caller must reindex_bookmarks() every
    bookmark it wrote or annotated before leaving the block (search/migrations/0005 says why:
    one set-based rebuild instead of a cached per-row plan that goes quadratic)."""
    if not connection.in_atomic_block:
        raise RuntimeError("deferred_vectors() needs a transaction")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('commonplace.search', 'deferred', true)")
    try:
        yield
    finally:
        if not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('commonplace.search', '', true)")


def reindex_topics(ids):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE groups_topic SET search_vector = NULL WHERE id = ANY(%s)", [list(ids)]
        )


def id_batches(table, batch_size=BATCH_SIZE):
    """[(first_id, last_id)] ranges of at most batch_size ids (keyset paging, no OFFSET)."""
    if table not in ("bookmarks_bookmark", "groups_topic"):
        raise ValueError(table)
    with connection.cursor() as cursor:
        cursor.execute(
            # fixed table names only (checked above)
            f"SELECT min(id), max(id), count(*) FROM (SELECT id, row_number() OVER (ORDER BY id)"  # noqa: S608
            f" AS n FROM {table}) t GROUP BY (n - 1) / %s ORDER BY 1",
            [batch_size],
        )
        return cursor.fetchall()


def reindex_range(table, first_id, last_id):
    if table not in ("bookmarks_bookmark", "groups_topic"):
        raise ValueError(table)
    with transaction.atomic(), connection.cursor() as cursor:
        if table == "bookmarks_bookmark":
            cursor.execute(
                "SELECT search_rebuild_bookmarks(ARRAY(SELECT id FROM bookmarks_bookmark "
                "WHERE id BETWEEN %s AND %s))",
                [first_id, last_id],
            )
            return cursor.fetchone()[0]
        cursor.execute(
            f"UPDATE {table} SET search_vector = NULL WHERE id BETWEEN %s AND %s",  # noqa: S608
            [first_id, last_id],
        )
        return cursor.rowcount
