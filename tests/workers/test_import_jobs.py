"""Imports run by a real Celery worker on Redis, as in production: the upload page queues the job
on commit, a worker process imports it, and the progress endpoint and page report what it did.

The worker is this folder's session-wide one (a subprocess reading the test database); the
progress it writes goes to the Redis cache that this process reads too. The sample files are
those of tests/imports.
"""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bookmarks.models import Bookmark
from tests.factories import UserFactory
from tests.imports.conftest import SAMPLES
from tests.workers.conftest import wait_until
from transfer.models import ImportJob
from transfer.services import progress_key

pytestmark = pytest.mark.worker

PROGRESS = re.compile(r'<progress id="import-bar" max="(\d+)" value="(\d+)"')
STATUS = re.compile(r'data-status="(\w+)"')


def sample_bytes(name):
    return (SAMPLES / name).read_bytes()


def upload(client, name, data):
    response = client.post(
        reverse("transfer:import"),
        {"file": SimpleUploadedFile(name, data), "destination": "", "folders_as_tags": "on"},
    )
    assert response.status_code == 302, response.text
    job = ImportJob.objects.filter(owner=response.wsgi_request.user).latest("pk")
    # job ids start again in each test database: no progress left in Redis by an earlier run
    cache.delete(progress_key(job.pk))
    # the upload shows a preview first; Confirm queues the job
    confirm = client.post(reverse("transfer:import_confirm", args=[job.pk]))
    assert confirm.status_code == 302, confirm.text
    return job


def finished(job, timeout=60):
    return wait_until(
        lambda: ImportJob.objects.filter(pk=job.pk, status__in=["done", "failed"]).first(),
        timeout=timeout,
    )


def counts(text):
    return {
        name: int(value.replace(",", ""))
        for name, value in re.findall(r'<strong class="count-(\w+)">([\d,]+)</strong>', text)
    }


def test_worker_imports_an_uploaded_file_and_the_progress_page_reports_it(worker, client):
    user = UserFactory()
    client.force_login(user)
    job = finished(upload(client, "favoris.html", sample_bytes("netscape.html")))

    assert job.status == "done", job.report
    assert (job.total, job.done, job.created, job.merged, job.skipped) == (5, 5, 4, 1, 2)
    assert Bookmark.objects.filter(owner=user, group__isnull=True).count() == 4

    partial = client.get(reverse("transfer:import_progress", args=[job.pk]))
    assert STATUS.search(partial.text).group(1) == "done"
    assert "hx-get" not in partial.text  # finished: the page stops polling
    assert counts(partial.text) == {"created": 4, "merged": 1, "skipped": 2}
    assert "not a web address (javascript:)" in partial.text
    assert "not a web address (place:)" in partial.text

    page = client.get(reverse("transfer:import_job", args=[job.pk]))
    assert counts(page.text) == {"created": 4, "merged": 1, "skipped": 2}
    assert "Read as Netscape bookmark HTML." in page.text
    listing = client.get(reverse("transfer:import"))
    assert "Done — 4 new, 1 merged" in listing.text


def test_worker_reimport_of_the_same_file_changes_nothing(worker, client):
    user = UserFactory()
    client.force_login(user)
    first = finished(upload(client, "diigo.csv", sample_bytes("diigo.csv")))
    assert (first.status, first.created, first.report["highlights"]) == ("done", 3, 2)
    before = sorted(Bookmark.objects.filter(owner=user).values_list("page__url", "tags"))

    again = finished(upload(client, "diigo.csv", sample_bytes("diigo.csv")))
    assert (again.status, again.created, again.merged) == ("done", 0, 3)
    assert again.report["unchanged"] == 3
    assert again.report["highlights"] == again.report["comments"] == 0
    assert sorted(Bookmark.objects.filter(owner=user).values_list("page__url", "tags")) == before
    partial = client.get(reverse("transfer:import_progress", args=[again.pk]))
    assert counts(partial.text) == {"created": 0, "merged": 3, "skipped": 0}
    assert "3 unchanged" in partial.text


