"""The personal API token costs one query the first time and none after (issue 21, point 4),
and a regenerated token or a deactivated account is refused at once, cache or not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.services import regenerate_api_token

pytestmark = pytest.mark.django_db


def token_client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def token_queries(client, path="/api/v1/me/"):
    """The response, and how many of its queries read the token table."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, sum('"authtoken_token"' in q["sql"] for q in captured.captured_queries)


def test_the_token_is_read_once_then_comes_from_the_cache(user):
    client = token_client(regenerate_api_token(user))
    first, first_reads = token_queries(client)
    second, second_reads = token_queries(client)
    assert first.status_code == second.status_code == 200
    assert first.json()["username"] == second.json()["username"] == user.username
    assert (first_reads, second_reads) == (1, 0)


def test_a_regenerated_token_stops_working_at_once_although_it_was_cached(user):
    old = regenerate_api_token(user)
    client = token_client(old)
    assert client.get("/api/v1/me/").status_code == 200  # now cached
    new = regenerate_api_token(user)
    assert client.get("/api/v1/me/").status_code == 401
    assert token_client(new).get("/api/v1/me/").status_code == 200


def test_a_deactivated_account_is_refused_at_once_and_a_rename_shows_at_once(user):
    client = token_client(regenerate_api_token(user))
    assert client.get("/api/v1/me/").status_code == 200
    user.display_name = "Renommée"
    user.save(update_fields=["display_name"])
    assert client.get("/api/v1/me/").json()["display_name"] == "Renommée"
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_a_wrong_token_is_refused_with_a_message():
    response = APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-real-key")
    assert response.status_code == 401
    assert response.json()["detail"]
