"""Export a library in each format, import it into a fresh account, get the same library back.

The library has what real ones have and exports used to lose: tags with spaces and accents (a
single multi-word tag, as a browser folder gives), private and unread items, highlights with
notes, colours and selectors, comments, dates in the past (created and updated), titles a
spreadsheet would run as formulas. Both halves go through the site: the export is downloaded,
the file uploaded, previewed, confirmed and run by the import job.

What a format cannot carry is named in CANNOT_CARRY with what comes back instead, and asserted:
nothing is skipped silently.
"""

import json
from datetime import UTC, datetime
from pathlib import Path

import hypothesis
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import strategies as st

from annotations.models import Comment, Highlight
from bookmarks.models import Bookmark
from tests.factories import BookmarkFactory, CommentFactory, HighlightFactory, PageFactory
from transfer import importers
from transfer.models import ImportJob
from transfer.services import import_items
from transfer.tasks import run_import

FIXTURES = Path(__file__).parent / "fixtures"
FORMULA = "=cmd|' /C calc'!A0"
HYPERLINK = '+HYPERLINK("https://evil.example/","clic ici")'


def build_library(owner):
    """Three bookmarks, dated in the past, with every field a format may lose."""
    article = BookmarkFactory(
        owner=owner,
        page=PageFactory(url="https://www.lemonde.fr/economie/micro-travail.html"),
        title=FORMULA,
        description="Un article « essentiel », à relire.\nDeuxième ligne",
        tags=["red team stuff", "économie numérique", "café"],
        private=True,
        unread=True,
        created_at=datetime(2015, 6, 1, 8, 30, tzinfo=UTC),
    )
    quoted = HighlightFactory(
        bookmark=article,
        exact="Ils micro-travaillent pour quelques centimes",
        note="Chiffre à vérifier, source ?\nsur deux lignes",
        color="green",
        prefix="Aujourd'hui, ",
        suffix=" par tâche.",
        start=120,
        end=164,
    )
    HighlightFactory(bookmark=article, exact="Des tâches « invisibles »", color="pink")
    first_comment = CommentFactory(
        bookmark=article, author=owner, body="Très bon papier, à partager"
    )
    CommentFactory(bookmark=article, author=owner, parent=first_comment, body="Je confirme !")
    CommentFactory(bookmark=article, author=owner, highlight=quoted, body="Sur ce passage : oui")
    CommentFactory(bookmark=article, author=owner, body="Relu en 2016 :\ntoujours juste")
    single = BookmarkFactory(
        owner=owner,
        page=PageFactory(url="https://example.org/plateformes?id=1&lang=fr"),
        title=HYPERLINK,
        description="",
        tags=["red team stuff"],  # one tag, spaces and all: no comma in its cell
        unread=True,
        created_at=datetime(2011, 2, 3, 4, 5, 6, tzinfo=UTC),
    )
    HighlightFactory(bookmark=single, exact="Le droit du travail s'arrête là", note="Et après ?")
    BookmarkFactory(
        owner=owner,
        page=PageFactory(url="https://example.com/sans-rien"),
        title="Sans étiquette, publique, déjà lue",
        tags=[],
        created_at=datetime(2009, 12, 31, 23, 59, 59, tzinfo=UTC),
    )
    BookmarkFactory(  # no title of its own, on a page not fetched yet: shown by its address
        owner=owner,
        page=PageFactory(url="https://example.net/pas-encore-lu", title=""),
        title="",
        tags=["à lire"],
        created_at=datetime(2020, 4, 5, 6, 7, 8, tzinfo=UTC),
    )
    # highlights and comments made in the past too (saving stamps them now)
    for n, highlight in enumerate(Highlight.objects.filter(bookmark__owner=owner).order_by("id")):
        Highlight.objects.filter(pk=highlight.pk).update(
            created_at=datetime(2015, 7, 1 + n, 9, 0, tzinfo=UTC)
        )
    for n, comment in enumerate(Comment.objects.filter(author=owner).order_by("id")):
        Comment.objects.filter(pk=comment.pk).update(
            created_at=datetime(2016, 3, 1 + n, 18, 0, tzinfo=UTC)
        )
    # updated in the past too (saving stamps it now): after the highlights and comments
    for n, bookmark in enumerate((article, single), start=1):
        Bookmark.objects.filter(pk=bookmark.pk).update(
            updated_at=datetime(2016, n, 2, 3, 4, 5, tzinfo=UTC)
        )
    Bookmark.objects.filter(owner=owner).exclude(pk__in=[article.pk, single.pk]).update(
        updated_at=datetime(2020, 5, 1, tzinfo=UTC)
    )


