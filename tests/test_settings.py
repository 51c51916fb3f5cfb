"""Deployment settings: the production checks pass cleanly and unsafe set-ups refuse to start."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from tests.workers.conftest import database_url

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    # the test run's own knobs (DJANGO_ALLOW_ASYNC_UNSAFE is set for Playwright) stay out
    unset = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "ALLOWED_HOSTS", "EMAIL_BACKEND"}
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**extra):
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.org",
        **extra,
    }


def test_deploy_check_passes_without_any_warning_in_production_settings():
    result = run_manage("check", "--deploy", **production_env())
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "System check identified no issues" in output
    assert "WARNING" not in output.upper()


def test_production_refuses_to_start_on_the_development_secret_key():
    result = run_manage("check", DEBUG="0", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is the development key" in result.stderr


def test_production_sends_mail_by_smtp_and_development_prints_it():
    show = "from django.conf import settings; print(settings.MAILERS['default']['BACKEND'])"
    production = run_manage("shell", "-c", show, **production_env())
    assert production.stdout.strip().endswith("smtp.EmailBackend"), production.stderr
    development = run_manage("shell", "-c", show, DEBUG="1")
    assert development.stdout.strip().endswith("console.EmailBackend"), development.stderr


def test_unknown_signup_policy_is_refused():
    result = run_manage("check", DEBUG="1", SIGNUP_POLICY="sometimes")
    assert result.returncode != 0
    assert "SIGNUP_POLICY" in result.stderr


def test_behind_pgbouncer_no_server_side_cursors_nor_prepared_statements():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "d = s.DATABASES; print(d['default']['DISABLE_SERVER_SIDE_CURSORS'], "
        "d['default']['OPTIONS']['prepare_threshold'], d['direct'].get("
        "'DISABLE_SERVER_SIDE_CURSORS', False), sorted(d), s.DATABASE_ROUTERS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_POOL": "pgbouncer",
            "DATABASE_URL": "postgres://u@pooler:6432/cp",
            "DATABASE_DIRECT_URL": "postgres://u@primary:5432/cp",
            "DATABASE_REPLICA_URLS": "postgres://u@pooler:6432/r1, postgres://u@pooler:6432/r2",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "True None False ['default', 'direct', 'replica1', 'replica2'] "
        "['config.dbrouting.ReplicaRouter']"
    )


def test_a_broker_timeout_shorter_than_the_longest_retry_refuses_to_start():
    result = run_manage("check", DEBUG="1", CELERY_VISIBILITY_TIMEOUT="600")
    assert result.returncode != 0
    assert "CELERY_VISIBILITY_TIMEOUT" in result.stderr


def test_without_pgbouncer_each_process_can_keep_a_psycopg_pool(db):
    code = (
        "import django; django.setup(); from django.db import connection; "
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['OPTIONS']['pool']['max_size'], "
        "s.DATABASES['default']['CONN_MAX_AGE'], connection.pool is not None); "
        "connection.cursor().execute('SELECT 1')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "DATABASE_POOL": "psycopg",
            "DATABASE_POOL_MAX": "4",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["4", "0", "True"]
