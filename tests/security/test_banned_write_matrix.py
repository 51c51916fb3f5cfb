"""Attack probes: a ban freezes every write of that user in that group (issue 19, point 4).

Each write (HTML form, API, the annotate bookmarklet's token) is tried by the same person
twice: as a member, where it must go through (so the probe is a real request, not one refused
for a typo), and after a ban (with and without "hide their posts"), where it must be refused
and leave every row of the group as it was. Public and private groups.
"""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.models import Comment, Flag, Highlight
from annotations.moderation import ban_member
from bookmarks.models import Bookmark
from groups.models import Topic
from library.bookmarklet import KEYWORD, mint_token
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    PageFactory,
)

pytestmark = pytest.mark.django_db

SPAM = "BUY CHEAP PILLS http://spam.example"


class World:
    def __init__(self, visibility):
        self.group = GroupFactory(visibility=visibility, name="Tic&Travail")
        self.moderator = MembershipFactory(group=self.group, role="moderator").user
        self.subject = MembershipFactory(group=self.group, role="member").user
        other = MembershipFactory(group=self.group, role="member").user
        page = PageFactory(url="https://example.org/article", url_hash="x" * 64)
        self.others_bookmark = BookmarkFactory(group=self.group, owner=other, page=page)
        self.own_bookmark = BookmarkFactory(group=self.group, owner=self.subject, title="Mine")
        self.own_highlight = HighlightFactory(
            bookmark=self.others_bookmark, author=self.subject, note="my note"
        )
        self.own_comment = CommentFactory(bookmark=self.others_bookmark, author=self.subject)
        self.others_comment = CommentFactory(bookmark=self.others_bookmark, author=other)
        self.own_topic = Topic.objects.create(group=self.group, author=self.subject, title="T")
        self.others_topic = Topic.objects.create(group=self.group, author=other, title="O")


def snapshot(group):
    """Every row a write of the subject could add, change or remove in the group."""
    in_group = {"bookmark__group": group}
    return (
        sorted(
            Bookmark.objects.filter(group=group).values_list(
                "pk", "title", "description", "tags", "unread"
            )
        ),
        sorted(Highlight.objects.filter(**in_group).values_list("pk", "note", "color", "status")),
        sorted(Comment.objects.filter(**in_group).values_list("pk", "body", "is_deleted", "status"))
        + sorted(
            Comment.objects.filter(topic__group=group).values_list(
                "pk", "body", "is_deleted", "status"
            )
        ),
        sorted(Topic.objects.filter(group=group).values_list("pk", "title", "body", "status")),
        Flag.objects.filter(group=group).count(),
    )


def html(method, url, data=None):
    return ("html", method, url, data)


def api(method, url, data=None):
    return ("api", method, url, data)


