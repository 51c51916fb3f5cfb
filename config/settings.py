"""All of Commonplace's settings, every deployment knob read from the environment."""

import contextlib
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "django-insecure-commonplace-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", default=False)
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY and not env_bool("ALLOW_DEV_SECRET_KEY"):
    # Refuse to serve a production site that anyone can forge sessions for.
    raise ImproperlyConfigured(
        "SECRET_KEY is the development key while DEBUG is off: set SECRET_KEY "
        "(or DEBUG=1 for development)."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # infrastructure commands: migrate under an advisory lock
    "config",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    # Swagger UI / Redoc served from our own static files (no CDN: strict CSP, offline installs).
    "drf_spectacular_sidecar",
    "accounts",
    "groups",
    "notifications",
    "bookmarks",
    "annotations",
    "search",
    "library",
    "transfer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ExtensionCorsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.RejectControlCharactersMiddleware",
    "config.dbrouting.ReplicaMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.context_processors.site",
            ],
        },
    },
]

# Databases (README "Running on several machines"). DATABASE_URL is the primary, possibly
# through a pooler; DATABASE_POOL says which: "" (Django's persistent connections), "pgbouncer"
# (transaction pooling: no server-side cursors, no prepared statements, nothing session-scoped)
# or "psycopg" (Django's own psycopg pool in each process, for deployments without pgbouncer).
# DATABASE_DIRECT_URL reaches the primary without the pooler: migrations and advisory locks
# need a session of their own. DATABASE_REPLICA_URLS (comma-separated) are streaming replicas
# that config.dbrouting sends the read-only pages to. Without these variables nothing changes.
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commonplace")
DATABASE_POOL = os.environ.get("DATABASE_POOL", "")
if DATABASE_POOL not in {"", "pgbouncer", "psycopg"}:
    raise ImproperlyConfigured("DATABASE_POOL must be pgbouncer or psycopg (or empty).")
DATABASE_DIRECT_URL = os.environ.get("DATABASE_DIRECT_URL", "")
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS")
# Seconds a browser that wrote keeps reading from the primary (the replicas' lag budget).
DATABASE_PIN_SECONDS = int(os.environ.get("DATABASE_PIN_SECONDS", "10"))


