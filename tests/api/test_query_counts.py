"""Every API list costs a fixed number of queries: 20 items cost what 2 cost."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.models import Topic
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def group_and_member(db):
    group = GroupFactory(visibility="private")
    return group, MembershipFactory(group=group).user


def fill(group, member, n):
    """n bookmarks (each with a highlight and a comment), n topics (each with a reply)."""
    for i in range(n):
        owner = MembershipFactory(group=group).user
        bookmark = BookmarkFactory(group=group, owner=owner, tags=["travail", f"t{i}"])
        HighlightFactory(bookmark=bookmark, author=owner, note="note")
        CommentFactory(bookmark=bookmark, author=owner)
        topic = Topic.objects.create(group=group, author=owner, title=f"Sujet travail {i}")
        CommentFactory(bookmark=None, topic=topic, author=owner)


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(captured)


def list_paths(group):
    return [
        "/api/v1/groups/",
        f"/api/v1/groups/{group.slug}/members/",
        f"/api/v1/groups/{group.slug}/topics/",
        "/api/v1/bookmarks/",
        f"/api/v1/bookmarks/?group={group.slug}&tag=travail&q=article",
        "/api/v1/search/?q=travail",
        f"/api/v1/tags/?group={group.slug}",
        "/api/v1/me/",
    ]


def test_list_endpoints_cost_the_same_for_20_items_as_for_2(client_for, group_and_member):
    group, member = group_and_member
    client = client_for(member)
    fill(group, member, 2)
    cache.clear()
    few = {p: queries(client, p) for p in list_paths(group)}
    fill(group, member, 18)
    cache.clear()  # tag clouds are cached: count the uncached path again
    many = {p: queries(client, p) for p in list_paths(group)}
    assert {p: n for p, n in many.items() if n > few[p]} == {}


def test_thread_lists_cost_the_same_for_20_items_as_for_2(
    client_for, group_and_member, django_assert_max_num_queries
):
    group, member = group_and_member
    client = client_for(member)
    bookmark = BookmarkFactory(group=group, owner=member)
    topic = Topic.objects.create(group=group, author=member, title="Sujet")
    for _ in range(2):
        HighlightFactory(bookmark=bookmark, author=MembershipFactory(group=group).user)
        CommentFactory(bookmark=bookmark, author=MembershipFactory(group=group).user)
        CommentFactory(bookmark=None, topic=topic, author=MembershipFactory(group=group).user)
    paths = [
        f"/api/v1/bookmarks/{bookmark.pk}/highlights/",
        f"/api/v1/bookmarks/{bookmark.pk}/comments/",
        f"/api/v1/topics/{topic.pk}/comments/",
        f"/api/v1/bookmarks/{bookmark.pk}/annotations.jsonld",
    ]
    few = {p: queries(client, p) for p in paths}
    for _ in range(18):
        HighlightFactory(bookmark=bookmark, author=MembershipFactory(group=group).user)
        CommentFactory(bookmark=bookmark, author=MembershipFactory(group=group).user)
        CommentFactory(bookmark=None, topic=topic, author=MembershipFactory(group=group).user)
    for path in paths:
        with django_assert_max_num_queries(few[path]):
            assert client.get(path).status_code == 200
