"""The annotate bookmarklet's token: minted only by a logged-in POST, bound to one origin and to
that origin's pages, readable cross-origin only when it is the credential."""

import json

import pytest
from django.urls import reverse

from bookmarks.urlnorm import normalize_url, url_key
from library.bookmarklet import mint_token, origin_of
from tests.factories import (
    BookmarkFactory,
    GroupFactory,
    HighlightFactory,
    PageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def page_at(url):
    return PageFactory(url=normalize_url(url), url_hash=url_key(normalize_url(url)))


SITE = "https://news.example"
OTHER = "https://other.example"


@pytest.fixture
def setup():
    user = UserFactory()
    page = page_at(f"{SITE}/article")
    there = BookmarkFactory(page=page, owner=user)
    HighlightFactory(bookmark=there, author=user, exact="passage")
    elsewhere = BookmarkFactory(page=page_at(f"{OTHER}/secret"), owner=user)
    return user, there, elsewhere


def call(client, token, path, origin=SITE, method="get", **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bookmarklet {token}"}
    if origin:
        headers["HTTP_ORIGIN"] = origin
    return getattr(client, method)(path, **headers, **extra)


def test_the_token_reads_the_annotations_of_its_sites_pages_with_a_cors_answer(client, setup):
    user, there, _ = setup
    token = mint_token(user, SITE)
    response = call(client, token, f"/api/v1/annotations/?uri={SITE}/article")
    assert response.status_code == 200
    assert [a["exact"] for a in response.json()["results"]] == ["passage"]
    assert response["Access-Control-Allow-Origin"] == SITE
    assert "Access-Control-Allow-Credentials" not in response


def test_another_origin_or_another_sites_pages_are_refused(client, setup):
    user, there, elsewhere = setup
    token = mint_token(user, SITE)
    assert call(client, token, f"/api/v1/annotations/?uri={SITE}/article", OTHER).status_code == 401
    assert call(client, token, f"/api/v1/annotations/?uri={SITE}/article", None).status_code == 401
    assert call(client, token, f"/api/v1/annotations/?uri={OTHER}/secret").status_code == 403
    assert call(client, token, "/api/v1/bookmarks/").status_code == 403  # the whole library
    assert call(client, token, f"/api/v1/bookmarks/{elsewhere.pk}/highlights/").status_code == 403
    assert call(client, token, f"/api/v1/bookmarks/{there.pk}/highlights/").status_code == 200
    assert call(client, token, "/api/v1/groups/").status_code == 403
    body = json.dumps({"url": f"{OTHER}/page"})
    posted = call(
        client,
        token,
        "/api/v1/bookmarks/",
        method="post",
        data=body,
        content_type="application/json",
    )
    assert posted.status_code == 403


def test_a_forged_or_outdated_token_is_refused(client, setup):
    user, _, _ = setup
    token = mint_token(user, SITE)
    assert call(client, token + "x", f"/api/v1/annotations/?uri={SITE}/a").status_code == 401
    user.set_password("a brand new password")
    user.save()
    assert call(client, token, f"/api/v1/annotations/?uri={SITE}/a").status_code == 401


def test_a_cookie_request_from_another_origin_gets_no_cors_answer(client, setup):
    user, _, _ = setup
    client.force_login(user)
    response = client.get("/api/v1/me/", HTTP_ORIGIN=OTHER)
    assert "Access-Control-Allow-Origin" not in response
    preflight = client.options(
        "/api/v1/me/",
        HTTP_ORIGIN=OTHER,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight["Access-Control-Allow-Origin"] == OTHER
    assert "Access-Control-Allow-Credentials" not in preflight


def test_the_popup_mints_a_token_only_for_a_logged_in_post_with_a_web_origin(client, setup):
    user, _, _ = setup
    url = reverse("library:bookmarklet_annotate_token")
    assert client.post(url, {"origin": SITE}).status_code == 302  # to the login page
    client.force_login(user)
    assert client.get(url).status_code == 405
    assert client.post(url, {"origin": "null"}).status_code == 400
    assert client.post(url, {"origin": "javascript:alert(1)"}).status_code == 400
    made = client.post(url, {"origin": SITE}).json()
    assert call(client, made["token"], f"/api/v1/annotations/?uri={SITE}/x").status_code == 200
    page = client.get(reverse("library:bookmarklet_annotate"))
    assert page.status_code == 200 and page["Cross-Origin-Opener-Policy"] == "unsafe-none"


def test_origin_of_keeps_scheme_host_and_a_non_default_port():
    assert origin_of("https://News.Example:443/a?b") == "https://news.example"
    assert origin_of("http://localhost:8123/x") == "http://localhost:8123"
    assert origin_of("ftp://x/") is None and origin_of("") is None


def test_a_group_the_user_is_not_in_stays_hidden(client, setup):
    user, _, _ = setup
    group = GroupFactory(visibility="private")
    page = page_at(f"{SITE}/group-page")
    HighlightFactory(bookmark=BookmarkFactory(page=page, group=group), exact="secret")
    token = mint_token(user, SITE)
    response = call(client, token, f"/api/v1/annotations/?uri={SITE}/group-page")
    assert response.status_code == 200 and response.json()["results"] == []


def test_the_annotator_script_has_one_address_that_outlives_static_hashes(client):
    response = client.get(reverse("library:bookmarklet_annotator_script"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    # the vendored anchoring library, the extension's annotator, then the bookmarklet's host
    positions = [
        body.index(marker)
        for marker in ("ApacheAnnotator", "CommonplaceAnnotator = {", "__commonplaceBookmarklet")
    ]
    assert positions == sorted(positions)
