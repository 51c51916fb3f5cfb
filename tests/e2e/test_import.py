"""In a real browser: upload a bookmark file, watch the progress block update itself (htmx).

The job runs here by calling the task function in the test (no Celery worker in e2e tests; the
round trip through a real worker is tests/workers/test_import_jobs.py). The page, already open,
must switch from "waiting" to "reading" to the progress bar to the finished counts by polling,
without a reload.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import cache

from bookmarks.models import Bookmark
from tests.factories import UserFactory
from transfer.models import ImportJob
from transfer.services import progress_key
from transfer.tasks import run_import

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SAMPLES = Path(__file__).resolve().parent.parent / "imports" / "samples"


@pytest.fixture
def upload(live_server, page, login, monkeypatch):
    """upload(sample name) → the user who uploaded and confirmed it, now on its job page.

    The job is not sent to the broker: the test plays the worker, step by step (a real worker
    left running by tests/workers in the same session would otherwise finish it at once).
    """
    monkeypatch.setattr("transfer.services._queue_job", lambda job_id: None)

    def _upload(name):
        user = UserFactory()
        login(user)
        page.goto(f"{live_server.url}/import/")
        page.get_by_label("Bookmark file").set_input_files(str(SAMPLES / name))
        page.get_by_role("button", name="Import").click()
        page.get_by_role("button", name="Confirm import").click()  # the preview comes first
        page.wait_for_load_state()
        return user

    return _upload


def test_import_progress_updates_in_place_until_done(page, upload):
    user = upload("diigo.csv")
    progress = page.locator("#import-progress")
    progress.get_by_text("Waiting for a worker").wait_for()
    assert progress.get_attribute("hx-trigger") == "every 1s"
    url = page.url

    # a worker picks the job up and reads the file: how many bookmarks is not known yet
    job = ImportJob.objects.get(owner=user)
    cache.delete(progress_key(job.pk))  # job ids start again in each test database
    ImportJob.objects.filter(pk=job.pk).update(status="running")
    progress.get_by_text("Reading the file…").wait_for(timeout=10_000)
    assert progress.get_by_text("0 of 0").count() == 0

    # then it reports progress: the bar appears and moves, in place
    ImportJob.objects.filter(pk=job.pk).update(total=3)
    cache.set(progress_key(job.pk), {"done": 1, "total": 3})
    bar = progress.locator("progress#import-bar[max]")
    bar.wait_for(timeout=10_000)
    assert (bar.get_attribute("value"), bar.get_attribute("max")) == ("1", "3")
    assert progress.get_by_text("1 of 3 bookmarks").is_visible()

    run_import(job.pk)

    progress.locator(".count-created").wait_for(timeout=10_000)
    assert progress.locator(".count-created").inner_text() == "3"
    assert progress.get_attribute("hx-get") is None  # finished: polling stopped
    assert page.get_by_text("2 highlights added").is_visible()
    assert page.url == url  # updated in place, no reload
    assert Bookmark.objects.filter(owner=user).count() == 3


def test_broken_file_imports_the_good_row_and_lists_the_skipped_ones(page, upload):
    user = upload("diigo_broken.csv")
    run_import(ImportJob.objects.get(owner=user).pk)
    skipped = page.locator(".import-skipped")
    skipped.wait_for(state="attached", timeout=10_000)
    assert "line 5" in skipped.text_content()
    assert list(Bookmark.objects.values_list("title", flat=True)) == ["Bon"]
