"""Attack probes: what a moderator hides (a comment, a highlight) is hidden with everything
under it (replies at any depth, the notes and comments on the highlight), and held content
is not public, in every read path: HTML, API list and detail, feeds, exports, counts."""

import pytest
from django.urls import reverse

from annotations.models import Comment, Status
from annotations.moderation import moderate
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SECRETS = ["zorglubreply", "zorglubdeeper", "zorglubsticky", "zorglubstickyreply", "zorglubheld"]


@pytest.fixture
def hidden_chain():
    group = GroupFactory(visibility="public", slug="chains")
    moderator = MembershipFactory(group=group, role="moderator").user
    member = MembershipFactory(group=group, role="member").user
    bookmark = BookmarkFactory(group=group, owner=member, title="Chained item")
    spam = CommentFactory(bookmark=bookmark, author=member, body="casino spam")
    reply = CommentFactory(bookmark=bookmark, author=member, parent=spam, body=SECRETS[0])
    CommentFactory(bookmark=bookmark, author=member, parent=reply, body=SECRETS[1])
    highlight = HighlightFactory(bookmark=bookmark, author=member, note="spammy note")
    sticky = CommentFactory(bookmark=bookmark, highlight=highlight, author=member, body=SECRETS[2])
    CommentFactory(
        bookmark=bookmark, highlight=highlight, author=member, parent=sticky, body=SECRETS[3]
    )
    held = CommentFactory(bookmark=bookmark, author=member, body="held root", status="held")
    CommentFactory(bookmark=bookmark, author=moderator, parent=held, body=SECRETS[4])
    CommentFactory(bookmark=bookmark, author=member, body="zorglubfine")
    moderate(moderator, spam, "hide")
    moderate(moderator, highlight, "hide")
    return {"group": group, "bookmark": bookmark, "member": member, "moderator": moderator}


def _viewers(hidden_chain):
    outsider = UserFactory()
    other_member = MembershipFactory(group=hidden_chain["group"], role="member").user
    return {"anonymous": None, "non-member": outsider, "member": other_member}


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_thread_status_follows_the_chain_at_any_depth(hidden_chain):
    statuses = dict(Comment.objects.values_list("body", "thread_status"))
    assert statuses[SECRETS[1]] == Status.HIDDEN  # two levels under the hidden comment
    assert statuses[SECRETS[3]] == Status.HIDDEN  # a reply on the hidden highlight
    assert statuses[SECRETS[4]] == Status.HELD
    assert statuses["zorglubfine"] == Status.VISIBLE
    moderate(hidden_chain["moderator"], Comment.objects.get(body="casino spam"), "unhide")
    statuses = dict(Comment.objects.values_list("body", "thread_status"))
    assert statuses[SECRETS[0]] == statuses[SECRETS[1]] == Status.VISIBLE
    assert statuses[SECRETS[2]] == Status.HIDDEN  # still on the hidden highlight


@pytest.mark.parametrize("who", ["anonymous", "non-member", "member"])
def test_nothing_under_hidden_or_held_content_reaches_anyone(client, hidden_chain, who):
    viewer = _viewers(hidden_chain)[who]
    if viewer is not None:
        client.force_login(viewer)
    bookmark, group = hidden_chain["bookmark"], hidden_chain["group"]
    comment_ids = dict(Comment.objects.values_list("body", "pk"))
    paths = [
        reverse("library:detail", args=[bookmark.pk]),
        reverse("library:group", args=[group.slug]) + "?mode=full",
        reverse("library:group", args=[group.slug]) + "?mode=middle",
        f"/api/v1/bookmarks/{bookmark.pk}/comments/",
        reverse("library:feed_comments", kwargs={"slug": group.slug, "fmt": "atom"}),
        reverse("library:feed_comments", kwargs={"slug": group.slug, "fmt": "rss"}),
    ]
    if viewer is not None:
        paths.append(reverse("transfer:export_download") + "?format=json&group=chains")
    for path in paths:
        response = client.get(path)
        if response.status_code == 403:  # exports are for members
            continue
        assert response.status_code == 200, path
        body = _body(response)
        for secret in SECRETS:
            assert secret not in body, (path, secret)
    if who != "anonymous":
        for secret in SECRETS:
            response = client.get(f"/api/v1/comments/{comment_ids[secret]}/")
            assert response.status_code == 404, secret


def test_comment_counts_leave_out_what_hangs_under_hidden_content(client, hidden_chain):
    client.force_login(_viewers(hidden_chain)["member"])
    response = client.get(f"/api/v1/bookmarks/{hidden_chain['bookmark'].pk}/")
    assert response.status_code == 200
    assert response.json()["comment_count"] == 1  # zorglubfine
    assert response.json()["highlight_count"] == 0
    page = client.get(reverse("library:group", args=[hidden_chain["group"].slug])).content.decode()
    assert "1 comment<" in page or "1 comment " in page


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_search_neither_finds_nor_quotes_what_hangs_under_hidden_content(client, hidden_chain, who):
    viewer = _viewers(hidden_chain)[who]
    if viewer is not None:
        client.force_login(viewer)
    library = reverse("library:group", args=[hidden_chain["group"].slug])
    for secret in SECRETS:
        for path in (reverse("search:search"), library):
            page = client.get(path, {"q": secret})
            assert page.status_code == 200
            assert "Chained item" not in page.content.decode(), (path, secret)
    # a visible comment finds the item; its snippet quotes none of the hidden text
    page = client.get(reverse("search:search"), {"q": "zorglubfine"}).content.decode()
    assert "Chained item" in page
    for secret in SECRETS:
        assert secret not in page
