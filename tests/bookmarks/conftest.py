"""Fixtures for the library tests: a clean cache per test (tag clouds are cached)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client_of(client):
    """client_of(user) → the test client logged in as that user."""

    def _client(user):
        client.force_login(user)
        return client

    return _client
