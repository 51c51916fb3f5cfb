"""Queue a Celery task by name from a service, without the service importing its tasks module.

Services sit below tasks in each app (a task is a thin wrapper that calls a service), so a
service that must queue work names the task instead of importing it. A broker that cannot be
reached must not break the write that asked for the work: `enqueue` says False, and work that
must not be lost goes through `config.outbox.enqueue_durably`, whose row the sweeper sends when
the broker is back. After a failure the broker is not tried again for a few seconds
(config.outage), so a request that queues several tasks pays for one failed attempt at most.
"""

import logging

from django.conf import settings

from . import outage
from .celery import app

logger = logging.getLogger(__name__)


def _task(name: str):
    if name not in app.tasks:
        # A web process imports no tasks module by itself: autodiscovery runs on this signal.
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue(task_name: str, *args, **kwargs) -> bool:
    """`task_name.delay(*args, **kwargs)`; False (and a warning) when it could not be queued."""
    broker = settings.CELERY_BROKER_URL
    if outage.is_down(broker) and not settings.CELERY_TASK_ALWAYS_EAGER:
        logger.warning("broker down, not queueing %s%r", task_name, args)
        return False
    try:
        # No publish retries: the caller has its own fallback (an outbox row, a periodic job).
        _task(task_name).apply_async(args, kwargs, retry=False)
    except Exception:
        logger.warning("could not queue %s%r", task_name, args)
        outage.mark_down(broker)
        return False
    outage.mark_up(broker)
    return True


def enqueue_later(seconds: float, task_name: str, *args) -> bool:
    """Like enqueue, run no sooner than `seconds` from now."""
    try:
        _task(task_name).apply_async(args=args, countdown=seconds)
    except Exception:
        logger.warning("could not queue %s%r", task_name, args)
        return False
    return True
