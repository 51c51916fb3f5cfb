"""Queue a Celery task by name from a service, without the service importing its tasks module.

Services sit below tasks in each app (a task is a thin wrapper that calls a service), so a
service that must queue work names the task instead of importing it. A broker that cannot be
reached must not break the write that asked for the work: the periodic jobs pick up what is
left pending.
"""

import logging

from .celery import app

logger = logging.getLogger(__name__)


def _task(name: str):
    if name not in app.tasks:
        # A web process imports no tasks module by itself: autodiscovery runs on this signal.
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue(task_name: str, *args, **kwargs) -> bool:
    """`task_name.delay(*args, **kwargs)`; False (and a warning) when it could not be queued."""
    try:
        _task(task_name).delay(*args, **kwargs)
    except Exception:
        logger.warning("could not queue %s%r", task_name, args)
        return False
    return True


def enqueue_later(seconds: float, task_name: str, *args) -> bool:
    """Like enqueue, run no sooner than `seconds` from now."""
    try:
        _task(task_name).apply_async(args=args, countdown=seconds)
    except Exception:
        logger.warning("could not queue %s%r", task_name, args)
        return False
    return True
