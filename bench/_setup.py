"""Set-up shared by the bench scripts (not a benchmark: `make bench` skips names starting "_").

Each script starts with

    import _setup  # bench/ is on sys.path when a script is run as `python bench/x.py`

    _setup.bootstrap()  # re-run in the project's venv, put the repo on sys.path

and, before measuring, `url = _setup.prepare(url)`: the database is created when missing,
DATABASE_URL / DEBUG / DJANGO_SETTINGS_MODULE are set, Django is set up and migrated.
"""

import os
import statistics
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432/"


def bootstrap():
    """`python bench/x.py` with the system Python runs again inside the project's venv; then the
    repository goes on sys.path so that `config`, `bookmarks`, ... import."""
    python = VENV / "bin" / "python"
    if python.exists() and Path(sys.prefix).resolve() != VENV.resolve():
        os.execv(str(python), [str(python), *sys.argv])
    sys.path.insert(0, str(ROOT))  # first: bench/annotations.py must not hide the app


def local_url(name):
    """The URL of database `name` on the local server."""
    return LOCAL_SERVER + name


def _admin(url):
    """(database name, URL of the `postgres` database on the same server)."""
    parts = urlsplit(url)
    return parts.path.lstrip("/"), urlunsplit(parts._replace(path="/postgres"))


def create_database(url):
    """CREATE DATABASE when the server has none of that name yet."""
    import psycopg

    name, admin_url = _admin(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def drop_database(url):
    """Close Django's connections and DROP the database; returns its name."""
    import psycopg
    from django.db import connections

    connections.close_all()
    name, admin_url = _admin(url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    return name


def prepare(url, *, debug_queries=None):
    """Create the database when missing, point Django at it (DATABASE_URL, DEBUG=1 unless set,
    config.settings), django.setup() and migrate. debug_queries=True/False overrides
    settings.DEBUG, i.e. whether connection.queries records every query. Returns the URL."""
    create_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if debug_queries is not None:
        settings.DEBUG = debug_queries
    call_command("migrate", verbosity=0, interactive=False, skip_checks=True)
    return url


def p95(samples):
    """95th percentile (statistics.quantiles, exclusive method)."""
    return statistics.quantiles(samples, n=20)[18]
