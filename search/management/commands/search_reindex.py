"""manage.py search_reindex: rebuild every bookmark and topic search vector, in batches."""

import argparse

from django.core.management.base import BaseCommand
from tqdm import tqdm

from search.indexing import BATCH_SIZE, id_batches, reindex_range


def positive_int(value):
    try:
        size = int(value)
    except ValueError:
        size = 0
    if size < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value!r}")
    return size


class Command(BaseCommand):
    help = "Rebuild the full-text search vectors of every bookmark and topic, in batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=positive_int, default=BATCH_SIZE)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, batch_size, no_progress, **options):
        for table, label in (("bookmarks_bookmark", "bookmarks"), ("groups_topic", "topics")):
            batches = id_batches(table, batch_size)
            total = sum(n for _first, _last, n in batches)
            done = 0
            with tqdm(
                total=total, desc=label, unit="row", disable=no_progress, file=self.stderr
            ) as bar:
                for first, last, n in batches:
                    reindex_range(table, first, last)
                    done += n
                    bar.update(n)
            self.stdout.write(f"Reindexed {done} {label}.")