STAMPED = "dated when imported"


def library_state(user, imported_since=None):
    """Every field of the user's bookmarks, by address. A highlight or comment dated after
    `imported_since` shows as STAMPED: the import dated it, the file did not."""

    def date(value):
        return STAMPED if imported_since and value >= imported_since else value

    state = {}
    bookmarks = Bookmark.objects.filter(owner=user).select_related("page")
    for b in bookmarks.prefetch_related("highlights", "comments__parent", "comments__highlight"):
        highlights = sorted(b.highlights.all(), key=lambda h: h.exact)
        state[b.page.url] = {
            "title": b.title,
            "display_title": b.display_title,
            "description": b.description,
            "tags": sorted(b.tags),
            "created": b.created_at,
            "updated": b.updated_at,
            "private": b.private,
            "unread": b.unread,
            "highlights": [(h.exact, h.note) for h in highlights],
            "colors": [(h.exact, h.color) for h in highlights],
            "selectors": [(h.exact, h.prefix, h.suffix, h.start, h.end) for h in highlights],
            "highlight_dates": [(h.exact, date(h.created_at)) for h in highlights],
            "comments": sorted(c.body for c in b.comments.all()),
            "comment_dates": sorted((c.body, date(c.created_at)) for c in b.comments.all()),
            "replies": sorted(
                (
                    c.body,
                    c.parent.body if c.parent_id else None,
                    c.highlight.exact if c.highlight_id else None,
                )
                for c in b.comments.all()
            ),
        }
    return state


def _quotes_only(bookmark):
    return [(exact, "", "", None, None) for exact, *_rest in bookmark["selectors"]]


def _all_yellow(bookmark):
    return [(exact, "yellow") for exact, _color in bookmark["colors"]]


def _displayed_title(bookmark):
    return bookmark["display_title"]


def _stamped(bookmark):
    return [(exact, STAMPED) for exact, _date in bookmark["highlight_dates"]]


# format -> {field it cannot carry: what comes back instead, from the original bookmark}
CANNOT_CARRY = {
    "json": {},
    "jsonld": {
        # the Web Annotation model has no discussion threads
        "comments": lambda b: [],
        "comment_dates": lambda b: [],
        "replies": lambda b: [],
    },
    "diigo": {
        # the title cell holds what the list shows: an untitled bookmark gets that title
        "title": _displayed_title,
        # Diigo's annotations cell holds the quote only: no context, offsets or date
        "selectors": _quotes_only,
        "highlight_dates": _stamped,
        # one comment per line of the comments cell: a comment's own lines are folded, the
        # cell has no dates, and replies and comments on a highlight are on the bookmark
        "comments": lambda b: sorted(" ".join(c.split()) for c in b["comments"]),
        "comment_dates": lambda b: sorted((" ".join(c.split()), STAMPED) for c in b["comments"]),
        "replies": lambda b: sorted((" ".join(c.split()), None, None) for c in b["comments"]),
    },
    "netscape": {
        "title": _displayed_title,  # the link text: never empty
        # the <DD> block holds Highlight: and Sticky notes: lines: quotes and notes only
        "selectors": _quotes_only,
        "colors": _all_yellow,
        "highlight_dates": _stamped,
        "comments": lambda b: [],
        "comment_dates": lambda b: [],
        "replies": lambda b: [],
    },
}


