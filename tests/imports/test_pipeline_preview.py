"""Upload → preview → Confirm: the counts come before any write, Confirm imports the same file."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations.models import Highlight
from bookmarks.models import Bookmark
from tests.factories import BookmarkFactory, PageFactory
from transfer.models import ImportJob
from transfer.tasks import run_import

pytestmark = pytest.mark.django_db

GONE = "This import preview is no longer available"


def upload(client, sample, name="diigo.csv", **fields):
    data = {"file": SimpleUploadedFile(name, sample(name)), "destination": "", **fields}
    return client.post(reverse("transfer:import"), data)


def test_upload_shows_the_counts_and_writes_nothing(client, user, sample):
    client.force_login(user)
    response = upload(client, sample)
    job = ImportJob.objects.get(owner=user)
    assert job.status == "preview"
    assert response["Location"] == reverse("transfer:import_preview", args=[job.pk])
    page = client.get(response["Location"]).text
    assert "3 rows: 3 will be imported (0 merge with existing), 0 repaired, 0 skipped" in page
    assert "Nothing has been written yet." in page
    assert f'action="{reverse("transfer:import_confirm", args=[job.pk])}"' in page
    assert f'action="{reverse("transfer:import_cancel", args=[job.pk])}"' in page
    assert not Bookmark.objects.exists()
    assert not Highlight.objects.exists()
    # a worker handed the preview by mistake writes nothing either
    run_import(job.pk)
    assert not Bookmark.objects.exists()


def test_preview_counts_merges_skips_and_repairs_with_their_reasons(client, user, sample):
    page_row = PageFactory(url="https://example.org/bon")
    BookmarkFactory(owner=user, page=page_row)
    client.force_login(user)
    upload(client, sample, name="diigo_broken.csv")
    job = ImportJob.objects.get(owner=user, status="preview")
    page = client.get(reverse("transfer:import_preview", args=[job.pk])).text
    assert "4 rows: 1 will be imported (1 merge with existing), 0 repaired, 3 skipped" in page
    assert 'class="preview-skipped"' in page and "line 5" in page


def test_preview_lists_repaired_lines(client, user):
    client.force_login(user)
    csv = (
        b"title,url,tags,description,comments,annotations,created_at\n"
        b"https://example.org/swapped,Un titre,,,,,2019-03-12 10:00:00\n"
        b"Bon,https://example.org/bon,,,,,2019-03-12 10:00:00\n"
    )
    client.post(reverse("transfer:import"), {"file": SimpleUploadedFile("d.csv", csv)})
    job = ImportJob.objects.get(owner=user, status="preview")
    page = client.get(reverse("transfer:import_preview", args=[job.pk])).text
    assert "2 rows: 2 will be imported (0 merge with existing), 1 repaired, 0 skipped" in page
    assert 'class="preview-repairs"' in page and "line 2" in page


def test_confirm_imports_the_stored_upload_once(client, user, sample):
    client.force_login(user)
    upload(client, sample, private="on")
    job = ImportJob.objects.get(owner=user)
    response = client.post(reverse("transfer:import_confirm", args=[job.pk]))
    assert response["Location"] == reverse("transfer:import_job", args=[job.pk])
    again = client.post(reverse("transfer:import_confirm", args=[job.pk]))  # a double click
    assert again["Location"] == reverse("transfer:import_job", args=[job.pk])
    assert ImportJob.objects.get().status == "pending"
    run_import(job.pk)
    assert Bookmark.objects.filter(owner=user, private=True).count() == 3
    assert "3" in client.get(reverse("transfer:import_job", args=[job.pk])).text


def test_cancel_forgets_the_upload(client, user, sample):
    client.force_login(user)
    upload(client, sample)
    job = ImportJob.objects.get(owner=user)
    response = client.post(reverse("transfer:import_cancel", args=[job.pk]))
    assert response["Location"] == reverse("transfer:import")
    assert not ImportJob.objects.exists()
    gone = client.post(reverse("transfer:import_confirm", args=[job.pk]))
    assert gone.status_code == 404 and GONE in gone.text
    assert not Bookmark.objects.exists()


def test_someone_elses_preview_cannot_be_seen_confirmed_or_cancelled(
    client, user, other_user, sample
):
    client.force_login(other_user)
    upload(client, sample)
    job = ImportJob.objects.get(owner=other_user)
    client.force_login(user)
    for name in ("import_preview", "import_job"):
        response = client.get(reverse(f"transfer:{name}", args=[job.pk]))
        assert response.status_code == 404
    confirm = client.post(reverse("transfer:import_confirm", args=[job.pk]))
    assert confirm.status_code == 404 and GONE in confirm.text
    client.post(reverse("transfer:import_cancel", args=[job.pk]))
    assert ImportJob.objects.get().status == "preview"
    assert not Bookmark.objects.exists()


def test_expired_preview_says_so_and_is_deleted(client, user, sample):
    client.force_login(user)
    upload(client, sample)
    job = ImportJob.objects.get(owner=user)
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - timedelta(days=1))
    confirm = client.post(reverse("transfer:import_confirm", args=[job.pk]))
    assert confirm.status_code == 404 and GONE in confirm.text
    assert not ImportJob.objects.exists()
    assert not Bookmark.objects.exists()


def test_confirm_needs_a_post(client, user, sample):
    client.force_login(user)
    upload(client, sample)
    job = ImportJob.objects.get(owner=user)
    assert client.get(reverse("transfer:import_confirm", args=[job.pk])).status_code == 405
    assert ImportJob.objects.get().status == "preview"


def test_preview_reads_in_french(client, user, sample):
    client.cookies["django_language"] = "fr"
    client.force_login(user)
    upload(client, sample)
    job = ImportJob.objects.get(owner=user)
    page = client.get(reverse("transfer:import_preview", args=[job.pk])).text
    assert "3 lignes\xa0: 3 seront importées (0 fusionnées avec l’existant)" in page
    assert "Confirmer l’import" in page
