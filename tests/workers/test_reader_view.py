"""The reader view, its highlight endpoint and the library's fetch-status partial."""

import json

import lxml.html
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from annotations.models import Highlight
from tests.factories import BookmarkFactory, HighlightFactory, PageFactory

TEXT = (
    "Intro <b>pas du HTML</b> & co.\n\n"
    "Les micro-travailleurs sont payés à la tâche.\n\n"
    "Fin du texte, « vraiment »."
)


def reader_text(response):
    soup = BeautifulSoup(response.content.decode(), "lxml")
    return soup.find(id="reader-text")


def text_content(response):
    """The container's text as a browser computes it (bs4 folds blank-only strings)."""
    document = lxml.html.fromstring(response.content.decode())
    return document.get_element_by_id("reader-text").text_content()


def place(bookmark, exact, **fields):
    start = TEXT.index(exact)
    return HighlightFactory(
        bookmark=bookmark,
        author=bookmark.owner,
        exact=exact,
        start=start,
        end=start + len(exact),
        anchor_status=fields.pop("anchor_status", "anchored"),
        **fields,
    )


@pytest.fixture
def bookmark(db):
    return BookmarkFactory(page=PageFactory(text=TEXT, fetch_status="ok"))


def test_reader_serves_the_page_text_escaped_with_exactly_its_characters(client, bookmark):
    place(bookmark, "co.\n\nLes micro", color="pink")  # across a paragraph break
    place(bookmark, "micro-travailleurs sont", color="blue")  # overlapping
    response = client.get(reverse("library:read", args=[bookmark.pk]))
    assert response.status_code == 200
    assert text_content(response) == TEXT
    container = reader_text(response)
    assert container.find("b") is None  # the page's "<b>" is text, not markup
    assert len(container.find_all("p")) == 3
    assert "".join(m.get_text() for m in container.select("mark.hl-blue")) == (
        "micro-travailleurs sont"
    )
    assert "".join(m.get_text() for m in container.select("mark.hl-pink")) == "co.Les "


def test_orphaned_highlights_are_listed_as_no_longer_on_the_page(client, bookmark):
    place(bookmark, "Fin du texte", anchor_status="orphaned", snapshot="Fin du texte ancien")
    response = client.get(reverse("library:read", args=[bookmark.pk]))
    assert reader_text(response).find("mark") is None
    assert "No longer on the page" in response.content.decode()
    assert "Fin du texte ancien" in response.content.decode()


def test_reader_of_a_private_group_item_is_404_for_a_non_member(client, private_group, user):
    item = BookmarkFactory(group=private_group, page=PageFactory(text=TEXT))
    client.force_login(user)
    assert client.get(reverse("library:read", args=[item.pk])).status_code == 404
    response = client.post(
        reverse("library:reader_highlight", args=[item.pk]),
        data=json.dumps({"exact": "Intro"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.get(reverse("library:fetch_status", args=[item.pk])).status_code == 404


def post(client, bookmark, **data):
    return client.post(
        reverse("library:reader_highlight", args=[bookmark.pk]),
        data=json.dumps(data),
        content_type="application/json",
    )


def test_highlight_posted_from_the_reader_is_stored_with_its_selectors(client, bookmark):
    client.force_login(bookmark.owner)
    exact = "payés à la tâche"
    start = TEXT.index(exact)
    response = post(
        client,
        bookmark,
        exact=exact,
        start=start,
        end=start + len(exact),
        prefix=TEXT[start - 32 : start],
        suffix=TEXT[start + len(exact) :][:32],
        color="purple",
        note="essentiel",
    )
    assert response.status_code == 201, response.content
    stored = Highlight.objects.get(pk=response.json()["id"])
    assert (stored.exact, stored.start, stored.end, stored.color, stored.note) == (
        exact,
        start,
        start + len(exact),
        "purple",
        "essentiel",
    )


def test_offsets_that_do_not_hold_the_quote_are_refused(client, bookmark):
    client.force_login(bookmark.owner)
    response = post(client, bookmark, exact="payés", start=0, end=5)
    assert response.status_code == 400
    assert not Highlight.objects.exists()


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"exact": "Intro", "start": "x"}'])
def test_malformed_requests_get_a_400_not_a_500(client, bookmark, body):
    client.force_login(bookmark.owner)
    response = client.post(
        reverse("library:reader_highlight", args=[bookmark.pk]),
        data=body,
        content_type="application/json",
    )
    assert response.status_code == 400


def test_a_visitor_who_is_not_logged_in_cannot_highlight(client, bookmark):
    response = post(client, bookmark, exact="Intro", start=0, end=5)
    assert response.status_code == 403
    assert not Highlight.objects.exists()


def test_fetch_status_polls_while_pending_then_swaps_the_title_in(client, db):
    item = BookmarkFactory(title="", page=PageFactory(title="", fetch_status="pending"))
    url = reverse("library:fetch_status", args=[item.pk])
    pending = client.get(url).content.decode()
    assert "fetching…" in pending
    assert f'hx-get="{url}"' in pending
    item.page.title = "Le titre récupéré"
    item.page.fetch_status = "ok"
    item.page.text = "Du texte."
    item.page.save()
    done = client.get(url).content.decode()
    assert "fetching…" not in done
    assert "hx-get" not in done
    assert f'hx-swap-oob="innerHTML:#item-{item.pk}-title &gt; a"' in done or (
        f"#item-{item.pk}-title > a" in done
    )
    assert "Le titre récupéré" in done
    assert reverse("library:read", args=[item.pk]) in done


def test_fetch_status_shows_failure_and_dead_link(client, db):
    item = BookmarkFactory(
        page=PageFactory(fetch_status="failed", fetch_error="HTTP 404", link_failures=3)
    )
    html = client.get(reverse("library:fetch_status", args=[item.pk])).content.decode()
    assert "could not fetch the page" in html
    assert "dead link" in html


def test_asking_for_a_refetch_queues_it_once_per_few_minutes(client, bookmark, monkeypatch):
    from django.core.cache import cache

    from bookmarks import services

    queued = []
    monkeypatch.setattr(services, "queue_fetch", queued.append)  # no broker in this test
    cache.delete(f"refetch:page:{bookmark.page_id}")
    client.force_login(bookmark.owner)
    url = reverse("library:refetch", args=[bookmark.pk])
    first = client.post(url, follow=True)
    second = client.post(url, follow=True)
    assert queued == [bookmark.page_id]
    assert "fetched again in a moment" in first.content.decode()
    assert "a few minutes ago" in second.content.decode()
