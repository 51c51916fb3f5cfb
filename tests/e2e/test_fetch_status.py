"""In a real browser: a page that could not be fetched says why, and "Try again" fetches it."""

import os

import pytest

from bookmarks import services
from tests.factories import BookmarkFactory, PageFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_try_again_turns_the_failure_badge_into_fetching(live_server, page, login, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    queued = []
    monkeypatch.setattr(services, "queue_fetch", queued.append)  # no worker: it stays pending
    user = UserFactory()
    failed = PageFactory(
        url="https://example.org/enquete/les-micro-travailleurs",
        title="",
        fetch_status="failed",
        fetch_error="HTTP 503",
    )
    bookmark = BookmarkFactory(owner=user, page=failed, title="")
    login(user)
    page.goto(f"{live_server.url}/u/{user.username}/")
    item = page.locator(f"#item-{bookmark.pk}-title")
    assert item.get_by_role("link").inner_text() == "Les micro travailleurs"
    status = page.locator(f"#fetch-status-{bookmark.pk}")
    assert "could not fetch the page: HTTP 503" in status.inner_text()
    status.get_by_role("button", name="Try again").click()
    page.locator(f"#fetch-status-{bookmark.pk} .fetching").wait_for()
    assert queued == [failed.pk]
    assert page.url == f"{live_server.url}/u/{user.username}/"  # swapped in place
