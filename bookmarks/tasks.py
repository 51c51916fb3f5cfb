"""Celery tasks of pages: fetch, periodic re-fetch, stuck-page retry, dead-link checks.

Tasks take ids and are safe to run twice: a second fetch overwrites the same fields with the
same values, and a second link check within LINK_CHECK_MIN_HOURS does not count. The periodic
jobs run one at a time across every beat and worker (a Redis lock) and claim the pages they
queue (bookmarks.services.claim_*), so overlapping runs queue nothing twice. Every fetch takes
a token of its site's shared budget first (config.throttle).
"""

import logging
import random
from datetime import timedelta
from urllib.parse import urlsplit

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction

from config.locks import single_runner
from config.throttle import site_wait

from . import services
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
    wait = site_wait(urlsplit(page.url).hostname or "")
    if wait > 0:
        # the site's budget is spent: come back later, without using up a retry
        self.apply_async((page_id,), countdown=wait, retries=self.request.retries or 0)
        return "deferred"
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


# A periodic run holds its lock at most this long (a killed run frees it by then).
PERIODIC_LOCK_SECONDS = 600


def _queue_claimed(name, claim, task):
    with single_runner(name, ttl=PERIODIC_LOCK_SECONDS) as mine:
        if not mine:
            logger.info("%s: another run is queueing, skipped", name)
            return 0
        ids = claim()
        for page_id in ids:
            task.delay(page_id)
    return len(ids)


def _requeue_after():
    return timedelta(minutes=settings.FETCH_PENDING_RETRY_MINUTES)


@shared_task(acks_late=True, ignore_result=True)
def refetch_stale_pages():
    """Queue a re-fetch of pages fetched more than REFETCH_AFTER_DAYS ago (a batch per run)."""

    def claim():
        return services.claim_stale_pages(
            older_than=timedelta(days=settings.REFETCH_AFTER_DAYS),
            requeue_after=_requeue_after(),
            limit=BATCH,
        )

    return _queue_claimed("refetch_stale_pages", claim, fetch_page)


@shared_task(acks_late=True, ignore_result=True)
def retry_pending_pages():
    """Queue again pages still pending well after they were saved (lost message, broker down)."""

    def claim():
        return services.claim_pending_pages(older_than=_requeue_after(), limit=BATCH)

    return _queue_claimed("retry_pending_pages", claim, fetch_page)


@shared_task(acks_late=True, ignore_result=True)
def check_links():
    """Queue a link check for pages not checked for LINK_CHECK_AFTER_DAYS."""

    def claim():
        return services.claim_link_checks(
            older_than=timedelta(days=settings.LINK_CHECK_AFTER_DAYS),
            requeue_after=_requeue_after(),
            limit=BATCH,
        )

    return _queue_claimed("check_links", claim, check_link)


@shared_task(
    bind=True, acks_late=True, ignore_result=True, soft_time_limit=45, time_limit=60, queue="fetch"
)
def check_link(self, page_id):
    """One check of a page's URL. Three failed checks in a row make the dead-link badge
    (Page.is_dead); any success clears it."""
    page = Page.objects.filter(pk=page_id).only("url").first()
    if page is None:
        return "missing"
    wait = site_wait(urlsplit(page.url).hostname or "")
    if wait > 0:
        self.apply_async((page_id,), countdown=wait)
        return "deferred"
    alive = True
    try:
        fetch(page.url, max_bytes=settings.FETCH_MAX_BYTES)
    except FetchError as error:
        alive = error.http_status is not None and error.http_status < 400
    services.record_link_check(
        page_id=page_id,
        alive=alive,
        min_interval=timedelta(hours=settings.LINK_CHECK_MIN_HOURS),
    )
    return "ok" if alive else "failed"
