"""Loaded before Django's settings: tests run with development defaults unless told otherwise."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright tests touch the DB
