"""Run what the outbox holds in this process, as a worker would after the sweeper sent it."""

from config.celery import app
from config.models import OutboxMessage
from config.queue import _task


def run_outbox() -> list[str]:
    ran = []
    for row in OutboxMessage.objects.order_by("pk"):
        _task(row.task).apply(row.args, row.kwargs, throw=True)
        ran.append(row.task)
        row.delete()
    assert app  # the Celery app is configured (tasks registered) before running rows
    return ran
