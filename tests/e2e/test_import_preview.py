"""In a real browser: upload a file, read the preview, Confirm, and see the import finish.

Nothing is written until Confirm; Confirm imports the file stored with the preview (the browser
does not send it again). The job runs by calling the task function here, as in test_import.py.
"""

import os
from pathlib import Path

import pytest

from annotations.models import Highlight
from bookmarks.models import Bookmark
from tests.factories import UserFactory
from transfer.models import ImportJob
from transfer.tasks import run_import

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SAMPLES = Path(__file__).resolve().parent.parent / "imports" / "samples"


@pytest.fixture
def uploaded(live_server, page, login, monkeypatch):
    """uploaded(sample) → the user, on the preview page of the file they just chose."""
    monkeypatch.setattr("transfer.services._queue_job", lambda job_id: None)

    def _upload(name, *, private=False):
        user = UserFactory()
        login(user)
        page.goto(f"{live_server.url}/import/")
        page.get_by_label("Bookmark file").set_input_files(str(SAMPLES / name))
        if private:
            page.get_by_label("Import as private").check()
        page.get_by_role("button", name="Import").click()
        page.locator("#import-preview").wait_for()
        return user

    return _upload


def test_upload_preview_confirm_result(page, uploaded):
    user = uploaded("diigo.csv", private=True)
    summary = page.locator(".preview-summary")
    assert summary.inner_text() == (
        "3 rows: 3 will be imported (0 merge with existing), 0 repaired, 0 skipped"
    )
    assert page.get_by_text("Every imported bookmark will be private.").is_visible()
    assert not Bookmark.objects.exists()  # the preview wrote nothing

    page.get_by_role("button", name="Confirm import").click()
    progress = page.locator("#import-progress")
    progress.get_by_text("Waiting for a worker").wait_for()
    run_import(ImportJob.objects.get(owner=user).pk)

    progress.locator(".count-created").wait_for(timeout=10_000)
    assert progress.locator(".count-created").inner_text() == "3"
    assert page.get_by_text("2 highlights added").is_visible()
    assert Bookmark.objects.filter(owner=user, private=True).count() == 3
    assert Highlight.objects.filter(author=user).count() == 2


def test_preview_lists_skipped_lines_and_cancel_writes_nothing(page, uploaded):
    user = uploaded("diigo_broken.csv")
    assert "1 will be imported" in page.locator(".preview-summary").inner_text()
    assert "line 5" in page.locator(".preview-skipped").inner_text()

    page.get_by_role("button", name="Cancel").click()
    page.get_by_role("heading", name="Import bookmarks").wait_for()
    assert not ImportJob.objects.filter(owner=user).exists()
    assert not Bookmark.objects.exists()
