"""A short memory, per process, of Redis being unreachable: after one failed call the others
skip Redis for a few seconds instead of each waiting for its own connection error.

Without it a page that reads the cache five times while Redis is down pays five connection
attempts (about a second each with redis-py's retries); with it the first call pays and the
rest of the page, and the next requests, go straight to their fallback.
"""

import time

# Seconds after a failure during which calls to the same server are not even tried.
PAUSE_SECONDS = 5.0

_down_until: dict[str, float] = {}


def is_down(server: str) -> bool:
    return _down_until.get(server, 0.0) > time.monotonic()


def mark_down(server: str) -> None:
    _down_until[server] = time.monotonic() + PAUSE_SECONDS


def mark_up(server: str) -> None:
    _down_until.pop(server, None)
