"""Attack probes: "ban and hide their posts" hides the banned member's group bookmarks, with
everyone's highlights and comments on them, from every reader in every read path (issue 19,
point 4). Each path is read before the ban, where the item shows (so the probe looks in the
right place), and after it, where it is gone for anonymous visitors, members and moderators.
"""

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.moderation import ban_member
from annotations.services import post_comment
from library.digests import compose_group_digest
from notifications.models import Notification
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    PageFactory,
)

pytestmark = pytest.mark.django_db

WORD = "zzyzxpills"
Q = "zzyzx"  # finds WORD by prefix; the pages echo the query, never WORD itself


@pytest.fixture
def world():
    group = GroupFactory(visibility="public", slug="tic-travail", name="Tic&Travail")
    moderator = MembershipFactory(group=group, role="moderator").user
    spammer = MembershipFactory(group=group, role="member").user
    member = MembershipFactory(group=group, role="member").user
    page = PageFactory(url="https://spam.example/pills", title="Pills")
    spam = BookmarkFactory(
        group=group, owner=spammer, page=page, title=f"BUY CHEAP {WORD}", tags=[WORD]
    )
    HighlightFactory(bookmark=spam, author=member, exact=f"a {WORD} passage", note=WORD)
    CommentFactory(bookmark=spam, author=member, body=f"{WORD} again")
    honest = BookmarkFactory(group=group, owner=member, title="Les travailleurs du clic")
    return {
        "group": group,
        "moderator": moderator,
        "spammer": spammer,
        "member": member,
        "spam": spam,
        "honest": honest,
    }


def read(path, viewer):
    client = APIClient()
    if viewer is not None:
        client.force_login(viewer)
    response = client.get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    if response.status_code == 404:
        return ""
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


PATHS = {
    "library": "/g/tic-travail/",
    "library by keyword": f"/g/tic-travail/?q={Q}",
    "library by tag": f"/g/tic-travail/?tag={WORD}",
    "tags page": "/g/tic-travail/tags/",
    "bookmark page": "/b/{spam}/",
    "search page": f"/search/?q={Q}",
    "group search page": f"/search/?q={Q}&group=tic-travail",
    "group feed (Atom)": "/feeds/g/tic-travail.atom",
    "group feed (RSS)": "/feeds/g/tic-travail.rss",
    "tag feed": f"/feeds/g/tic-travail/tag/{WORD}.atom",
    "comments feed": "/feeds/g/tic-travail/comments.atom",
    "search feed": f"/feeds/search.atom?q={Q}",
    "API list": "/api/v1/bookmarks/?group=tic-travail",
    "API list by keyword": f"/api/v1/bookmarks/?q={Q}",
    "API list by tag": f"/api/v1/bookmarks/?group=tic-travail&tag={WORD}",
    "API detail": "/api/v1/bookmarks/{spam}/",
    "API highlights": "/api/v1/bookmarks/{spam}/highlights/",
    "API comments": "/api/v1/bookmarks/{spam}/comments/",
    "API annotations of the page": "/api/v1/annotations/?uri=https://spam.example/pills",
    "API search": f"/api/v1/search/?q={Q}",
    "API tags": "/api/v1/tags/?group=tic-travail",
    "export (JSON)": "/export/download?format=json&group=tic-travail",
    "export (Diigo CSV)": "/export/download?format=diigo&group=tic-travail",
}


@pytest.mark.parametrize("reader", ["anonymous", "member", "moderator"])
@pytest.mark.parametrize("name", list(PATHS))
def test_ban_and_hide_takes_the_banned_members_bookmarks_out_of_every_read_path(
    world, name, reader, django_capture_on_commit_callbacks
):
    path = PATHS[name].format(spam=world["spam"].pk)
    viewer = None if reader == "anonymous" else world[reader]
    if viewer is None and (name.startswith("export") or "annotations" in name):
        viewer = world["member"]  # exports and the annotator's reads are for members
    # a path naming the tag echoes it: look for the title's other words there
    marker = "BUY CHEAP" if WORD in path else WORD
    assert marker in read(path, viewer), "the probe must see the item before the ban"
    # as it commits: what was remembered of the reads before it (config.positions) is stale
    with django_capture_on_commit_callbacks(execute=True):
        ban_member(world["moderator"], world["group"], world["spammer"], "spam", hide_posts=True)
    assert marker not in read(path, viewer)


def test_the_library_count_leaves_hidden_bookmarks_out(world):
    cache.clear()
    before = read("/api/v1/bookmarks/?group=tic-travail", None)
    assert '"count":2' in before
    ban_member(world["moderator"], world["group"], world["spammer"], "spam", hide_posts=True)
    assert '"count":1' in read("/api/v1/bookmarks/?group=tic-travail", None)
    page = read("/g/tic-travail/", None)
    assert "Les travailleurs du clic" in page and WORD not in page


def test_the_digest_leaves_hidden_bookmarks_out(world):
    start = timezone.now() - timezone.timedelta(days=1)
    end = timezone.now() + timezone.timedelta(minutes=1)
    titles = [i["title"] for i in compose_group_digest(world["group"], start, end).new_items]
    assert any(WORD in t for t in titles)
    ban_member(world["moderator"], world["group"], world["spammer"], "spam", hide_posts=True)
    digest = compose_group_digest(world["group"], start, end)
    assert not any(WORD in i["title"] for i in digest.new_items + digest.discussed)
    assert digest.new_count == 1


def test_a_plain_ban_leaves_their_bookmarks_readable(world):
    ban_member(world["moderator"], world["group"], world["spammer"], "spam", hide_posts=False)
    assert WORD in read("/g/tic-travail/", None)
    assert WORD in read(f"/api/v1/bookmarks/{world['spam'].pk}/", None)


def test_moderators_find_the_hidden_bookmarks_and_can_show_them_again(client, world):
    ban_member(world["moderator"], world["group"], world["spammer"], "spam", hide_posts=True)
    client.force_login(world["moderator"])
    queue = client.get("/g/tic-travail/moderation/").content.decode()
    assert f'id="mod-bookmark-{world["spam"].pk}"' in queue
    unhide = f"/g/tic-travail/moderation/bookmark/{world['spam'].pk}/unhide/"
    assert unhide in queue
    member = APIClient()
    member.force_login(world["member"])
    assert member.post(unhide).status_code == 403  # moderators only
    assert WORD not in read("/g/tic-travail/", None)
    assert client.post(unhide).status_code == 302
    assert WORD in read("/g/tic-travail/", None)
    assert WORD in read(f"/api/v1/bookmarks/{world['spam'].pk}/", None)
    log = client.get("/g/tic-travail/moderation/log/").content.decode()
    assert "made a bookmark visible again" in log
    hide = f"/g/tic-travail/moderation/bookmark/{world['spam'].pk}/hide/"
    assert client.post(hide).status_code == 302
    assert WORD not in read("/g/tic-travail/tags/", None)


def test_notifications_about_the_hidden_bookmarks_are_taken_back(world):
    first = post_comment(world["member"], bookmark=world["spam"], body="Is this real?")
    post_comment(world["moderator"], bookmark=world["spam"], body="No.", parent=first)
    told = Notification.objects.filter(recipient=world["member"])
    assert told.exists(), "the probe needs a notification about the bookmark"
    ban_member(world["moderator"], world["group"], world["spammer"], "spam", hide_posts=True)
    assert not told.exists()
