"""Finding a quote again: exact among repeats, approximate within a quarter, else orphaned."""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotations.anchoring import ANCHORED, FUZZY, ORPHANED, anchor, snapshot_of

TEXT = (
    "Le travail du clic est partout. Les plateformes paient à la tâche. "
    "Plus loin, le travail du clic revient, payé quelques centimes. "
    "Enfin le travail du clic disparaît."
)


def test_exact_quote_repeated_is_told_apart_by_prefix_and_suffix():
    second = TEXT.index("le travail du clic revient")
    found = anchor(TEXT, "travail du clic", prefix="Plus loin, le ", suffix=" revient")
    assert found.status == ANCHORED
    assert found.start == second + len("le ")


def test_exact_quote_repeated_without_context_is_the_one_nearest_the_old_offset():
    last = TEXT.rindex("travail du clic")
    found = anchor(TEXT, "travail du clic", old_start=last - 5)
    assert (found.status, found.start) == (ANCHORED, last)


def test_text_inserted_before_the_quote_still_anchors_exactly():
    quote = "Les plateformes paient à la tâche."
    old_start = TEXT.index(quote)
    changed = "Un nouveau chapeau de plusieurs mots. " + TEXT
    found = anchor(changed, quote, prefix=TEXT[old_start - 20 : old_start], old_start=old_start)
    assert found.status == ANCHORED
    assert changed[found.start : found.end] == quote


def test_a_word_changed_inside_the_quote_anchors_approximately():
    quote = "Les plateformes paient à la tâche."
    changed = TEXT.replace("paient", "payent")
    found = anchor(changed, quote)
    assert found.status == FUZZY
    assert changed[found.start : found.end] == "Les plateformes payent à la tâche."


def test_more_than_a_quarter_changed_is_orphaned():
    quote = "paient à la tâche"
    changed = TEXT.replace("paient à la tâche", "rémunèrent au forfait")
    assert anchor(changed, quote).status == ORPHANED


def test_removed_passage_is_orphaned():
    found = anchor(TEXT, "Cette phrase n'a jamais été sur la page, nulle part.")
    assert (found.status, found.start, found.end) == (ORPHANED, None, None)


def test_snapshot_keeps_about_200_characters_of_context_cut_at_words():
    text = ("mot " * 100) + "LE PASSAGE" + (" mot" * 100)
    start = text.index("LE PASSAGE")
    snap = snapshot_of(text, start, start + len("LE PASSAGE"))
    assert "LE PASSAGE" in snap
    assert snap.startswith("…mot") and snap.endswith("mot…")
    assert 380 <= len(snap) <= 420


# --- folded forms: no-break spaces, whitespace runs, typographic quotes (issue 18, point 9) --

FRENCH = (
    "Ils « micro-travaillent » pour quelques centimes : l’été, la tâche ; "
    "est-ce du travail ? Oui !\n\nDeuxième  paragraphe, déjà lu."
)


def test_a_quote_with_french_no_break_spaces_anchors_exactly():
    quote = "«\u00a0micro-travaillent\u00a0» pour quelques centimes\u202f: l’été"
    found = anchor(FRENCH, quote)
    assert found.status == ANCHORED
    assert FRENCH[found.start : found.end] == "« micro-travaillent » pour quelques centimes : l’été"


def test_straight_and_typographic_apostrophes_and_quotes_match_each_other():
    found = anchor(FRENCH, '" micro-travaillent " pour quelques centimes : l\'été')
    assert found.status == ANCHORED
    assert FRENCH[found.start : found.end].startswith("« micro")
    text = "Il a dit \"c'est l'heure\" et s'en est allé."
    found = anchor(text, "“c’est l’heure”")
    assert (found.status, text[found.start : found.end]) == (ANCHORED, "\"c'est l'heure\"")


def test_runs_of_whitespace_and_paragraph_breaks_match_one_space():
    found = anchor(FRENCH, "Oui ! Deuxième paragraphe")
    assert found.status == ANCHORED
    assert FRENCH[found.start : found.end] == "Oui !\n\nDeuxième  paragraphe"


def test_a_quote_that_differs_by_a_word_and_its_spaces_is_still_fuzzy_at_the_right_place():
    found = anchor(FRENCH, "pour\u00a0quelques\u00a0sous\u202f: l’été, la tâche")
    assert found.status == FUZZY
    assert FRENCH[found.start : found.end].startswith("pour quelques")


SPACED_TEXT = st.text(
    alphabet=st.sampled_from(list("abcdéè’'«»:;!? \n\u00a0\u202f\t")), min_size=1, max_size=120
)


@settings(max_examples=300, deadline=None)
@given(text=SPACED_TEXT, data=st.data())
def test_any_substring_with_its_spaces_swapped_for_nbsp_anchors_exactly(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assume(text[start:end].strip())
    quote = text[start:end].replace(" ", "\u00a0")
    found = anchor(
        text,
        quote,
        prefix=text[max(0, start - 32) : start],
        suffix=text[end : end + 32],
        old_start=start,
    )
    assert found.status == ANCHORED
    assert (found.start, found.end) == (start, end)
