"""The /search/ page."""

import pytest
from django.urls import reverse

from groups.models import Topic
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db
URL = reverse("search:search")


def test_search_page_shows_marked_results_with_group_saver_and_type(client):
    group = GroupFactory(name="Tic&Travail")
    BookmarkFactory(group=group, title="Les travailleurs du clic", tags=["gig"])
    Topic.objects.create(group=group, title="Travail du dimanche")
    response = client.get(URL, {"q": "travail"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>travailleurs</mark>" in html
    assert "<mark>Travail</mark> du dimanche" in html
    assert "Tic&amp;Travail" in html
    assert "Topic" in html and "Bookmark" in html
    assert "tag%3Agig" in html  # facet / tag link refines the query


def test_empty_query_and_no_results_show_an_empty_state(client):
    assert "Type words to search" in client.get(URL).content.decode()
    assert "Nothing matches" in client.get(URL, {"q": "introuvable"}).content.decode()


@pytest.mark.parametrize("q", ['"unbalanced', "a & | ! :* ')", "x" * 2000, "-", "OR", "tag:"])
def test_malformed_queries_never_fail(client, q):
    assert client.get(URL, {"q": q, "page": "abc", "sort": "'"}).status_code == 200


def test_private_group_scope_is_404_for_a_non_member(client, user):
    group = GroupFactory(visibility="private")
    client.force_login(user)
    assert client.get(URL, {"q": "x", "group": group.slug}).status_code == 404
    MembershipFactory(group=group, user=user)
    assert client.get(URL, {"q": "x", "group": group.slug}).status_code == 200


def test_group_scope_searches_only_that_group(client):
    group = GroupFactory()
    BookmarkFactory(group=group, title="travail dedans")
    BookmarkFactory(title="travail dehors")
    html = client.get(URL, {"q": "travail", "group": group.slug}).content.decode()
    assert "dedans" in html and "dehors" not in html


def _page_queries(client, django_assert_max_num_queries, n):
    group = GroupFactory()
    for i in range(n):
        BookmarkFactory(group=group, title=f"travail {i}", tags=["a", "b"])
        Topic.objects.create(group=group, title=f"travail sujet {i}")
    with django_assert_max_num_queries(12) as ctx:
        assert client.get(URL, {"q": "travail"}).status_code == 200
    return len(ctx.captured_queries)


def test_twenty_results_cost_the_same_queries_as_two(client, django_assert_max_num_queries):
    few = _page_queries(client, django_assert_max_num_queries, 1)
    many = _page_queries(client, django_assert_max_num_queries, 10)
    assert few == many
