"""Redis stopped under the site (issue 19, point 12): pages are served, the cache and the
posting limits degrade, log-in fails closed, and a fetch that could not be queued is not lost.

The cache runs on a redis-server of the test's own, on a free port, which the test stops and
starts again; the shared servers are never touched.
"""

import shutil
import socket
import subprocess
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from rest_framework.test import APIClient

from accounts.services import regenerate_api_token
from bookmarks.models import Page
from bookmarks.services import save_bookmark
from config import outage
from config.locks import _redis
from config.models import OutboxMessage
from config.outbox import sweep_outbox
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayRedis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.kill()
        self.process.wait()


@pytest.fixture
def cache_redis():
    server = ThrowawayRedis()
    server.start()
    url = f"redis://127.0.0.1:{server.port}/0"
    caches_setting = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": url}}
    with override_settings(CACHES=caches_setting, CACHE_URL=url):
        yield server
    if server.process.poll() is None:
        server.stop()
    _redis.pop(url, None)
    outage._down_until.clear()


def test_pages_answer_200_while_the_cache_redis_is_down(client, user, cache_redis):
    group = GroupFactory(visibility="public")
    MembershipFactory(group=group, user=user)
    bookmark = BookmarkFactory(group=group, owner=user)
    client.force_login(user)
    pages = ["/", f"/g/{group.slug}/", f"/b/{bookmark.pk}/", "/api/v1/bookmarks/"]
    assert [client.get(p).status_code for p in pages] == [200] * 4
    caches["default"].set("probe", 1)

    cache_redis.stop()
    started = time.monotonic()
    assert [client.get(p).status_code for p in pages] == [200] * 4
    assert time.monotonic() - started < 10  # degraded, not stalled
    assert caches["default"].get("probe") is None  # a miss, not an error

    # log-in fails closed, with a message, while the counters are out of reach
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "correct horse battery"}
    )
    assert response.status_code == 503
    assert "Logging in is unavailable for a moment" in response.text

    cache_redis.start()
    outage._down_until.clear()
    assert caches["default"].set("probe", 2) is not False
    assert caches["default"].get("probe") == 2


def test_a_bookmark_saved_while_the_broker_is_down_is_queued_by_the_sweeper(
    user, django_capture_on_commit_callbacks, monkeypatch
):
    # The broker is known down (what config.queue records after a refused publish).
    outage.mark_down(settings.CELERY_BROKER_URL)
    with django_capture_on_commit_callbacks(execute=True):
        bookmark, _created = save_bookmark(user, "https://example.org/saved-while-down")
    page = Page.objects.get(pk=bookmark.page_id)
    row = OutboxMessage.objects.get(task="bookmarks.tasks.fetch_page")
    assert row.args == [page.pk]
    OutboxMessage.objects.update(due_at=row.created_at)
    assert sweep_outbox() == 0  # still down: nothing sent, the row stays
    assert OutboxMessage.objects.count() == 1

    outage.mark_up(settings.CELERY_BROKER_URL)
    sent = []
    monkeypatch.setattr(
        "config.outbox.enqueue", lambda name, *a, **k: sent.append((name, a)) or True
    )
    assert sweep_outbox() == 1
    assert sent == [("bookmarks.tasks.fetch_page", (page.pk,))]
    assert not OutboxMessage.objects.exists()


def test_the_api_token_still_works_while_the_cache_redis_is_down(user, cache_redis):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {regenerate_api_token(user).key}")
    assert client.get("/api/v1/me/").status_code == 200  # cached in the throwaway Redis
    cache_redis.stop()
    response = client.get("/api/v1/me/")
    assert response.status_code == 200  # the database decides
    assert response.json()["username"] == user.username
