"""Which database a query goes to: the primary, or a streaming replica for read-only pages.

Only the pages that merely read and can afford a second of lag are sent to a replica: library
pages, searches, feeds, exports, and any GET of an anonymous visitor. Everything else reads the
primary: writes, `select_for_update` (Django routes those as writes), queries inside a
transaction, sessions and auth, import jobs, Celery tasks (no request, so no replica). A
browser that wrote is pinned to the primary for DATABASE_PIN_SECONDS by a cookie, so what it
saved is on the next page it sees, whichever web host serves it.

Active only when DATABASE_REPLICA_URLS is set (settings adds the router and the replicas).
"""

import random
from contextvars import ContextVar
from fnmatch import fnmatch

from django.conf import settings
from django.db import connections

PIN_COOKIE = "cp_primary"
# url names (any namespace) whose GET pages may read a replica
REPLICA_VIEWS = (
    "home",
    "group",  # library:group, a group's library
    "user",  # library:user, a person's library
    "detail",
    "search",
    "directory",
    "my_tags",
    "group_tags",
    "topic_list",
    "export_download",
    "feed_*",
)
# ... and those that never do, even for an anonymous visitor (they follow a write)
PRIMARY_VIEWS = ("login", "logout", "signup", "password_*", "import*", "fetch_status", "*token*")
# models that must never be read from a lagging copy
PRIMARY_APPS = {"sessions", "auth", "authtoken", "admin", "contenttypes"}
PRIMARY_MODELS = {"importjob"}

_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)


def replicas() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def direct_alias() -> str:
    """The alias of a connection to the primary that bypasses the pooler."""
    return "direct" if "direct" in settings.DATABASES else "default"


class ReplicaRouter:
    """Reads of a replica-enabled request go to a random replica; the rest to the primary."""

    def db_for_read(self, model, **hints):
        if not _use_replica.get():
            return None
        meta = model._meta
        if meta.app_label in PRIMARY_APPS or meta.model_name in PRIMARY_MODELS:
            return None
        if connections["default"].in_atomic_block:
            return None  # a transaction reads what it writes
        choices = replicas()
        return random.choice(choices) if choices else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, **hints):
        return not db.startswith("replica")


def _reading_replica(chunks):
    _use_replica.set(True)
    try:
        yield from chunks
    finally:
        _use_replica.set(False)


def _matches(name: str | None, patterns: tuple[str, ...]) -> bool:
    return bool(name) and any(fnmatch(name, pattern) for pattern in patterns)


class ReplicaMiddleware:
    """Decide per request whether its reads may use a replica; pin a writer to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _use_replica.set(False)
        try:
            response = self.get_response(request)
        finally:
            replica = _use_replica.get()
            _use_replica.reset(token)
        if replica and response.streaming:
            # an export's rows are read while the body streams, after this returns
            response.streaming_content = _reading_replica(response.streaming_content)
        if request.method not in ("GET", "HEAD", "OPTIONS") and replicas():
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not replicas() or request.method not in ("GET", "HEAD"):
            return None
        if request.COOKIES.get(PIN_COOKIE):
            return None
        name = getattr(request.resolver_match, "url_name", None)
        if _matches(name, PRIMARY_VIEWS):
            return None
        if _matches(name, REPLICA_VIEWS) or not request.user.is_authenticated:
            _use_replica.set(True)
        return None
