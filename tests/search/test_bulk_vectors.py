"""Set-based vector rebuilds (imports, reindexing) give the same vectors as the per-row
triggers, and deferring the triggers never leaves a vector stale after the block."""

import pytest
from django.db import connection, transaction

from bookmarks.models import Bookmark
from search.indexing import deferred_vectors, reindex_bookmarks
from tests.factories import BookmarkFactory, CommentFactory, HighlightFactory, PageFactory

pytestmark = pytest.mark.django_db


def _vector(bookmark_id):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM bookmarks_bookmark WHERE id = %s", [bookmark_id]
        )
        return cursor.fetchone()[0]


def _annotated_bookmark(**fields):
    page = PageFactory(
        title="Les livreurs à vélo",
        language="fr",
        site_name="Le Monde",
        url="https://www.lemonde.fr/2018/12/conditions-de-travail-des-livreurs",
        text="Les plateformes numériques et leurs travailleurs. " * 5,
    )
    b = BookmarkFactory(page=page, tags=["travail", "gig"], description="Une enquête", **fields)
    h = HighlightFactory(bookmark=b, exact="micro-travaillent le soir", note="à relire")
    HighlightFactory(bookmark=b, exact="passage masqué", status="hidden")
    CommentFactory(bookmark=b, body="Très bonne analyse")
    CommentFactory(bookmark=b, highlight=h, author=b.owner, body="prolétariat numérique")
    CommentFactory(bookmark=b, body="casino bonus gratuit", status="held")
    return b


@pytest.mark.parametrize("title", ["", "Un titre à moi"])
def test_set_based_rebuild_builds_the_same_vector_as_the_triggers(title):
    b = _annotated_bookmark(title=title)
    by_trigger = _vector(b.pk)
    assert "proletariat" in by_trigger and "casino" not in by_trigger

    Bookmark.objects.filter(pk=b.pk).update(search_vector=None)  # the trigger rebuilds it
    assert _vector(b.pk) == by_trigger
    assert reindex_bookmarks([b.pk]) == 1
    assert _vector(b.pk) == by_trigger


def test_deferred_writes_are_indexed_by_the_rebuild_and_the_triggers_resume_after():
    b = BookmarkFactory(title="Sans rapport")
    with transaction.atomic(), deferred_vectors():
        HighlightFactory(bookmark=b, exact="coopérative de livreurs")
        # skipped by the trigger until the writer rebuilds
        assert "cooperative" not in _vector(b.pk)
        reindex_bookmarks([b.pk])
        assert "cooperative" in _vector(b.pk)
    # outside the block, every write updates the vector again
    HighlightFactory(bookmark=b, exact="syndicat naissant")
    assert "syndicat" in _vector(b.pk)


@pytest.mark.django_db(transaction=True)
def test_deferring_needs_a_transaction():
    with pytest.raises(RuntimeError), deferred_vectors():
        pass
