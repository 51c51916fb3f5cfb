"""The browser extension, unpacked in Debian's Chromium: connect, highlight on a strict-CSP page
into a group, a second member sees it, it follows a moved passage, a removed one is orphaned."""

import os
import time

import pytest

from annotations.models import Highlight
from scripts.build_extension import build
from tests.factories import GroupFactory, MembershipFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
PASSAGE = "micro-travaillent chaque jour pour les plateformes"
STRICT_CSP = "default-src 'none'; script-src 'none'; style-src 'none'; img-src 'none'"

ARTICLE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Les travailleurs du clic</title></head>
<body><main><h1>Le micro-travail</h1>{before}
<p id="p">{text}</p>
</main></body></html>"""
ORIGINAL = f"Des milliers de personnes {PASSAGE}, souvent la nuit."
SELECT = """(phrase) => {
  const node = document.getElementById("p").firstChild;
  const start = node.textContent.indexOf(phrase);
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + phrase.length);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
}"""
MARKS = """() => [...document.querySelectorAll("mark.commonplace-mark")].map((m) => ({
  text: m.textContent, background: getComputedStyle(m).backgroundColor }))"""
GREEN = "rgb(134, 239, 172)"


def wait_until(page, condition, timeout=15):
    """Poll in the page (the pages' CSP refuses wait_for_function's eval)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(condition):
        assert time.monotonic() < deadline, f"never true: {condition}"
        time.sleep(0.1)


@pytest.fixture
def article(httpserver):
    """Someone else's article with a strict CSP; `article["html"]` is what it serves now."""
    state = {"html": ARTICLE.format(before="", text=ORIGINAL)}

    def respond(request):
        from werkzeug import Response

        return Response(
            state["html"],
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": STRICT_CSP},
        )

    httpserver.expect_request("/article").respond_with_handler(respond)
    state["url"] = httpserver.url_for("/article")
    return state


@pytest.fixture
def extension_dir(tmp_path_factory):
    return build(tmp_path_factory.mktemp("ext") / "unpacked")


@pytest.fixture
def browser_for(playwright, extension_dir, tmp_path, live_server):
    """browser_for(user) → a Chromium with the extension, logged in and connected as user."""
    opened = []

    def _open(user):
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / user.username),
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                f"--disable-extensions-except={extension_dir}",
                f"--load-extension={extension_dir}",
            ],
        )
        opened.append(context)
        worker = context.service_workers[0] if context.service_workers else None
        worker = worker or context.wait_for_event("serviceworker")
        extension_id = worker.url.split("/")[2]
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("form#login-form button[type=submit]")
        page.wait_for_load_state()

        options = context.new_page()
        options.goto(f"chrome-extension://{extension_id}/options.html")
        options.fill("#site", live_server.url)
        with context.expect_page() as approval:
            options.click("#connect")
        connect = approval.value
        connect.wait_for_load_state()
        assert "/extension/connect/" in connect.url
        connect.click("#extension-approve")
        connect.wait_for_selector("#extension-approved")
        wait_until(options, "document.getElementById('status').textContent.includes('Connected')")
        assert user.username in options.inner_text("#status")
        connect.close()
        options.close()
        return context, page, extension_id

    yield _open
    for context in opened:
        context.close()


def annotate(context, page, extension_id, url):
    """Open `url` and press the extension's toolbar button (CDP Extensions.triggerAction)."""
    page.goto(url)
    cdp = context.browser.new_browser_cdp_session()
    tabs = cdp.send("Target.getTargets", {"filter": [{}]})["targetInfos"]
    tab = next(t for t in tabs if t["type"] == "tab" and t["url"] == url)
    cdp.send("Extensions.triggerAction", {"id": extension_id, "targetId": tab["targetId"]})
    wait_until(page, "document.querySelector('commonplace-annotator')?.dataset.ready === 'true'")


def test_highlight_into_a_group_is_seen_by_another_member_moves_and_orphans(browser_for, article):
    group = GroupFactory(visibility="private", name="Tic&Travail")
    alice = UserFactory(display_name="Alice Martin")
    bruno = UserFactory(display_name="Bruno Petit")
    MembershipFactory(group=group, user=alice)
    MembershipFactory(group=group, user=bruno)

    # Alice selects the passage and highlights it in green with a note, into the group
    context, page, extension_id = browser_for(alice)
    csp_violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and csp_violations.append(m))
    annotate(context, page, extension_id, article["url"])
    page.evaluate(SELECT, PASSAGE)
    toolbar = page.locator("commonplace-annotator .toolbar")
    toolbar.wait_for(state="visible")
    toolbar.locator(".destination").select_option(group.slug)
    toolbar.locator(".note-button").click()
    toolbar.locator(".note").fill("Le cœur de l’enquête")
    toolbar.locator(".color-green").click()
    wait_until(page, "document.querySelectorAll('mark.commonplace-mark').length > 0")
    assert page.evaluate(MARKS) == [{"text": PASSAGE, "background": GREEN}]
    assert toolbar.is_hidden()
    highlight = Highlight.objects.get()
    assert (highlight.color, highlight.note, highlight.bookmark.group) == (
        "green",
        "Le cœur de l’enquête",
        group,
    )
    assert highlight.exact == PASSAGE and highlight.prefix.endswith("Des milliers de personnes ")
    assert csp_violations == []
    context.close()

    # Bruno opens the same page: the green mark, and Alice's note in the sidebar
    context, page, extension_id = browser_for(bruno)
    annotate(context, page, extension_id, article["url"])
    assert page.evaluate(MARKS) == [{"text": PASSAGE, "background": GREEN}]
    page.click("mark.commonplace-mark")
    item = page.locator("commonplace-annotator .sidebar .list .item")
    item.wait_for(state="visible")
    assert "Le cœur de l’enquête" in item.inner_text()
    assert "Alice Martin" in item.inner_text() and "Tic&Travail" in item.inner_text()

    # the page rewrites itself after load (no reload): the mark comes back where the text is
    page.evaluate(
        """(text) => { const p = document.getElementById("p");
          p.before(Object.assign(document.createElement("p"), { textContent: "Ajout." }));
          p.textContent = text; }""",
        f"Plus tard : des milliers de personnes {PASSAGE} encore.",
    )
    wait_until(page, "document.querySelectorAll('mark.commonplace-mark').length === 1")
    assert page.evaluate(MARKS) == [{"text": PASSAGE, "background": GREEN}]

    # the page changed: the passage moved further down, among new text
    article["html"] = ARTICLE.format(
        before="<p>Un nouveau chapeau, ajouté depuis, qui décale tout le texte.</p>",
        text=f"Mise à jour : des milliers de personnes {PASSAGE}, et le week-end aussi.",
    )
    annotate(context, page, extension_id, article["url"])
    assert page.evaluate(MARKS) == [{"text": PASSAGE, "background": GREEN}]

    # the passage is gone: no mark, and the sidebar lists it as orphaned
    article["html"] = ARTICLE.format(before="", text="Tout a été réécrit.")
    annotate(context, page, extension_id, article["url"])
    assert page.evaluate(MARKS) == []
    page.click("commonplace-annotator .toggle")
    orphan = page.locator("commonplace-annotator .orphans .item")
    orphan.wait_for(state="visible")
    assert PASSAGE in orphan.inner_text()
