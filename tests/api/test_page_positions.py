"""Page numbers after the pages before them (or asked again) are read from their key
(config.positions): no offset walked, no count taken again; any change to what lists show
makes the remembered positions stale, and viewers never share them."""

import re

import pytest
from django.core.cache import cache

from tests.api.test_cursors import _list_queries, seed
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PLAIN = "/api/v1/bookmarks/?group={slug}&page_size=2"
KEYWORD = "/api/v1/bookmarks/?group={slug}&page_size=2&q=travail&sort=date"
SEARCH = "/api/v1/search/?q=travail&page_size=2&sort=date"
RELEVANCE = "/api/v1/search/?q=travail&page_size=2"
LISTS = [PLAIN, KEYWORD, SEARCH, RELEVANCE]


@pytest.fixture(autouse=True)
def no_positions_yet():
    cache.clear()


@pytest.fixture
def member(db):
    group = GroupFactory(visibility="private")
    return group, MembershipFactory(group=group).user


def ids_of(body):
    return [r["id"] for r in body["results"]]


def walked(sql, size=2):
    """Whether a request walked the rows before its page (an OFFSET, or a key query reading
    more than the page and the row telling whether another follows) or counted them."""
    for query in sql:
        upper = query.upper()
        if " OFFSET " in upper or upper.startswith("SELECT COUNT("):
            return True
        limit = re.search(r"LIMIT (\d+)\s*$", upper)
        if "ORDER BY" in upper and limit and int(limit.group(1)) > size + 1:
            return True
    return False


def offset_page(client, url, number):
    """Page `number` read after its offset, as with nothing remembered."""
    cache.clear()
    body = client.get(f"{url}&page={number}").json()
    cache.clear()
    return body


@pytest.mark.parametrize("url", LISTS)
def test_the_next_page_number_is_read_from_the_key_of_the_page_before(client_for, member, url):
    group, user = member
    seed(group, 9)
    client = client_for(user)
    url = url.format(slug=group.slug)
    expected = [offset_page(client, url, n) for n in (1, 2, 3)]
    assert walked(_list_queries(client, f"{url}&page=2")[0])  # nothing remembered: an offset
    cache.clear()
    client.get(f"{url}&page=1")
    for number in (2, 3):
        sql, body = _list_queries(client, f"{url}&page={number}")
        assert not walked(sql), number
        assert ids_of(body) == ids_of(expected[number - 1])
        assert body["count"] == expected[number - 1]["count"]
        assert body["next"] and body["previous"]


@pytest.mark.parametrize("url", LISTS)
def test_a_page_number_asked_again_is_read_from_its_key(client_for, member, url):
    group, user = member
    seed(group, 9)
    client = client_for(user)
    url = f"{url.format(slug=group.slug)}&page=4"
    first_sql, first = _list_queries(client, url)
    again_sql, again = _list_queries(client, url)
    assert walked(first_sql) and not walked(again_sql)
    assert ids_of(again) == ids_of(first) and len(ids_of(first)) == 2
    assert again["count"] == first["count"] == 9


@pytest.mark.parametrize("url", LISTS)
def test_a_new_bookmark_moves_the_pages_at_once(
    client_for, member, url, django_capture_on_commit_callbacks
):
    group, user = member
    seed(group, 7)
    client = client_for(user)
    url = url.format(slug=group.slug)
    first = client.get(f"{url}&page=1").json()
    client.get(f"{url}&page=2")
    with django_capture_on_commit_callbacks(execute=True):
        BookmarkFactory(group=group, title="travail 7", tags=["t"])
    second = client.get(f"{url}&page=2").json()
    # the newest is first now: the last of page 1 moved to page 2
    assert ids_of(second)[0] == ids_of(first)[-1]
    assert second["count"] == 8


def test_viewers_do_not_share_positions(client_for, member):
    """A member's page 1 (private bookmarks among them) places nothing for an outsider."""
    group, user = member
    seed(group, 6)
    public = GroupFactory(visibility="public")
    outsider = MembershipFactory(group=public).user
    for i in range(5):
        BookmarkFactory(group=public, title=f"travail public {i}")
    url = "/api/v1/search/?q=travail&page_size=2&sort=date"
    member_client, outsider_client = client_for(user), client_for(outsider)
    expected = offset_page(outsider_client, url, 2)
    member_client.get(f"{url}&page=1")
    sql, body = _list_queries(outsider_client, f"{url}&page=2")
    assert walked(sql)
    assert ids_of(body) == ids_of(expected)
    assert body["count"] == 5


def test_page_numbers_work_with_the_cache_down(client_for, member, settings):
    group, user = member
    seed(group, 5)
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    client = client_for(user)
    url = PLAIN.format(slug=group.slug)
    pages = [client.get(f"{url}&page={n}") for n in (1, 2, 3)]
    assert [p.status_code for p in pages] == [200, 200, 200]
    assert sum(len(ids_of(p.json())) for p in pages) == 5
