"""Raindrop.io's CSV backup: every field that has somewhere to go, each bad row reported."""

import csv
import io

from annotations.models import Highlight
from bookmarks.models import Bookmark
from tests.imports.readers_support import (
    fixture,
    fixture_text,
    import_fixture,
    is_date,
    library_counts,
    reported,
    tags_of,
)
from transfer import importers

NAME = "raindrop.csv"


def independent_count():
    """The fixture read with the csv module: the rows a user would expect to come in."""
    rows = list(csv.reader(io.StringIO(fixture_text(NAME))))
    header, rows = rows[0], rows[1:]
    good = []
    for row in rows:
        if len(row) != len(header):
            continue
        cell = dict(zip(header, row, strict=True))
        address = next((v for v in (cell["url"], cell["title"]) if v.startswith("http")), "")
        if address and is_date(cell["created"]):
            good.append(cell)
    folders = [f for c in good for f in c["folder"].split("/") if f and f != "Unsorted"]
    quotes = [q for c in good for q in c["highlights"].split("Highlight:")[1:]]
    return {
        "bookmarks": len(good),
        "tags": tags_of(*[t for c in good for t in c["tags"].split(",")], *folders),
        "highlights": len(quotes),
        "notes": sum(bool(c["note"] or c["excerpt"]) for c in good)
        + sum("\nNote:" in q for q in quotes),
        "comments": 0,
        "unread": 0,
        "private": 0,
    }


def test_a_raindrop_backup_imports_with_the_counts_of_the_file(user):
    job = import_fixture(user, NAME)
    assert library_counts(user) == independent_count()
    assert job.file_format == "raindrop"
    assert reported(job) == {
        "line 9": "the url is empty",
        "line 10": "the created 'hier soir' is not a date",
        "line 11": "not a web address (javascript:)",
        "line 13": "expected 11 fields, found 12 (is a quote or comma out of place?)",
    }
    assert reported(job, "notes") == {
        "line 7": "title and address were swapped",
        "line 8": "control characters removed",
        "line 12": "markup removed from a highlight",
    }


def test_raindrop_note_excerpt_folder_date_and_highlight_notes_land_in_place(user):
    import_fixture(user, NAME)
    clic = Bookmark.objects.get(owner=user, page__url="https://example.org/raindrop/clic")
    assert clic.description == "Ma note sur l'enquête"  # the note, not the page's excerpt
    assert clic.tags == ["travail", "économie numérique", "recherche"]  # folder path as tags
    assert clic.created_at.isoformat() == "2021-03-14T12:34:56.789000+00:00"
    quotes = dict(Highlight.objects.filter(bookmark=clic).values_list("exact", "note"))
    assert quotes == {
        "Le travail du clic est invisible": "À citer",
        "quelques centimes la tâche": "",
    }
    unsorted = Bookmark.objects.get(owner=user, page__url__endswith="/unsorted")
    assert unsorted.description == "Le résumé de la page" and unsorted.tags == []


def test_raindrop_folders_stay_folders_when_asked(user):
    result = importers.parse(fixture(NAME), folders_as_tags=False)
    clic = result.items[0]
    assert clic.folders == ["Recherche", "Travail"]
    assert clic.tags == ["travail", "économie numérique"]


def test_a_raindrop_file_is_recognised_from_its_header():
    assert importers.detect_format(fixture_text(NAME)) == "raindrop"
    # Raindrop's own import columns (url, folder, title, note, tags, created) plus an export's
    assert importers.detect_format("folder,url,title,excerpt\nA,https://a.org,A,\n") == "raindrop"