def test_worker_imports_the_good_row_of_a_broken_file_and_the_page_lists_the_skipped_lines(
    worker, client
):
    user = UserFactory()
    client.force_login(user)
    job = finished(upload(client, "cassé.csv", sample_bytes("diigo_broken.csv")))
    assert job.status == "done"
    assert list(Bookmark.objects.filter(owner=user).values_list("title", flat=True)) == ["Bon"]
    assert job.skipped == 3
    page = client.get(reverse("transfer:import_job", args=[job.pk])).text
    assert "Nothing was imported" not in page
    for line in ("line 3", "line 4", "line 5"):
        assert line in page


def big_netscape_file(count):
    rows = "\n".join(
        f'<DT><A HREF="https://exemple.fr/article-{n}?utm_source=x" ADD_DATE="{1552384800 + n}" '
        f'TAGS="travail,économie">Article n° {n} : « micro-travail », clics, IA</A>'
        for n in range(count)
    )
    return f"<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n{rows}\n</DL><p>\n".encode()


def test_progress_bar_moves_while_the_worker_imports_a_large_file(worker, client):
    """Polled as the page's htmx does: the bar's done/total only grow, then the counts show."""
    user = UserFactory()
    client.force_login(user)
    total = 12_000
    job = upload(client, "gros.html", big_netscape_file(total))
    url = reverse("transfer:import_progress", args=[job.pk])
    seen = []

    def poll():
        text = client.get(url).text
        status = STATUS.search(text).group(1)
        bar = PROGRESS.search(text)
        seen.append((status, tuple(int(v) for v in bar.groups()) if bar else None))
        return status in ("done", "failed") and text

    text = wait_until(poll, timeout=180, interval=0.05)
    assert counts(text) == {"created": total, "merged": 0, "skipped": 0}
    running = [bar for status, bar in seen if status == "running" and bar]
    assert running, seen  # the bar was shown while the job ran
    assert all(max_ == total for max_, _ in running)  # never "0 of 0" while reading the file
    done_values = [value for _, value in running]
    assert done_values == sorted(done_values)  # it never goes back
    assert Bookmark.objects.filter(owner=user).count() == total


def test_exported_library_uploaded_into_an_empty_one_comes_back_the_same(worker, client):
    """The round trip as a person does it: download the JSON export, upload it elsewhere."""
    from tests.factories import BookmarkFactory, HighlightFactory, PageFactory

    alice, bob = UserFactory(), UserFactory()
    bookmark = BookmarkFactory(
        owner=alice,
        page=PageFactory(url="https://www.lemonde.fr/economie/micro-travail.html"),
        title="Les « micro-travailleurs » du clic, nouveaux prolétaires",
        description='Un article "essentiel", à relire.',
        tags=["travail", "économie numérique"],
        private=True,
    )
    HighlightFactory(
        bookmark=bookmark,
        exact="Ils micro-travaillent pour quelques centimes",
        note="Chiffre à vérifier,\nsur deux lignes",
        prefix="Aujourd'hui, ",
        suffix=" par tâche.",
    )
    client.force_login(alice)
    download = client.get(reverse("transfer:export_download"), {"format": "json"})
    exported = b"".join(download.streaming_content)

    client.force_login(bob)
    job = finished(upload(client, "commonplace-alice.json", exported))
    assert (job.status, job.file_format, job.created) == ("done", "commonplace", 1)

    def state(user):
        return [
            (
                b.page.url,
                b.title,
                b.description,
                b.tags,
                b.created_at,
                b.private,
                [(h.exact, h.note, h.prefix, h.suffix) for h in b.highlights.all()],
            )
            for b in Bookmark.objects.filter(owner=user).prefetch_related("highlights")
        ]

    assert state(bob) == state(alice)
