"""Keyset pagination: every API list takes `cursor` (signed, opaque; `next` carries it), so a
deep page is read from its key, not after an offset; a forged cursor is a 400."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookmarks.models import Bookmark
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
def member(db):
    group = GroupFactory(visibility="private")
    return group, MembershipFactory(group=group).user


def seed(group, n, *, same_time=False):
    """n bookmarks; same_time: all saved at the same instant (only the id breaks ties)."""
    now = timezone.now()
    made = [BookmarkFactory(group=group, title=f"travail {i}", tags=["t"]) for i in range(n)]
    for i, b in enumerate(made):
        at = now if same_time else now - timedelta(minutes=n - i)
        Bookmark.objects.filter(pk=b.pk).update(created_at=at)
    return made


def walk(client, url):
    ids, bodies = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [r.get("id") or r.get("slug") or r["username"] for r in body["results"]]
        bodies.append(body)
        url = body["next"]
    return ids, bodies


def by_pages(client, url, pages):
    """The ids of pages 1..pages asked by number, last first: each is then read after its
    offset (config.positions would read a page after the one before it from its key)."""
    ids = []
    for number in range(pages, 0, -1):
        ids = [r["id"] for r in client.get(f"{url}&page={number}").json()["results"]] + ids
    return ids


@pytest.mark.parametrize("same_time", [False, True])
def test_following_next_gives_every_bookmark_once_in_date_order(client_for, member, same_time):
    group, user = member
    made = seed(group, 7, same_time=same_time)
    client = client_for(user)
    url = f"/api/v1/bookmarks/?group={group.slug}&page_size=2"
    ids, bodies = walk(client, url)
    assert ids == by_pages(client, url, 4)
    assert sorted(ids) == sorted(b.pk for b in made) and len(ids) == 7
    assert all("cursor=" in body["next"] for body in bodies[:-1])
    assert all(body["count"] == 7 for body in bodies)  # carried by the cursor
    if not same_time:
        assert ids == [b.pk for b in reversed(made)]


@pytest.mark.parametrize("sort", ["relevance", "date"])
@pytest.mark.parametrize("path", ["/api/v1/search/", "/api/v1/bookmarks/"])
def test_keyword_cursors_keep_the_order_of_the_pages(client_for, member, sort, path):
    group, user = member
    made = seed(group, 6, same_time=True)
    # different ranks: the word in the title once, twice, or only in a tag
    Bookmark.objects.filter(pk=made[1].pk).update(title="travail travail travail")
    Bookmark.objects.filter(pk=made[4].pk).update(title="autre", tags=["travail"])
    for b in made:  # the vectors follow the titles
        b.refresh_from_db()
        b.save()
    client = client_for(user)
    url = f"{path}?q=travail&sort={sort}&page_size=2"
    ids, bodies = walk(client, url)
    assert ids == by_pages(client, url, 3)
    assert sorted(ids) == sorted(b.pk for b in made)


def test_page_numbers_keep_working_and_previous_goes_back(client_for, member):
    group, user = member
    seed(group, 5)
    client = client_for(user)
    url = f"/api/v1/bookmarks/?group={group.slug}&page_size=2"
    second = client.get(client.get(url).json()["next"]).json()
    assert second["results"] == client.get(f"{url}&page=2").json()["results"]
    back = client.get(second["previous"]).json()
    assert back["results"] == client.get(url).json()["results"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/groups/?page_size=1",
        "/api/v1/groups/{slug}/members/?page_size=1",
        "/api/v1/groups/{slug}/topics/?page_size=1",
        "/api/v1/bookmarks/{bookmark}/highlights/?page_size=1",
        "/api/v1/bookmarks/{bookmark}/comments/?page_size=1",
        "/api/v1/topics/{topic}/comments/?page_size=1",
        "/api/v1/groups/{slug}/topics/?q=travail&page_size=1",
    ],
)
def test_every_list_walks_by_cursor(client_for, member, path):
    group, user = member
    MembershipFactory(group=group)
    GroupFactory(), GroupFactory()
    bookmark = BookmarkFactory(group=group, owner=user)
    topic = Topic.objects.create(group=group, author=user, title="Sujet travail")
    Topic.objects.create(group=group, author=user, title="Travail encore")
    for _ in range(3):
        HighlightFactory(bookmark=bookmark, author=user)
        CommentFactory(bookmark=bookmark, author=user)
        CommentFactory(bookmark=None, topic=topic, author=user)
    client = client_for(user)
    url = path.format(slug=group.slug, bookmark=bookmark.pk, topic=topic.pk)
    ids, bodies = walk(client, url)
    first = client.get(url).json()
    assert len(ids) == len(set(ids)) == first["count"] >= 2
    assert "cursor=" in first["next"]


@pytest.mark.parametrize(
    "path", ["/api/v1/bookmarks/?page_size=1", "/api/v1/search/?q=travail&page_size=1"]
)
def test_a_tampered_or_foreign_cursor_is_a_400(client_for, member, path):
    group, user = member
    seed(group, 3)
    client = client_for(user)
    cursor = client.get(path).json()["next"].split("cursor=")[1].split("&")[0]
    for bad in (cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"), "abc", "x:y:z"):
        response = client.get(f"{path}&cursor={bad}")
        assert response.status_code == 400
        assert set(response.json()) == {"detail"}
    # a cursor of another list (or another query) is refused too
    groups_cursor = f"/api/v1/groups/?page_size=1&cursor={cursor}"
    assert client.get(groups_cursor).status_code == 400
    if "q=" in path:
        assert client.get(f"{path.replace('travail', 'autre')}&cursor={cursor}").status_code == 400


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return [q["sql"] for q in captured], response.json()


def test_a_cursor_page_seeks_to_its_key_and_does_not_count_again(client_for, member):
    group, user = member
    seed(group, 9)
    client = client_for(user)
    url = f"/api/v1/bookmarks/?group={group.slug}&page_size=2"
    first_sql, first = _list_queries(client, url)
    deep = first
    for _ in range(3):
        deep_sql, deep = _list_queries(client, deep["next"])
    assert len(deep_sql) <= len(first_sql)
    assert not any(sql.upper().startswith("SELECT COUNT(") for sql in deep_sql)
    assert not any("OFFSET" in sql.upper() for sql in deep_sql)
    assert deep["count"] == 9


def test_the_key_query_computes_no_wide_column(client_for, member):
    """The page's keys come from a narrow query (the sort columns); the counts, joins and
    marks are computed for the page's ids only, never for rows an offset or sort walks."""
    group, user = member
    for b in seed(group, 5):
        HighlightFactory(bookmark=b, author=user)
    client = client_for(user)
    for url in (
        f"/api/v1/bookmarks/?group={group.slug}&page_size=2&page=2",
        f"/api/v1/bookmarks/?group={group.slug}&page_size=2&q=travail&page=2",
        "/api/v1/search/?q=travail&page_size=2&page=2",
    ):
        sql, body = _list_queries(client, url)
        ordered = [s for s in sql if "bookmarks_bookmark" in s and "ORDER BY" in s]
        assert ordered, url
        for key_query in ordered:
            assert "annotations_highlight" not in key_query, url
            assert "search_snippet" not in key_query and "search_marked" not in key_query, url
            assert 'JOIN "bookmarks_page"' not in key_query, url  # no select_related
        wide = [s for s in sql if "annotations_highlight" in s or "search_snippet" in s]
        assert wide, url
        for query in wide:
            assert "ORDER BY" not in query.split("annotations_highlight")[-1], url
            assert "LIMIT" not in query.rsplit(")", 1)[-1], url
            assert " IN (" in query, url
        assert len(body["results"]) == 2


