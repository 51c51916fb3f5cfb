"""API test helpers: clients authenticated by token, a clean throttle cache per test."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


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

    def _client(user):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _client
