"""Gaps found by the search audit (search/selectors.py and the search migrations' SQL), fixed
by search/migrations/0006: marks for stemmed matches, snippets from highlights, comments and
deep page text, numbers joined by a hyphen."""

import pytest

from search.selectors import search_items
from tests.factories import BookmarkFactory, CommentFactory, HighlightFactory, PageFactory

pytestmark = pytest.mark.django_db


def only(q):
    (result,) = search_items(None, q).items
    return result


def test_a_title_found_through_its_stem_has_the_word_marked():
    BookmarkFactory(title="L'élection présidentielle", page=PageFactory(language="fr"))
    assert "<mark>élection</mark>" in only("élections").title_marked


def test_a_bookmark_found_by_its_highlight_shows_the_passage_marked():
    bookmark = BookmarkFactory(title="Sans rapport", page=PageFactory(text="Autre chose."))
    HighlightFactory(bookmark=bookmark, exact="les conditions de travail des livreurs")
    assert "<mark>travail</mark>" in only("travail").snippet


def test_a_bookmark_found_by_a_comment_shows_it_marked():
    bookmark = BookmarkFactory(title="Sans rapport", page=PageFactory(text="Autre chose."))
    CommentFactory(bookmark=bookmark, body="Un bel exemple de micro-travail")
    assert "<mark>travail</mark>" in only("travail").snippet


def test_a_word_found_deep_in_the_page_is_marked_in_the_snippet():
    text = "Introduction. " * 300 + "Les livreurs et le travail."  # ~4,200 characters
    BookmarkFactory(title="Long article", page=PageFactory(text=text))
    assert "<mark>livreurs</mark>" in only("livreurs").snippet


def test_numbers_joined_by_a_hyphen_are_found(found):
    bookmark = BookmarkFactory(
        title="Loi", page=PageFactory(text="La loi n° 2016-1088 du 8 août 2016 (loi Travail).")
    )
    assert found("1088") == {bookmark.pk}
    assert found("2016-1088") == {bookmark.pk}
