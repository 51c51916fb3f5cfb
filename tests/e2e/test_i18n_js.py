"""In a real browser: messages written by JavaScript come in French from Django's JavaScript
catalog (/jsi18n/) for a French reader."""

import os

import pytest
from django.conf import settings

from tests.e2e.test_reader import SELECT_JS, reading  # noqa: F401 (fixture)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_reader_speaks_french_from_javascript(live_server, login, reading):  # noqa: F811
    owner, bookmark = reading
    page = login(owner)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "fr", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/b/{bookmark.pk}/read")
    page.locator("#highlight-button").click()
    status = page.get_by_role("status")
    status.get_by_text("Sélectionnez d’abord un passage du texte.").wait_for()

    assert page.evaluate(SELECT_JS, "payés à la tâche")
    page.locator("#highlight-selection").get_by_text("payés à la tâche").wait_for()
    page.locator("#highlight-button").click()
    status.get_by_text("Surligné.").wait_for()
