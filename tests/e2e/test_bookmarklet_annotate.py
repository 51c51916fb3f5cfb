"""The "Annotate with Commonplace" bookmarklet on another site's page, in Chromium: without a
CSP the annotator comes in (after the user allows that site in our popup) and paints the saved
highlights; a strict CSP gets the "use the extension" message; that other origin cannot read
the user's data with the cookies the browser holds."""

import os
import time
from urllib.parse import unquote

import pytest

from annotations.models import Highlight
from bookmarks.urlnorm import normalize_url, url_key
from tests.factories import BookmarkFactory, HighlightFactory, PageFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSAGE = "micro-travaillent chaque jour pour les plateformes"
ARTICLE = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Les travailleurs du clic</title></head>
<body><main><h1>Le micro-travail</h1>
<p id="p">Des milliers de personnes {PASSAGE}, souvent la nuit.</p>
<p id="q">Le second paragraphe parle des tarifs.</p>
</main></body></html>"""
STRICT_CSP = "default-src 'none'; script-src 'none'; style-src 'none'"
GREEN = "rgb(134, 239, 172)"
BLUE = "rgb(147, 197, 253)"
MARKS = """() => [...document.querySelectorAll("mark.commonplace-mark")].map((m) => ({
  text: m.textContent, background: getComputedStyle(m).backgroundColor }))"""
SELECT = """([id, phrase]) => {
  const node = document.getElementById(id).firstChild;
  const start = node.textContent.indexOf(phrase);
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + phrase.length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
}"""


def wait_until(page, condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not page.evaluate(condition):
        assert time.monotonic() < deadline, f"never true: {condition}"
        time.sleep(0.05)


@pytest.fixture
def pages(httpserver):
    httpserver.expect_request("/plain").respond_with_data(
        ARTICLE, content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/strict").respond_with_data(
        ARTICLE,
        content_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": STRICT_CSP},
    )
    return {"plain": httpserver.url_for("/plain"), "strict": httpserver.url_for("/strict")}


def annotate_code(page, live_server):
    page.goto(f"{live_server.url}/accounts/settings/")
    link = page.locator("a.bookmarklet-annotate")
    assert link.inner_text().strip() == "Annotate with Commonplace"
    href = link.get_attribute("href")
    assert href.startswith("javascript:")
    return unquote(href[len("javascript:") :])


@pytest.fixture
def reader(live_server, settings, pages):
    from django.core.cache import cache

    cache.clear()
    settings.SITE_URL = live_server.url
    user = UserFactory(display_name="Alice Martin")
    url = normalize_url(pages["plain"])
    bookmark = BookmarkFactory(page=PageFactory(url=url, url_hash=url_key(url)), owner=user)
    HighlightFactory(
        bookmark=bookmark,
        author=user,
        exact=PASSAGE,
        prefix="Des milliers de personnes ",
        suffix=", souvent la nuit.",
        color="green",
        note="Le cœur de l’enquête",
        anchor_status="anchored",
    )
    return user, bookmark


def test_on_a_page_without_csp_the_user_allows_the_site_and_sees_and_makes_highlights(
    live_server, login, pages, reader
):
    user, bookmark = reader
    page = login(user)
    code = annotate_code(page, live_server)
    page.goto(pages["plain"])
    with page.context.expect_page() as opened:
        page.evaluate(code)
    popup = opened.value
    popup.wait_for_load_state()
    assert popup.url == f"{live_server.url}/bookmarklet/annotate"
    ask = popup.locator("#annotate-ask")
    ask.wait_for(state="visible")
    origin = pages["plain"].rsplit("/", 1)[0]
    assert popup.inner_text("#annotate-origin") == origin
    assert page.locator("commonplace-annotator").count() == 0  # nothing before the user agrees
    popup.click("#annotate-allow")

    wait_until(page, "document.querySelector('commonplace-annotator')?.dataset.ready === 'true'")
    assert page.evaluate(MARKS) == [{"text": PASSAGE, "background": GREEN}]
    page.click("mark.commonplace-mark")
    item = page.locator("commonplace-annotator .sidebar .list .item")
    item.wait_for(state="visible")
    assert "Le cœur de l’enquête" in item.inner_text() and "Alice Martin" in item.inner_text()

    # a new highlight, saved on the user's bookmark of this page through the token
    page.evaluate(SELECT, ["q", "parle des tarifs"])
    toolbar = page.locator("commonplace-annotator .toolbar")
    toolbar.wait_for(state="visible")
    toolbar.locator(".color-blue").click()
    wait_until(page, "document.querySelectorAll('mark.commonplace-blue').length > 0")
    assert {"text": "parle des tarifs", "background": BLUE} in page.evaluate(MARKS)
    made = Highlight.objects.get(color="blue")
    assert made.bookmark == bookmark and made.author == user


def test_on_a_page_with_a_strict_csp_the_user_is_told_to_use_the_extension(
    live_server, login, pages, reader
):
    user, _ = reader
    page = login(user)
    code = annotate_code(page, live_server)
    page.goto(pages["strict"])
    said = []

    def answer(dialog):
        said.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    page.evaluate(code)
    deadline = time.monotonic() + 10
    while not said:
        assert time.monotonic() < deadline, "no message"
        page.wait_for_timeout(50)
    assert "browser extension" in said[0]
    assert page.locator("commonplace-annotator").count() == 0


def test_the_other_origin_cannot_read_the_users_data_with_the_browsers_cookies(
    live_server, login, pages, reader
):
    user, _ = reader
    page = login(user)
    page.goto(pages["plain"])
    read = page.evaluate(
        """async (site) => {
          const answers = [];
          for (const path of ["/api/v1/me/", "/api/v1/bookmarks/", "/api/v1/annotations/?uri="
                              + encodeURIComponent(location.href)]) {
            try {
              const response = await fetch(site + path, { credentials: "include" });
              answers.push(await response.text());
            } catch (error) {
              answers.push("refused");
            }
          }
          return answers;
        }""",
        live_server.url,
    )
    assert read == ["refused", "refused", "refused"]
