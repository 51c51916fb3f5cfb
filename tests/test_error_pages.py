"""Custom 404 / 403 / 500 pages: what a visitor sees when something is missing or fails."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def _forbidden(request):
    raise PermissionDenied("Only moderators can do that.")


def _boom(request):
    raise RuntimeError("simulated failure")


# This module doubles as a URLconf: the whole site plus two views that fail on purpose.
urlpatterns = [path("__forbidden__/", _forbidden), path("__boom__/", _boom), *site_urlpatterns]


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.mark.django_db
def test_missing_page_shows_the_friendly_404(client):
    response = client.get("/g/no-such-group-here/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert "Page not found" in body
    assert "private" in body  # says it may be private, without saying whether it is
    assert 'href="/"' in body  # a way back home


@pytest.mark.django_db
def test_private_group_404_reads_the_same_as_a_missing_one(client, private_group):
    private = client.get(f"/g/{private_group.slug}/")
    missing = client.get("/g/zz-nothing-here/")
    assert private.status_code == missing.status_code == 404

    def main(response, slug):  # the page body; the header differs only by nonce and CSRF token
        html = response.content.decode().replace(slug, "SLUG")
        return html[html.index("<main") : html.index("</main>")]

    assert main(private, private_group.slug) == main(missing, "zz-nothing-here")
    assert private_group.name not in private.content.decode()


@pytest.mark.django_db
def test_logged_in_404_offers_no_login_link(client, user):
    client.force_login(user)
    body = client.get("/g/no-such-group-here/").content.decode()
    assert "Page not found" in body
    assert "/accounts/login/" not in body


@pytest.mark.django_db
def test_forbidden_action_shows_the_403_page_with_the_reason(client, error_urls):
    response = client.get("/__forbidden__/")
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert "You cannot do this" in body
    assert "Only moderators can do that." in body


@pytest.mark.django_db
def test_server_error_shows_the_500_page(error_urls):
    client = Client(raise_request_exception=False)
    response = client.get("/__boom__/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "simulated failure" not in body  # no internals leak to the visitor


def test_500_page_renders_without_request_or_database():
    # No django_db mark: any query would raise. No request, so no context processors either:
    # the page must render when everything else is down.
    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html
    assert "<script" not in html and "style=" not in html
