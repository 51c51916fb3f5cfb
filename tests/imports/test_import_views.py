"""The import page, its htmx-polled progress, and export downloads."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bookmarks.models import Bookmark
from transfer.models import ImportJob
from transfer.services import progress_key, start_import
from transfer.tasks import run_import


def upload(name, data):
    return SimpleUploadedFile(name, data)


def test_import_page_needs_login(client):
    response = client.get(reverse("transfer:import"))
    assert response.status_code == 302


def test_uploading_a_file_creates_a_job_and_shows_its_progress_page(client, user, sample):
    client.force_login(user)
    response = client.post(
        reverse("transfer:import"),
        {
            "file": upload("diigo.csv", sample("diigo.csv")),
            "destination": "",
            "folders_as_tags": "on",
        },
    )
    job = ImportJob.objects.get(owner=user)
    assert response.status_code == 302
    assert response["Location"] == reverse("transfer:import_preview", args=[job.pk])
    response = client.post(reverse("transfer:import_confirm", args=[job.pk]))
    assert response["Location"] == reverse("transfer:import_job", args=[job.pk])
    page = client.get(response["Location"])
    assert "Waiting for a worker" in page.text
    # while not finished, the progress block asks htmx to poll itself
    assert f'hx-get="{reverse("transfer:import_progress", args=[job.pk])}"' in page.text
    assert 'hx-trigger="every 1s"' in page.text


def test_progress_partial_shows_counts_and_stops_polling_when_done(client, user, sample):
    client.force_login(user)
    job = start_import(user, filename="b.html", data=sample("netscape.html"))
    run_import(job.pk)
    partial = client.get(reverse("transfer:import_progress", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "hx-get" not in partial.text
    assert '<strong class="count-created">4</strong>' in partial.text
    assert '<strong class="count-merged">1</strong>' in partial.text
    assert "not a web address (javascript:)" in partial.text
    assert "<html" not in partial.text  # a fragment, not a page


def test_running_job_shows_a_progress_bar(client, user, sample):
    client.force_login(user)
    job = start_import(user, filename="b.html", data=sample("netscape.html"))
    cache.delete(progress_key(job.pk))  # job ids restart with each test database
    ImportJob.objects.filter(pk=job.pk).update(status="running", total=5000, done=1200)
    partial = client.get(reverse("transfer:import_progress", args=[job.pk]))
    assert '<progress id="import-bar" max="5000" value="1200">' in partial.text
    assert "1,200 of 5,000 bookmarks" in partial.text


def test_failed_import_lists_every_problem(client, user, sample):
    client.force_login(user)
    job = start_import(
        user, filename="broken.json", data=sample("pinboard_broken.json"), strict=True
    )
    run_import(job.pk)
    page = client.get(reverse("transfer:import_job", args=[job.pk]))
    assert "Nothing was imported" in page.text
    assert "bookmark 2: has no href" in page.text
    assert "bookmark 3: the time &#x27;last tuesday&#x27; is not a date" in page.text


def test_someone_elses_job_does_not_exist(client, user, other_user, sample):
    job = start_import(other_user, filename="b.html", data=sample("netscape.html"))
    client.force_login(user)
    assert client.get(reverse("transfer:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("transfer:import_progress", args=[job.pk])).status_code == 404


def test_too_large_file_is_refused_with_a_clear_message(client, user, settings, sample):
    settings.IMPORT_MAX_BYTES = 100
    client.force_login(user)
    response = client.post(
        reverse("transfer:import"), {"file": upload("d.csv", sample("diigo.csv"))}
    )
    assert response.status_code == 200
    assert "the limit is 100\xa0bytes" in response.text
    assert not ImportJob.objects.exists()


def test_unknown_file_is_refused_before_any_job(client, user):
    client.force_login(user)
    response = client.post(reverse("transfer:import"), {"file": upload("notes.txt", b"hello")})
    assert "This is not a file we can import" in response.text
    assert not ImportJob.objects.exists()


def test_only_groups_i_may_post_to_are_offered(client, user, public_group, member_of):
    other_group = type(public_group).objects.create(name="Not mine", slug="not-mine")
    member = member_of(public_group)
    client.force_login(member)
    page = client.get(reverse("transfer:import"))
    assert f'value="{public_group.slug}"' in page.text
    assert 'value="not-mine"' not in page.text
    response = client.post(
        reverse("transfer:import"),
        {"file": upload("p.json", b'[{"href": "https://a.org"}]'), "destination": other_group.slug},
    )
    assert "Select a valid choice" in response.text
    assert not ImportJob.objects.exists()


def test_member_imports_into_a_group(client, public_group, member_of, sample):
    member = member_of(public_group)
    client.force_login(member)
    client.post(
        reverse("transfer:import"),
        {"file": upload("p.json", sample("pinboard.json")), "destination": public_group.slug},
    )
    job = ImportJob.objects.get()
    client.post(reverse("transfer:import_confirm", args=[job.pk]))
    run_import(job.pk)
    assert Bookmark.objects.filter(group=public_group, owner=member).count() == 2


@pytest.mark.parametrize(
    ("file_format", "content_type", "extension"),
    [
        ("netscape", "text/html; charset=utf-8", "html"),
        ("diigo", "text/csv; charset=utf-8", "csv"),
        ("json", "application/json", "json"),
        ("jsonld", 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"', "jsonld"),
    ],
)
def test_export_downloads_a_file(client, user, sample, file_format, content_type, extension):
    run_import(start_import(user, filename="d.csv", data=sample("diigo.csv")).pk)
    client.force_login(user)
    response = client.get(reverse("transfer:export_download"), {"format": file_format})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="commonplace-{user.username}-'
    )
    assert response["Content-Disposition"].endswith(f'.{extension}"')
    assert "micro-travailleurs" in b"".join(response.streaming_content).decode()


def test_group_export_is_403_for_a_public_group_outsider_and_404_for_a_private_one(
    client, user, public_group, private_group
):
    client.force_login(user)
    url = reverse("transfer:export_download")
    assert client.get(url, {"format": "json", "group": public_group.slug}).status_code == 403
    assert client.get(url, {"format": "json", "group": private_group.slug}).status_code == 404


def test_unknown_export_format_is_a_clear_400(client, user):
    client.force_login(user)
    response = client.get(reverse("transfer:export_download"), {"format": "xls"})
    assert response.status_code == 400
    assert "Choose one of the formats below." in response.text


def test_export_page_lists_my_groups_and_private_feed_addresses(client, private_group, member_of):
    member = member_of(private_group)
    member.feed_token = "s3cret-token"
    member.save()
    client.force_login(member)
    page = client.get(reverse("transfer:export"))
    assert private_group.name in page.text
    assert f"/feeds/private/s3cret-token/g/{private_group.slug}.atom" in page.text
    assert f"/feeds/g/{private_group.slug}.atom" not in page.text


def test_job_still_reading_its_file_says_so_instead_of_0_of_0(client, user, sample):
    client.force_login(user)
    job = start_import(user, filename="b.html", data=sample("netscape.html"))
    cache.delete(progress_key(job.pk))  # job ids restart with each test database
    ImportJob.objects.filter(pk=job.pk).update(status="running")  # parsing: total not known yet
    partial = client.get(reverse("transfer:import_progress", args=[job.pk]))
    assert "Reading the file…" in partial.text
    assert '<progress id="import-bar"></progress>' in partial.text  # indeterminate
    assert "0 of 0" not in partial.text
    assert 'hx-trigger="every 1s"' in partial.text


def test_member_downloads_the_whole_group_library(client, public_group, member_of, sample):
    member, other = member_of(public_group), member_of(public_group)
    job = start_import(other, filename="d.csv", data=sample("diigo.csv"), group=public_group)
    run_import(job.pk)
    client.force_login(member)
    response = client.get(
        reverse("transfer:export_download"), {"format": "diigo", "group": public_group.slug}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="commonplace-{public_group.slug}-'
    )
    text = b"".join(response.streaming_content).decode()
    assert text.count("\n") > 3
    assert "Highlight:Ils micro-travaillent pour quelques centimes" in text
    assert "Sticky notes:Chiffre à vérifier, source ?" in text


def test_import_page_offers_strict_mode_and_folders_as_tags(client, user):
    client.force_login(user)
    page = client.get(reverse("transfer:import"))
    assert "Strict (all or nothing)" in page.text
    assert "Use folder names as tags" in page.text
    assert 'name="folders_as_tags"' in page.text and "checked" in page.text
