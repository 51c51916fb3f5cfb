"""The query language is a pure parser: it never raises, whatever is typed, and what it
understood can be written back and parsed to the same thing. No database."""

from hypothesis import given, settings
from hypothesis import strategies as st

from search.query import parse, unparse

PIECES = st.sampled_from(
    [
        "travail",
        '"travail gratuit"',
        "-casino",
        "tag:économie",
        "user:nora",
        "site:lemonde.fr",
        "is:unread",
        "has:highlights",
        "AND",
        "NOT",
        "OR",
        '"',
        "-",
        ":",
        "tag:",
        "é",
        "données*",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_parse_never_raises_on_any_text(q):
    parse(q)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=8).map(" ".join))
def test_what_was_understood_reads_back_the_same(q):
    parsed = parse(q)
    assert parse(unparse(parsed)) == parse(unparse(parse(unparse(parsed))))
    assert unparse(parse(unparse(parsed))) == unparse(parsed)
