"""Stems live apart from words (issue 18, point 10) and German umlauts fold both ways (11)."""

import pytest
from django.db import connection

from tests.factories import BookmarkFactory, PageFactory

pytestmark = pytest.mark.django_db

# (query word, a different word its French or English stem is spelled like): found by running
# both dictionaries over the demo and bench vocabularies, and French words seen on real pages.
COLLIDING = [
    ("données", "donne"),
    ("informations", "inform"),
    ("parties", "part"),
    ("généralement", "general"),
    ("porter", "port"),
]


def stems_of(word: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT lexeme FROM unnest(to_tsvector('french_unaccent', %s)) UNION "
            "SELECT lexeme FROM unnest(to_tsvector('english_unaccent', %s))",
            [word, word],
        )
        return {row[0] for row in cursor.fetchall()}


def page_with(text: str, language: str = "fr"):
    return BookmarkFactory(page=PageFactory(text=text, language=language), title="Sans rapport")


@pytest.mark.parametrize(("word", "other"), COLLIDING)
def test_a_stem_spelled_like_another_word_does_not_find_that_word(found, word, other):
    assert other in stems_of(word)  # the collision exists in the dictionaries
    # a page of no known language holds its words unstemmed: before the marks, the stem of
    # `word` was that lexeme and found it
    only_other = page_with(f"Ici le mot {other} seulement.", language="")
    with_word = page_with(f"Ici le mot {word} seulement.")
    assert found(word) == {with_word.pk}
    assert only_other.pk not in found(word)


def test_stems_still_join_the_forms_of_a_word(found):
    donnee = page_with("Une donnée personnelle.")
    donne = page_with("Il donne sa langue au chat.")
    assert found("données") == {donnee.pk}
    assert donne.pk not in found("données")
    travail = [
        page_with("Les travailleurs des plateformes."),
        page_with("Ils micro-travaillent pour quelques centimes."),
        page_with("Le travail du clic."),
    ]
    assert found("travail") == {b.pk for b in travail}


def test_stems_are_marked_in_the_vector_and_the_query():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_weighted('french_unaccent', 'données', 'D')::text, "
            "search_word_query('données', true)::text"
        )
        vector, query = cursor.fetchone()
    assert "'~donne'" in vector and "'donnees'" in vector
    assert query == "'donnees':* | '~donne'"


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("ueberwachung", "Überwachung"),
        ("Überwachung", "Ueberwachung"),
        ("oeffentlichkeit", "Öffentlichkeit"),
        ("strasse", "Straße"),
        ("Straße", "Strasse"),
        ("aerzte", "Ärzte"),
    ],
)
def test_german_umlauts_and_their_two_letter_spellings_find_each_other(found, typed, written):
    page = page_with(f"Die {written} der Bürger.", language="de")
    untagged = page_with(f"Notiz: {written}.", language="")
    assert {page.pk, untagged.pk} <= found(typed)


def test_german_pages_are_stemmed(found):
    page = page_with("Die Überwachungen der Öffentlichkeiten.", language="de-DE")
    assert page.pk in found("Überwachung")
    assert page.pk in found("oeffentlichkeit")
    assert page.pk in found('"Überwachungen der"')


def test_german_stem_is_used_for_german_pages_only():
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_config('de-AT')::text, search_config('nl') IS NULL")
        assert cursor.fetchone() == ("german_unaccent", True)