def database(url, *, pooled):
    config = dj_database_url.parse(url, conn_max_age=60)
    if not config["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("Commonplace needs PostgreSQL (full-text search, ArrayField).")
    if pooled and DATABASE_POOL == "pgbouncer":
        # A named cursor lives in a server session that pgbouncer hands to another client
        # between transactions; so do psycopg's prepared statements.
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
        config["OPTIONS"] = {**config.get("OPTIONS", {}), "prepare_threshold": None}
    elif pooled and DATABASE_POOL == "psycopg":
        config["CONN_MAX_AGE"] = 0  # the pool keeps the connections
        config["OPTIONS"] = {
            **config.get("OPTIONS", {}),
            "pool": {
                "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
                "max_size": int(os.environ.get("DATABASE_POOL_MAX", "10")),
                "timeout": 10,
            },
        }
    return config


DATABASES = {"default": database(DATABASE_URL, pooled=True)}
if DATABASE_DIRECT_URL:
    DATABASES["direct"] = {**database(DATABASE_DIRECT_URL, pooled=False), "CONN_MAX_AGE": 0}
    DATABASES["direct"]["TEST"] = {"MIRROR": "default"}
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    DATABASES[f"replica{_number}"] = {**database(_url, pooled=True), "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["config.dbrouting.ReplicaRouter"] if DATABASE_REPLICA_URLS else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis by role: REDIS_URL is the default of each; CACHE_URL (cache, rate limits, locks, the
# per-site fetch budget), CELERY_BROKER_URL and CELERY_RESULT_BACKEND can each be another server.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHE_URL = os.environ.get("CACHE_URL", REDIS_URL)
# locks, the beat's slot claims and the fetch budget (config.locks.redis_client): on a Redis
# that never evicts, when the cache's one drops its least used keys ("": CACHE_URL's)
LOCK_URL = os.environ.get("LOCK_URL", "")
CACHES = {
    "default": {
        # Django's Redis cache that answers misses while Redis is unreachable (config/cache.py)
        "BACKEND": "config.cache.ResilientRedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "commonplace"),
    }
}

AUTH_USER_MODEL = "accounts.User"
# The model backend with failed log-ins counted by account and client IP (accounts/limits.py).
AUTHENTICATION_BACKENDS = ["accounts.backends.ThrottledModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# open: anyone signs up; invite: only with an invitation code; closed: nobody.
SIGNUP_POLICY = os.environ.get("SIGNUP_POLICY", "open")
if SIGNUP_POLICY not in {"open", "invite", "closed"}:
    raise ImproperlyConfigured("SIGNUP_POLICY must be open, invite or closed.")
# A new account stays inactive until the link mailed to its address is followed.
SIGNUP_CONFIRM_EMAIL = env_bool("SIGNUP_CONFIRM_EMAIL")
# Log-in and sign-up limits (accounts/limits.py), counted in Redis; while Redis is down log-in
# and sign-up are refused (they fail closed) and the site's pages go on being served.
SIGNUPS_PER_IP_PER_HOUR = int(os.environ.get("SIGNUPS_PER_IP_PER_HOUR", "5"))
# Failed log-ins (HTML form and API token) before a cool-down of LOGIN_COOLDOWN_SECONDS: from
# one IP for one account, from one IP for any account, and for one account from any IP.
LOGIN_FAILURES_PER_ACCOUNT_AND_IP = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT_AND_IP", "5"))
LOGIN_FAILURES_PER_IP = int(os.environ.get("LOGIN_FAILURES_PER_IP", "20"))
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "50"))
LOGIN_COOLDOWN_SECONDS = int(os.environ.get("LOGIN_COOLDOWN_SECONDS", "900"))
# Proxies in front of the site that append to X-Forwarded-For (0: the client is REMOTE_ADDR).
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
# whitenoise warns at every start when STATIC_ROOT is missing (tests, first run): make it.
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# the in-page annotator has one source, shared with the browser extension's build
STATICFILES_DIRS = [BASE_DIR / "static", ("annotator", BASE_DIR / "extension" / "annotator")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Mail (Django 6.1 MAILERS): SMTP when EMAIL_HOST is set or DEBUG is off (a production site
# must really send password resets), the console otherwise. EMAIL_BACKEND=console forces it.
EMAIL_BACKEND_CHOICE = os.environ.get("EMAIL_BACKEND", "")
if EMAIL_BACKEND_CHOICE not in {"", "smtp", "console"}:
    raise ImproperlyConfigured("EMAIL_BACKEND must be smtp or console.")
if EMAIL_BACKEND_CHOICE == "smtp" or (
    EMAIL_BACKEND_CHOICE == "" and (os.environ.get("EMAIL_HOST") or not DEBUG)
):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(
                    os.environ.get("EMAIL_PORT", "587" if os.environ.get("EMAIL_HOST") else "25")
                ),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", default=bool(os.environ.get("EMAIL_HOST"))),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Commonplace <noreply@localhost>")

# Security: strict defaults, loosened only by DEBUG for local development.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "https:", "http:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # the personal token, cached after its first use (accounts/authentication.py)
        "accounts.authentication.CachedTokenAuthentication",
        # the browser extension's scoped token (Bearer cpx_…)
        "accounts.authentication.ExtensionTokenAuthentication",
        # the annotate bookmarklet's hour-long token, bound to one site (Bookmarklet …)
        "library.bookmarklet.BookmarkletTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.api_exception_handler",
    "NUM_PROXIES": NUM_PROXIES or None,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "300/min"),
        "user": os.environ.get("THROTTLE_USER", "1200/min"),
        "comments": os.environ.get("THROTTLE_COMMENTS", "60/min"),
    },
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "bookmarks.tasks.fetch_page": {"queue": "fetch"},
    "bookmarks.tasks.check_link": {"queue": "fetch"},
    "notifications.tasks.*": {"queue": "mail"},
    "library.tasks.*": {"queue": "mail"},
    "groups.tasks.*": {"queue": "mail"},
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER")
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Networks the fetcher may reach even though they are private (CIDRs, comma-separated).
FETCH_ALLOWED_NETWORKS = env_list("FETCH_ALLOWED_NETWORKS")
FETCH_TIMEOUT = float(os.environ.get("FETCH_TIMEOUT", "10"))
FETCH_MAX_BYTES = int(os.environ.get("FETCH_MAX_BYTES", str(5 * 1024 * 1024)))
FETCH_MAX_REDIRECTS = 5
# The save form's live title/description preview: a short deadline, a few fetches a minute each.
SAVE_PREVIEW_TIMEOUT = float(os.environ.get("SAVE_PREVIEW_TIMEOUT", "3"))
SAVE_PREVIEW_PER_MINUTE = int(os.environ.get("SAVE_PREVIEW_PER_MINUTE", "20"))
FETCH_USER_AGENT = "Commonplace/0.1 (+https://github.com/commonplace)"
REFETCH_AFTER_DAYS = int(os.environ.get("REFETCH_AFTER_DAYS", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- import / export / feeds ---
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
IMPORT_MAX_ITEMS = int(os.environ.get("IMPORT_MAX_ITEMS", "100000"))
# New pages queued for fetching right after an import; above this they are fetched lazily.
IMPORT_FETCH_NEW_PAGES = int(os.environ.get("IMPORT_FETCH_NEW_PAGES", "200"))

# --- API (REST v1, OpenAPI docs) ---
SPECTACULAR_SETTINGS = {
    "TITLE": "Commonplace API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "DESCRIPTION": (
        "Group libraries of bookmarks, highlights, notes and comments.\n\n"
        "**Auth**: `Authorization: Token <key>` (the key is on your settings page, or from "
        "`POST /api/v1/auth/token/`), or the browser session (send `X-CSRFToken` on "
        "writes).\n\n"
        "**Lists** are `{count, next, previous, results}`; `page` and `page_size` (≤ 100).\n\n"
        "**Errors**: 400 with the errors by field, 401, 403, 404 (a private group and "
        "everything in it is 404 to non-members), 429 with `Retry-After` (requests per "
        "minute, comments per minute, and the posting rate of highlights, comments and "
        "topics per person).\n\n"
        "**W3C Web Annotation**: `/api/v1/highlights/{id}.jsonld` and "
        "`/api/v1/bookmarks/{id}/annotations.jsonld`."
    ),
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999999999999999999},
        "username": {"type": "string", "pattern": r"^[\w.@+-]{1,150}$"},
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.document_errors",
        "config.api.document_strict_bodies",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ItemStatusEnum": "annotations.models.Status",
        "JoinStatusEnum": ["joined", "requested"],
        "NotificationKindEnum": "notifications.models.Kind",
        "DigestFrequencyEnum": "notifications.models.Digest",
    },
}

