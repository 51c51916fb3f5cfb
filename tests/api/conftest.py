"""API test helpers: clients authenticated by token, a clean throttle cache per test."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.api_clients import token_client


@pytest.fixture(autouse=True)
def _fresh_throttles(db):
    """Throttle counters live in the cache (Redis): start every test with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def client_for(db):
    """client_for(user) → an APIClient sending that user's token (None = anonymous)."""
    return token_client
