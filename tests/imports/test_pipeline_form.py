"""The import form's "Import as private" and "Strict (all or nothing)" choices reach the job."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bookmarks.models import Bookmark
from transfer.models import ImportJob
from transfer.tasks import run_import

pytestmark = pytest.mark.django_db


def post_import(client, sample, name="diigo.csv", **fields):
    """Upload, then Confirm the preview (the job then waits for a worker)."""
    data = {"file": SimpleUploadedFile(name, sample(name)), "destination": "", **fields}
    response = client.post(reverse("transfer:import"), data)
    job = ImportJob.objects.filter(status="preview").first()
    if job is not None:
        client.post(reverse("transfer:import_confirm", args=[job.pk]))
    return response


def test_import_page_offers_private_and_strict_with_their_help(client, user):
    client.force_login(user)
    page = client.get(reverse("transfer:import")).text
    assert 'name="private"' in page and "Import as private" in page
    assert 'name="strict"' in page and "Strict (all or nothing)" in page
    assert "only you see it" in page
    assert "import nothing and list every problem" in page


def test_import_as_private_makes_every_bookmark_private(client, user, sample):
    client.force_login(user)
    post_import(client, sample, private="on")
    job = ImportJob.objects.get(owner=user)
    assert job.report["options"]["private"] is True
    run_import(job.pk)
    bookmarks = Bookmark.objects.filter(owner=user)
    assert bookmarks.count() == 3
    assert not bookmarks.filter(private=False).exists()


def test_without_the_box_the_imported_bookmarks_keep_their_privacy(client, user, sample):
    client.force_login(user)
    post_import(client, sample)
    run_import(ImportJob.objects.get(owner=user).pk)
    assert not Bookmark.objects.filter(owner=user, private=True).exists()


def test_private_into_a_group_is_a_form_error_and_starts_nothing(
    client, public_group, member_of, sample
):
    member = member_of(public_group)
    client.force_login(member)
    response = post_import(client, sample, destination=public_group.slug, private="on")
    assert response.status_code == 200
    assert "Only bookmarks in your own library can be private." in response.text
    assert not ImportJob.objects.exists()


def test_strict_box_refuses_a_file_with_a_broken_row_on_the_form(client, user, sample):
    client.force_login(user)
    response = post_import(client, sample, name="diigo_broken.csv", strict="on")
    assert response.status_code == 200
    assert "line 5" in response.text
    assert not ImportJob.objects.exists()
    assert not Bookmark.objects.exists()


def test_strict_reaches_the_job(client, user, sample):
    client.force_login(user)
    post_import(client, sample, strict="on")
    job = ImportJob.objects.get(owner=user)
    assert job.report["options"]["strict"] is True
    run_import(job.pk)
    assert Bookmark.objects.filter(owner=user).count() == 3


def test_without_strict_the_good_rows_of_a_broken_file_are_imported(client, user, sample):
    client.force_login(user)
    post_import(client, sample, name="diigo_broken.csv")
    run_import(ImportJob.objects.get(owner=user).pk)
    assert list(Bookmark.objects.values_list("title", flat=True)) == ["Bon"]


def test_the_choices_read_in_french(client, user):
    client.cookies["django_language"] = "fr"
    client.force_login(user)
    page = client.get(reverse("transfer:import")).text
    assert "Importer en privé" in page
    assert "Strict (tout ou rien)" in page
