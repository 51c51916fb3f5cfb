"""Celery tasks of the search app (thin wrappers: the work is in search.group_indexes)."""

import logging

from celery import shared_task

from .group_indexes import update_group_indexes
from .recent_index import update_recent_index

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def update_group_search_indexes():
    """Periodic: big groups, and the newest bookmarks, get a search index of their own (safe
    to run twice)."""
    created, dropped = update_group_indexes(log=logger.info)
    cutoff = update_recent_index(log=logger.info)
    return {"created": created, "dropped": dropped, "recent": cutoff and cutoff.isoformat()}
