"""manage.py search_group_indexes: give each big group, and the newest bookmarks, a search
index of their own now (the workers' periodic task does the same every six hours)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from search.group_indexes import update_group_indexes
from search.recent_index import update_recent_index


class Command(BaseCommand):
    help = (
        "Create a partial search index for every group with at least SEARCH_GROUP_INDEX_MIN "
        "bookmarks; drop those of groups deleted or shrunk below half of it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min",
            type=int,
            default=None,
            help=f"bookmarks a group needs (default SEARCH_GROUP_INDEX_MIN, "
            f"{settings.SEARCH_GROUP_INDEX_MIN})",
        )

    def handle(self, *args, min, **options):
        if min is not None and min < 1:
            self.stderr.write("--min must be at least 1")
            raise SystemExit(2)
        created, dropped = update_group_indexes(min, log=self.stdout.write)
        self.stdout.write(f"{len(created)} created, {len(dropped)} dropped")
        update_recent_index(log=self.stdout.write)