@pytest.mark.parametrize("path", ["/api/v1/search/", "/api/v1/bookmarks/"])
def test_relevance_past_the_ranked_matches_keeps_one_order(client_for, member, monkeypatch, path):
    """Only the first RANKED matches are ranked; the others follow in date order, so a
    deep page never reshuffles the first ones and a cursor walk meets every match once."""
    from search import selectors

    group, user = member
    made = seed(group, 9)
    for b in made[::3]:  # some stronger matches among the oldest
        Bookmark.objects.filter(pk=b.pk).update(title="travail travail", tags=["travail"])
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(selectors, "RANKED", 4)
    client = client_for(user)
    url = f"{path}?q=travail&page_size=2"
    ids, _bodies = walk(client, url)
    assert ids == by_pages(client, url, 5)
    assert sorted(ids) == sorted(b.pk for b in made)


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_a_deep_page_number_ranks_and_sends_only_what_it_needs(
    client_for, member, monkeypatch, sort
):
    """A page number deep in a search (nothing remembered): of the matches read before it,
    only the first RANKED are ranked, each once the read order is known (bookmarks and
    topics: the two kinds' orders are merged here); the rows before the one before the page
    stay in the database (OFFSET; with topics, all but as many as the topics read; of
    bookmarks alone by relevance past the ranked ones, nothing is ranked at all). No JIT
    compiling for these short queries. The pages are the ones a cursor walk gives."""
    from search import selectors

    group, user = member
    seed(group, 12)
    Topic.objects.create(group=group, author=user, title="Travail")
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(selectors, "RANKED", 4)
    client = client_for(user)
    for path in ("/api/v1/search/", "/api/v1/bookmarks/"):
        url = f"{path}?q=travail&page_size=2&sort={sort}"
        walked, _bodies = walk(client, url)
        cache.clear()
        sql, body = _list_queries(client, f"{url}&page=5")
        assert [r["id"] for r in body["results"]] == walked[8:10], path
        assert any("jit = off" in s for s in sql)
        if path == "/api/v1/bookmarks/" and sort == "relevance":  # past the ranked: none
            assert not any("ts_rank(" in s for s in sql)
            continue
        keyed = [s for s in sql if "count(*) OVER ()" in s]
        assert keyed, path
        for query in keyed:
            if sort == "relevance" and 'FROM "groups_topic"' in query:
                # ranked in the CASE over the read order, not in it
                ranking, read = query.split(" END AS rank FROM ", 1)
                assert "ts_rank(" in ranking and "ts_rank(" not in read
            elif sort == "relevance":  # the ranked rows all stay in the database: unranked
                assert "ts_rank(" not in query
            # the 7 rows before the page: of bookmarks alone, all stay in the database; with
            # topics, all but as many as the topics read (1), which might be among them
            if path == "/api/v1/bookmarks/":
                assert query.rstrip().endswith("OFFSET 7"), query[-60:]
            elif 'FROM "groups_topic"' in query:
                assert "OFFSET" not in query
            else:
                assert query.rstrip().endswith("OFFSET 6"), query[-60:]


