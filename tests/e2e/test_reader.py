"""In a real browser: select a passage in the reader, highlight it, see it marked and stored."""

import os

import pytest

from annotations.models import Highlight
from tests.factories import BookmarkFactory, HighlightFactory, PageFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT = (
    "Premier paragraphe d'introduction.\n\n"
    "Les micro-travailleurs sont payés à la tâche, souvent quelques centimes « seulement ».\n\n"
    "Dernier paragraphe & fin."
)

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
      return true;
    }
  }
  return false;
}"""


@pytest.fixture
def reading(live_server):
    from django.core.cache import cache

    cache.clear()  # the posting rate limit counts in Redis
    owner = UserFactory()
    page = PageFactory(text=TEXT, fetch_status="ok", title="Le clic")
    bookmark = BookmarkFactory(page=page, owner=owner, title="")
    start = TEXT.index("Premier paragraphe")
    HighlightFactory(
        bookmark=bookmark,
        author=owner,
        exact="Premier paragraphe",
        start=start,
        end=start + len("Premier paragraphe"),
        color="green",
        anchor_status="anchored",
    )
    return owner, bookmark


def test_select_a_passage_highlight_it_and_see_it_marked_and_stored(live_server, login, reading):
    owner, bookmark = reading
    page = login(owner)
    page.goto(f"{live_server.url}/b/{bookmark.pk}/read")
    assert page.locator("#reader-text").text_content() == TEXT
    assert page.locator("mark.hl-green").text_content() == "Premier paragraphe"

    phrase = "payés à la tâche"
    assert page.evaluate(SELECT_JS, phrase)
    page.get_by_text(phrase, exact=False).first.wait_for()
    page.locator("#highlight-selection").get_by_text(phrase).wait_for()
    page.get_by_label("Blue").check()
    page.fill("#highlight-note", "le cœur du sujet")
    page.locator("#highlight-button").focus()
    page.keyboard.press("Enter")  # the Highlight button, from the keyboard

    marked = page.locator("mark.hl-blue")
    marked.wait_for()
    assert marked.text_content() == phrase
    page.get_by_role("status").get_by_text("Highlighted.").wait_for()
    assert page.locator("#reader-text").text_content() == TEXT

    stored = Highlight.objects.get(bookmark=bookmark, color="blue")
    assert stored.exact == phrase
    assert (stored.start, stored.end) == (TEXT.index(phrase), TEXT.index(phrase) + len(phrase))
    assert TEXT[stored.start : stored.end] == phrase
    assert TEXT.endswith(stored.suffix, 0, stored.end + len(stored.suffix))
    assert stored.prefix == TEXT[stored.start - 32 : stored.start]
    assert stored.note == "le cœur du sujet"

    # Still there after a reload, now marked by the server.
    page.reload()
    assert page.locator("mark.hl-blue").text_content() == phrase


def test_the_h_key_highlights_the_selection(live_server, login, reading):
    owner, bookmark = reading
    page = login(owner)
    page.goto(f"{live_server.url}/b/{bookmark.pk}/read")
    phrase = "Dernier paragraphe & fin"
    assert page.evaluate(SELECT_JS, phrase)
    page.locator("#highlight-selection").get_by_text(phrase).wait_for()
    page.keyboard.press("h")
    page.locator("mark.hl-yellow").wait_for()
    stored = Highlight.objects.get(bookmark=bookmark, color="yellow")
    assert TEXT[stored.start : stored.end] == phrase


def test_library_item_shows_fetching_then_fills_in_the_title(live_server, login):
    from bookmarks.models import Page

    owner = UserFactory()
    page_row = PageFactory(title="", fetch_status="pending")
    bookmark = BookmarkFactory(page=page_row, owner=owner, title="")
    page = login(owner)
    page.goto(f"{live_server.url}/u/{owner.username}/")
    status = page.locator(f"#fetch-status-{bookmark.pk}")
    assert "fetching…" in status.text_content()
    # What the worker does when the fetch is over.
    Page.objects.filter(pk=page_row.pk).update(
        fetch_status="ok", title="Le titre arrivé", text="Du texte."
    )
    title_link = page.locator(f"#item-{bookmark.pk}-title > a")
    title_link.get_by_text("Le titre arrivé").wait_for(timeout=10_000)
    assert "fetching…" not in page.locator(f"#fetch-status-{bookmark.pk}").text_content()
    page.locator(f"#fetch-status-{bookmark.pk}").get_by_role("link", name="Read").wait_for()
