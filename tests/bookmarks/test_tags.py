from hypothesis import given
from hypothesis import strategies as st

from bookmarks.tags import normalize_tag, parse_tags


def test_tags_are_trimmed_lower_cased_and_keep_their_accents():
    assert parse_tags("  Économie ,  Micro-Travail,économie, ,  deux   mots ") == [
        "économie",
        "micro-travail",
        "deux mots",
    ]


def test_space_separated_tags_without_commas():
    assert parse_tags("a B c") == ["a", "b", "c"]


@given(st.text(max_size=60))
def test_normalizing_a_tag_twice_changes_nothing(text):
    once = normalize_tag(text)
    assert normalize_tag(once) == once
