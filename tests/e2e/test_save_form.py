"""The save form's live behaviour in Chromium: Private only in My library, "you saved this"
as the URL is typed, the page's title offered from the guarded fetcher, and a long
bookmarklet selection handed over whole (nothing travels in the URL but the address)."""

import os
import time

import pytest

from bookmarks.services import save_bookmark
from tests.factories import GroupFactory, MembershipFactory, UserFactory

from .test_bookmarklet import bookmarklet_from_settings_page, wait_until

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG = " ".join(["Les micro-travailleurs et travailleuses des plateformes"] * 70)  # ~3,900
PAGE = f"""<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Enquête sur le micro-travail</title>
<meta name="description" content="Qui sont les travailleurs du clic ?"></head>
<body><main><p id="p">{LONG}</p></main></body></html>"""


@pytest.fixture
def local_page(httpserver):
    httpserver.expect_request("/enquete").respond_with_data(
        PAGE,
        content_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": "default-src 'none'"},
    )
    return httpserver.url_for("/enquete")


def test_private_is_only_offered_for_my_library(live_server, login):
    user = UserFactory()
    group = GroupFactory(name="Tic&Travail")
    MembershipFactory(group=group, user=user)
    page = login(user)
    page.goto(f"{live_server.url}/save")
    private = page.locator("input[name=private]")
    assert private.is_enabled()
    private.check()
    page.locator(f"input[name=destination][value='{group.pk}']").check()
    wait_until(page, "document.querySelector('input[name=private]').disabled")
    assert not private.is_checked()
    page.locator(f"input[name=destination][value='{group.pk}']").uncheck()
    wait_until(page, "!document.querySelector('input[name=private]').disabled")


def test_typing_a_saved_url_says_so_and_loads_what_was_saved(live_server, login):
    user = UserFactory()
    save_bookmark(user, "https://example.org/deja", title="Déjà là", tags="travail, clic")
    page = login(user)
    page.goto(f"{live_server.url}/save")
    page.locator("input[name=url]").fill("https://example.org/deja")
    page.locator("#save-check").get_by_text("You saved this on").wait_for()
    assert page.locator("input[name=title]").input_value() == "Déjà là"
    assert "travail" in page.locator("input[name=tags]").input_value()


def test_typing_a_new_url_offers_the_pages_title(live_server, login, settings, local_page):
    settings.FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]  # the page is served on this machine
    page = login(UserFactory())
    page.goto(f"{live_server.url}/save")
    page.locator("input[name=url]").fill(local_page)
    deadline = time.monotonic() + 15
    title = page.locator("input[name=title]")
    while title.input_value() != "Enquête sur le micro-travail":
        assert time.monotonic() < deadline, "the title was never offered"
        time.sleep(0.1)
    assert page.locator("[name=description]").input_value() == "Qui sont les travailleurs du clic ?"


def test_a_long_selection_reaches_the_form_whole(live_server, login, settings, local_page):
    settings.SITE_URL = live_server.url
    page = login(UserFactory())
    code = bookmarklet_from_settings_page(page, live_server)
    page.goto(local_page)  # a strict CSP of its own
    page.evaluate("""() => {
      const range = document.createRange();
      range.selectNodeContents(document.getElementById("p"));
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    }""")
    with page.context.expect_page() as opened:
        page.evaluate(code)
    save = opened.value
    save.wait_for_load_state()
    assert len(save.url) < 2000
    wait_until(save, "document.querySelector('[name=quote]').value !== ''")
    quote = save.evaluate("document.querySelector('[name=quote]').value")
    assert quote == LONG
