"""Every HTML list page costs the same number of queries for N items as for 2N (linkding's
pattern): the budget is what the page costs with N, never a hand-counted number that breaks
on a harmless change."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import Topic
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db

N = 4


@pytest.fixture
def world(db):
    group = GroupFactory(visibility="private", slug="salle")
    moderator = MembershipFactory(group=group, role="moderator").user
    return group, moderator


def fill(group, viewer, n):
    """n group items (each highlighted, commented, flagged-worthy), n topics with a reply, and n
    personal saves of the viewer, all matching the word "travail" and the tag "travail"."""
    for i in range(n):
        owner = MembershipFactory(group=group).user
        bookmark = BookmarkFactory(
            group=group, owner=owner, title=f"Le travail {i}", tags=["travail", f"t{i}"]
        )
        HighlightFactory(bookmark=bookmark, author=owner, note="une note sur le travail")
        CommentFactory(bookmark=bookmark, author=owner, body="Sur le travail des plateformes")
        CommentFactory(bookmark=bookmark, author=owner, status="held", body="travail ? casino")
        topic = Topic.objects.create(group=group, author=owner, title=f"Sujet travail {i}")
        CommentFactory(bookmark=None, topic=topic, author=owner)
        mine = BookmarkFactory(group=None, owner=viewer, title=f"Mon travail {i}", tags=["travail"])
        HighlightFactory(bookmark=mine, author=viewer)
        BookmarkFactory(group=group, owner=viewer, title=f"Notre travail {i}", tags=["travail"])


def pages(group, viewer):
    user = reverse("library:user", args=[viewer.username])
    library = reverse("library:group", args=[group.slug])
    return [
        library,
        f"{library}?view=full",
        f"{library}?q=travail",
        f"{library}?q=travail&sort=date",
        f"{library}?tag=travail",
        f"{library}?filter=topics",
        user,
        f"{user}?saved=all",
        f"{user}?q=travail",
        f"{user}?tag=travail&view=full",
        reverse("search:search") + "?q=travail",
        reverse("search:search") + f"?q=travail&group={group.slug}",
        reverse("bookmarks:my_tags"),
        reverse("bookmarks:group_tags", args=[group.slug]),
        reverse("annotations:topic_list", args=[group.slug]),
        reverse("annotations:moderation_queue", args=[group.slug]),
        reverse("annotations:moderation_log", args=[group.slug]),
        reverse("groups:members", args=[group.slug]),
        reverse("groups:directory"),
        reverse("home"),
    ]


def cost(client, path):
    cache.clear()  # tag clouds and counts are cached: count the uncached path
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def test_every_list_page_costs_the_same_for_2n_items_as_for_n(client, world):
    group, viewer = world
    client.force_login(viewer)
    fill(group, viewer, N)
    few = {path: cost(client, path) for path in pages(group, viewer)}
    fill(group, viewer, N)
    many = {path: cost(client, path) for path in pages(group, viewer)}
    grew = {path: (few[path], n) for path, n in many.items() if n > few[path]}
    assert grew == {}, "these pages cost more queries with more items: (N, 2N)"


def test_the_check_itself_sees_a_page_that_grows(client, world):
    """A per-item query would be caught: the raw highlights of each item, one query each."""
    group, viewer = world
    fill(group, viewer, N)
    with CaptureQueriesContext(connection) as captured:
        for bookmark in group.bookmarks.all():
            list(bookmark.highlights.all())
    assert len(captured) > N
