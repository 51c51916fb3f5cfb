"""linkding's Netscape export: TAGS, PRIVATE, TOREAD, and the notes it writes inside <DD>."""

import re

from bookmarks.models import Bookmark
from tests.imports.readers_support import (
    fixture_text,
    import_fixture,
    library_counts,
    line_of,
    reported,
    tags_of,
)
from transfer import importers

NAME = "linkding.html"


def independent_count():
    text = fixture_text(NAME)
    links = re.findall(
        r'<A HREF="([^"]+)" ADD_DATE="(\d+)"[^>]*PRIVATE="(\d)" TOREAD="(\d)" '
        r'TAGS="([^"]*)"',
        text,
    )
    return {
        "bookmarks": len(links),
        "tags": tags_of(*[t for *_rest, tags in links for t in tags.split(",")]),
        "highlights": 0,
        "notes": text.count("<DD>"),
        "comments": 0,
        "unread": sum(toread == "1" for _u, _d, _p, toread, _t in links),
        "private": sum(private == "1" for _u, _d, private, _r, _t in links),
    }


def test_a_linkding_export_imports_with_the_counts_of_the_file(user):
    job = import_fixture(user, NAME)
    assert job.file_format == "netscape"
    assert library_counts(user) == independent_count()
    line = line_of(fixture_text(NAME), "la veille")
    assert reported(job) == {f"line {line}": "the date 'la veille' is not a Unix timestamp"}


def test_linkding_notes_follow_the_description_without_their_markers(user):
    import_fixture(user, NAME)
    both = Bookmark.objects.get(owner=user, page__url__endswith="/plateformes")
    assert both.description == (
        'Une enquête sur le travail des plateformes.\n\nMa note : à relire avec "soin".'
    )
    assert Bookmark.objects.get(page__url__endswith="/archive").description == (
        "Seulement une note"
    )
    private = Bookmark.objects.get(page__url__endswith="/prive")
    assert (private.private, private.unread, private.tags) == (True, True, ["perso"])
    # linkding marks its archived bookmarks with a tag: kept, so nothing is lost
    assert "linkding:archived" in Bookmark.objects.get(page__url__endswith="/archive").tags


def test_linkding_export_is_read_as_netscape():
    assert importers.detect_format(fixture_text(NAME)) == "netscape"
