"""A killed worker's task comes back within the visibility timeout (issue 19, point 13): the
timeout must outlast every late-acked task's time limit (or a task still running would be
delivered twice) and the longest retry countdown, and every worker scans for such messages."""

from django.conf import settings

from config.celery import app
from config.queue import _task


def test_visibility_timeout_outlasts_every_late_acked_task_and_is_not_an_hour():
    _task("bookmarks.tasks.fetch_page")  # load every app's tasks
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    timeout = options["visibility_timeout"]
    late = {
        name: task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        for name, task in app.tasks.items()
        if not name.startswith("celery.")
        and getattr(task, "acks_late", False)
        # builds run for up to two hours; a second delivery meanwhile skips (an advisory lock)
        and name != "search.tasks.update_group_search_indexes"
    }
    assert late, "no late-acked tasks found"
    assert all(limit < timeout for limit in late.values()), late
    assert timeout > settings.FETCH_RETRY_MAX_DELAY + late["bookmarks.tasks.fetch_page"]
    assert timeout < 3600
    # kombu scans for expired unacked messages every interval × throttle seconds
    assert options["unacked_restore_interval"] * options["unacked_restore_throttle"] <= 10
