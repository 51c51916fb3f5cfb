"""Celery tasks of the search app (thin wrappers: the work is in search.group_indexes)."""

import logging

from celery import shared_task
from django.conf import settings

from .group_indexes import update_group_indexes
from .recent_index import update_recent_index

logger = logging.getLogger(__name__)

# PostgreSQL ends a build at SEARCH_INDEX_BUILD_SECONDS (statement_timeout); the task outlives
# that, so it is never reported failed while the server goes on building unwatched.
BUILD_LIMIT = 2 * settings.SEARCH_INDEX_BUILD_SECONDS + 120


@shared_task(ignore_result=True, soft_time_limit=BUILD_LIMIT, time_limit=BUILD_LIMIT + 60)
def update_group_search_indexes():
    """Periodic: big groups, and the newest bookmarks, get a search index of their own (safe
    to run twice, and at once: one process builds, the other skips)."""
    created, dropped = update_group_indexes(log=logger.info)
    cutoff = update_recent_index(log=logger.info)
    return {"created": created, "dropped": dropped, "recent": cutoff and cutoff.isoformat()}