# name → a function of the world giving (channel, method, url, data)
WRITES = {
    "save into the group (form)": lambda w: html(
        "post", "/save", {"url": "https://spam.example/1", "destination": [str(w.group.pk)]}
    ),
    "edit own bookmark (form)": lambda w: html(
        "post", f"/b/{w.own_bookmark.pk}/edit", {"title": SPAM, "tags": "pills"}
    ),
    "delete own bookmark (form)": lambda w: html("post", f"/b/{w.own_bookmark.pk}/delete"),
    "highlight (form)": lambda w: html(
        "post",
        f"/b/{w.others_bookmark.pk}/highlights/new/",
        {"exact": "a passage", "color": "yellow", "note": SPAM},
    ),
    "edit own highlight (form)": lambda w: html(
        "post", f"/highlights/{w.own_highlight.pk}/edit/", {"color": "green", "note": SPAM}
    ),
    "delete own highlight (form)": lambda w: html(
        "post", f"/highlights/{w.own_highlight.pk}/delete/"
    ),
    "note on own highlight (form)": lambda w: html(
        "post", f"/highlights/{w.own_highlight.pk}/note/", {"body": SPAM}
    ),
    "comment (form)": lambda w: html(
        "post", f"/b/{w.others_bookmark.pk}/comments/new/", {"body": SPAM}
    ),
    "reply (form)": lambda w: html(
        "post", f"/comments/{w.others_comment.pk}/reply/", {"body": SPAM}
    ),
    "edit own comment (form)": lambda w: html(
        "post", f"/comments/{w.own_comment.pk}/edit/", {"body": SPAM}
    ),
    "delete own comment (form)": lambda w: html("post", f"/comments/{w.own_comment.pk}/delete/"),
    "start a topic (form)": lambda w: html(
        "post", f"/g/{w.group.slug}/topics/new/", {"title": SPAM, "body": SPAM}
    ),
    "edit own topic (form)": lambda w: html(
        "post", f"/g/{w.group.slug}/topics/{w.own_topic.pk}/edit/", {"title": SPAM, "body": ""}
    ),
    "delete own topic (form)": lambda w: html(
        "post", f"/g/{w.group.slug}/topics/{w.own_topic.pk}/delete/"
    ),
    "reply to a topic (form)": lambda w: html(
        "post", f"/g/{w.group.slug}/topics/{w.others_topic.pk}/reply/", {"body": SPAM}
    ),
    "flag (form)": lambda w: html(
        "post", f"/flag/comment/{w.others_comment.pk}/", {"reason": "spam"}
    ),
    "save into the group (API)": lambda w: api(
        "post", "/api/v1/bookmarks/", {"url": "https://spam.example/2", "group": w.group.slug}
    ),
    "edit own bookmark (API)": lambda w: api(
        "patch", f"/api/v1/bookmarks/{w.own_bookmark.pk}/", {"title": SPAM, "tags": ["pills"]}
    ),
    "mark own bookmark unread (API)": lambda w: api(
        "patch", f"/api/v1/bookmarks/{w.own_bookmark.pk}/", {"unread": True}
    ),
    "delete own bookmark (API)": lambda w: api("delete", f"/api/v1/bookmarks/{w.own_bookmark.pk}/"),
    "highlight (API)": lambda w: api(
        "post",
        f"/api/v1/bookmarks/{w.others_bookmark.pk}/highlights/",
        {"exact": "a passage", "note": SPAM},
    ),
    "edit own highlight (API)": lambda w: api(
        "patch", f"/api/v1/highlights/{w.own_highlight.pk}/", {"note": SPAM}
    ),
    "delete own highlight (API)": lambda w: api(
        "delete", f"/api/v1/highlights/{w.own_highlight.pk}/"
    ),
    "comment (API)": lambda w: api(
        "post", f"/api/v1/bookmarks/{w.others_bookmark.pk}/comments/", {"body": SPAM}
    ),
    "reply (API)": lambda w: api(
        "post",
        f"/api/v1/bookmarks/{w.others_bookmark.pk}/comments/",
        {"body": SPAM, "parent": w.others_comment.pk},
    ),
    "edit own comment (API)": lambda w: api(
        "patch", f"/api/v1/comments/{w.own_comment.pk}/", {"body": SPAM}
    ),
    "delete own comment (API)": lambda w: api("delete", f"/api/v1/comments/{w.own_comment.pk}/"),
    "flag (API)": lambda w: api(
        "post", f"/api/v1/comments/{w.others_comment.pk}/flag/", {"reason": "spam"}
    ),
    "start a topic (API)": lambda w: api(
        "post", f"/api/v1/groups/{w.group.slug}/topics/", {"title": SPAM}
    ),
    "edit own topic (API)": lambda w: api(
        "patch", f"/api/v1/topics/{w.own_topic.pk}/", {"title": SPAM}
    ),
    "delete own topic (API)": lambda w: api("delete", f"/api/v1/topics/{w.own_topic.pk}/"),
    "reply to a topic (API)": lambda w: api(
        "post", f"/api/v1/topics/{w.others_topic.pk}/comments/", {"body": SPAM}
    ),
    "highlight (annotate bookmarklet)": lambda w: (
        "bookmarklet",
        "post",
        f"/api/v1/bookmarks/{w.others_bookmark.pk}/highlights/",
        {"exact": "a passage", "note": SPAM},
    ),
    "comment (annotate bookmarklet)": lambda w: (
        "bookmarklet",
        "post",
        f"/api/v1/bookmarks/{w.others_bookmark.pk}/comments/",
        {"body": SPAM},
    ),
}


def send(client, world, channel, method, url, data):
    if channel == "html":
        client.force_login(world.subject)
        return getattr(client, method)(url, data or {})
    api_client = APIClient()
    if channel == "api":
        token = Token.objects.get_or_create(user=world.subject)[0].key
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    else:
        token = mint_token(world.subject, "https://example.org")
        api_client.credentials(
            HTTP_AUTHORIZATION=f"{KEYWORD} {token}", HTTP_ORIGIN="https://example.org"
        )
    return getattr(api_client, method)(url, data, format="json")


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("viewer", ["member", "banned", "banned and hidden"])
@pytest.mark.parametrize("write", list(WRITES))
def test_a_ban_freezes_every_write_in_the_group(client, write, viewer, visibility):
    world = World(visibility)
    if viewer != "member":
        ban_member(
            world.moderator, world.group, world.subject, "spam", hide_posts="hidden" in viewer
        )
    before = snapshot(world.group)
    response = send(client, world, *WRITES[write](world))
    after = snapshot(world.group)
    if viewer == "member":
        assert response.status_code in (200, 201, 204, 302), response.content[:300]
        assert after != before, "the member's write should have gone through"
        return
    assert after == before, f"a banned user's write changed the group ({response.status_code})"
    assert response.status_code in (200, 302, 400, 403, 404), response.status_code
    if response.status_code == 200:  # a form page shown again, with the error
        assert 'class="errorlist' in response.text
    if response.status_code == 302:  # the form pages answer a refusal with a message
        assert "/accounts/login/" not in response["Location"]
