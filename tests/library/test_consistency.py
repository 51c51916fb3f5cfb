"""One day format across the library and /search/, tags in a reader's alphabetical order, the
topic breadcrumb from Home."""

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from bookmarks.selectors import cloud
from bookmarks.tags import tag_sort_key
from groups.models import Topic
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory, PageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved(db):
    group = GroupFactory(slug="salle", visibility="public")
    member = MembershipFactory(group=group).user
    BookmarkFactory(
        group=group,
        owner=member,
        title="Le travail du clic",
        created_at=datetime(2026, 11, 11, 9, 0, tzinfo=UTC),
    )
    BookmarkFactory(
        group=group,
        owner=member,
        title="Le travail en décembre",
        created_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    )
    return group


def test_library_and_search_show_the_same_day_format(client, saved):
    library = client.get(reverse("library:group", args=[saved.slug])).text
    search = client.get("/search/?q=travail").text
    for html in (library, search):
        assert "11 Nov 2026" in html
        assert "Nov. 11, 2026" not in html


def test_french_days_are_lower_case_with_a_full_stop(client, saved):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    for url in (reverse("library:group", args=[saved.slug]), "/search/?q=travail"):
        html = client.get(url).text
        assert "1 déc. 2026" in html, url
        assert "1 Déc 2026" not in html, url


def test_tags_sort_without_regard_to_accents():
    tags = ["travail-gratuit", "écrans", "télétravail", "emploi", "zèbre", "droit"]
    assert sorted(tags, key=tag_sort_key) == [
        "droit",
        "écrans",
        "emploi",
        "télétravail",
        "travail-gratuit",
        "zèbre",
    ]
    counts = [(t, 1) for t in tags]
    assert [t["tag"] for t in cloud(counts)] == sorted(tags, key=tag_sort_key)


def test_topic_pages_breadcrumb_starts_with_home(client, saved):
    topic = Topic.objects.create(group=saved, author=saved.memberships.first().user, title="Sujet")
    for url in (
        reverse("annotations:topic_list", args=[saved.slug]),
        reverse("annotations:topic", args=[saved.slug, topic.pk]),
    ):
        html = client.get(url).text
        crumb = html.split('class="breadcrumb"', 1)[1].split("</nav>", 1)[0]
        assert crumb.index(">Home<") < crumb.index(saved.name), url


@pytest.fixture
def one_item(db):
    group = GroupFactory(slug="veille", name="Veille", visibility="public")
    member = MembershipFactory(group=group).user
    page = PageFactory(
        url="https://example.org/enquete/les-micro-travailleurs",
        title="",
        fetch_status="failed",
        fetch_error="HTTP 503",
        link_failures=3,
    )
    return BookmarkFactory(
        group=group,
        owner=member,
        page=page,
        title="",
        tags=["télétravail", "économie"],
        unread=True,
        created_at=datetime(2026, 11, 11, 9, 0, tzinfo=UTC),
    )


def _item_block(html, pk):
    start = html.index(f'aria-labelledby="item-{pk}-title"')
    return html[start : html.index("</article>", start)]


def _texts(pattern, block):
    return [unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in re.findall(pattern, block, re.S)]


def _shown(block):
    """What a reader sees of an item: its title, tags, date and badges."""
    text = lambda pattern: _texts(pattern, block)  # noqa: E731
    return {
        "title": text(r'<h3 class="item-title"[^>]*>\s*<a [^>]*>(.*?)</a>'),
        "tags": text(r'rel="tag">(.*?)</a>'),
        "date": text(r"<time [^>]*>(.*?)</time>"),
        "badges": text(r'<span class="badge[^"]*"[^>]*>(.*?)</span>'),
    }


def test_library_and_search_render_an_item_with_the_same_partial(client, one_item):
    library = client.get(reverse("library:group", args=["veille"]))
    # the words of its address find it (the page has no title of its own)
    search = client.get(reverse("search:search"), {"q": "travailleurs"})
    assert [r.item.pk for r in search.context["results"].items] == [one_item.pk]
    for response in (library, search):
        assert "bookmarks/_item.html" in [t.name for t in response.templates]
    library_item = _shown(_item_block(library.text, one_item.pk))
    search_item = _shown(_item_block(search.text, one_item.pk))
    assert library_item == search_item
    assert library_item == {
        "title": ["Les micro travailleurs"],  # made from the URL, not the URL itself
        "tags": ["télétravail", "économie"],  # in the order they were given
        "date": ["11 Nov 2026"],
        "badges": ["read later", "could not fetch the page: HTTP 503", "dead link"],
    }
    # the search result says where the item is and offers to try the fetch again
    block = _item_block(search.text, one_item.pk)
    assert 'in <a href="/g/veille/">Veille</a>' in block
    assert reverse("library:refetch", args=[one_item.pk]) not in block  # anonymous: no retry
    assert "https://example.org/enquete" not in block.split("</h3>")[0]


def test_a_signed_in_searcher_may_try_the_fetch_again_from_the_results(client, one_item):
    client.force_login(one_item.owner)
    html = client.get(reverse("search:search"), {"q": "travailleurs"}).text
    block = _item_block(html, one_item.pk)
    assert reverse("library:refetch", args=[one_item.pk]) in block
    assert "Try again" in block
