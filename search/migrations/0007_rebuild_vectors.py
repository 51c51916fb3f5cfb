"""Rebuild every bookmark vector with 0006's search_weighted (numbers joined by a hyphen).

In batches of 5,000 ids, set-based (search_rebuild_bookmarks); about 200 s per million
bookmarks on a small machine. Non-atomic: each batch commits on its own, so the table is never
locked for the whole rebuild and an interrupted run loses one batch, not hours (a re-run does
it all again; `manage.py search_reindex` does the same outside a release). Nothing to undo:
the vectors are derived data.
"""

from django.db import migrations

BATCH = 5000


def rebuild(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM bookmarks_bookmark")
        first, last = cursor.fetchone()
        if first is None:
            return
        for start in range(first, last + 1, BATCH):
            cursor.execute(
                "SELECT search_rebuild_bookmarks(ARRAY(SELECT id FROM bookmarks_bookmark "
                "WHERE id BETWEEN %s AND %s))",
                [start, start + BATCH - 1],
            )


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("search", "0006_marks_and_numbers")]
    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
