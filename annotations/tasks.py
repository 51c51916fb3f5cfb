"""Celery tasks of annotations: anchor highlights, retrain the spam model."""

import logging

from celery import shared_task

from .anchoring import anchor_highlight, reanchor_page
from .services import retrain_spam_model_if_due

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=120, time_limit=150)
def snapshot_highlight(highlight_id):
    """Locate a highlight's quote in its page's text and store offsets, status and snapshot."""
    return anchor_highlight(highlight_id)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=300, time_limit=360)
def snapshot_page_highlights(page_id):
    """Re-anchor every highlight of a page after it was (re-)fetched; orphans are reported."""
    counts = reanchor_page(page_id)
    if counts.get("orphaned"):
        logger.info("page %s: %s highlight(s) no longer on the page", page_id, counts["orphaned"])
    return counts


def snapshot_highlights(page_id=None, highlight_ids=()):
    """The contract's entry point: a page's highlights, or the given highlights, queued."""
    if page_id is not None:
        snapshot_page_highlights.delay(page_id)
    for highlight_id in highlight_ids:
        snapshot_highlight.delay(highlight_id)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=300, time_limit=360)
def retrain_spam_model():
    """Beat, hourly: retrain the spam model once enough moderators' labels arrived."""
    model = retrain_spam_model_if_due()
    if model is not None:
        logger.info("spam model retrained: %s examples, %s labels", model.examples, model.labels)
