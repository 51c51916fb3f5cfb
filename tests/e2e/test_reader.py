"""In a real browser: the reader view runs the extension's in-page annotator on the page text.
Select a passage, the toolbar floats at it; highlight with a note, nothing moves, it is stored
and painted again after a reload; a click on a mark shows its note, author, group and thread."""

import os
import time

import pytest

from annotations.models import Comment, Highlight
from tests.factories import (
    BookmarkFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    PageFactory,
    UserFactory,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = (
    "Premier paragraphe d'introduction.\n\n"
    "Les micro-travailleurs sont payés à la tâche, souvent quelques centimes « seulement ».\n\n"
    "Dernier paragraphe & fin."
)
BLUE = "rgb(147, 197, 253)"  # the annotator's paint for "blue"
GREEN = "rgb(134, 239, 172)"

SELECT_JS = """(phrase) => {
  const container = document.getElementById("reader-text");
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(phrase);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + phrase.length);
      const selection = document.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      const box = range.getBoundingClientRect();
      return { top: box.top + window.scrollY, bottom: box.bottom, left: box.left };
    }
  }
  return null;
}"""
# where the passage's paragraph sits in the page (document coordinates)
PARAGRAPH_TOP = """(phrase) => {
  const p = [...document.querySelectorAll("#reader-text p")]
    .find((p) => p.textContent.includes(phrase));
  return p.getBoundingClientRect().top + window.scrollY;
}"""
MARKS = """() => [...document.querySelectorAll("#reader-text mark.commonplace-mark")].map((m) => ({
  text: m.textContent, background: getComputedStyle(m).backgroundColor }))"""
TOOLBAR = "commonplace-annotator .toolbar"


def wait_until(page, condition, timeout=10):
    """Poll in the page (the site's CSP refuses wait_for_function's eval)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(condition):
        assert time.monotonic() < deadline, f"never true: {condition}"
        time.sleep(0.05)


def open_reader(page, url):
    page.goto(url)
    wait_until(page, "document.querySelector('commonplace-annotator')?.dataset.ready === 'true'")


@pytest.fixture
def reading(live_server):
    from django.core.cache import cache

    cache.clear()  # the posting rate limit counts in Redis
    owner = UserFactory(display_name="Alice Martin")
    page = PageFactory(text=TEXT, fetch_status="ok", title="Le clic")
    bookmark = BookmarkFactory(page=page, owner=owner, title="")
    start = TEXT.index("Premier paragraphe")
    HighlightFactory(
        bookmark=bookmark,
        author=owner,
        exact="Premier paragraphe",
        prefix="",
        suffix=TEXT[start + 18 : start + 50],
        start=start,
        end=start + len("Premier paragraphe"),
        color="green",
        anchor_status="anchored",
    )
    return owner, bookmark


def test_select_highlight_with_a_note_nothing_moves_stored_and_painted_after_reload(
    live_server, login, reading
):
    owner, bookmark = reading
    page = login(owner)
    open_reader(page, f"{live_server.url}/b/{bookmark.pk}/read")
    assert page.locator("#reader-text").text_content() == TEXT
    # the server's mark was taken over by the annotator's, in the same place
    assert page.evaluate(MARKS) == [{"text": "Premier paragraphe", "background": GREEN}]
    toolbar = page.locator(TOOLBAR)
    assert toolbar.is_hidden()  # no controls above the text: only at a selection

    phrase = "payés à la tâche"
    top_before = page.evaluate(PARAGRAPH_TOP, phrase)
    selected = page.evaluate(SELECT_JS, phrase)
    toolbar.wait_for(state="visible")
    box = toolbar.bounding_box()
    # next to the selection: just under it (or just over it near the bottom of the window)
    below, above = box["y"] - (selected["bottom"] + 8), selected["top"] - box["y"] - box["height"]
    assert abs(below) < 2 or 0 < above < 140
    assert page.evaluate(PARAGRAPH_TOP, phrase) == top_before
    assert "My library" in toolbar.inner_text()  # where it goes: the bookmark being read

    toolbar.locator(".note-button").click()
    toolbar.locator(".note").fill("le cœur du sujet")
    toolbar.locator(".color-blue").click()
    wait_until(page, "document.querySelectorAll('mark.commonplace-blue').length > 0")
    assert {"text": phrase, "background": BLUE} in page.evaluate(MARKS)
    assert toolbar.is_hidden()
    assert page.locator("#reader-text").text_content() == TEXT
    assert page.evaluate(PARAGRAPH_TOP, phrase) == top_before  # the text did not jump

    stored = Highlight.objects.get(bookmark=bookmark, color="blue")
    assert stored.exact == phrase and stored.note == "le cœur du sujet"
    assert (stored.start, stored.end) == (TEXT.index(phrase), TEXT.index(phrase) + len(phrase))
    assert stored.prefix == TEXT[stored.start - 32 : stored.start]
    assert stored.suffix == TEXT[stored.end : stored.end + 32]

    # still there after a reload, and a click on it shows the note and who wrote it
    page.reload()
    wait_until(page, "document.querySelector('commonplace-annotator')?.dataset.ready === 'true'")
    assert {"text": phrase, "background": BLUE} in page.evaluate(MARKS)
    page.locator("mark.commonplace-blue").click()
    item = page.locator(f'commonplace-annotator .sidebar .item[data-id="{stored.pk}"]')
    item.wait_for(state="visible")
    assert "le cœur du sujet" in item.inner_text()
    assert "Alice Martin" in item.inner_text() and "My library" in item.inner_text()


def test_a_member_clicks_a_mark_sees_note_author_group_and_replies(live_server, login):
    from django.core.cache import cache

    cache.clear()
    group = GroupFactory(visibility="private", name="Tic&Travail")
    alice = UserFactory(display_name="Alice Martin")
    bruno = UserFactory(display_name="Bruno Petit")
    MembershipFactory(group=group, user=alice)
    MembershipFactory(group=group, user=bruno)
    bookmark = BookmarkFactory(
        page=PageFactory(text=TEXT, fetch_status="ok"), owner=alice, group=group
    )
    phrase = "payés à la tâche"
    start = TEXT.index(phrase)
    highlight = HighlightFactory(
        bookmark=bookmark,
        author=alice,
        exact=phrase,
        prefix=TEXT[start - 32 : start],
        suffix=TEXT[start + len(phrase) : start + len(phrase) + 32],
        start=start,
        end=start + len(phrase),
        color="green",
        note="Le cœur de l’enquête",
        anchor_status="anchored",
    )

    page = login(bruno)
    open_reader(page, f"{live_server.url}/b/{bookmark.pk}/read")
    page.locator("mark.commonplace-mark").click()
    item = page.locator(f'commonplace-annotator .sidebar .item[data-id="{highlight.pk}"]')
    item.wait_for(state="visible")
    text = item.inner_text()
    assert "Le cœur de l’enquête" in text
    assert "Alice Martin" in text and "Tic&Travail" in text

    thread = item.locator(".thread")
    thread.locator(".reply-text").fill("D’accord, et les plateformes ?")
    thread.locator(".reply-button").click()
    thread.locator(".reply").get_by_text("D’accord, et les plateformes ?").wait_for()
    reply = Comment.objects.get(highlight=highlight)
    assert reply.author == bruno and reply.body == "D’accord, et les plateformes ?"


def test_the_h_key_highlights_the_selection(live_server, login, reading):
    owner, bookmark = reading
    page = login(owner)
    open_reader(page, f"{live_server.url}/b/{bookmark.pk}/read")
    phrase = "Dernier paragraphe & fin"
    assert page.evaluate(SELECT_JS, phrase)
    page.locator(TOOLBAR).wait_for(state="visible")
    page.keyboard.press("h")
    wait_until(page, "document.querySelectorAll('mark.commonplace-yellow').length > 0")
    stored = Highlight.objects.get(bookmark=bookmark, color="yellow")
    assert TEXT[stored.start : stored.end] == phrase


def test_on_a_phone_the_text_starts_on_the_first_screen_and_the_toolbar_comes_with_a_selection(
    live_server, browser, reading
):
    owner, bookmark = reading
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", owner.username)
    page.fill("input[name=password]", "correct horse battery")
    page.click("form#login-form button[type=submit]")
    page.wait_for_load_state()
    open_reader(page, f"{live_server.url}/b/{bookmark.pk}/read")

    first_line = page.evaluate(
        "document.querySelector('#reader-text p').getBoundingClientRect().top"
    )
    assert first_line < 844 / 2  # the article starts in the upper half of the first screen
    assert page.locator(TOOLBAR).is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.evaluate(SELECT_JS, "payés à la tâche")
    toolbar = page.locator(TOOLBAR)
    toolbar.wait_for(state="visible")
    box = toolbar.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    context.close()
