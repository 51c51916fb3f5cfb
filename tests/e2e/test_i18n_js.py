"""In a real browser: words written by JavaScript come in French from Django's JavaScript
catalog (/jsi18n/) for a French reader: the reader's annotator toolbar at a selection."""

import os

import pytest
from django.conf import settings

from tests.e2e.test_reader import SELECT_JS, TOOLBAR, open_reader, reading  # noqa: F401

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_reader_annotator_speaks_french_from_javascript(live_server, login, reading):  # noqa: F811
    owner, bookmark = reading
    page = login(owner)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "fr", "url": live_server.url}]
    )
    open_reader(page, f"{live_server.url}/b/{bookmark.pk}/read")

    assert page.evaluate(SELECT_JS, "payés à la tâche")
    toolbar = page.locator(TOOLBAR)
    toolbar.wait_for(state="visible")
    words = toolbar.inner_text()
    assert "Surligner" in words and "Ma bibliothèque" in words
    assert "Highlight" not in words and "My library" not in words
    assert toolbar.locator(".color-green").get_attribute("title") == "Vert"
