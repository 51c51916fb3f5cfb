"""A page that cannot be fetched: a readable title from its URL, the reason, and a way to retry."""

import pytest
from django.urls import reverse

from bookmarks import services
from bookmarks.fetcher import FetchError
from bookmarks.models import Page
from bookmarks.urlnorm import title_from_url
from tests.factories import BookmarkFactory, PageFactory
from transfer.exporters import exportable_bookmarks, write_export


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("https://www.example.org/blog/2026/why-we-work-less.html", "Why we work less"),
        ("https://example.org/le_travail%20gratuit/", "Le travail gratuit"),
        ("https://example.org/articles/micro-travail/12345", "Micro travail"),
        ("https://example.org/docs/index.php", "Docs"),
        ("https://www.example.org/", "example.org"),
        ("https://example.org", "example.org"),
    ],
)
def test_a_title_is_made_from_the_url_path(url, title):
    assert title_from_url(url) == title


@pytest.fixture
def unfetched(user):
    page = PageFactory(
        url="https://example.org/enquete/les-micro-travailleurs",
        title="",
        fetch_status="failed",
        fetch_error="HTTP 503",
    )
    return BookmarkFactory(owner=user, page=page, title="")


def test_my_library_shows_the_reason_a_retry_button_and_a_readable_title(client, unfetched):
    client.force_login(unfetched.owner)
    html = client.get(reverse("library:user", args=[unfetched.owner.username])).content.decode()
    assert "could not fetch the page: HTTP 503" in html
    assert reverse("library:refetch", args=[unfetched.pk]) in html
    assert "Try again" in html
    assert 'rel="noopener nofollow">Les micro travailleurs</a>' in html


def test_detail_page_title_is_readable(client, unfetched):
    client.force_login(unfetched.owner)
    html = client.get(unfetched.get_absolute_url()).content.decode()
    assert "<title>Les micro travailleurs" in html


def test_try_again_puts_the_page_back_to_fetching(client, unfetched, monkeypatch):
    queued = []
    monkeypatch.setattr(services, "queue_fetch", queued.append)
    client.force_login(unfetched.owner)
    response = client.post(
        reverse("library:refetch", args=[unfetched.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "fetching…" in response.content.decode()
    assert 'hx-trigger="every 2s"' in response.content.decode()
    assert queued == [unfetched.page_id]
    assert Page.objects.get(pk=unfetched.page_id).fetch_status == "pending"


def test_anonymous_visitors_are_not_offered_try_again(client, unfetched):
    url = reverse("library:fetch_status", args=[unfetched.pk])
    unfetched.private = False
    unfetched.save()
    html = client.get(url).content.decode()
    assert "Try again" not in html


def test_while_retries_remain_the_badge_says_fetching_and_why(client, unfetched):
    Page.objects.filter(pk=unfetched.page_id).update(fetch_status="pending", fetch_error="")
    services.record_fetch_failure(unfetched.page_id, FetchError("timed out"), final=False)
    client.force_login(unfetched.owner)
    html = client.get(reverse("library:fetch_status", args=[unfetched.pk])).content.decode()
    assert "fetching… (trying again: timed out)" in html
    services.record_fetch_failure(unfetched.page_id, FetchError("timed out"), final=True)
    html = client.get(reverse("library:fetch_status", args=[unfetched.pk])).content.decode()
    assert "could not fetch the page: timed out" in html


@pytest.mark.parametrize("file_format", ["netscape", "diigo"])
def test_exports_give_the_unfetched_page_a_readable_title(unfetched, file_format):
    user = unfetched.owner
    text = "".join(
        write_export(file_format, exportable_bookmarks(user, None), viewer=user, source="test")
    )
    assert "Les micro travailleurs" in text
    assert "></A>" not in text
