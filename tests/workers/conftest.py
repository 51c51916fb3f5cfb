"""A real Celery worker (subprocess) on real Redis, reading and writing the test database.

The worker is started once per session, after pytest-django created the test database, and is
told that database's name through DATABASE_URL. Tests that use it must commit what the worker
reads: they use `transactional_db`. Pages come from pytest-httpserver on 127.0.0.1, which the
worker may reach because FETCH_ALLOWED_NETWORKS=127.0.0.1/32 in its environment (only that
address: 127.0.0.2 and every other private range stay forbidden).
"""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
WORKER_NAME = "cp-tests-workers"

WORKER_ENV = {
    "FETCH_ALLOWED_NETWORKS": "127.0.0.1/32",
    "FETCH_TIMEOUT": "1",
    "FETCH_RETRY_BASE_DELAY": "0.2",
    "FETCH_RETRY_MAX_DELAY": "1",
    "FETCH_MAX_RETRIES": "2",
    "SEARCH_GROUP_INDEX_MIN": "3",
}


def database_url():
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    # a socket directory (embedded PostgreSQL of `make test`) must be %-encoded in a URL
    host = quote(db.get("HOST") or "127.0.0.1", safe="")
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def purge_queues():
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("fetch", "default", "unacked", "unacked_index", "unacked_mutex")


def wait_until(predicate, timeout=30.0, interval=0.1):
    """Poll `predicate` until it returns something truthy; fail the test after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


@contextmanager
def running_worker(name, queues, log_path, extra_env, concurrency=4):
    """A `celery worker` subprocess named `name` on `queues`, with the test database and broker
    and `extra_env`, yielded once it answers a ping and stopped (then killed) at the end."""
    from config.celery import app

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "DEBUG": "1",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **extra_env,
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queues]
            + ["--pool=threads", f"--concurrency={concurrency}"]
            + ["--without-gossip", "--without-mingle", "-n", f"{name}@%h", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise RuntimeError(f"worker exited: {log_path.read_text()[-3000:]}")
                replies = app.control.ping(timeout=0.5) or []
                if any(name in worker for reply in replies for worker in reply):
                    break
            else:
                raise RuntimeError(f"worker did not answer: {log_path.read_text()[-3000:]}")
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory):
    purge_queues()
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    try:
        with running_worker(WORKER_NAME, "fetch,default", log_path, WORKER_ENV) as process:
            yield process
    finally:
        purge_queues()


@pytest.fixture
def worker(celery_worker_process, transactional_db):
    """A running worker and a database whose commits it sees."""
    return celery_worker_process


@pytest.fixture
def page_at(httpserver):
    """page_at(path) → a pending Page whose URL is that path on the test HTTP server."""
    from tests.factories import PageFactory

    def make(path, **fields):
        url = httpserver.url_for(path)
        return PageFactory(url=url, **{"title": "", "fetch_status": "pending", **fields})

    return make


@pytest.fixture(scope="session")
def httpserver_listen_address():
    # "localhost" may also resolve to ::1, which the guard (rightly) refuses.
    return ("127.0.0.1", 0)
