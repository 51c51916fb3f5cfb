"""The reader view (and what it hands the in-page annotator), and the fetch-status partial."""

import json

import lxml.html
import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

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
    assert client.get(reverse("library:fetch_status", args=[item.pk])).status_code == 404


def annotator_of(response):
    """What the reader hands the in-page annotator (json_script), or None without it."""
    found = BeautifulSoup(response.content.decode(), "lxml").find(id="reader-annotator")
    return json.loads(found.string) if found else None


def test_the_owner_gets_the_annotator_saving_on_this_bookmark(client, bookmark):
    client.force_login(bookmark.owner)
    response = client.get(reverse("library:read", args=[bookmark.pk]))
    assert annotator_of(response) == {
        "bookmark": bookmark.pk,
        "url": bookmark.page.url,
        "title": bookmark.display_title,
        "place": "My library",
        "readOnly": False,
    }
    assert "annotator/annotator.js" in response.content.decode()
    assert 'id="highlight-form"' not in response.content.decode()  # no controls above the text


def test_a_group_member_gets_the_annotator_with_the_group_as_the_place(
    client, private_group, member_of
):
    user = member_of(private_group)
    group = private_group
    item = BookmarkFactory(group=group, page=PageFactory(text=TEXT, fetch_status="ok"))
    client.force_login(user)
    response = client.get(reverse("library:read", args=[item.pk]))
    assert annotator_of(response)["place"] == group.name


def test_a_visitor_or_a_stranger_reads_the_servers_marks_without_the_annotator(
    client, bookmark, user
):
    place(bookmark, "payés à la tâche")
    for viewer in (None, user):
        if viewer:
            client.force_login(viewer)
        response = client.get(reverse("library:read", args=[bookmark.pk]))
        assert response.status_code == 200
        assert annotator_of(response) is None
        assert "annotator/annotator.js" not in response.content.decode()
        assert reader_text(response).find("mark").get_text() == "payés à la tâche"


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
