"""Pocket's HTML export and its CSV: read state from the section or the status, tags."""

import csv
import io
import re

from bookmarks.models import Bookmark
from tests.imports.readers_support import (
    fixture_text,
    import_fixture,
    is_date,
    library_counts,
    line_of,
    reported,
    tags_of,
)
from transfer import importers

HTML, CSV = "pocket.html", "pocket.csv"


def html_count():
    """The HTML fixture cut at its headings, its links read with a regular expression."""
    text = fixture_text(HTML)
    unread_part, read_part = text.split("<h1>Read Archive</h1>")
    link = re.compile(r'<a href="(http[^"]+)" time_added="(\d+)" tags="([^"]*)">')
    unread, read = link.findall(unread_part), link.findall(read_part)
    return {
        "bookmarks": len(unread) + len(read),
        "tags": tags_of(*[t for _u, _d, tags in unread + read for t in tags.split(",")]),
        "highlights": 0,
        "notes": 0,
        "comments": 0,
        "unread": len(unread),
        "private": 0,
    }


def test_a_pocket_html_export_imports_with_the_counts_of_the_file(user):
    job = import_fixture(user, HTML)
    assert job.file_format == "pocket_html"
    assert library_counts(user) == html_count()
    text = fixture_text(HTML)
    assert reported(job) == {
        f"line {line_of(text, 'mardi dernier')}": "the time_added 'mardi dernier' is not a date",
        f"line {line_of(text, 'Un lien sans adresse')}": "the link has no address",
    }
    read = Bookmark.objects.get(owner=user, page__url="https://example.org/pocket/lu")
    assert (read.unread, read.tags, read.created_at.year) == (False, ["lu", "archives"], 2017)
    assert Bookmark.objects.get(page__url__endswith="/sans-tag").title == "Sans tag & sans note"
    assert reported(job, "notes") == {
        f"line {line_of(text, 'octet')}": "control characters removed"
    }


def csv_count():
    rows = list(csv.DictReader(io.StringIO(fixture_text(CSV))))
    good = [
        r
        for r in rows
        if (r["url"].startswith("http") or r["title"].startswith("http"))
        and is_date(r["time_added"])
    ]
    return {
        "bookmarks": len(good),
        "tags": tags_of(*[t for r in good for t in r["tags"].split("|")]),
        "highlights": 0,
        "notes": 0,
        "comments": 0,
        "unread": sum(r["status"] == "unread" for r in good),
        "private": 0,
    }


def test_a_pocket_csv_imports_with_the_counts_of_the_file(user):
    job = import_fixture(user, CSV)
    assert job.file_format == "pocket_csv"
    assert library_counts(user) == csv_count()
    assert reported(job) == {
        "line 5": "the url is empty",
        "line 6": "the time_added 'demain' is not a date",
    }
    assert reported(job, "notes") == {"line 7": "title and address were swapped"}
    comma = Bookmark.objects.get(owner=user, page__url__endswith="/virgule")
    assert comma.title == "Un titre, avec une virgule"


def test_pocket_files_are_recognised_from_their_content():
    assert importers.detect_format(fixture_text(HTML)) == "pocket_html"
    assert importers.detect_format(fixture_text(CSV)) == "pocket_csv"


def test_the_later_pocket_csv_with_a_cursor_column_reads_the_same():
    """Pocket's list export later added a `cursor` column (its paging position): ignored."""
    text = (
        "title,url,time_added,cursor,tags,status\n"
        "Lu,https://example.org/pocket/lu,1500000000,1500000000,a|b,archive\n"
    )
    assert importers.detect_format(text) == "pocket_csv"
    [item] = importers.parse(text.encode()).items
    assert (item.url, item.tags, item.unread) == (
        "https://example.org/pocket/lu",
        ["a", "b"],
        False,
    )
