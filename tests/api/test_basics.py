"""The API's common promises: token auth, session auth with CSRF, pagination, errors."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import BookmarkFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_token_endpoint_trades_username_and_password_for_a_token(anon, user):
    response = anon.post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": "correct horse battery"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    me = APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == user.username


def test_token_endpoint_refuses_a_wrong_password_with_400(anon, user):
    response = anon.post(
        "/api/v1/auth/token/", {"username": user.username, "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_me_needs_authentication_401(anon):
    response = anon.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")


def test_a_wrong_token_is_401(anon):
    anon.credentials(HTTP_AUTHORIZATION="Token not-a-real-key")
    assert anon.get("/api/v1/bookmarks/").status_code == 401


def test_session_auth_works_for_reads_and_enforces_csrf_on_writes(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get("/api/v1/me/").status_code == 200
    refused = browser.post(
        "/api/v1/bookmarks/", {"url": "https://example.org/x"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    browser.get("/")  # every HTML page sets the csrftoken cookie (base.html's forms)
    csrf = browser.cookies["csrftoken"]
    accepted = browser.post(
        "/api/v1/bookmarks/",
        {"url": "https://example.org/x"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf.value,
    )
    assert accepted.status_code == 201


def test_lists_are_paginated_with_count_next_previous_results(client_for, user):
    for _ in range(3):
        BookmarkFactory(owner=user)
    response = client_for(user).get("/api/v1/bookmarks/?page_size=2")
    body = response.json()
    assert set(body) == {"count", "count_exact", "next", "previous", "results"}
    assert body["count"] == 3
    assert body["count_exact"] is True
    assert len(body["results"]) == 2
    assert "cursor=" in body["next"]  # the next page resumes after this one's last key
    assert body["previous"] is None


def test_page_size_is_capped_at_100(client_for, user):
    BookmarkFactory.create_batch(3, owner=user)
    response = client_for(user).get("/api/v1/bookmarks/?page_size=5000")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/bookmarks/?page=zzz",
        "/api/v1/bookmarks/?page=99",
        "/api/v1/bookmarks/999999999999999999/",
        "/api/v1/bookmarks/99999999999999999999999/",
        "/api/v1/highlights/999999999999999999.jsonld",
        "/api/v1/groups/no-such-group/",
    ],
)
def test_bad_ids_and_pages_are_404_not_500(client_for, user, path):
    assert client_for(user).get(path).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "sort=sideways",
        "unread=maybe",
        "q=%00",
        "tag=%00",
        "user=a%00b",
        "group=%00",
        "page_size=-1",
    ],
)
def test_bad_filters_are_400_not_500(client_for, user, query):
    response = client_for(user).get(f"/api/v1/bookmarks/?{query}")
    assert response.status_code in (200, 400)
    assert response.status_code != 500


def test_posting_bad_json_gives_400_with_field_errors(client_for, user):
    client = client_for(user)
    response = client.post("/api/v1/bookmarks/", {"url": "not a url"}, format="json")
    assert response.status_code == 400
    assert "url" in response.json()
    response = client.post("/api/v1/bookmarks/", {"title": "no url"}, format="json")
    assert response.status_code == 400
    assert "url" in response.json()
    response = client.post("/api/v1/bookmarks/", data="{not json", content_type="application/json")
    assert response.status_code == 400


def test_anonymous_writes_are_401(anon):
    response = anon.post("/api/v1/bookmarks/", {"url": "https://example.org/"}, format="json")
    assert response.status_code == 401


def test_times_are_iso_8601(client_for):
    owner = UserFactory()
    BookmarkFactory(owner=owner)
    item = client_for(owner).get("/api/v1/bookmarks/").json()["results"][0]
    assert item["created_at"].endswith("Z") or "+" in item["created_at"]
    assert item["created_at"][4] == "-" and item["created_at"][10] == "T"
