"""Hypothesis annotations: one bookmark per page, highlights that anchor by their quote."""

import json

from annotations import services as annotation_services
from annotations.models import Comment, Highlight
from annotations.tasks import snapshot_page_highlights
from bookmarks.models import Bookmark, Page
from tests.factories import PageFactory
from tests.imports.readers_support import (
    fixture,
    fixture_text,
    import_fixture,
    library_counts,
    reported,
    tags_of,
)
from transfer import importers

NAME = "hypothesis.json"
ARTICLE = "https://example.org/hypothesis/article"


def quote_of(annotation):
    targets = annotation.get("target")
    selectors = targets[0].get("selector", []) if isinstance(targets, list) and targets else []
    return next((s for s in selectors if s["type"] == "TextQuoteSelector"), None)


def independent_count():
    """The fixture read with the json module: the user's own annotations on web pages."""
    export = json.loads(fixture_text(NAME))
    mine = [
        a
        for a in export["annotations"]
        if a.get("user") == export["export_userid"]
        and str(a.get("uri", "")).startswith("http")
        and isinstance(a.get("target"), list)
        and isinstance(a.get("tags"), list)
    ]
    pages = {a["uri"] for a in mine}
    quoted = [a for a in mine if quote_of(a)]
    page_notes = [a for a in mine if not quote_of(a) and not a.get("references") and a["text"]]
    public = {a["uri"] for a in mine if "group:__world__" in a["permissions"]["read"]}
    return {
        "bookmarks": len(pages),
        "tags": tags_of(*[t for a in mine for t in a["tags"]]),
        "highlights": len(quoted),
        "notes": sum(bool(a["text"]) for a in quoted) + len({a["uri"] for a in page_notes}),
        "comments": sum(bool(a.get("references")) for a in mine),
        "unread": 0,
        "private": len(pages - public),
    }


def test_a_hypothesis_export_imports_with_the_counts_of_the_file(user):
    job = import_fixture(user, NAME)
    assert job.file_format == "hypothesis"
    assert library_counts(user) == independent_count()
    assert reported(job) == {
        "annotation 5": "written by another user (acct:dominique@hypothes.is)",
        "annotation 7": "not a web address (urn:)",
        "annotation 8": "the field target is not a list",
        "annotation 9": "has no address (uri)",
        "annotation 10": "the field tags is not a list",
    }
    assert reported(job, "notes") == {"annotation 6": "control characters removed"}


def test_selectors_notes_page_notes_and_replies_land_where_the_reader_puts_its_own(user):
    import_fixture(user, NAME)
    article = Bookmark.objects.get(owner=user, page__url=ARTICLE)
    assert article.title == "Le travail du clic"
    assert article.created_at.isoformat() == "2026-03-01T08:00:00+00:00"  # the earliest
    assert not article.private
    # a page note (no selector) is the bookmark's note, as a Diigo sticky note on no passage
    assert article.description == "Une note sur la page entière, sans passage."
    # a reply is a comment on the bookmark
    assert list(Comment.objects.filter(bookmark=article).values_list("body", flat=True)) == [
        "Je réponds à Dominique : d'accord."
    ]
    first = Highlight.objects.get(bookmark=article, exact="le travail du clic reste invisible")
    assert (first.prefix, first.suffix) == ("Les enquêtes le montrent : ", " aux yeux des clients")
    assert (first.start, first.end, first.note) == (117, 156, "Le cœur de l'argument")
    assert first.anchor_status == "pending"
    draft = Bookmark.objects.get(owner=user, page__url__endswith="/brouillon")
    assert draft.private  # shared with nobody on Hypothesis
    assert draft.highlights.get().exact == "un brouillon privé"


def test_an_imported_highlight_anchors_at_its_quote_on_a_fetched_page(
    user, monkeypatch, django_capture_on_commit_callbacks
):
    decoy = "Au début, le travail du clic reste invisible pour tout le monde. "
    text = (
        decoy
        * 2
        + "Puis vient le cœur. Les enquêtes le montrent : le travail du clic reste invisible "
        "aux yeux des clients. Payés quelques centimes la tâche, parfois moins."
    )
    page = PageFactory(url=ARTICLE, text=text, fetch_status=Page.FetchStatus.OK)
    # the worker, here: the snapshot task the import queues for pages fetched before
    monkeypatch.setattr(
        annotation_services, "enqueue", lambda name, *args: snapshot_page_highlights(*args)
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_fixture(user, NAME)
    quote = "le travail du clic reste invisible"
    placed = Highlight.objects.get(bookmark__page=page, exact=quote)
    assert placed.anchor_status == "anchored"
    # not the first occurrences of the words (nor the old offset): where prefix and suffix are
    assert placed.start == text.index("montrent : ") + len("montrent : ")
    assert text[placed.start : placed.end] == quote
    other = Highlight.objects.get(bookmark__page=page, exact="quelques centimes la tâche")
    assert text[other.start : other.end] == "quelques centimes la tâche"


def test_hypothesis_api_rows_and_bare_lists_are_read_too():
    export = json.loads(fixture(NAME))
    rows = json.dumps({"total": 10, "rows": export["annotations"]})
    bare = json.dumps(export["annotations"])
    for text in (rows, bare):
        assert importers.detect_format(text) == "hypothesis"
        result = importers.parse(text.encode())
        # without the export's user name, everyone's annotations on the page are read
        assert len(result.items) == 2
        assert "autrui" in result.items[0].tags


def test_a_hypothesis_export_is_recognised_from_its_content():
    assert importers.detect_format(fixture_text(NAME)) == "hypothesis"
