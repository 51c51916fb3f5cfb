"""The browser extension's token: approved on /extension/connect/, collected once with the
verifier, scoped (reads; writes to bookmarks, highlights, comments), revocable in settings."""

import secrets

import pytest
from rest_framework.test import APIClient

from accounts.services import challenge_of
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


def connect(client, user, label="Chromium"):
    """Approve on the site as `user`, collect from the API: the extension's key."""
    verifier = secrets.token_urlsafe(48)
    client.force_login(user)
    page = client.get("/extension/connect/", {"challenge": challenge_of(verifier), "label": label})
    assert page.status_code == 200 and b"extension-approve" in page.content
    api = APIClient()
    assert api.post("/api/v1/extension/token/", {"verifier": verifier}).status_code == 404
    done = client.post("/extension/connect/", {"challenge": challenge_of(verifier), "label": label})
    assert b"extension-approved" in done.content
    claimed = api.post("/api/v1/extension/token/", {"verifier": verifier})
    assert claimed.status_code == 200
    # collected once: the same verifier gets nothing a second time
    assert api.post("/api/v1/extension/token/", {"verifier": verifier}).status_code == 404
    return claimed.json()["token"]


def bearer(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def test_connected_extension_reads_and_saves_but_cannot_administer(client, user):
    group = GroupFactory(visibility="private")
    MembershipFactory(group=group, user=user, role="owner")
    other = GroupFactory(visibility="public")
    api = bearer(connect(client, user))

    assert api.get("/api/v1/me/").json()["username"] == user.username
    saved = api.post("/api/v1/bookmarks/", {"url": "https://example.org/a", "group": group.slug})
    assert saved.status_code == 201
    highlight = api.post(
        f"/api/v1/bookmarks/{saved.json()['id']}/highlights/",
        {"exact": "a passage", "color": "green", "note": "why"},
        format="json",
    )
    assert highlight.status_code == 201
    comment = api.post(
        f"/api/v1/bookmarks/{saved.json()['id']}/comments/",
        {"body": "a reply", "highlight": highlight.json()["id"]},
        format="json",
    )
    assert comment.status_code == 201

    refused = api.post(f"/api/v1/groups/{other.slug}/join/")
    assert refused.status_code == 403
    assert "bookmarks, highlights and comments" in refused.json()["detail"]
    assert api.delete(f"/api/v1/groups/{group.slug}/").status_code == 403
    assert api.patch(f"/api/v1/groups/{group.slug}/", {"name": "x"}).status_code == 403


def test_settings_lists_the_extension_and_revoking_stops_it(client, user):
    key = connect(client, user, label="Firefox at home")
    settings_page = client.get("/accounts/settings/").content.decode()
    assert "Firefox at home" in settings_page and key[:12] in settings_page
    assert key not in settings_page  # only a prefix: the key itself is never shown again
    # the personal API token is another thing: no token was made for it
    assert "You have no API token yet." in settings_page

    token_id = user.extension_tokens.get().pk
    client.post(f"/accounts/settings/extensions/{token_id}/revoke/")
    response = bearer(key).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid or revoked extension token."
    assert "Firefox at home" not in client.get("/accounts/settings/").content.decode()


def test_someone_elses_token_cannot_be_revoked(client, user, other_user):
    key = connect(client, other_user)
    client.force_login(user)
    token_id = other_user.extension_tokens.get().pk
    client.post(f"/accounts/settings/extensions/{token_id}/revoke/")
    assert bearer(key).get("/api/v1/me/").status_code == 200


@pytest.mark.parametrize("challenge", ["", "short", "x" * 43 + "!", "é" * 43])
def test_a_bad_connection_request_is_400_with_a_message(client, user, challenge):
    client.force_login(user)
    response = client.post("/extension/connect/", {"challenge": challenge})
    assert response.status_code == 400
    assert "start again from the extension" in response.content.decode()


def test_connect_page_asks_to_log_in_first(client):
    response = client.get("/extension/connect/", {"challenge": "a" * 43})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("body", [{}, {"verifier": "short"}, {"verifier": "\u00e9" * 50}])
def test_a_bad_claim_is_400(body):
    response = APIClient().post("/api/v1/extension/token/", body, format="json")
    assert response.status_code == 400


def test_a_made_up_bearer_key_is_401(db):
    assert bearer("cpx_" + "a" * 40).get("/api/v1/me/").status_code == 401


def test_the_extension_may_call_the_api_cross_origin_without_cookies(client, user):
    preflight = client.options(
        "/api/v1/annotations/",
        HTTP_ORIGIN=EXTENSION,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == EXTENSION
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight
    # an ordinary web page's origin gets no CORS grant
    other = client.get("/api/v1/me/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