def download(client, file_format):
    response = client.get(reverse("transfer:export_download"), {"format": file_format})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def upload_and_import(client, data, name, **options):
    response = client.post(
        reverse("transfer:import"),
        {"file": SimpleUploadedFile(name, data), "destination": "", **options},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get(status=ImportJob.Status.PREVIEW)
    client.post(reverse("transfer:import_confirm", args=[job.pk]))
    run_import(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.report
    return job


@pytest.mark.parametrize(
    ("file_format", "detected"),
    [
        ("json", importers.COMMONPLACE),
        ("jsonld", importers.JSONLD),
        ("diigo", importers.DIIGO),
        ("netscape", importers.NETSCAPE),
    ],
)
def test_export_then_import_into_a_fresh_account_gives_the_same_library(
    client, user, other_user, file_format, detected
):
    build_library(user)
    client.force_login(user)
    data = download(client, file_format)
    client.force_login(other_user)
    started = timezone.now()
    job = upload_and_import(client, data, f"export.{file_format}")
    assert job.file_format == detected
    assert (job.created, job.skipped, job.report["skipped"]) == (4, 0, [])

    before, after = library_state(user), library_state(other_user, imported_since=started)
    assert sorted(after) == sorted(before)
    lost = CANNOT_CARRY[file_format]
    for url, original in before.items():
        expected = {
            name: lost[name](original) if name in lost else value
            for name, value in original.items()
        }
        assert after[url] == expected, url


def test_each_limit_named_is_a_real_loss(user):
    """CANNOT_CARRY names only what the library has: each entry changes an expected value."""
    build_library(user)
    bookmarks = library_state(user).values()
    for file_format, lost in CANNOT_CARRY.items():
        for name, instead in lost.items():
            assert any(instead(b) != b[name] for b in bookmarks), (file_format, name)


def test_the_tricky_values_are_in_the_library(user):
    build_library(user)
    state = library_state(user)
    titles = {b["title"] for b in state.values()}
    assert {FORMULA, HYPERLINK} <= titles
    assert any(b["private"] and b["unread"] for b in state.values())
    assert ["red team stuff"] in [b["tags"] for b in state.values()]


def test_the_diigo_csv_neutralizes_formula_titles_in_the_file(client, user):
    build_library(user)
    client.force_login(user)
    text = download(client, "diigo").decode()
    assert f"'{FORMULA}" in text
    assert "'+HYPERLINK(" in text
    header = text.splitlines()[0].split(",")
    assert header[-4:] == ["private", "unread", "updated_at", "highlight_colors"]


def test_netscape_export_writes_highlights_and_notes_in_the_dd_block(client, user):
    build_library(user)
    client.force_login(user)
    text = download(client, "netscape").decode()
    assert 'TAGS="red team stuff"' in text
    assert 'PRIVATE="1" TOREAD="1"' in text
    # in the page's order: the highlight with offsets first
    assert (
        "<DD>Un article « essentiel », à relire.\nDeuxième ligne\n"
        "Highlight: Ils micro-travaillent pour quelques centimes\n"
        "Sticky notes: Chiffre à vérifier, source ?\nsur deux lignes\n"
        "Highlight: Des tâches « invisibles »\n"
    ) in text


# --- Netscape: what other tools write -----------------------------------------------------

# A Firefox export (Firefox joins a bookmark's tags with ","): one tag with spaces, no comma.
FIREFOX = FIXTURES / "firefox_tag_with_spaces.html"

# A Chrome export (no TAGS at all): the bookmark sits in a folder "red team stuff".
CHROME = FIXTURES / "chrome_folder_with_spaces.html"


def test_a_firefox_tag_with_spaces_and_no_comma_is_one_tag():
    (item,) = importers.parse(FIREFOX.read_bytes()).items
    assert item.tags == ["red team stuff"]


def test_tags_are_split_on_spaces_only_in_a_file_that_never_uses_a_comma():
    text = (
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n"
        '<DT><A HREF="https://a.example/" TAGS="plateformes gig-economy">A</A>\n'
        '<DT><A HREF="https://b.example/" TAGS="travail">B</A>\n</DL>\n'
    )
    a, b = importers.parse(text.encode()).items
    assert (a.tags, b.tags) == (["plateformes", "gig-economy"], ["travail"])
    # the same values in a file that separates by commas elsewhere: one tag, spaces and all
    mixed = text.replace('TAGS="travail"', 'TAGS="travail,droit"')
    a, b = importers.parse(mixed.encode()).items
    assert (a.tags, b.tags) == (["plateformes gig-economy"], ["travail", "droit"])


def test_a_chrome_folder_with_spaces_survives_import_export_import(client, user, other_user):
    client.force_login(user)
    upload_and_import(client, CHROME.read_bytes(), "chrome.html", folders_as_tags="on")
    assert Bookmark.objects.get(owner=user).tags == ["red team stuff"]
    data = download(client, "netscape")
    client.force_login(other_user)
    ImportJob.objects.all().delete()
    upload_and_import(client, data, "again.html")
    assert Bookmark.objects.get(owner=other_user).tags == ["red team stuff"]


def test_a_diigo_style_dd_block_gives_highlights_notes_and_the_item_note():
    text = (
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n"
        '<DT><A HREF="https://diigo.example/page" ADD_DATE="1300000000" PRIVATE="1" '
        'TOREAD="1" TAGS="chuck berry,rock">Chuck</A>\n'
        "<DD>Ma description\n"
        "    Highlight: Johnny B. Goode &amp; co\n"
        "    Sticky notes: la note du passage\n"
        "    Highlight:\n"
        "    Sticky notes: une note sur la page, sans passage\n"
        "    Highlight: un second passage\n"
        "sur deux lignes\n"
        '<DT><A HREF="https://diigo.example/other">Other</A>\n</DL>\n'
    )
    first, other = importers.parse(text.encode()).items
    assert [(h.exact, h.note) for h in first.highlights] == [
        ("Johnny B. Goode & co", "la note du passage"),
        ("un second passage\nsur deux lignes", ""),
    ]
    assert first.description == "Ma description\n\nune note sur la page, sans passage"
    assert (first.private, first.unread, first.tags) == (True, True, ["chuck berry", "rock"])
    assert (other.highlights, other.description) == ([], "")


# --- JSON-LD: detection and files we did not write ------------------------------------------


def test_our_jsonld_export_is_recognised_not_taken_for_pinboard(client, user):
    build_library(user)
    client.force_login(user)
    data = download(client, "jsonld")
    assert importers.detect_format(data.decode()) == importers.JSONLD
    assert "urn:commonplace:private" in data.decode()


def test_bare_web_annotations_make_a_bookmark_per_page():
    text = """{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection",
      "first": {"type": "AnnotationPage", "items": [
        {"type": "Annotation", "motivation": "highlighting", "created": "2014-05-06T07:08:09Z",
         "body": [{"type": "TextualBody", "value": "à lire", "purpose": "commenting"},
                  {"type": "TextualBody", "value": "open data", "purpose": "tagging"}],
         "target": {"source": "https://w3c.example/page",
                    "selector": {"type": "TextQuoteSelector", "exact": "la donnée",
                                 "prefix": "toute ", "suffix": " publique"}}},
        {"type": "Annotation", "target": "https://w3c.example/page",
         "body": {"type": "TextualBody", "value": "une note sur la page"}},
        {"type": "Annotation", "target": {"source": "javascript:alert(1)"}},
        {"type": "Annotation", "created": "hier", "target": "https://w3c.example/other"},
        "not an annotation"
      ]}}"""
    result = importers.parse(text.encode())
    assert result.file_format == importers.JSONLD
    (item,) = result.items
    assert (item.url, item.tags) == ("https://w3c.example/page", ["open data"])
    assert item.created_at == datetime(2014, 5, 6, 7, 8, 9, tzinfo=UTC)
    (h,) = item.highlights
    assert (h.exact, h.prefix, h.suffix, h.note) == ("la donnée", "toute ", " publique", "à lire")
    assert item.comments == ["une note sur la page"]
    assert [where for where, _reason in result.skipped] == ["annotation 3"]
    assert [where for where, _reason in result.problems] == ["annotation 4", "annotation 5"]


def test_a_collection_that_only_links_to_its_pages_is_refused_in_french():
    text = (
        '{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationCollection", '
        '"first": "https://elsewhere.example/annotations?page=0"}'
    )
    with translation.override("fr"), pytest.raises(importers.ImportFileError) as refused:
        importers.parse(text.encode())
    (message,) = refused.value.errors
    assert "https://elsewhere.example/annotations?page=0" in message
    assert "Cette collection" in message


def test_our_json_dates_highlights_and_comments_as_the_file_says_and_never_in_the_future(user):
    text = """{"format": "commonplace", "version": 1, "bookmarks": [
      {"url": "https://dates.example/", "title": "Dates", "saver": "someone",
       "created_at": "2012-01-01T00:00:00+00:00",
       "highlights": [{"exact": "passé", "created_at": "2012-01-02T10:00:00+00:00"},
                      {"exact": "futur", "created_at": "9999-01-01T00:00:00+00:00"}],
       "comments": [{"author": "someone", "body": "ancien", "created_at": "2012-01-03T00:00:00Z"},
                    {"author": "someone", "body": "à venir", "created_at": "9999-12-31T00:00:00Z"},
                    {"author": "someone", "body": "sans date"}]}
    ]}"""
    parsed = importers.parse(text.encode())
    started = timezone.now()
    import_items(user, parsed.items)
    highlights = {h.exact: h.created_at for h in Highlight.objects.filter(author=user)}
    comments = {c.body: c.created_at for c in Comment.objects.filter(author=user)}
    assert highlights["passé"] == datetime(2012, 1, 2, 10, tzinfo=UTC)
    assert comments["ancien"] == datetime(2012, 1, 3, tzinfo=UTC)
    assert started <= highlights["futur"] <= timezone.now()
    assert started <= comments["à venir"] <= timezone.now()
    assert started <= comments["sans date"] <= timezone.now()


def test_offsets_out_of_range_are_dropped_not_a_failed_import(user):
    text = json.dumps(
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "type": "Annotation",
            "target": {
                "source": "https://offsets.example/",
                "selector": [
                    {"type": "TextQuoteSelector", "exact": "un passage"},
                    {"type": "TextPositionSelector", "start": 2**40, "end": 2**41},
                ],
            },
        }
    )
    outcome = import_items(user, importers.parse(text.encode()).items)
    assert outcome.highlights == 1
    highlight = Highlight.objects.get(author=user)
    assert (highlight.exact, highlight.start, highlight.end) == ("un passage", None, None)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=10,
)
_slot = _json | st.sampled_from(["bookmarking", "https://a.example/", "2020-01-01T00:00:00Z"])


