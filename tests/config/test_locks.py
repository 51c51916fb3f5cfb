"""Locks shared across hosts, the wall-clock beat slots and the per-site fetch budget."""

import uuid
from datetime import UTC, datetime

import pytest
from django.test import override_settings

from config.beat import Slots
from config.locks import advisory_lock, single_runner
from config.throttle import site_wait


@pytest.mark.django_db
def test_an_advisory_lock_is_held_by_one_process_at_a_time():
    name = f"test-{uuid.uuid4()}"
    with advisory_lock(name, wait=False) as first, advisory_lock(name, wait=False) as second:
        assert (first, second) == (True, False)
    with advisory_lock(name, wait=False) as again:
        assert again  # closing the holder's connection let it go


def test_a_periodic_job_runs_once_while_another_run_holds_its_lock():
    name = f"test-{uuid.uuid4()}"
    with single_runner(name, ttl=30) as first, single_runner(name, ttl=30) as second:
        assert (first, second) == (True, False)
    with single_runner(name, ttl=30) as again:
        assert again


def test_slots_are_on_the_wall_clock_so_a_restart_keeps_the_times():
    six_hours = Slots(6 * 3600)
    assert six_hours.slot(datetime(2026, 1, 1, 5, 59, tzinfo=UTC).timestamp()) + 1 == (
        six_hours.slot(datetime(2026, 1, 1, 6, 0, tzinfo=UTC).timestamp())
    )
    just_ran = datetime.now(tz=UTC)
    due, wait = six_hours.is_due(just_ran)
    assert not due and 0 < wait <= 6 * 3600
    due, _ = six_hours.is_due(datetime(2020, 1, 1, tzinfo=UTC))
    assert due


@override_settings(FETCH_SITE_RATE=1, FETCH_SITE_BURST=2)
def test_a_site_is_fetched_at_most_its_burst_at_once_by_all_workers():
    host = f"{uuid.uuid4().hex}.example.org"
    assert [site_wait(host), site_wait(host)] == [0, 0]
    assert 0 < site_wait(host) <= 1
    assert site_wait(f"other-{host}") == 0


def test_locks_live_on_the_lock_redis_when_the_cache_may_evict(settings):
    """With LOCK_URL set (the cache's Redis drops its least used keys), a periodic job's
    lock is held there, where nothing is evicted, and not beside the cache's keys."""
    import redis

    lock_url = settings.CACHE_URL.rsplit("/", 1)[0] + "/9"
    name = f"test-{uuid.uuid4()}"
    key = f"commonplace:lock:{name}"
    on_cache, on_locks = redis.Redis.from_url(settings.CACHE_URL), redis.Redis.from_url(lock_url)
    with override_settings(LOCK_URL=lock_url), single_runner(name, ttl=30) as mine:
        assert mine
        assert on_locks.exists(key) and not on_cache.exists(key)
    assert not on_locks.exists(key)  # released there
