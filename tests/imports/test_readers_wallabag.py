"""wallabag's JSON export: read state, tags in both shapes, annotations with their context."""

import json

from annotations.models import Highlight
from bookmarks.models import Bookmark
from tests.imports.readers_support import (
    fixture_text,
    import_fixture,
    library_counts,
    reported,
    tags_of,
)
from transfer import importers

NAME = "wallabag.json"


def independent_count():
    entries = json.loads(fixture_text(NAME))

    def label(tag):
        return tag["label"] if isinstance(tag, dict) else tag

    good = [
        e
        for e in entries
        if e.get("url")
        and e["is_archived"] in (0, 1)
        and all(isinstance(label(t), str) for t in e["tags"])
    ]
    annotations = [a for e in good for a in e.get("annotations", [])]
    return {
        "bookmarks": len(good),
        "tags": tags_of(*[label(t) for e in good for t in e["tags"]]),
        "highlights": len(annotations),
        "notes": sum(bool(a["text"]) for a in annotations),
        "comments": 0,
        "unread": sum(e["is_archived"] == 0 for e in good),
        "private": 0,
    }


def test_a_wallabag_export_imports_with_the_counts_of_the_file(user):
    job = import_fixture(user, NAME)
    assert job.file_format == "wallabag"
    assert library_counts(user) == independent_count()
    assert reported(job) == {
        "entry 4": "the field is_archived is not 0 or 1",
        "entry 5": "has no address (url)",
        "entry 6": "the field tags holds something that is not text",
    }
    # a date in year 9999 goes through the import's own check: clamped, and said so
    assert reported(job, "notes") == {"entry 7": "a date in the future (9999-01-01) set to today"}


def test_wallabag_annotations_carry_the_quotes_context_from_the_article(user):
    import_fixture(user, NAME)
    clic = Bookmark.objects.get(owner=user, page__url="https://example.org/wallabag/clic")
    assert (clic.unread, clic.tags) == (False, ["travail", "plateformes"])
    assert clic.created_at.isoformat() == "2025-03-15T09:08:33+00:00"
    quote = Highlight.objects.get(bookmark=clic, exact="le travail du clic reste invisible")
    assert quote.note == "À citer dans le chapitre 2"
    assert quote.prefix.endswith("le montrent\xa0: ")
    assert quote.suffix.startswith(" aux yeux des clients.")
    later = Bookmark.objects.get(owner=user, page__url__endswith="/a-lire")
    assert later.unread and later.tags == ["à lire", "css"]
    assert later.created_at.isoformat() == "2025-06-10T20:15:44+00:00"  # +0200 understood


def test_a_wallabag_export_is_recognised_from_its_content():
    assert importers.detect_format(fixture_text(NAME)) == "wallabag"
