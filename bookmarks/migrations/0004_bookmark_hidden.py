"""Bookmark.hidden (a group item hidden by a moderator), and the group index rebuilt to include
it, CONCURRENTLY (the bookmarks table stays writable; the column has a constant default, so
adding it does not rewrite the table)."""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("bookmarks", "0003_periodic_claims"),
    ]

    operations = [
        migrations.AddField(
            model_name="bookmark",
            name="hidden",
            field=models.BooleanField(db_default=False, default=False),
        ),
        AddIndexConcurrently(
            model_name="bookmark",
            index=models.Index(
                fields=["group", "-created_at", "-id"],
                include=["hidden"],
                name="bookmark_group_shown",
            ),
        ),
        RemoveIndexConcurrently(model_name="bookmark", name="bookmark_group_created"),
        AddIndexConcurrently(
            model_name="bookmark",
            index=models.Index(
                condition=models.Q(("hidden", True)),
                fields=["group"],
                name="bookmark_group_hidden",
            ),
        ),
    ]
