"""Infrastructure tasks: the outbox sweeper."""

from celery import shared_task

from . import outbox


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=60, time_limit=90)
def sweep_outbox():
    """Beat, every OUTBOX_SWEEP_SECONDS: queue what could not be queued (the broker was down)."""
    return outbox.sweep_outbox()
