"""GET /api/v1/annotations/?uri=: what the in-page annotator paints, visibility in SQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookmarks.urlnorm import url_key
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    PageFactory,
)

pytestmark = pytest.mark.django_db

URL = "https://example.org/essay"


@pytest.fixture
def page():
    return PageFactory(url=URL, url_hash=url_key(URL))


def annotations(client, uri, **extra):
    response = client.get("/api/v1/annotations/", {"uri": uri, **extra})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_member_sees_group_highlight_with_author_note_replies_and_selectors(client_for, page):
    group = GroupFactory(visibility="private", name="Tic&Travail")
    author = MembershipFactory(group=group).user
    reader = MembershipFactory(group=group).user
    bookmark = BookmarkFactory(page=page, group=group, owner=author)
    highlight = HighlightFactory(
        bookmark=bookmark,
        exact="le travail",
        prefix="avant ",
        suffix=" après",
        start=10,
        end=20,
        color="green",
        note="À lire",
    )
    CommentFactory(bookmark=bookmark, highlight=highlight, author=reader)

    # the address in the browser bar: tracking parameter and fragment are normalized away
    [item] = annotations(client_for(reader), URL + "?utm_source=x#section")
    assert item["author"]["username"] == author.username
    assert item["group"] == {"slug": group.slug, "name": "Tic&Travail"}
    assert (item["color"], item["note"], item["reply_count"], item["mine"]) == (
        "green",
        "À lire",
        1,
        False,
    )
    assert item["selectors"] == [
        {
            "type": "TextQuoteSelector",
            "exact": "le travail",
            "prefix": "avant ",
            "suffix": " après",
        },
        {"type": "TextPositionSelector", "start": 10, "end": 20},
    ]


def test_private_group_and_strangers_saves_and_held_notes_stay_hidden(client_for, page, user):
    secret = GroupFactory(visibility="private")
    public = GroupFactory(visibility="public")
    insider = MembershipFactory(group=secret).user
    HighlightFactory(bookmark=BookmarkFactory(page=page, group=secret, owner=insider))
    # a public group the user is not in, and a stranger's public personal save: not theirs
    HighlightFactory(bookmark=BookmarkFactory(page=page, group=public))
    HighlightFactory(bookmark=BookmarkFactory(page=page))
    mine = BookmarkFactory(page=page, owner=user)
    HighlightFactory(bookmark=mine, exact="my own")
    MembershipFactory(group=secret, user=user)
    spammer = MembershipFactory(group=secret).user
    HighlightFactory(
        bookmark=BookmarkFactory(page=page, group=secret, owner=spammer),
        note="casino",
        status="held",
    )

    seen = annotations(client_for(user), URL)
    assert len(seen) == 2 and "casino" not in [a["note"] for a in seen]
    assert {a["group"]["slug"] if a["group"] else None for a in seen} == {None, secret.slug}
    # the held note is shown to its author only
    assert [a["status"] for a in annotations(client_for(spammer), URL)].count("held") == 1
    # a member of the public group only sees that group's: nothing of the private one
    outsider = MembershipFactory(group=public).user
    assert [a["group"]["slug"] for a in annotations(client_for(outsider), URL)] == [public.slug]


def test_group_filter(client_for, page, user):
    a, b = GroupFactory(), GroupFactory()
    for group in (a, b):
        MembershipFactory(group=group, user=user)
        HighlightFactory(bookmark=BookmarkFactory(page=page, group=group, owner=user))
    assert [x["group"]["slug"] for x in annotations(client_for(user), URL, group=a.slug)] == [
        a.slug
    ]


@pytest.mark.parametrize("uri", ["", "javascript:alert(1)", "ftp://example.org/x", "x" * 3000])
def test_bad_uri_is_400_with_a_message(client_for, user, uri):
    response = client_for(user).get("/api/v1/annotations/", {"uri": uri})
    assert response.status_code == 400
    assert response.json()["uri"]


def test_anonymous_is_401(anon):
    assert anon.get("/api/v1/annotations/", {"uri": URL}).status_code == 401


def test_unknown_page_is_an_empty_list(client_for, user):
    assert annotations(client_for(user), "https://nowhere.example/") == []


def _fill(page, group, n):
    for _ in range(n):
        owner = MembershipFactory(group=group).user
        highlight = HighlightFactory(
            bookmark=BookmarkFactory(page=page, group=group, owner=owner), note="n"
        )
        CommentFactory(bookmark=highlight.bookmark, highlight=highlight, author=owner)


def test_n_and_2n_annotations_cost_the_same_queries(client_for, page, user):
    group = GroupFactory(visibility="private")
    MembershipFactory(group=group, user=user)
    client = client_for(user)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert len(annotations(client, URL)) > 0
        return len(captured)

    _fill(page, group, 3)
    small = count()
    _fill(page, group, 3)
    assert count() == small


def test_bookmarks_list_filters_by_page_address(client_for, page, user):
    """What the annotator asks before saving: do I already have this page there?"""
    mine = BookmarkFactory(page=page, owner=user)
    BookmarkFactory(owner=user)
    client = client_for(user)
    found = client.get("/api/v1/bookmarks/", {"url": URL + "#top", "user": user.username})
    assert [b["id"] for b in found.json()["results"]] == [mine.pk]
    bad = client.get("/api/v1/bookmarks/", {"url": "javascript:alert(1)"})
    assert bad.status_code == 400 and bad.json()["url"]
