"""The search vector: what is indexed, and that every kind of change keeps it current."""

import pytest
from django.core.management import call_command
from django.db import connection

from groups.models import Topic
from search.selectors import filter_topics
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    PageFactory,
)

pytestmark = pytest.mark.django_db


def test_prefix_finds_longer_words_and_hyphenated_parts(found):
    a = BookmarkFactory(title="Les travailleurs du clic")
    b = BookmarkFactory(title="Il travaille la nuit")
    c = BookmarkFactory(title="Ils micro-travaillent pour des plateformes")
    BookmarkFactory(title="Rien à voir")
    assert found("travail") == {a.pk, b.pk, c.pk}


def test_accents_are_ignored_both_ways(found):
    a = BookmarkFactory(title="L'économie des plateformes")
    b = BookmarkFactory(title="Economie du partage")
    assert found("economie") == {a.pk, b.pk}
    assert found("Économie") == {a.pk, b.pk}


def test_french_stemming_when_the_page_language_is_french(found):
    page = PageFactory(title="x", language="fr", text="Les chevaux courent dans le pré.")
    b = BookmarkFactory(page=page, title="Nature")
    assert b.pk in found("cheval")  # French stem: chevaux / cheval → "cheval"


def test_english_stemming_when_the_page_language_is_english(found):
    page = PageFactory(title="x", language="en-US", text="She was running every morning.")
    b = BookmarkFactory(page=page, title="Habits")
    assert b.pk in found("runs")


def test_url_is_split_into_host_and_path_words(found):
    page = PageFactory(url="https://www.lemonde.fr/2018/12/conditions-de-travail-des-livreurs")
    b = BookmarkFactory(page=page, title="Article")
    assert b.pk in found("livreurs")
    assert b.pk in found("lemonde")
    assert b.pk in found("conditions")


def test_tags_description_and_site_name_are_indexed(found):
    page = PageFactory(site_name="Mediapart")
    b = BookmarkFactory(
        page=page,
        title="Sans titre",
        tags=["gig-economy", "uber"],
        description="Une enquête sur les coursiers",
    )
    assert b.pk in found("uber")
    assert b.pk in found("gig")
    assert b.pk in found("coursiers")
    assert b.pk in found("mediapart")


def test_editing_a_bookmark_updates_its_vector(found):
    b = BookmarkFactory(title="Premier titre")
    b.title = "Plateformes numériques"
    b.tags = ["livraison"]
    b.save()
    assert b.pk in found("numeriques")
    assert b.pk in found("livraison")
    assert b.pk not in found("premier")


def test_bulk_update_of_tags_updates_the_vector(found):
    b = BookmarkFactory(title="x", tags=["old"])
    type(b).objects.filter(pk=b.pk).update(tags=["renamed"])
    assert b.pk in found("renamed")
    assert b.pk not in found("old")


def test_highlight_and_its_note_make_the_bookmark_findable(found):
    b = BookmarkFactory(title="x")
    h = HighlightFactory(bookmark=b, exact="les conditions de travail", note="à relire")
    assert b.pk in found("conditions")
    assert b.pk in found("relire")
    h.exact = "autre passage"
    h.save()
    assert b.pk not in found("conditions")
    h.delete()
    assert b.pk not in found("passage")


def test_hidden_highlight_is_not_searchable(found):
    b = BookmarkFactory(title="x")
    HighlightFactory(bookmark=b, exact="secret passage", status="hidden")
    assert b.pk not in found("secret")


def test_visible_comment_is_indexed_held_or_hidden_is_not(found):
    b = BookmarkFactory(title="x")
    held = CommentFactory(bookmark=b, body="casino bonus gratuit", status="held")
    assert b.pk not in found("casino")
    held.status = "visible"
    held.save()
    assert b.pk in found("casino")
    held.status = "hidden"
    held.save()
    assert b.pk not in found("casino")


def test_deleted_comment_is_removed_from_the_vector(found):
    b = BookmarkFactory(title="x")
    c = CommentFactory(bookmark=b, body="remarquable analyse")
    assert b.pk in found("remarquable")
    c.delete()
    assert b.pk not in found("remarquable")


def test_comment_on_a_highlight_is_indexed(found):
    b = BookmarkFactory(title="x")
    h = HighlightFactory(bookmark=b, exact="passage")
    CommentFactory(bookmark=b, highlight=h, author=b.owner, body="prolétariat numérique")
    assert b.pk in found("proletariat")


def test_fetched_page_text_updates_every_bookmark_of_the_page(found):
    page = PageFactory(title="En attente")
    a = BookmarkFactory(page=page, title="a")
    b = BookmarkFactory(page=page, title="b")
    assert not found("algorithmique")
    page.text = "La gestion algorithmique du travail"
    page.language = "fr"
    page.save()
    assert found("algorithmique") == {a.pk, b.pk}


def test_page_text_is_weighted_below_title(found):
    page = PageFactory(text="plateforme " * 5)
    BookmarkFactory(page=page, title="x")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_filter(search_vector, '{d}')::text, ts_filter(search_vector, '{a}')::text"
            " FROM bookmarks_bookmark WHERE page_id = %s",
            [page.pk],
        )
        text_part, title_part = cursor.fetchone()
    assert "'plateforme'" in text_part
    assert "'plateforme'" not in title_part


def _topics(q):
    return set(filter_topics(Topic.objects.all(), q).values_list("pk", flat=True))


def test_topics_are_indexed_with_their_visible_replies():
    group = GroupFactory()
    topic = Topic.objects.create(group=group, title="Réunion de rentrée", body="Ordre du jour")
    assert topic.pk in _topics("reunion")
    assert topic.pk in _topics("ordre")
    reply = CommentFactory(bookmark=None, topic=topic, author=None, body="Je propose jeudi")
    assert topic.pk in _topics("jeudi")
    reply.status = "held"
    reply.save()
    assert topic.pk not in _topics("jeudi")
    topic.title = "Assemblée générale"
    topic.save()
    assert topic.pk in _topics("assemblee")


def test_search_reindex_rebuilds_every_vector(found):
    b = BookmarkFactory(title="Reconstruit")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off
        cursor.execute("UPDATE bookmarks_bookmark SET search_vector = NULL")
        cursor.execute("SET LOCAL session_replication_role = origin")
    assert b.pk not in found("reconstruit")
    call_command("search_reindex", "--no-progress", "--batch-size", "1")
    assert b.pk in found("reconstruit")
