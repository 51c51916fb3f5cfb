"""The anchoring algorithm is a pure function: properties over generated texts, no database."""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotations.anchoring import ANCHORED, ORPHANED, anchor, snapshot_of

WORDS = st.lists(
    st.sampled_from(
        [
            "le",
            "travail",
            "des",
            "plateformes",
            "micro-travaillent",
            "données",
            "«",
            "guillemets",
            "»",
            "l’été",
            "économie",
            "numérique",
            "travailleurs",
            "invisibles",
        ]
    ),
    min_size=5,
    max_size=60,
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(WORDS, st.data())
def test_any_substring_anchors_exactly_where_its_context_says(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, min(len(text), start + 200)))
    exact = text[start:end]
    assume(exact.strip())
    prefix, suffix = text[max(0, start - 32) : start], text[end : end + 32]
    found = anchor(text, exact, prefix, suffix, old_start=start)
    assert found.status == ANCHORED
    assert text[found.start : found.end] == exact
    # with its context the passage is found at its own place, even when repeated elsewhere
    assert found.start == start


@settings(max_examples=100, deadline=None)
@given(WORDS, st.text(min_size=1, max_size=40))
def test_anchor_never_raises_and_offsets_stay_in_the_text(text, exact):
    found = anchor(text, exact)
    if found.status != ORPHANED:
        assert 0 <= found.start <= found.end <= len(text)


@given(WORDS, st.integers(0, 400), st.integers(0, 400))
def test_a_snapshot_holds_the_passage(text, a, b):
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    assert text[start:end] in snapshot_of(text, start, end)
