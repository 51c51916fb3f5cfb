"""The cache backend: Django's Redis cache that degrades to misses when Redis is unreachable.

Every read of the cache has the database behind it, so a missing Redis costs speed, not
pages: get() answers the default, add() and set() store nothing (and say False), incr()
raises ValueError as for a missing key, delete() does nothing. The rate limits that count in
the cache (posting, API throttles) therefore fail open while Redis is down; the log-in and
sign-up limits do not use this path (accounts.limits, which fails closed).
"""

import logging

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.backoff import NoBackoff
from redis.retry import Retry

from . import outage

logger = logging.getLogger(__name__)

# A cache call must not hold a request up: a dead server is given up on after this long.
SOCKET_TIMEOUT = 1.0


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = {
            "socket_connect_timeout": SOCKET_TIMEOUT,
            "socket_timeout": SOCKET_TIMEOUT,
            # redis-py retries a failed connection with backoff (about a second): once is enough
            "retry": Retry(NoBackoff(), 0),
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self._server_key = ",".join(self._servers)

    def _call(self, method, fallback, *args, **kwargs):
        if outage.is_down(self._server_key):
            return fallback()
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except redis.RedisError:
            logger.warning("cache unavailable (%s): %s degrades", self._server_key, method)
            outage.mark_down(self._server_key)
            return fallback()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", lambda: False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", lambda: False, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", lambda: False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found (cache unavailable).")

        return self._call("incr", missing, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", lambda: list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", lambda: None, keys, version)

    def clear(self):
        return self._call("clear", lambda: False)
