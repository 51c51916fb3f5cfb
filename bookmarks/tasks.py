"""Celery tasks of pages: fetch, periodic re-fetch, stuck-page retry, dead-link checks.

Tasks take ids and are safe to run twice: a second fetch overwrites the same fields with the
same values, and a second link check only moves the badge by one check.
"""

import logging
import random
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .fetcher import FetchError, fetch
from .models import Page
from .services import record_fetch_failure, record_fetch_success
from .signals import page_fetched

logger = logging.getLogger(__name__)

BATCH = 500


def backoff(retries):
    """Exponential backoff with full jitter: base·2^n, randomised so retries do not stampede."""
    base = settings.FETCH_RETRY_BASE_DELAY
    ceiling = min(base * (2**retries), settings.FETCH_RETRY_MAX_DELAY)
    return ceiling / 2 + random.uniform(0, ceiling / 2)


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    max_retries=None,  # counted by hand against FETCH_MAX_RETRIES
    soft_time_limit=45,
    time_limit=60,
)
def fetch_page(self, page_id):
    """Fetch a page's metadata and text; retry timeouts, connection errors and 5xx."""
    page = Page.objects.filter(pk=page_id).only("url").first()
    if page is None:
        return "missing"
    try:
        result = fetch(page.url)
    except FetchError as error:
        retries = self.request.retries or 0
        if error.retryable and retries < settings.FETCH_MAX_RETRIES:
            record_fetch_failure(page_id, error, final=False)
            raise self.retry(countdown=backoff(retries)) from None
        record_fetch_failure(page_id, error, final=True)
        logger.info("fetch of page %s failed: %s", page_id, error.reason)
        return "failed"
    except SoftTimeLimitExceeded:
        record_fetch_failure(page_id, FetchError("took too long"), final=True)
        return "failed"
    except Exception:
        # Whatever else went wrong, the page must not stay "pending" forever.
        logger.exception("fetch of page %s crashed", page_id)
        record_fetch_failure(page_id, FetchError("could not fetch the page"), final=True)
        return "failed"
    try:
        stored = record_fetch_success(page_id, result)
    except Exception:
        # A page we cannot parse must not stay "pending" forever.
        logger.exception("could not read page %s", page_id)
        record_fetch_failure(page_id, FetchError("could not read the page"), final=True)
        return "failed"
    transaction.on_commit(lambda: after_fetch(page_id, text_changed=stored["text_changed"]))
    return "ok"


def after_fetch(page_id, text_changed=True):
    """Tell the apps above that the page's text is in (the library re-anchors its highlights).

    Search vectors need no call: database triggers rebuild them when the page row changes.
    """
    page_fetched.send(sender=Page, page_id=page_id, text_changed=text_changed)


@shared_task(acks_late=True, ignore_result=True)
def refetch_stale_pages():
    """Queue a re-fetch of pages fetched more than REFETCH_AFTER_DAYS ago (a batch per run)."""
    cutoff = timezone.now() - timedelta(days=settings.REFETCH_AFTER_DAYS)
    ids = list(
        Page.objects.filter(fetch_status=Page.FetchStatus.OK, fetched_at__lt=cutoff)
        .order_by("fetched_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    for page_id in ids:
        fetch_page.delay(page_id)
    return len(ids)


@shared_task(acks_late=True, ignore_result=True)
def retry_pending_pages():
    """Queue again pages still pending well after they were saved (lost message, broker down)."""
    cutoff = timezone.now() - timedelta(minutes=settings.FETCH_PENDING_RETRY_MINUTES)
    ids = list(
        Page.objects.filter(fetch_status=Page.FetchStatus.PENDING, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    for page_id in ids:
        fetch_page.delay(page_id)
    return len(ids)


@shared_task(acks_late=True, ignore_result=True)
def check_links():
    """Queue a link check for pages not checked for LINK_CHECK_AFTER_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.LINK_CHECK_AFTER_DAYS)
    ids = list(
        Page.objects.exclude(fetch_status=Page.FetchStatus.PENDING)
        .filter(Q(link_checked_at__isnull=True) | Q(link_checked_at__lt=cutoff))
        .order_by("link_checked_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    for page_id in ids:
        check_link.delay(page_id)
    return len(ids)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=45, time_limit=60, queue="fetch")
def check_link(page_id):
    """One check of a page's URL. Three failed checks in a row make the dead-link badge
    (Page.is_dead); any success clears it."""
    page = Page.objects.filter(pk=page_id).only("url").first()
    if page is None:
        return "missing"
    try:
        fetch(page.url, max_bytes=settings.FETCH_MAX_BYTES)
    except FetchError as error:
        alive = error.http_status is not None and error.http_status < 400
        if not alive:
            Page.objects.filter(pk=page_id).update(
                link_failures=F("link_failures") + 1, link_checked_at=timezone.now()
            )
            return "failed"
    Page.objects.filter(pk=page_id).update(link_failures=0, link_checked_at=timezone.now())
    return "ok"
