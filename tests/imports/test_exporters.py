"""Exports in each format, who may export, and the round trip back through the importer."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from django.core.exceptions import PermissionDenied

from annotations.models import Highlight
from bookmarks.models import Bookmark
from tests.api import w3c
from tests.factories import BookmarkFactory, CommentFactory, HighlightFactory, PageFactory
from transfer import importers
from transfer.exporters import exportable_bookmarks, write_export
from transfer.services import import_items


def export(file_format, viewer, group=None):
    bookmarks = exportable_bookmarks(viewer, group)
    return "".join(write_export(file_format, bookmarks, viewer=viewer, source="test", group=group))


def library(owner, group=None):
    """Bookmarks in the awkward shapes real libraries have: accents, quotes, commas, lines."""
    first = BookmarkFactory(
        owner=owner,
        group=group,
        page=PageFactory(url="https://www.lemonde.fr/economie/micro-travail.html"),
        title="Les « micro-travailleurs » du clic, nouveaux prolétaires",
        description='Un article "essentiel", à relire.\nDeuxième ligne <b>gras</b>',
        tags=["travail", "économie numérique"],
        created_at=datetime(2019, 3, 12, 10, 0, 5, tzinfo=UTC),
        unread=True,
    )
    HighlightFactory(
        bookmark=first,
        exact="Ils micro-travaillent pour quelques centimes",
        note="Chiffre à vérifier, source ?\nsur deux lignes",
        prefix="Aujourd'hui, ",
        suffix=" par tâche.",
        start=120,
        end=164,
    )
    HighlightFactory(bookmark=first, exact="Des tâches « invisibles »", note="")
    second = BookmarkFactory(
        owner=owner,
        group=group,
        page=PageFactory(url="https://example.org/plateformes?id=1&lang=fr"),
        title='Plateformes, "gig economy" et droit',
        description="",
        tags=[],
        private=group is None,
        created_at=datetime(2010, 1, 1, 0, 0, tzinfo=UTC),
    )
    CommentFactory(bookmark=second, author=owner, body="Très bon papier, à partager")
    return [first, second]


def library_state(user, *, fields=("url", "title", "description", "tags", "date", "highlights")):
    rows = []
    for b in Bookmark.objects.filter(owner=user).select_related("page").order_by("page__url"):
        row = {
            "url": b.page.url,
            "title": b.title,
            "description": b.description,
            "tags": b.tags,
            "date": b.created_at,
            "private": b.private,
            "unread": b.unread,
            "highlights": sorted((h.exact, h.note) for h in b.highlights.all()),
            "selectors": sorted(
                (h.exact, h.prefix, h.suffix, h.start, h.end) for h in b.highlights.all()
            ),
            "comments": sorted(c.body for c in b.comments.all()),
        }
        rows.append({f: row[f] for f in fields})
    return rows


def reimport(text, user):
    parsed = importers.parse(text.encode())
    return import_items(user, parsed.items, skipped=parsed.skipped)


ALL = ("url", "title", "description", "tags", "date", "private", "unread", "highlights")


def test_json_round_trip_gives_back_everything(user, other_user):
    library(user)
    text = export("json", user)
    reimport(text, other_user)
    fields = (*ALL, "selectors", "comments")
    assert library_state(other_user, fields=fields) == library_state(user, fields=fields)


def test_diigo_csv_round_trip_keeps_bookmarks_tags_dates_highlights_and_notes(user, other_user):
    library(user)
    reimport(export("diigo", user), other_user)
    assert library_state(other_user) == library_state(user)


def test_netscape_round_trip_keeps_bookmarks_tags_dates_and_flags(user, other_user):
    library(user)
    reimport(export("netscape", user), other_user)
    fields = ("url", "title", "description", "tags", "date", "private", "unread")
    assert library_state(other_user, fields=fields) == library_state(user, fields=fields)


def test_diigo_csv_writes_annotations_as_diigo_does(user):
    library(user)
    rows = list(csv.reader(io.StringIO(export("diigo", user))))
    assert rows[0] == [
        "title",
        "url",
        "tags",
        "description",
        "comments",
        "annotations",
        "created_at",
        # ours, at the end: Diigo's CSV has no privacy, update date or colours
        "private",
        "unread",
        "updated_at",
        "highlight_colors",
    ]
    plateformes, article = rows[1], rows[2]
    assert article[2] == 'travail,"économie numérique"'  # a multi-word tag stays whole
    assert article[5] == (
        "Highlight:Ils micro-travaillent pour quelques centimes\n"
        "Sticky notes:Chiffre à vérifier, source ?\nsur deux lignes\n"
        "Highlight:Des tâches « invisibles »"
    )
    assert article[6] == "2019-03-12 10:00:05"
    assert article[10] == "yellow,yellow"  # one per Highlight: line
    assert plateformes[10] == ""
    assert plateformes[2] == "no_tag"
    assert plateformes[4] == "Très bon papier, à partager"


def test_netscape_export_escapes_markup(user):
    library(user)
    text = export("netscape", user)
    assert text.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>")
    assert "&lt;b&gt;gras&lt;/b&gt;" in text
    assert 'TAGS="travail,économie numérique"' in text
    assert 'HREF="https://example.org/plateformes?id=1&amp;lang=fr"' in text


def test_json_export_carries_highlight_selectors_and_comments(user):
    library(user)
    data = json.loads(export("json", user))
    assert data["format"] == "commonplace"
    article = data["bookmarks"][1]
    assert article["highlights"][0]["selectors"] == [
        {
            "type": "TextQuoteSelector",
            "exact": "Ils micro-travaillent pour quelques centimes",
            "prefix": "Aujourd'hui, ",
            "suffix": " par tâche.",
        },
        {"type": "TextPositionSelector", "start": 120, "end": 164},
    ]
    assert data["bookmarks"][0]["comments"][0]["body"] == "Très bon papier, à partager"


def test_jsonld_export_is_a_web_annotation_collection(user):
    library(user)
    data = json.loads(export("jsonld", user))
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    assert data["total"] == len(items) == 4
    motivations = sorted(i["motivation"] for i in items)
    assert motivations == ["bookmarking", "bookmarking", "commenting", "highlighting"]
    note = next(i for i in items if i["motivation"] == "commenting")
    assert note["target"]["source"] == "https://www.lemonde.fr/economie/micro-travail.html"
    assert note["target"]["selector"][0]["type"] == "TextQuoteSelector"


def test_my_export_holds_my_private_bookmarks_but_nobody_elses(user, other_user):
    library(user)
    BookmarkFactory(owner=other_user, title="Not mine")
    text = export("json", user)
    assert "Plateformes" in text  # private, mine
    assert "Not mine" not in text


def test_group_export_is_for_members_only(user, public_group, member_of):
    member = member_of(public_group)
    library(member, group=public_group)
    with pytest.raises(PermissionDenied):
        exportable_bookmarks(user, public_group)
    assert "micro-travailleurs" in export("netscape", member, public_group)


def test_held_highlights_of_others_stay_out_of_a_group_export(public_group, member_of):
    member, other = member_of(public_group), member_of(public_group)
    bookmark = BookmarkFactory(owner=member, group=public_group)
    HighlightFactory(bookmark=bookmark, author=other, exact="casino bonus", status="held")
    HighlightFactory(bookmark=bookmark, author=member, exact="my own held one", status="held")
    text = export("json", member, public_group)
    assert "casino bonus" not in text
    assert "my own held one" in text


def test_export_of_many_bookmarks_costs_a_fixed_number_of_queries(
    user, django_assert_max_num_queries
):
    for _ in range(20):
        HighlightFactory(bookmark=BookmarkFactory(owner=user))
    with django_assert_max_num_queries(6):
        export("json", user)
    assert Highlight.objects.count() == 20


@pytest.mark.parametrize("file_format", ["json", "jsonld", "diigo", "netscape"])
def test_importing_an_export_twice_changes_nothing(user, other_user, file_format):
    library(user)
    text = export(file_format, user)
    reimport(text, other_user)
    fields = (*ALL, "selectors", "comments")
    before = library_state(other_user, fields=fields)
    outcome = reimport(text, other_user)
    assert (outcome.created, outcome.highlights, outcome.comments) == (0, 0, 0)
    assert outcome.unchanged == 2
    assert library_state(other_user, fields=fields) == before


def test_group_export_round_trips_into_an_empty_personal_library(user, public_group, member_of):
    member = member_of(public_group)
    library(member, group=public_group)
    parsed = importers.parse(export("diigo", member, public_group).encode())
    import_items(user, parsed.items)
    assert library_state(user) == library_state(member)


@pytest.mark.skipif(not w3c.suite_present(), reason="W3C Web Annotation test suite not found")
@pytest.mark.parametrize("in_group", [False, True])
def test_jsonld_export_passes_every_must_of_the_w3c_suite(user, public_group, member_of, in_group):
    owner = member_of(public_group) if in_group else user
    group = public_group if in_group else None
    library(owner, group=group)
    doc = json.loads(export("jsonld", owner, group))
    assert doc["id"].startswith("http") and "format=jsonld" in doc["id"]
    assert (f"group={public_group.slug}" in doc["id"]) is in_group
    assert w3c.failures(doc, "collections/collectionMusts.test") == []
    page = {"@context": doc["@context"], **doc["first"]}
    assert w3c.failures(page, "collections/pages/pageMusts.test") == []
    for item in doc["first"]["items"]:
        standalone = {"@context": doc["@context"], **item}
        assert w3c.failures(standalone, "annotations/annotationMusts.test") == [], item


@pytest.mark.skipif(not w3c.suite_present(), reason="W3C Web Annotation test suite not found")
def test_jsonld_export_of_an_empty_library_is_an_empty_valid_collection(user):
    doc = json.loads(export("jsonld", user))
    assert (doc["total"], "first" in doc) == (0, False)
    assert w3c.failures(doc, "collections/collectionMusts.test") == []
