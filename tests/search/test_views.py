"""The /search/ page."""

import re
from html import unescape

import pytest
from django.urls import reverse

from groups.models import Topic
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory, UserFactory

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


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced',
        "a & | ! :* ')",
        "a & !b :* ' ; --",
        "'; DROP TABLE bookmarks_bookmark; --",
        "x" * 2000,
        "é" * 3000,
        "-",
        "OR",
        "NOT",
        "tag:",
        "user:",
        "site:-.fr",
        "after:2020-02-31",
    ],
)
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


def _page_queries(client, django_assert_max_num_queries, n, committed):
    with committed(execute=True):  # as saves commit: nothing remembered from before them
        group = GroupFactory()
        for i in range(n):
            BookmarkFactory(group=group, title=f"travail {i}", tags=["a", "b"])
            Topic.objects.create(group=group, title=f"travail sujet {i}")
    with django_assert_max_num_queries(12) as ctx:
        assert client.get(URL, {"q": "travail"}).status_code == 200
    return len(ctx.captured_queries)


def test_twenty_results_cost_the_same_queries_as_two(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    committed = django_capture_on_commit_callbacks
    few = _page_queries(client, django_assert_max_num_queries, 1, committed)
    many = _page_queries(client, django_assert_max_num_queries, 10, committed)
    assert few == many


def _shown(response):
    return [(r.kind, r.item.pk) for r in response.context["results"].items]


def test_everything_i_may_see_and_nothing_else(client):
    me = UserFactory()
    mine_private = GroupFactory(visibility="private")
    MembershipFactory(group=mine_private, user=me)
    visible = {
        BookmarkFactory(group=mine_private, title="travail de mon groupe privé").pk,
        BookmarkFactory(group=GroupFactory(), title="travail d'un groupe public").pk,
        BookmarkFactory(title="travail public d'une personne").pk,
        BookmarkFactory(owner=me, title="travail à moi", private=True).pk,
    }
    BookmarkFactory(group=GroupFactory(visibility="private"), title="travail d'ailleurs")
    BookmarkFactory(title="travail privé d'une autre", private=True)
    client.force_login(me)
    response = client.get(URL, {"q": "travail"})
    assert {pk for _kind, pk in _shown(response)} == visible
    assert "1 – 4 of 4 items matching" in response.content.decode()


def test_a_private_group_item_never_shows_counts_or_shapes_a_facet_for_an_outsider(client):
    secret = GroupFactory(visibility="private")
    BookmarkFactory(group=secret, title="travail secret", tags=["confidentiel"])
    Topic.objects.create(group=secret, title="travail interne")
    BookmarkFactory(group=GroupFactory(), title="travail public", tags=["ouvert"])
    for viewer in (None, UserFactory()):
        if viewer:
            client.force_login(viewer)
        for params in ({"q": "travail"}, {"q": "travail", "sort": "date"}, {"q": "tag:ouvert"}):
            html = client.get(URL, params).content.decode()
            assert "secret" not in html and "interne" not in html
            assert "confidentiel" not in html
        html = client.get(URL, {"q": "travail"}).content.decode()
        assert "1 – 1 of 1 items matching" in html
        assert {t: c for t, (_h, c) in _facet_hrefs(html).items()} == {"ouvert": 1}
        assert "Nothing matches" in client.get(URL, {"q": "tag:confidentiel"}).content.decode()


def _facet_hrefs(html):
    """{tag: (href, count)} of the "Refine by tag" box."""
    box = html[html.index('id="facets-heading"') :]
    return {
        tag: (unescape(href), int(count))
        for href, tag, count in re.findall(
            r'<li><a href="([^"]*)">([^<]*)</a> <span class="count">\((\d+)\)</span>', box
        )
    }


def _follow(client, href):
    return client.get(URL + href)


def test_facets_count_tags_of_the_results_and_a_click_refines(client):
    a = BookmarkFactory(title="travail", tags=["gig", "uber"])
    b = BookmarkFactory(title="travail", tags=["gig"])
    BookmarkFactory(title="cuisine", tags=["gig", "cuisine"])
    response = client.get(URL, {"q": "travail"})
    assert {pk for _kind, pk in _shown(response)} == {a.pk, b.pk}
    facets = _facet_hrefs(response.content.decode())
    assert {tag: count for tag, (_href, count) in facets.items()} == {"gig": 2, "uber": 1}
    refined = _follow(client, facets["uber"][0])
    assert refined.context["q"] == "travail tag:uber"
    assert _shown(refined) == [("bookmark", a.pk)]
    # the applied tag is shown as current, not as a link to the same page
    assert '<strong aria-current="true">uber</strong> <span class="count">(1)</span>' in (
        refined.content.decode()
    )


def test_facet_and_result_tag_links_keep_the_scope_sort_and_type(client):
    group = GroupFactory()
    wanted = BookmarkFactory(group=group, title="travail", tags=["mot clé"])
    BookmarkFactory(group=group, title="travail", tags=["autre"])
    BookmarkFactory(title="travail", tags=["mot clé"])  # another library
    params = {"q": "travail", "group": group.slug, "sort": "date", "type": "bookmark", "page": 1}
    html = client.get(URL, params).content.decode()
    href, count = _facet_hrefs(html)["mot clé"]
    assert count == 1
    refined = _follow(client, href)
    assert refined.context["q"] == 'travail tag:"mot clé"'
    assert (refined.context["group"], refined.context["sort"]) == (group, "date")
    assert refined.context["kind"] == "bookmark"
    assert _shown(refined) == [("bookmark", wanted.pk)]
    result_tag = re.search(r'<a class="tag" href="([^"]*)" rel="tag">mot clé</a>', html).group(1)
    assert unescape(result_tag) == href


def test_filter_topics_and_sort_by_date(client):
    group = GroupFactory()
    old = Topic.objects.create(group=group, title="Travail du dimanche")
    new = Topic.objects.create(group=group, title="Travail de nuit")
    bookmark = BookmarkFactory(group=group, title="travail")
    topics = client.get(URL, {"q": "travail", "type": "topic", "sort": "date"})
    assert _shown(topics) == [("topic", new.pk), ("topic", old.pk)]
    html = topics.content.decode()
    assert 'aria-current="true" class="current">Topics' in html
    assert _shown(client.get(URL, {"q": "travail type:bookmark"})) == [("bookmark", bookmark.pk)]
    assert ("bookmark", bookmark.pk) not in _shown(client.get(URL, {"q": "travail -type:bookmark"}))


def test_my_library_scope(client):
    me = UserFactory()
    mine = BookmarkFactory(owner=me, title="travail")
    BookmarkFactory(title="travail")
    client.force_login(me)
    response = client.get(URL, {"q": "travail", "scope": "mine"})
    assert _shown(response) == [("bookmark", mine.pk)]
    assert "Search my library" in response.content.decode()
    client.logout()
    assert _shown(client.get(URL, {"q": "travail", "scope": "mine"})) == []


def test_search_page_speaks_french(client):
    BookmarkFactory(title="Les travailleurs")
    html = client.get(URL, {"q": "travail"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Pertinence" in html and "Sujets" in html
    assert "<mark>travailleurs</mark>" in html


def test_a_search_advertises_its_feed_which_holds_the_same_items(client):
    BookmarkFactory(group=GroupFactory(), title="Les travailleurs du clic")
    BookmarkFactory(group=GroupFactory(), title="Autre chose")
    html = client.get(URL, {"q": "travail", "sort": "date"}).content.decode()
    (href,) = re.findall(
        r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html
    )
    feed = client.get(unescape(href))
    assert feed.status_code == 200
    body = feed.content.decode()
    assert "Les travailleurs du clic" in body and "Autre chose" not in body


def test_a_private_group_search_advertises_no_public_feed(client):
    member = UserFactory()
    group = GroupFactory(visibility="private")
    MembershipFactory(group=group, user=member)
    BookmarkFactory(group=group, title="Les travailleurs du clic")
    client.force_login(member)
    html = client.get(URL, {"q": "travail", "group": group.slug}).content.decode()
    assert "<mark>travailleurs</mark> du clic" in html
    assert 'rel="alternate"' not in html
