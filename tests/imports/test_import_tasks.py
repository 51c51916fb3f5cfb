"""The import job task, called synchronously (through a real worker: tests/workers)."""

from django.core.cache import cache

from bookmarks.models import Bookmark
from transfer.models import ImportJob
from transfer.services import progress_key, start_import
from transfer.tasks import run_import


def test_task_runs_a_job_to_done_with_counts_and_reasons(user, sample):
    job = start_import(user, filename="bookmarks.html", data=sample("netscape.html"))
    assert job.status == "pending" and job.file_format == "netscape"
    assert run_import(job.pk) == "done"
    job.refresh_from_db()
    assert (job.total, job.done, job.created, job.merged, job.skipped) == (5, 5, 4, 1, 2)
    assert [row["reason"] for row in job.report["skipped"]] == [
        "not a web address (javascript:)",
        "not a web address (place:)",
    ]
    assert job.finished_at is not None
    assert bytes(job.data) == b""  # the upload is not kept once imported
    assert Bookmark.objects.filter(owner=user).count() == 4


def test_task_is_safe_to_run_twice(user, sample):
    job = start_import(user, filename="diigo.csv", data=sample("diigo.csv"))
    run_import(job.pk)
    run_import(job.pk)
    job.refresh_from_db()
    assert job.created == 3
    assert Bookmark.objects.filter(owner=user).count() == 3


def test_broken_rows_are_skipped_with_their_line_and_the_rest_imported(user, sample):
    job = start_import(user, filename="broken.csv", data=sample("diigo_broken.csv"))
    assert run_import(job.pk) == "done"
    job.refresh_from_db()
    assert (job.total, job.created, job.skipped) == (4, 1, 3)
    assert [row["where"] for row in job.report["skipped"]] == ["line 3", "line 4", "line 5"]
    assert job.report["skipped"][2]["reason"] == "the url is empty"


def test_strict_broken_file_fails_the_job_and_imports_nothing(user, sample):
    job = start_import(user, filename="broken.csv", data=sample("diigo_broken.csv"), strict=True)
    assert run_import(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error == "Nothing was imported: the file has problems."
    assert "line 4: expected 7 fields, found 3" in job.report["errors"][1]
    assert (job.created, job.merged) == (0, 0)
    assert not Bookmark.objects.exists()


def test_job_keeps_the_folder_option(user, sample):
    job = start_import(user, filename="b.html", data=sample("netscape.html"), folders_as_tags=False)
    run_import(job.pk)
    assert not Bookmark.objects.filter(tags__contains=["lectures"]).exists()


def test_progress_is_visible_outside_the_import_transaction(user, sample, monkeypatch):
    """The page polls while the import's transaction is still open: progress goes to the cache."""
    from transfer import services as import_service

    job = start_import(user, filename="b.html", data=sample("netscape.html"))
    seen = []
    original = import_service.import_items

    def spy(*args, progress, **kwargs):
        def record(done, total):
            progress(done, total)
            seen.append((ImportJob.objects.get(pk=job.pk).status, cache.get(progress_key(job.pk))))

        return original(*args, progress=record, **kwargs)

    monkeypatch.setattr(import_service, "import_items", spy)
    run_import(job.pk)
    assert seen == [("running", {"done": 5, "total": 5})]
    assert cache.get(progress_key(job.pk)) is None


def test_a_save_racing_the_import_fails_the_job_with_a_clear_message(user, sample, monkeypatch):
    from django.db import IntegrityError

    from transfer import services as import_service

    def collide(*args, **kwargs):
        raise IntegrityError("duplicate key value violates one_bookmark_per_destination")

    monkeypatch.setattr(import_service, "import_items", collide)
    job = start_import(user, filename="p.json", data=sample("pinboard.json"))
    assert run_import(job.pk) == "failed"
    job.refresh_from_db()
    assert job.report["errors"] == [
        "The library changed while importing; nothing was imported. Try again."
    ]


def test_a_new_job_never_shows_progress_left_by_an_older_job_with_its_id(user, sample):
    # job ids start again with a new database while Redis keeps its keys
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value FROM bookmarks_importjob_id_seq")
        last = cursor.fetchone()[0]
    for job_id in range(last, last + 3):
        cache.set(progress_key(job_id), {"done": 999, "total": 999})
    job = start_import(user, filename="bookmarks.html", data=sample("netscape.html"))
    assert cache.get(progress_key(job.pk)) is None


def test_a_job_that_ends_while_its_page_is_read_shows_the_end_not_a_bar_back_at_zero(user, sample):
    from transfer.services import job_progress

    job = start_import(user, filename="bookmarks.html", data=sample("netscape.html"))
    running = ImportJob.objects.get(pk=job.pk)
    running.status = ImportJob.Status.RUNNING  # what the page read, just before the end
    run_import(job.pk)  # the worker ends it and removes the live progress
    assert job_progress(running) == (5, 5)
    assert running.status == "done"
