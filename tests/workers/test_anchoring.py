"""Finding a quote again: exact among repeats, approximate within a quarter, else orphaned."""

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
