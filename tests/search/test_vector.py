"""What goes into a bookmark's search vector, at which weight, and how a French reader's words
find it: accents, apostrophes, hyphens, capitals, ligatures, stemmed and unstemmed forms."""

import pytest
from django.db import connection

from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    HighlightFactory,
    PageFactory,
)

pytestmark = pytest.mark.django_db


def lexemes_by_weight(bookmark):
    """{"A": {lexemes}, "B": ..., "C": ..., "D": ...} of the bookmark's stored vector."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT weight, array_agg(DISTINCT lexeme) FROM bookmarks_bookmark b,"
            " unnest(b.search_vector) AS u(lexeme, positions, weights), unnest(weights) AS weight"
            " WHERE b.id = %s GROUP BY weight",
            [bookmark.pk],
        )
        found = {weight: set(words) for weight, words in cursor.fetchall()}
    return {weight: found.get(weight, set()) for weight in "ABCD"}


def test_each_field_lands_at_its_weight():
    page = PageFactory(
        url="https://blog.exemple.fr/2018/12/conditions-de-travail-des-livreurs",
        title="pagetitre",
        site_name="Sitenom",
        description="pagedescription",
        text="pagetexte",
    )
    bookmark = BookmarkFactory(
        page=page, title="montitre", description="madescription", tags=["montag"]
    )
    highlight = HighlightFactory(bookmark=bookmark, exact="passagesurligne", note="manote")
    CommentFactory(bookmark=bookmark, body="moncommentaire")
    CommentFactory(bookmark=bookmark, highlight=highlight, body="notecollante")
    weights = lexemes_by_weight(bookmark)
    # A: the title and the tags
    assert {"montitre", "montag"} <= weights["A"]
    # B: the saver's description, the highlighted passages and their notes
    assert {"madescription", "passagesurligne", "manote"} <= weights["B"]
    # C: comments (on the bookmark and on its highlights), url words, site name, and the
    # fetched title when the saver wrote their own
    assert {"moncommentaire", "notecollante", "sitenom", "pagetitre"} <= weights["C"]
    assert {"blog", "exemple", "fr", "2018", "conditions", "travail", "livreurs"} <= weights["C"]
    # D: the fetched page text and description
    assert {"pagetexte", "pagedescription"} <= weights["D"]
    # and nothing is promoted: page text never reaches the title weight
    assert "pagetexte" not in weights["A"] | weights["B"] | weights["C"]
    assert "moncommentaire" not in weights["A"] | weights["B"]


def test_fetched_title_is_the_title_weight_when_the_saver_wrote_none():
    bookmark = BookmarkFactory(page=PageFactory(title="Titre récupéré"), title="")
    assert {"titre", "recupere"} <= lexemes_by_weight(bookmark)["A"]


def test_url_gives_host_parts_and_path_words(found):
    page = PageFactory(url="https://www.lemonde.fr/2018/12/conditions-de-travail-des-livreurs")
    bookmark = BookmarkFactory(page=page, title="Article")
    for word in ("lemonde", "conditions", "travail", "livreurs", "2018"):
        assert found(word) == {bookmark.pk}, word
    assert found('"conditions de travail"') == {bookmark.pk}
    assert "www" not in lexemes_by_weight(bookmark)["C"]


def test_url_with_query_string_and_subdomain_gives_its_words(found):
    page = PageFactory(url="https://emploi.blog.example.org/recherche?metier=coursier-velo")
    bookmark = BookmarkFactory(page=page, title="Annonce")
    assert found("emploi") == {bookmark.pk}
    assert found("coursier") == {bookmark.pk}
    assert found("velo") == {bookmark.pk}


# --- accents, case, punctuation ----------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["économie", "economie", "ÉCONOMIE", "Economie", "l'économie", "l’économie"]
)
def test_accents_capitals_and_elisions_do_not_matter(found, query):
    straight = BookmarkFactory(title="L'économie des plateformes")
    curly = BookmarkFactory(title="L’ÉCONOMIE du partage")
    plain = BookmarkFactory(title="economie collaborative")
    assert found(query) == {straight.pk, curly.pk, plain.pk}


@pytest.mark.parametrize("query", ["d'emploi", "emploi", "d’emploi", "EMPLOI"])
def test_elided_de_finds_the_word(found, query):
    bookmark = BookmarkFactory(title="Les chiffres d’emploi du trimestre")
    assert found(query) == {bookmark.pk}


def test_aujourdhui_is_found_as_written(found):
    bookmark = BookmarkFactory(title="Le travail aujourd’hui")
    assert found("aujourd'hui") == {bookmark.pk}


@pytest.mark.parametrize(
    "query", ["micro-travaillent", "travaillent", "micro", '"micro travaillent"']
)
def test_hyphenated_words_are_found_whole_and_by_their_parts(found, query):
    bookmark = BookmarkFactory(title="Ils micro-travaillent la nuit")
    BookmarkFactory(title="Ils travaillent le jour, au micro")
    if query.startswith('"'):
        assert found(query) == {bookmark.pk}
    else:
        assert bookmark.pk in found(query)


@pytest.mark.parametrize("query", ["oeuvre", "œuvre", "coeur", "Cœur"])
def test_ligatures_match_their_spelled_out_letters(found, query):
    bookmark = BookmarkFactory(title="Le cœur de l’œuvre")
    assert found(query) == {bookmark.pk}


def test_words_inside_french_quotes_are_found(found):
    bookmark = BookmarkFactory(title="« Travail » et «emploi»")
    assert found("emploi") == {bookmark.pk}
    assert found("« travail »") == {bookmark.pk}


# --- stemming and the unstemmed form -------------------------------------------------------


def test_the_reference_case_travail_finds_its_family(found):
    """The reference group's page: "travail" finds travailleurs, travaille, micro-travaillent,
    whatever the page language."""
    family = [
        BookmarkFactory(title="Les travailleurs du clic", page=PageFactory(language="fr")),
        BookmarkFactory(title="Elle travaille la nuit", page=PageFactory(language="")),
        BookmarkFactory(title="Ils micro-travaillent", page=PageFactory(language="en")),
        BookmarkFactory(title="Le Travail détaché", page=PageFactory(language="fr-FR")),
    ]
    BookmarkFactory(title="Travaux publics")  # another word: not a prefix match
    assert found("travail") == {b.pk for b in family}


def test_french_page_matches_stemmed_and_unstemmed_words(found):
    page = PageFactory(language="fr", text="Les chevaux des livreurs ont couru.")
    bookmark = BookmarkFactory(page=page, title="Nature")
    assert bookmark.pk in found("cheval")  # French stem of chevaux
    assert bookmark.pk in found("chevaux")  # as written
    assert bookmark.pk in found("livreur")  # singular finds the plural


def test_english_page_matches_stemmed_and_unstemmed_words(found):
    page = PageFactory(language="en", text="The drivers were organising a strike.")
    bookmark = BookmarkFactory(page=page, title="Gig work")
    assert bookmark.pk in found("organise")  # English stem
    assert bookmark.pk in found("organising")
    assert bookmark.pk in found("driver")


def test_mixed_language_page_finds_the_other_languages_words(found):
    """A page declared English that quotes French still finds the French words as written."""
    page = PageFactory(
        language="en",
        text="Deliveroo riders, or « les livreurs à vélo », and their précarité.",
    )
    bookmark = BookmarkFactory(page=page, title="Riders")
    assert bookmark.pk in found("livreurs")
    assert bookmark.pk in found("precarite")
    assert bookmark.pk in found("velo")
    assert bookmark.pk in found("rider")


def test_unknown_language_is_matched_on_the_unstemmed_form(found):
    page = PageFactory(language="", text="Les plateformes numériques")
    bookmark = BookmarkFactory(page=page, title="x")
    assert bookmark.pk in found("numérique")  # prefix of numériques
    assert bookmark.pk in found("plateforme")


def test_a_french_query_word_finds_its_plural_in_a_french_page(found):
    page = PageFactory(language="fr", text="Les élections présidentielles")
    bookmark = BookmarkFactory(page=page, title="x")
    assert bookmark.pk in found("élection")
    assert bookmark.pk in found("elections")
    assert bookmark.pk in found("présidentielle")
