"""Celery tasks of annotations: anchor highlights, retrain the spam model."""

import logging

from celery import shared_task

from .services import anchor_highlight, reanchor_page, retrain_spam_model_if_due

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


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=300, time_limit=360)
def retrain_spam_model():
    """Beat, hourly: retrain the spam model once enough moderators' labels arrived."""
    model = retrain_spam_model_if_due()
    if model is not None:
        logger.info("spam model retrained: %s examples, %s labels", model.examples, model.labels)
