"""Log-in and sign-up limits: fixed-window counters in Redis, by account and by client IP.

A window opens at the first failure and lasts LOGIN_COOLDOWN_SECONDS; once a counter is full,
attempts are refused without checking the password and without counting, so the cool-down
ends when the window does: nobody is locked out for longer than that. The counter of one
account from one IP fills first (the guesser); the owner, from another IP, is refused only
when the account's counter over every IP is full (a guesser with many addresses), and only
until it expires. A successful log-in empties the counter of that account from that IP.

Redis unreachable: these limits fail closed (LimitsUnavailable), so a password guesser gains
nothing from an outage; the pages, and everyone already logged in, are served as usual.
"""

import math

import redis
from django.conf import settings
from django.http import HttpRequest

from config.locks import redis_client


class LimitsUnavailable(Exception):
    """The counters cannot be read: refuse the log-in or sign-up for now."""


class TooManyAttempts(Exception):
    def __init__(self, retry_after: int):
        self.retry_after = max(1, int(retry_after))
        super().__init__(self.retry_after)

    @property
    def minutes(self) -> int:
        return math.ceil(self.retry_after / 60)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the entry NUM_PROXIES from the right of
    X-Forwarded-For when that many proxies append to it (the same rule as DRF's throttles)."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return remote


def _login_counters(ip: str, username: str) -> list[tuple[str, int]]:
    account = username.strip().lower()[:150]
    return [
        (f"commonplace:login:pair:{ip}:{account}", settings.LOGIN_FAILURES_PER_ACCOUNT_AND_IP),
        (f"commonplace:login:ip:{ip}", settings.LOGIN_FAILURES_PER_IP),
        (f"commonplace:login:account:{account}", settings.LOGIN_FAILURES_PER_ACCOUNT),
    ]


def _refuse_when_full(counters: list[tuple[str, int]]) -> None:
    try:
        pipe = redis_client().pipeline(transaction=False)
        for key, _limit in counters:
            pipe.get(key)
            pipe.ttl(key)
        replies = pipe.execute()
    except redis.RedisError as exc:
        raise LimitsUnavailable from exc
    waits = [
        ttl
        for (_key, limit), count, ttl in zip(counters, replies[::2], replies[1::2], strict=True)
        if count is not None and int(count) >= limit
    ]
    if waits:
        raise TooManyAttempts(max(max(waits), 1))


def _count(keys: list[str], window: int) -> None:
    try:
        pipe = redis_client().pipeline(transaction=False)
        for key in keys:
            pipe.incr(key)
            pipe.expire(key, window, nx=True)
        pipe.execute()
    except redis.RedisError as exc:
        raise LimitsUnavailable from exc


def check_login(ip: str, username: str) -> None:
    """Raise TooManyAttempts (or LimitsUnavailable) if this log-in may not even be tried."""
    _refuse_when_full(_login_counters(ip, username))


def count_failed_login(ip: str, username: str) -> None:
    keys = [key for key, _limit in _login_counters(ip, username)]
    _count(keys, settings.LOGIN_COOLDOWN_SECONDS)


def forget_failed_logins(ip: str, username: str) -> None:
    """After a success: this person, from this address, starts again from zero."""
    pair_key = _login_counters(ip, username)[0][0]
    try:
        redis_client().delete(pair_key)
    except redis.RedisError as exc:
        raise LimitsUnavailable from exc


def _signup_counter(ip: str) -> list[tuple[str, int]]:
    return [(f"commonplace:signup:ip:{ip}", settings.SIGNUPS_PER_IP_PER_HOUR)]


def check_signup(ip: str) -> None:
    """Raise TooManyAttempts when this address made SIGNUPS_PER_IP_PER_HOUR accounts already."""
    _refuse_when_full(_signup_counter(ip))


def count_signup(ip: str) -> None:
    _count([key for key, _limit in _signup_counter(ip)], 3600)
