"""Every API read with a keyword goes through the search engine of the pages (search_items),
with its capped count: `count` plus `count_exact`, and a next page past the cap."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

import search.api
from bookmarks.models import Bookmark
from groups.models import Topic
from search import selectors
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    group = GroupFactory(visibility="private")
    return group, MembershipFactory(group=group).user


def seed(group, n, word="travail"):
    """n bookmarks matching `word`, one minute apart, newest last."""
    now = timezone.now()
    made = [BookmarkFactory(group=group, title=f"{word} {i}") for i in range(n)]
    for i, b in enumerate(made):
        Bookmark.objects.filter(pk=b.pk).update(created_at=now - timedelta(minutes=n - i))
    return made


def walk(client, url):
    """Every page from `url` on, following `next`: [(ids, body)]."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append(([r["id"] for r in body["results"]], body))
        url = body["next"]
    return pages


@pytest.mark.parametrize("path", ["/api/v1/bookmarks/", "/api/v1/search/"])
def test_keyword_reads_go_through_the_search_engine(client_for, member, monkeypatch, path):
    group, user = member
    seed(group, 3)
    calls = []
    real = search.api.search_items
    monkeypatch.setattr(
        search.api, "search_items", lambda *a, **kw: calls.append(kw) or real(*a, **kw)
    )
    body = client_for(user).get(path, {"q": "travail"}).json()
    assert calls, "the keyword read did not go through search_items"
    assert body["count"] == 3 and body["count_exact"] is True
    # prefix matching, as on the pages: "trav" finds "travail"
    assert client_for(user).get(path, {"q": "trav"}).json()["count"] == 3


@pytest.mark.parametrize("path", ["/api/v1/bookmarks/", "/api/v1/search/"])
@pytest.mark.parametrize("sort", ["date", "relevance"])
def test_a_capped_count_says_so_and_the_pages_go_on_past_it(
    client_for, member, monkeypatch, path, sort
):
    group, user = member
    made = seed(group, 7)
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    client = client_for(user)
    first = client.get(path, {"q": "travail", "sort": sort, "page_size": 2}).json()
    assert (first["count"], first["count_exact"]) == (3, False)
    # page 2 ends at the cap: a next page still exists (the old has_next said no)
    second = client.get(path, {"q": "travail", "sort": sort, "page_size": 2, "page": 2}).json()
    assert second["next"] is not None
    pages = walk(client, f"{path}?q=travail&sort={sort}&page_size=2")
    ids = [pk for page, _ in pages for pk in page]
    assert sorted(ids) == sorted(b.pk for b in made)  # each once, none skipped
    assert len(pages) == 4
    assert pages[-1][1]["count_exact"] is True  # on the last page the count is known
    assert pages[-1][1]["count"] == 7
    if sort == "date":
        assert ids == [b.pk for b in reversed(made)]


def test_bookmark_filters_join_the_keyword(client_for, member):
    group, user = member
    a, b = seed(group, 2)
    Bookmark.objects.filter(pk=a.pk).update(tags=["emploi"], unread=True)
    client = client_for(user)
    found = client.get("/api/v1/bookmarks/", {"q": "travail", "tag": "emploi"}).json()
    assert [r["id"] for r in found["results"]] == [a.pk]
    found = client.get("/api/v1/bookmarks/", {"q": "travail", "unread": "false"}).json()
    assert [r["id"] for r in found["results"]] == [b.pk]
    other = GroupFactory()
    BookmarkFactory(group=other, title="travail ailleurs")
    found = client.get("/api/v1/bookmarks/", {"q": "travail", "group": group.slug}).json()
    assert found["count"] == 2
    # counts come with the keyword results too
    assert {"highlight_count", "comment_count"} <= set(found["results"][0])


