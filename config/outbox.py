"""Tasks that must not be lost when the broker is down: an outbox row in the change's
transaction, sent after commit, and swept again until the broker took it.

A saved bookmark's page fetch, a password reset mail and a sign-up confirmation go this way.
The message may be sent twice (the after-commit sender and the sweeper both ran, or a process
died between sending and deleting the row): every task is safe to run twice.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage
from .queue import enqueue

logger = logging.getLogger(__name__)


def enqueue_durably(task_name: str, *args, **kwargs) -> None:
    """Queue `task_name(*args, **kwargs)` once the current transaction commits, for sure."""
    grace = timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS)
    row = OutboxMessage.objects.create(
        task=task_name, args=list(args), kwargs=kwargs, due_at=timezone.now() + grace
    )
    transaction.on_commit(lambda: _send(row.pk, task_name, args, kwargs))


def _send(pk: int, task_name: str, args, kwargs) -> bool:
    if not enqueue(task_name, *args, **kwargs):
        return False
    OutboxMessage.objects.filter(pk=pk).delete()
    return True


def sweep_outbox(*, limit: int = 500) -> int:
    """Send the rows left behind (the broker was down); stop at the first refusal. Rows another
    sweeper holds are skipped. Returns how many were sent."""
    sent = 0
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(due_at__lte=timezone.now())
            .order_by("due_at")[:limit]
        )
        for row in rows:
            if not enqueue(row.task, *row.args, **row.kwargs):
                OutboxMessage.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
                logger.warning("outbox: broker still refuses, %s rows wait", len(rows) - sent)
                break
            row.delete()
            sent += 1
    return sent
