"""An index on the title-and-tags (weight A) part of the bookmark vector.

Relevance ranks a bounded candidate set; this index finds the title and tag matches among
them without reading every match of a common word (search.selectors.order_by_relevance).
Created here, on bookmarks_bookmark, so the bookmarks app's migrations stay its owner's.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0002_text_search")]
    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS bookmark_search_title ON bookmarks_bookmark "
            "USING gin (ts_filter(search_vector, '{a}'::\"char\"[]))",
            "DROP INDEX IF EXISTS bookmark_search_title",
        )
    ]
