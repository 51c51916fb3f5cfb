"""Attack probes: NUL and other control bytes in a path, a query parameter or a form field
are a 400 with a message (HTML for pages, JSON `detail` for the API), never a 500."""

import pytest

from tests.factories import BookmarkFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/search/?q=a%00b",
    "/search/?q=ok&tag=%00",
    "/g/{slug}/?q=%00",
    "/g/{slug}/?sort=%01",
    "/g/{slug}/?tag=x%1b",
    "/feeds/g/{slug}.atom?q=%00",
    "/feeds/g/{slug}/tag/a%00b.rss",
    "/u/a%00b/",
    "/tags/suggest?q=%00",
    "/accounts/login/?next=%00",
]


@pytest.mark.parametrize("url", PAGES)
def test_control_byte_in_a_page_url_is_a_400_page(client, public_group, url):
    response = client.get(url.format(slug=public_group.slug))
    assert response.status_code == 400
    assert "control character" in response.content.decode()
    assert "400.html" in [t.name for t in response.templates]


def test_the_400_page_speaks_french(client, public_group):
    response = client.get("/search/?q=%00", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert "caractère de contrôle" in response.content.decode()


@pytest.mark.parametrize("url", ["/api/v1/bookmarks/?q=%00", "/api/v1/search/?q=x%00y"])
def test_control_byte_in_an_api_query_is_a_json_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "control character" in response.json()["detail"]


def test_nul_in_a_form_field_is_a_400(client, user, public_group):
    bookmark = BookmarkFactory(owner=user)
    client.force_login(user)
    response = client.post(f"/b/{bookmark.pk}/edit", {"title": "a\x00b", "tags": ""})
    assert response.status_code == 400
    bookmark.refresh_from_db()
    assert "\x00" not in bookmark.title


def test_newlines_and_tabs_in_a_form_field_are_kept(client, user):
    bookmark = BookmarkFactory(owner=user)
    client.force_login(user)
    response = client.post(
        f"/b/{bookmark.pk}/edit",
        {"title": "Titre", "description": "ligne 1\r\n\tligne 2", "tags": ""},
    )
    assert response.status_code in (200, 302)
    bookmark.refresh_from_db()
    assert bookmark.description.startswith("ligne 1")
