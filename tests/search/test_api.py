"""GET /api/v1/search/: the same search as the page, for API clients."""

import pytest
from rest_framework.test import APIClient

from groups.models import Topic
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/search/"


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def found(response):
    assert response.status_code == 200, response.content
    return [(r["type"], r["id"]) for r in response.json()["results"]]


def test_private_group_items_never_appear_nor_count_for_outsiders():
    secret = GroupFactory(visibility="private")
    member = MembershipFactory(group=secret).user
    hidden = BookmarkFactory(group=secret, title="travail secret", tags=["travail"])
    hidden_topic = Topic.objects.create(group=secret, title="Travail interne")
    public = BookmarkFactory(group=GroupFactory(), title="travail public")
    for viewer in (None, UserFactory()):
        for params in ({"q": "travail"}, {"q": "travail", "sort": "date"}, {"q": "tag:travail"}):
            response = client_for(viewer).get(URL, params)
            assert ("bookmark", hidden.pk) not in found(response)
            assert ("topic", hidden_topic.pk) not in found(response)
        response = client_for(viewer).get(URL, {"q": "travail"})
        assert found(response) == [("bookmark", public.pk)]
        assert response.json()["count"] == 1
        # naming the group does not help: it is not there for them
        assert (
            client_for(viewer).get(URL, {"q": "travail", "group": secret.slug}).status_code == 404
        )
    member_sees = client_for(member).get(URL, {"q": "travail"})
    assert member_sees.json()["count"] == 3


def test_scope_mine_is_my_personal_library_only():
    me = UserFactory()
    mine = BookmarkFactory(owner=me, title="travail", private=True)
    group = GroupFactory()
    MembershipFactory(group=group, user=me)
    BookmarkFactory(group=group, owner=me, title="travail en groupe")
    BookmarkFactory(title="travail d'un autre")
    assert found(client_for(me).get(URL, {"q": "travail", "scope": "mine"})) == [
        ("bookmark", mine.pk)
    ]
    assert found(client_for().get(URL, {"q": "travail", "scope": "mine"})) == []
    assert client_for(me).get(URL, {"q": "travail", "scope": "theirs"}).status_code == 400


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced',
        "a & !b :* ' ; --",
        "'; DROP TABLE bookmarks_bookmark; --",
        "(a | b) & !c:*",
        "x" * 2000,
        "travail " * 250,
        "-",
        "OR",
        "NOT",
        "tag:",
        "before:2020-02-30",
        "site:..",
        "«",
    ],
)
def test_malformed_queries_answer_200(q):
    BookmarkFactory(title="travail")
    assert client_for().get(URL, {"q": q}).status_code == 200


def test_longer_than_the_page_accepts_is_a_clear_400():
    response = client_for().get(URL, {"q": "x" * 2001})
    assert response.status_code == 400
    assert "q" in response.json()


def test_results_carry_marked_escaped_titles_and_snippets():
    BookmarkFactory(title="<b>Travail</b> & co", description="les travailleurs <i>pauvres</i>")
    (result,) = client_for().get(URL, {"q": "travail"}).json()["results"]
    assert result["title_marked"] == "&lt;b&gt;<mark>Travail</mark>&lt;/b&gt; &amp; co"
    assert "<mark>travailleurs</mark>" in result["snippet"]
    assert "<i>" not in result["snippet"]
