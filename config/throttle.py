"""A politeness budget per site shared by every worker host: a token bucket in Redis.

Each fetch of a host takes a token; a bucket holds FETCH_SITE_BURST of them and refills at
FETCH_SITE_RATE a second. K worker hosts with 16 threads each then still ask one site for at
most the burst at once and the rate after that. When Redis cannot be reached the fetch goes
ahead: politeness must not stop the fetching.
"""

import logging
import time

import redis
from django.conf import settings

from .locks import redis_client

logger = logging.getLogger(__name__)

# KEYS[1] bucket; ARGV: rate, burst, now. Returns seconds to wait (0: a token was taken).
_TAKE = """
local rate, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(state[1]) or burst, tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 60)
return tostring(wait)
"""


def site_wait(host: str) -> float:
    """Take a token of `host`'s budget: 0 when the fetch may go now, else the seconds to wait
    before asking again."""
    rate, burst = settings.FETCH_SITE_RATE, settings.FETCH_SITE_BURST
    if rate <= 0 or not host:
        return 0.0
    try:
        wait = redis_client().eval(
            _TAKE, 1, f"commonplace:site:{host.lower()}", rate, burst, time.time()
        )
    except redis.RedisError:
        logger.warning("fetch budget unavailable, fetching %s anyway", host, exc_info=True)
        return 0.0
    return float(wait)
