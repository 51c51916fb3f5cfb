"""Attack probes (issue 19, point 14): an unexpected exception inside a view never reaches
the client as text. The API answers a generic JSON `{"detail": ...}` 500, pages the 500 page;
the exception goes to the logs."""

import pytest
from django.test import Client

from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db

SECRET = "relation secret_table does not exist at 10.0.0.7"


def _explode(*args, **kwargs):
    raise RuntimeError(SECRET)


@pytest.fixture
def broken_selectors(monkeypatch):
    """The bookmark list (API) and a group's library page (HTML) both fail inside."""
    monkeypatch.setattr("library.api.visible_bookmarks", _explode)
    monkeypatch.setattr("library.views.selectors.group_library", _explode)


def test_an_api_exception_is_a_generic_json_500(broken_selectors, caplog):
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/bookmarks/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail"} and body["detail"]
    assert SECRET not in response.text and "RuntimeError" not in response.text
    assert SECRET in caplog.text  # kept for whoever reads the logs


def test_a_page_exception_is_the_500_page_without_its_text(broken_selectors):
    group = GroupFactory(visibility="public")
    client = Client(raise_request_exception=False)
    response = client.get(f"/g/{group.slug}/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert SECRET not in response.text and "RuntimeError" not in response.text