def test_topics_list_with_a_keyword_uses_the_engine(client_for, member):
    group, user = member
    hit = Topic.objects.create(group=group, author=user, title="Le travail des plateformes")
    Topic.objects.create(group=group, author=user, title="Autre chose")
    body = client_for(user).get(f"/api/v1/groups/{group.slug}/topics/", {"q": "travail"}).json()
    assert [r["id"] for r in body["results"]] == [hit.pk]
    assert body["count_exact"] is True


def test_the_schema_documents_count_exact_and_cursor(client_for, member):
    _group, user = member
    response = client_for(user).get("/api/schema/", {"format": "json"})
    schema = json.loads(response.content)
    for path in ("/api/v1/bookmarks/", "/api/v1/search/", "/api/v1/groups/"):
        operation = schema["paths"][path]["get"]
        assert "cursor" in {p["name"] for p in operation["parameters"]}, path
        ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        listed = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        assert "count_exact" in listed["properties"], path
        assert "count_exact" in listed["required"], path


def test_lists_present_bookmarks_as_the_detail_view_does(client_for, member):
    """The lists' lean presenter (values, no serializer) gives BookmarkSerializer's JSON."""
    group, user = member
    (bookmark,) = seed(group, 1)
    Bookmark.objects.filter(pk=bookmark.pk).update(tags=["emploi", "été"], unread=True)
    client = client_for(user)
    detail = client.get(f"/api/v1/bookmarks/{bookmark.pk}/").json()
    for params in ({}, {"q": "travail"}, {"q": "travail", "sort": "date"}):
        listed = client.get("/api/v1/bookmarks/", params).json()["results"]
        assert listed == [detail], params


def test_search_results_have_the_serializers_shape(client_for, member):
    """/search/ builds its results as plain dicts: they are what SearchResultSerializer gives."""
    from search.serializers import SearchResultSerializer

    group, user = member
    seed(group, 2)
    Topic.objects.create(group=group, author=user, title="Travail en débat")
    results = client_for(user).get("/api/v1/search/", {"q": "travail"}).json()["results"]
    assert {r["type"] for r in results} == {"bookmark", "topic"}
    items = [{**r, "created_at": parse_datetime(r["created_at"])} for r in results]
    again = json.loads(json.dumps(SearchResultSerializer(items, many=True).data))
    assert again == results


def test_search_presents_bookmarks_as_the_models_say(client_for, member):
    """/search/ reads the page's bookmarks as values: the title falls back to the page's,
    then to one made from the address; user text is escaped, the words marked."""
    from search.api import as_result
    from search.selectors import Result, with_marks

    group, user = member
    own = BookmarkFactory(group=group, title="<b>travail</b> & co", description="du travail")
    from_page = BookmarkFactory(group=group, title="", tags=["travail"])
    from_page.page.title = "Le travail des plateformes"
    from_page.page.save()
    bare = BookmarkFactory(group=group, title="", tags=["travail"], page__title="")
    mine = BookmarkFactory(owner=user, group=None, title="travail à moi")
    results = client_for(user).get("/api/v1/search/", {"q": "travail"}).json()["results"]
    by_id = {r["id"]: r for r in results}
    assert set(by_id) == {own.pk, from_page.pk, bare.pk, mine.pk}
    marked = with_marks(Bookmark.objects.filter(pk__in=by_id), "travail")
    for bookmark in marked.select_related("page", "owner", "group"):
        expected = as_result(Result("bookmark", bookmark, bookmark.created_at, 0.0, bookmark.pk))
        assert by_id[bookmark.pk] == json.loads(json.dumps(expected))
    assert by_id[own.pk]["title"] == "<b>travail</b> & co"
    assert "&lt;b&gt;<mark>travail</mark>&lt;/b&gt; &amp; co" in by_id[own.pk]["title_marked"]
    assert by_id[from_page.pk]["title"] == "Le travail des plateformes"
    assert by_id[bare.pk]["title"] == bare.page.readable_title and by_id[bare.pk]["title"]
    assert by_id[mine.pk]["group"] is None