@hypothesis.settings(max_examples=200, deadline=None)
@hypothesis.given(
    motivation=_slot,
    target=_slot | st.fixed_dictionaries({"source": _slot, "selector": _json, "label": _json}),
    body=_json,
    created=_slot,
    color=_json,
    extra=_json,
    first=_json,
)
def test_any_shape_of_web_annotation_is_read_or_refused_with_a_message(
    motivation, target, body, created, color, extra, first
):
    annotation = {
        "type": "Annotation",
        "motivation": motivation,
        "target": target,
        "body": body,
        "created": created,
        "urn:commonplace:color": color,
    }
    for doc in (
        {"first": {"items": [annotation, extra]}},
        {"first": first},
        {"items": extra},
        annotation,
    ):
        text = json.dumps({"@context": "http://www.w3.org/ns/anno.jsonld", **doc})
        try:
            result = importers.parse(text.encode())
        except importers.ImportFileError as refused:
            assert refused.errors and all(isinstance(e, str) for e in refused.errors)
            continue
        assert result.file_format == importers.JSONLD
        for item in result.items:
            assert isinstance(item.url, str) and all(isinstance(t, str) for t in item.tags)
            assert all(isinstance(h.exact, str) and h.exact for h in item.highlights)


def test_replies_in_a_loop_or_to_themselves_import_as_plain_comments(user):
    text = json.dumps(
        {
            "format": "commonplace",
            "bookmarks": [
                {
                    "url": "https://threads.example/",
                    "saver": "x",
                    "highlights": [{"id": 7, "exact": "cité"}],
                    "comments": [
                        {"id": 1, "author": "x", "body": "A", "parent": 2},
                        {"id": 2, "author": "x", "body": "B", "parent": 1},
                        {"id": 3, "author": "x", "body": "C", "parent": 3, "highlight": 99},
                        {"id": 4, "author": "x", "body": "D", "parent": [1], "highlight": 7},
                    ],
                }
            ],
        }
    )
    import_items(user, importers.parse(text.encode()).items)
    comments = {c.body: c for c in Comment.objects.filter(author=user)}
    # B answers A (earlier in the file); A cannot answer B, nor C itself
    assert {body: c.parent_id for body, c in comments.items()} == {
        "A": None,
        "B": comments["A"].pk,
        "C": None,
        "D": None,
    }
    assert comments["D"].highlight.exact == "cité"
    assert comments["C"].highlight_id is None
