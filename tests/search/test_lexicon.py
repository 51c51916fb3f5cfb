"""The lexicon (search/migrations/0016) and the prefixes it expands: a search of several words
finds what the prefixes find, for words written by any path, the moment they are committed."""

import copy

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from groups.models import Topic
from search import selectors
from search.indexing import deferred_vectors, rebuild_lexicon, reindex_bookmarks
from search.query import parse
from search.selectors import EXPANDED_MAX, expand_prefixes, resolve_tsqueries, search_items
from tests.factories import BookmarkFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


def lexicon(prefix):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT lexeme FROM search_lexeme WHERE starts_with(lexeme, %s) ORDER BY 1",
            [prefix],
        )
        return [row[0] for row in cursor.fetchall()]


def expanded(q):
    parsed = copy.copy(parse(q))
    resolve_tsqueries(parsed)
    expand_prefixes(parsed)
    return parsed._tsquery.source_expressions[0].value


def found(q, **kwargs):
    results = search_items(None, q, per_page=50, **kwargs)
    return {(r.kind, r.item.pk) for r in results.items}


def test_a_saved_bookmark_s_words_are_in_the_lexicon_and_a_prefix_stands_for_them():
    b = BookmarkFactory(title="Les xylophonistes et le xylophone du quartier")
    assert lexicon("xylophon") == ["xylophone", "xylophonistes"]
    text = expanded("xylophon quartier")
    assert "'xylophon':*" not in text
    assert "'xylophone' | 'xylophonistes'" in text
    assert found("xylophon quartier") == {("bookmark", b.pk)}


def test_an_edit_s_new_words_are_found_at_once_by_a_search_of_several_words():
    b = BookmarkFactory(title="Un titre banal")
    assert found("zanzibar banal") == set()
    b.title = "Les zanzibarites du titre banal"
    b.save()
    assert found("zanzibar banal") == {("bookmark", b.pk)}


def test_a_topic_s_words_are_in_the_lexicon_too():
    group = GroupFactory()
    topic = Topic.objects.create(
        group=group, author=UserFactory(), title="Assemblée des quokkas", body="ordre du jour"
    )
    assert lexicon("quokka") == ["quokkas"]
    assert found("quokk assemblee") == {("topic", topic.pk)}


def test_bulk_writes_reach_the_lexicon_through_the_set_based_rebuild():
    with transaction.atomic(), deferred_vectors():
        b = BookmarkFactory(title="Les ornithorynques importés")
        reindex_bookmarks([b.pk])
    assert lexicon("ornithor") == ["ornithorynques"]
    assert found("ornithor importes") == {("bookmark", b.pk)}


def test_rebuild_lexicon_brings_back_words_written_with_the_triggers_off():
    b = BookmarkFactory(title="Des pangolins")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_lexeme WHERE starts_with(lexeme, 'pangol')")
    assert lexicon("pangol") == []
    assert rebuild_lexicon() >= 1
    assert lexicon("pangol") == ["pangolins"]
    assert found("pangol des") == {("bookmark", b.pk)}


def test_a_prefix_nothing_starts_with_matches_nothing_and_a_wide_one_stays_a_prefix():
    for i in range(EXPANDED_MAX + 1):
        BookmarkFactory(title=f"zorb{'abcdefghijklmnopqrstuvwxyz'[i]}x rencontre")
    text = expanded("zorb rencontre")
    assert "'zorb':*" in text  # more words than EXPANDED_MAX start so
    assert len(found("zorb rencontre")) == EXPANDED_MAX + 1
    text = expanded("qwxzv rencontre")
    assert "'qwxzv':*" not in text and "'qwxzv'" in text
    assert found("qwxzv rencontre") == set()


def test_one_word_is_left_a_prefix_and_two_are_expanded():
    BookmarkFactory(title="Les xylophonistes du quartier")

    def sent(q):
        with CaptureQueriesContext(connection) as queries:
            assert found(q)
        # the queries choosing the page's rows (marks read the words as they are)
        return " ".join(query["sql"] for query in queries if "OVER ()" in query["sql"])

    assert "''xylophon'':*" in sent("xylophon")  # one word: its lists are read whole anyway
    two = sent("xylophon quartier")
    assert "''xylophon'':*" not in two and "''xylophonistes''" in two


@pytest.mark.parametrize(
    "q",
    [
        "travail plateformes",
        "travail -uber plateformes",
        "travailleurs livr",
        "econom plateform",
        '"conditions de travail" livreurs',
    ],
)
def test_expanded_searches_find_what_the_prefixes_find(q, monkeypatch):
    group = GroupFactory()
    titles = [
        "Le travail des plateformes",
        "Les travailleurs des plateformes de livraison",
        "Livreurs : les conditions de travail",
        "Uber, les plateformes et le travail",
        "L'économie des plateformes",
        "Economies et plateformes numériques",
        "Ils travaillent pour des plateformes",
        "Rien à voir",
    ]
    for title in titles:
        BookmarkFactory(group=group, title=title, description="livreurs à vélo")
    with_lexicon = found(q, group=group), found(q)
    monkeypatch.setattr(selectors, "expand_prefixes", lambda parsed: None)
    assert (found(q, group=group), found(q)) == with_lexicon
    assert with_lexicon[0]  # the question has answers
