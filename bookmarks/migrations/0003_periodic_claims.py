"""Queued-at markers and the indexes of the periodic jobs' selections (built CONCURRENTLY:
the pages table stays writable; nullable columns are added without rewriting it)."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("bookmarks", "0002_delete_importjob"),
    ]

    operations = [
        migrations.AddField(
            model_name="page",
            name="fetch_queued_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="page",
            name="link_check_queued_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        AddIndexConcurrently(
            model_name="page",
            index=models.Index(
                condition=models.Q(("fetch_status", "pending")),
                fields=["created_at"],
                name="page_pending",
            ),
        ),
        AddIndexConcurrently(
            model_name="page",
            index=models.Index(
                condition=models.Q(("fetch_status", "ok")),
                fields=["fetched_at"],
                name="page_fetched",
            ),
        ),
        AddIndexConcurrently(
            model_name="page",
            index=models.Index(
                models.OrderBy(models.F("link_checked_at"), nulls_first=True),
                condition=models.Q(("fetch_status", "pending"), _negated=True),
                name="page_link_checked",
            ),
        ),
    ]
