"""Per-user posting rate limit: fixed-window counters in the shared cache (Redis)."""

import contextlib
import time

from django.conf import settings
from django.core.cache import cache

from config.errors import RateLimited

# (window in seconds, most posts allowed in it); settings.ANNOTATIONS_POST_RATES overrides.
DEFAULT_RATES = ((60, 60), (3600, 600))


def check_post_rate(user):
    """Count one post by `user`; raise RateLimited when a window is full."""
    now = int(time.time())
    for window, limit in getattr(settings, "ANNOTATIONS_POST_RATES", DEFAULT_RATES):
        slot = now // window
        key = f"annotations:post-rate:{user.pk}:{window}:{slot}"
        cache.add(key, 0, timeout=window + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window + 5)
            count = 1
        if count > limit:
            raise RateLimited(retry_after=(slot + 1) * window - now)


def take_post_allowance(user, wanted: int) -> int:
    """Count up to `wanted` posts by `user` at once (a bulk import) and return how many fit in
    every window now: the caller holds the rest for a moderator instead of refusing them."""
    if wanted <= 0:
        return 0
    now = int(time.time())
    counted = []
    granted = wanted
    for window, limit in getattr(settings, "ANNOTATIONS_POST_RATES", DEFAULT_RATES):
        slot = now // window
        key = f"annotations:post-rate:{user.pk}:{window}:{slot}"
        cache.add(key, 0, timeout=window + 5)
        try:
            count = cache.incr(key, wanted)
        except ValueError:  # expired between add and incr
            cache.set(key, wanted, timeout=window + 5)
            count = wanted
        counted.append(key)
        granted = min(granted, max(0, limit - (count - wanted)))
    if granted < wanted:
        # only what was let through counts against the next post
        for key in counted:
            with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
                cache.decr(key, wanted - granted)
    return granted
