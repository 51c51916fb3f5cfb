"""Locks shared by every host: PostgreSQL advisory locks and Redis locks with a time to live.

An advisory lock belongs to a database session, and pgbouncer in transaction mode hands the
session to someone else after each transaction: the lock is taken on a connection of its own,
to DATABASE_DIRECT_URL when set. Closing that connection releases the lock, so a process that
dies never leaves one behind.
"""

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import psycopg
import redis
from django.conf import settings
from django.db import connections

from .dbrouting import direct_alias


def _key(name: str) -> int:
    digest = hashlib.blake2b(name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def direct_connection() -> psycopg.Connection:
    """A new autocommit connection to the primary, past any pooler."""
    params = connections[direct_alias()].settings_dict
    kwargs = {
        "dbname": params["NAME"],
        "user": params["USER"],
        "password": params["PASSWORD"],
        "host": params["HOST"],
        "port": params["PORT"],
    }
    return psycopg.connect(**{k: v for k, v in kwargs.items() if v}, autocommit=True)


@contextmanager
def advisory_lock(name: str, *, wait: bool) -> Iterator[bool]:
    """Hold the advisory lock `name` for the block; yields whether it was taken (with
    wait=True, always, after the holder let go)."""
    with direct_connection() as conn:
        taken = _try(conn, name)
        # Polled rather than blocking in pg_advisory_lock(): a waiting statement holds a
        # snapshot, and the holder's CREATE INDEX CONCURRENTLY would wait for it to end (a
        # deadlock PostgreSQL cannot see, the holder's lock being on another session).
        while wait and not taken:
            time.sleep(0.5)
            taken = _try(conn, name)
        yield taken


def _try(conn: psycopg.Connection, name: str) -> bool:
    row = conn.execute("SELECT pg_try_advisory_lock(%s)", [_key(name)]).fetchone()
    return bool(row and row[0])


_redis: dict[str, redis.Redis] = {}


def redis_client() -> redis.Redis:
    """The Redis of locks, beat slots and the fetch budget: keys that must not be evicted
    (LOCK_URL, when the cache's Redis may evict; else CACHE_URL's)."""
    url = settings.LOCK_URL or settings.CACHE_URL
    if url not in _redis:
        _redis[url] = redis.Redis.from_url(url, socket_timeout=5)
    return _redis[url]


@contextmanager
def single_runner(name: str, *, ttl: int) -> Iterator[bool]:
    """A Redis lock that expires after `ttl` seconds (a runner killed mid-way frees it);
    yields whether this runner has it. Another runner meanwhile gets False and skips."""
    lock = redis_client().lock(f"commonplace:lock:{name}", timeout=ttl, blocking=False)
    taken = lock.acquire()
    try:
        yield taken
    finally:
        if taken:
            with suppress(redis.exceptions.LockError):  # expired meanwhile
                lock.release()
