"""Beat jobs: dead-link checks, re-fetching old pages, retrying pages stuck in pending."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from bookmarks.models import Page
from bookmarks.services import claim_link_checks, claim_pending_pages
from bookmarks.tasks import check_link, check_links, refetch_stale_pages, retry_pending_pages
from config.locks import single_runner
from tests.workers.conftest import wait_until


@override_settings(FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"])
def test_three_failed_link_checks_in_a_row_make_a_dead_link(db, httpserver, page_at):
    httpserver.expect_request("/link").respond_with_data("gone", status=410)
    page = page_at("/link", fetch_status="ok")
    for expected in (1, 2):
        check_link(page.pk)
        page.refresh_from_db()
        assert (page.link_failures, page.is_dead) == (expected, False)
        _a_period_passes(page)
    check_link(page.pk)
    page.refresh_from_db()
    assert page.is_dead
    httpserver.clear()
    httpserver.expect_request("/link").respond_with_data("back")
    check_link(page.pk)
    page.refresh_from_db()
    assert (page.link_failures, page.is_dead) == (0, False)
    assert page.link_checked_at is not None


def _a_period_passes(page):
    Page.objects.filter(pk=page.pk).update(link_checked_at=timezone.now() - timedelta(hours=6))


@override_settings(FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"])
def test_two_failed_checks_in_one_period_count_once(db, httpserver, page_at):
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    page = page_at("/gone", fetch_status="ok")
    check_link(page.pk)
    check_link(page.pk)  # a second beat, or a message delivered twice
    page.refresh_from_db()
    assert page.link_failures == 1


def test_overlapping_runs_queue_each_page_once(db, page_at):
    page_at("/stuck-1")
    page_at("/stuck-2")
    Page.objects.update(created_at=timezone.now() - timedelta(hours=2))
    assert claim_pending_pages(older_than=timedelta(minutes=15), limit=10) != []
    assert claim_pending_pages(older_than=timedelta(minutes=15), limit=10) == []
    assert check_links() == 0  # pending pages are not link-checked
    Page.objects.update(fetch_status="ok", fetched_at=timezone.now() - timedelta(days=400))
    week, quarter = timedelta(days=7), timedelta(minutes=15)
    assert len(claim_link_checks(older_than=week, requeue_after=quarter, limit=10)) == 2
    assert claim_link_checks(older_than=week, requeue_after=quarter, limit=10) == []


def test_a_periodic_job_already_running_elsewhere_is_skipped(db, page_at):
    page_at("/stuck")
    Page.objects.update(created_at=timezone.now() - timedelta(hours=2))
    with single_runner("retry_pending_pages", ttl=60) as mine:
        assert mine
        assert retry_pending_pages() == 0
    Page.objects.update(fetch_queued_at=None)


@pytest.mark.worker
def test_pages_older_than_the_refetch_age_are_fetched_again(worker, httpserver, page_at):
    httpserver.expect_request("/old").respond_with_data(
        "<title>New title</title>", content_type="text/html"
    )
    old = timezone.now() - timedelta(days=400)
    page = page_at("/old", fetch_status="ok", title="Old title", fetched_at=old)
    fresh = page_at("/fresh", fetch_status="ok", title="Fresh", fetched_at=timezone.now())
    assert refetch_stale_pages() == 1
    wait_until(lambda: Page.objects.get(pk=page.pk).title == "New title")
    fresh.refresh_from_db()
    assert fresh.title == "Fresh"


@pytest.mark.worker
def test_pages_stuck_in_pending_are_queued_again(worker, httpserver, page_at):
    httpserver.expect_request("/stuck").respond_with_data(
        "<title>Unstuck</title>", content_type="text/html"
    )
    page = page_at("/stuck")
    Page.objects.filter(pk=page.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert retry_pending_pages() == 1
    wait_until(lambda: Page.objects.get(pk=page.pk).fetch_status == "ok")


@pytest.mark.worker
def test_the_periodic_task_gives_a_big_group_its_own_search_index(worker):
    from django.conf import settings
    from django.db import connection

    from search.group_indexes import existing_indexes, index_name
    from search.tasks import update_group_search_indexes
    from tests.factories import BookmarkFactory, GroupFactory

    assert "search.tasks.update_group_search_indexes" in {
        job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()
    }
    group, small = GroupFactory(), GroupFactory()
    for _ in range(3):  # the worker's SEARCH_GROUP_INDEX_MIN
        BookmarkFactory(group=group)
    BookmarkFactory(group=small)
    try:
        update_group_search_indexes.delay()
        wait_until(lambda: group.pk in existing_indexes())
        assert small.pk not in existing_indexes()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {index_name(group.pk)}")