@pytest.mark.parametrize("dense", [False, True])
@pytest.mark.parametrize("path", ["/api/v1/search/", "/api/v1/bookmarks/"])
def test_relevance_past_the_ranked_matches_reads_from_the_key(
    client_for, member, monkeypatch, path, dense
):
    """Past the ranked matches, a cursor resumes the read order from its key: nothing is
    ranked or counted again, so a deep relevance page costs what a date page costs. Read
    through GIN (title and tag matches first) or by the date walk of a common word, the walk
    meets every match once, in the order of the page numbers; topics (ranked apart) are not
    met twice."""
    from search import selectors

    group, user = member
    made = seed(group, 12)
    for b in made[1::2]:  # matches in the description only, between the title matches
        Bookmark.objects.filter(pk=b.pk).update(title="autre", description="travail")
    topics = []
    if "search" in path:
        topics = [
            Topic.objects.create(group=group, author=user, title=f"Travail {i}") for i in range(3)
        ]
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(selectors, "RANKED", 4)
    monkeypatch.setattr(selectors, "is_dense", lambda parsed, rows=None, **_kw: dense)
    client = client_for(user)
    url = f"{path}?q=travail&page_size=2"
    ids, bodies = walk(client, url)
    assert ids == by_pages(client, url, 8)
    assert sorted(ids) == sorted([b.pk for b in made] + [t.pk for t in topics])
    if not dense:  # read through GIN: the title and tag matches before the others
        tail = [i for i in ids if i not in {t.pk for t in topics}][4:]
        title_matches = {b.pk for b in made[::2]}
        flags = [i in title_matches for i in tail]
        assert flags == sorted(flags, reverse=True)
    # a page past the ranked matches: no rank, no count, no window over the matches
    deep = [bodies[-2]["next"]]
    if "bookmarks" in path:  # one kind: so is a page number past them (nothing remembered)
        deep.append(f"{url}&page=4")
    for deep_url in deep:
        cache.clear()
        sql, body = _list_queries(client, deep_url)
        assert body["results"]
        searched = [s for s in sql if "search_vector" in s and "ORDER BY" in s]
        assert searched
        for query in searched:
            if '"bookmarks_bookmark"' in query.split(" FROM ")[1]:
                assert "ts_rank" not in query and "OVER ()" not in query
    if "bookmarks" in path:
        assert [r["id"] for r in body["results"]] == ids[6:8]
        assert body["count"] == 3 and body["count_exact"] is False


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/bookmarks/{bookmark}/comments/?page_size=2",
        "/api/v1/groups/{slug}/members/?page_size=2",
        "/api/v1/groups/{slug}/topics/?page_size=2",
    ],
)
def test_a_page_number_reads_the_wide_rows_from_its_key_not_after_an_offset(
    client_for, member, path
):
    """page=3 finds its first row's key by a narrow query (the only one with OFFSET), then
    reads the wide rows from that key: the same rows as walking the cursors."""
    group, user = member
    bookmark = BookmarkFactory(group=group, owner=user)
    for _ in range(7):
        MembershipFactory(group=group)
        CommentFactory(bookmark=bookmark, author=user)
        Topic.objects.create(group=group, author=user, title="Sujet")
    client = client_for(user)
    url = path.format(slug=group.slug, bookmark=bookmark.pk)
    walked, _bodies = walk(client, url)
    sql, third = _list_queries(client, f"{url}&page=3")
    key = "username" if "members" in url else "id"
    assert [r[key] for r in third["results"]] == walked[4:6]
    with_offset = [s for s in sql if "OFFSET" in s.upper()]
    assert len(with_offset) == 1
    select_list = with_offset[0].upper().split(" FROM ")[0]
    assert select_list.count(",") <= 3  # the sort columns, not the serializer's fields