# --- workers (fetching, retries, periodic jobs) ---
FETCH_MAX_RETRIES = int(os.environ.get("FETCH_MAX_RETRIES", "4"))
FETCH_RETRY_BASE_DELAY = float(os.environ.get("FETCH_RETRY_BASE_DELAY", "30"))  # seconds
FETCH_RETRY_MAX_DELAY = float(os.environ.get("FETCH_RETRY_MAX_DELAY", "600"))
FETCH_PENDING_RETRY_MINUTES = int(os.environ.get("FETCH_PENDING_RETRY_MINUTES", "15"))
LINK_CHECK_AFTER_DAYS = int(os.environ.get("LINK_CHECK_AFTER_DAYS", "7"))
# A failed check counts towards the dead-link badge at most once in this many hours, however
# many checks of the page run (two beats, a re-queued message).
LINK_CHECK_MIN_HOURS = float(os.environ.get("LINK_CHECK_MIN_HOURS", "3"))
# The shared politeness budget of one site across every worker host (Redis token bucket):
# FETCH_SITE_BURST requests at once, then FETCH_SITE_RATE a second.
FETCH_SITE_RATE = float(os.environ.get("FETCH_SITE_RATE", "2"))
FETCH_SITE_BURST = int(os.environ.get("FETCH_SITE_BURST", "20"))
# Redis redelivers a message not acknowledged after visibility_timeout seconds: that is how a
# task whose worker was killed (acks are late) runs again. The timeout follows the longest time
# limit of a late-acked task (transfer's run_import: 960 s), else a task still running would be
# delivered a second time (the search index build runs longer, and a second delivery of it
# skips while the first holds its advisory lock); tests/workers/test_redelivery.py checks it.
# A retry waiting with a countdown is not acknowledged either, so the timeout must also
# outlast the longest retry delay plus the fetch's own limit. Every worker looks for such
# messages every unacked_restore_interval seconds (kombu's default: every tenth time only).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "1020")),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= FETCH_RETRY_MAX_DELAY:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed FETCH_RETRY_MAX_DELAY.")
# The outbox (config/outbox.py): the sweeper runs every OUTBOX_SWEEP_SECONDS and sends the rows
# older than OUTBOX_SWEEP_AFTER_SECONDS that the sender after commit could not.
OUTBOX_SWEEP_SECONDS = int(os.environ.get("OUTBOX_SWEEP_SECONDS", "30"))
OUTBOX_SWEEP_AFTER_SECONDS = int(os.environ.get("OUTBOX_SWEEP_AFTER_SECONDS", "30"))
# Periodic jobs: wall-clock slots (config.beat.Slots), so a restart never pushes a job back,
# and each slot is sent once even when two beats run (config.beat.SingleSendScheduler).
# PERIODIC_SECONDS shortens every period at once (tests).
_PERIODIC = int(os.environ.get("PERIODIC_SECONDS", "0"))
CELERY_BEAT_SCHEDULER = "config.beat:SingleSendScheduler"
CELERY_BEAT_SCHEDULE = {
    name: {"task": task, "schedule": _PERIODIC or seconds}
    for name, task, seconds in [
        ("check-links", "bookmarks.tasks.check_links", 6 * 3600),
        ("refetch-stale-pages", "bookmarks.tasks.refetch_stale_pages", 3600),
        ("retry-pending-pages", "bookmarks.tasks.retry_pending_pages", 600),
        ("update-group-search-indexes", "search.tasks.update_group_search_indexes", 6 * 3600),
        ("retrain-spam-model", "annotations.tasks.retrain_spam_model", 3600),
        ("send-pending-mail", "notifications.tasks.send_pending_mail", 60),
        ("send-daily-digests", "library.tasks.send_daily_digests", 24 * 3600),
        # wall-clock slots count from the epoch (a Thursday): the weekly run covers the ISO
        # week before it (library.digests.period_window), whichever day it runs
        ("send-weekly-digests", "library.tasks.send_weekly_digests", 7 * 24 * 3600),
        ("sweep-outbox", "config.tasks.sweep_outbox", OUTBOX_SWEEP_SECONDS),
    ]
}
# --- notifications ---
# Reply and mention mails: the first leaves at once, the next ones of this window in one mail.
NOTIFICATION_MAIL_BATCH_SECONDS = int(os.environ.get("NOTIFICATION_MAIL_BATCH_SECONDS", "300"))
# A failed SMTP send is retried this many times, waiting twice as long each time (from
# NOTIFICATION_MAIL_RETRY_DELAY seconds); after that the minute sweep tries again.
NOTIFICATION_MAIL_RETRIES = int(os.environ.get("NOTIFICATION_MAIL_RETRIES", "5"))
NOTIFICATION_MAIL_RETRY_DELAY = float(os.environ.get("NOTIFICATION_MAIL_RETRY_DELAY", "30"))
# --- spam ---
# Where spam_train writes the text model and where posting reads it; until a first retraining
# the model committed in annotations/spam_model.json is used. On several hosts, point this at
# shared storage (every process re-reads the file when it changes).
SPAM_MODEL_PATH = Path(os.environ.get("SPAM_MODEL_PATH", BASE_DIR / "var" / "spam_model.json"))
# The hourly beat task retrains once this many moderators' labels arrived since the last model.
SPAM_RETRAIN_MIN_LABELS = int(os.environ.get("SPAM_RETRAIN_MIN_LABELS", "20"))
# --- search ---
# A group with this many bookmarks gets a search index of its own (search/group_indexes.py).
SEARCH_GROUP_INDEX_MIN = int(os.environ.get("SEARCH_GROUP_INDEX_MIN", "20000"))
# The newest bookmarks get a search index of their own (search/recent_index.py) once the
# library holds twice this many.
SEARCH_RECENT_ROWS = int(os.environ.get("SEARCH_RECENT_ROWS", "200000"))
# An index build may take this long (a million rows: minutes) before PostgreSQL cancels it;
# the index task's time limits follow it. A build waits this long for its table lock.
SEARCH_INDEX_BUILD_SECONDS = int(os.environ.get("SEARCH_INDEX_BUILD_SECONDS", "3600"))
SEARCH_INDEX_LOCK_SECONDS = int(os.environ.get("SEARCH_INDEX_LOCK_SECONDS", "10"))
