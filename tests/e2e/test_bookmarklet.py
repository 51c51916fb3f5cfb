"""The "Save to Commonplace" bookmarklet, run on another site's page in Chromium."""

import os
import time
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.factories import UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ARTICLE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Les travailleurs du clic</title></head>
<body><main><h1>Le micro-travail</h1>
<p id="p">Des milliers de personnes micro-travaillent chaque jour pour les plateformes,
souvent la nuit.</p>
</main></body></html>"""

SELECT = """(phrase) => {
  const node = document.getElementById("p").firstChild;
  const start = node.textContent.indexOf(phrase);
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + phrase.length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}"""


@pytest.fixture
def foreign_page(httpserver):
    """Someone else's article, served with its own strict CSP."""
    httpserver.expect_request("/article").respond_with_data(
        ARTICLE,
        content_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": "default-src 'none'; script-src 'none'"},
    )
    return httpserver.url_for("/article")


def bookmarklet_from_settings_page(page, live_server):
    page.goto(f"{live_server.url}/accounts/settings/")
    link = page.locator("a.bookmarklet:not(.bookmarklet-annotate)")
    assert link.inner_text().strip() == "Save to Commonplace"
    href = link.get_attribute("href")
    assert href.startswith("javascript:")
    return unquote(href[len("javascript:") :])


def test_bookmarklet_opens_save_with_url_title_quote_and_context(
    live_server, login, settings, foreign_page
):
    settings.SITE_URL = live_server.url
    page = login(UserFactory())
    code = bookmarklet_from_settings_page(page, live_server)
    assert live_server.url in code

    page.goto(foreign_page)
    page.evaluate(SELECT, "micro-travaillent chaque jour")
    csp_errors = []
    page.context.on(
        "console", lambda m: "Content Security Policy" in m.text and csp_errors.append(m.text)
    )
    with page.context.expect_page() as opened:
        page.evaluate(code)
    save = opened.value
    save.wait_for_load_state()

    parts = urlsplit(save.url)
    assert f"{parts.scheme}://{parts.netloc}" == live_server.url
    assert parts.path == "/save"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    # only the address and the title travel in the URL; the selection comes by postMessage
    assert query == {"handoff": "1", "url": foreign_page, "title": "Les travailleurs du clic"}
    wait_until(save, "document.querySelector('[name=quote]').value !== ''")
    fields = save.evaluate(
        "() => Object.fromEntries(['quote', 'prefix', 'suffix', 'title'].map("
        "n => [n, document.querySelector(`[name=${n}]`).value]))"
    )
    assert fields["quote"] == "micro-travaillent chaque jour"
    assert fields["title"] == "Les travailleurs du clic"
    assert fields["prefix"].endswith("Des milliers de personnes ")
    assert len(fields["prefix"]) == 32
    assert fields["suffix"].startswith(" pour les plateformes")
    assert len(fields["suffix"]) == 32
    assert csp_errors == []  # our /save page runs under our CSP without a complaint


def test_bookmarklet_without_a_selection_sends_only_url_and_title(
    live_server, login, settings, foreign_page
):
    settings.SITE_URL = live_server.url
    page = login(UserFactory())
    code = bookmarklet_from_settings_page(page, live_server)
    page.goto(foreign_page)
    with page.context.expect_page() as opened:
        page.evaluate(code)
    save = opened.value
    save.wait_for_load_state()
    query = parse_qs(urlsplit(save.url).query)
    assert set(query) == {"handoff", "url", "title"}
    wait_until(save, "document.querySelector('[name=quote]').form.dataset.handedOver === '1'")
    assert save.evaluate("document.querySelector('[name=quote]').value") == ""


def test_clicking_the_bookmarklet_on_our_own_page_explains_to_drag_it(live_server, login):
    page = login(UserFactory())
    page.goto(f"{live_server.url}/accounts/settings/")
    page.click("a.bookmarklet:not(.bookmarklet-annotate)")
    hint = page.locator("#bookmarklet-hint")
    assert "drag it to your bookmarks bar" in hint.inner_text()
    assert "bookmarklet-hint-shown" in hint.get_attribute("class")


def wait_until(page, condition, timeout=10):
    """Poll `condition` in the page (wait_for_function would eval a string, which the save
    page's CSP refuses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(condition):
        assert time.monotonic() < deadline, f"never true: {condition}"
        time.sleep(0.05)
