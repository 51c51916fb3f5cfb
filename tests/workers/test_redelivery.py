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


def test_a_fetch_whose_worker_was_killed_mid_task_is_done_by_the_next_worker(
    transactional_db, httpserver, page_at, tmp_path
):
    """SIGKILL a real worker while it fetches; a new worker fetches the page soon after."""
    import os
    import signal
    import subprocess
    import sys
    import threading
    import time

    from werkzeug import Response

    from bookmarks.models import Page
    from bookmarks.tasks import fetch_page
    from tests.security.test_redis_down import ThrowawayRedis
    from tests.workers.conftest import ROOT, WORKER_ENV, database_url, wait_until

    broker = ThrowawayRedis()
    broker.start()
    url = f"redis://127.0.0.1:{broker.port}/0"
    started, release = threading.Event(), threading.Event()

    def slow_then_fast(request):
        if not started.is_set():
            started.set()
            release.wait(20)
        return Response("<html><title>Came back</title><p>text</p></html>", mimetype="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow_then_fast)
    page = page_at("/slow")
    env = {
        **os.environ,
        **WORKER_ENV,
        "DATABASE_URL": database_url(),
        "REDIS_URL": url,
        "CELERY_BROKER_URL": url,
        "CELERY_RESULT_BACKEND": url,
        "CACHE_URL": url,
        "DEBUG": "1",
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "FETCH_RETRY_MAX_DELAY": "1",
    }

    def worker(name):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 - the process owns it
        argv = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "fetch"]
        argv += ["--pool=threads", "--concurrency=1", "--without-gossip", "--without-mingle"]
        argv += ["-n", f"{name}@%h", "--loglevel=INFO"]
        return subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)

    first = worker("doomed")
    second = None
    try:
        with app.connection_for_write(url) as connection:
            fetch_page.apply_async((page.pk,), connection=connection)
        assert started.wait(60), (tmp_path / "doomed.log").read_text()[-2000:]
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        release.set()
        killed_at = time.monotonic()
        second = worker("rescuer")
        fetched = wait_until(
            lambda: Page.objects.filter(pk=page.pk, fetch_status="ok").first(), timeout=60
        )
        assert fetched.title == "Came back"
        assert time.monotonic() - killed_at < 60
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
        broker.stop()
