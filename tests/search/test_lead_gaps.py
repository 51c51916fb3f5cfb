"""Gaps found by the search audit in code the lead owns (search/selectors.py and the search
migrations' SQL): each test states the behaviour a reader expects and fails today."""

import pytest

from search.selectors import search_items
from tests.factories import BookmarkFactory, CommentFactory, HighlightFactory, PageFactory

pytestmark = pytest.mark.django_db


def only(q):
    (result,) = search_items(None, q).items
    return result


@pytest.mark.xfail(
    strict=True,
    reason="lead: search_marked() runs ts_headline with simple_unaccent only, so a title found "
    "through its French or English stem (élections → élection) is shown without any mark",
)
def test_a_title_found_through_its_stem_has_the_word_marked():
    BookmarkFactory(title="L'élection présidentielle", page=PageFactory(language="fr"))
    assert "<mark>élection</mark>" in only("élections").title_marked


@pytest.mark.xfail(
    strict=True,
    reason="lead: with_marks() builds the snippet from the description and the first 3,000 "
    "characters of page text only; a bookmark found by a highlight shows no marked word",
)
def test_a_bookmark_found_by_its_highlight_shows_the_passage_marked():
    bookmark = BookmarkFactory(title="Sans rapport", page=PageFactory(text="Autre chose."))
    HighlightFactory(bookmark=bookmark, exact="les conditions de travail des livreurs")
    assert "<mark>travail</mark>" in only("travail").snippet


@pytest.mark.xfail(
    strict=True,
    reason="lead: with_marks() builds the snippet from the description and page text only; a "
    "bookmark found by a comment shows no marked word",
)
def test_a_bookmark_found_by_a_comment_shows_it_marked():
    bookmark = BookmarkFactory(title="Sans rapport", page=PageFactory(text="Autre chose."))
    CommentFactory(bookmark=bookmark, body="Un bel exemple de micro-travail")
    assert "<mark>travail</mark>" in only("travail").snippet


@pytest.mark.xfail(
    strict=True,
    reason="lead: the vector reads 10,000 characters of page text but the snippet only 3,000: "
    "a word found further down is shown without a mark",
)
def test_a_word_found_deep_in_the_page_is_marked_in_the_snippet():
    text = "Introduction. " * 300 + "Les livreurs et le travail."  # ~4,200 characters
    BookmarkFactory(title="Long article", page=PageFactory(text=text))
    assert "<mark>livreurs</mark>" in only("livreurs").snippet


@pytest.mark.xfail(
    strict=True,
    reason="lead: the page text tokenizer keeps the minus of '2016-1088' ('-1088'), "
    "so the second number of a law or date reference is never found",
)
def test_numbers_joined_by_a_hyphen_are_found(found):
    bookmark = BookmarkFactory(
        title="Loi", page=PageFactory(text="La loi n° 2016-1088 du 8 août 2016 (loi Travail).")
    )
    assert found("1088") == {bookmark.pk}
    assert found("2016-1088") == {bookmark.pk}
