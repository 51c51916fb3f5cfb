"""What the reader tests share: the fixture files, an import run the way users run one, and
the counts a user would check in their library afterwards."""

import re
from pathlib import Path

from annotations.models import Comment, Highlight
from bookmarks.models import Bookmark
from bookmarks.tags import normalize_tag
from transfer.models import ImportJob
from transfer.services import start_import

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name):
    return (FIXTURES / name).read_bytes()


def fixture_text(name):
    return fixture(name).decode("utf-8")


def import_fixture(user, name, data=None, **options):
    """Import a fixture (or `data` under its name) the way the command does; the finished job."""
    job = start_import(
        user, filename=name, data=fixture(name) if data is None else data, run_now=True, **options
    )
    assert job.status == ImportJob.Status.DONE, job.report
    return job


def library_counts(user):
    """What the library holds after an import: bookmarks, distinct tags, highlights, notes
    (item notes and highlight notes), comments, unread and private bookmarks."""
    bookmarks = Bookmark.objects.filter(owner=user)
    highlights = Highlight.objects.filter(bookmark__owner=user)
    return {
        "bookmarks": bookmarks.count(),
        "tags": sorted({t for tags in bookmarks.values_list("tags", flat=True) for t in tags}),
        "highlights": highlights.count(),
        "notes": bookmarks.exclude(description="").count() + highlights.exclude(note="").count(),
        "comments": Comment.objects.filter(bookmark__owner=user).count(),
        "unread": bookmarks.filter(unread=True).count(),
        "private": bookmarks.filter(private=True).count(),
    }


def tags_of(*values):
    """Tags as the library stores them (lower-cased, deduplicated), sorted."""
    return sorted({normalize_tag(v) for v in values if normalize_tag(v)})


def reported(job, key="skipped"):
    """{where: reason} of a finished job's skipped rows (or its notes, key="notes")."""
    field = "reason" if key == "skipped" else "message"
    return {row["where"]: row[field] for row in job.report[key]}


def line_of(text, needle):
    """The line number (from 1) where `needle` first appears in `text`."""
    return text[: text.index(needle)].count("\n") + 1


def is_date(value):
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}.*|\d{9,13}", value.strip()))
