"""An import writes each new bookmark with its search vector already built (from the highlights,
notes and comments written just before it); the vector is the one the set-based rebuild and the
per-row triggers build, so imported items are found by title, tag, description and highlight
text, accents or not, and held posts are not."""

import pytest
from django.db import connection

from bookmarks.models import Bookmark
from search.indexing import reindex_bookmarks
from search.selectors import filter_by_keyword
from tests.factories import BookmarkFactory, PageFactory, UserFactory
from transfer import importers
from transfer.services import import_items

pytestmark = pytest.mark.django_db

SPAM = "Gagnez au casino en ligne http://casino-bonus.xyz http://pills.top cliquez ici"


def _vectors(owner):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, search_vector::text FROM bookmarks_bookmark WHERE owner_id = %s "
            "ORDER BY id",
            [owner.pk],
        )
        return cursor.fetchall()


def _items():
    return [
        importers.ImportItem(
            url="https://example.org/livreurs",
            where="line 2",
            title="Les livreurs à vélo",
            tags=["gig économie", "travail"],
            description="Une enquête sur les coopératives",
            highlights=[
                importers.ImportHighlight(exact="micro-travaillent le soir", note="à relire"),
                importers.ImportHighlight(exact="passage suspect", note=SPAM),
            ],
            comments=["Très bonne analyse du prolétariat numérique", SPAM],
        ),
        # a page the site already fetched: its language, title and text count too
        importers.ImportItem(url="https://www.lemonde.fr/travail", where="line 3"),
        importers.ImportItem(
            url="https://example.org/nue", where="line 4", title="Sans annotation"
        ),
    ]


def test_imported_vectors_are_those_the_rebuild_builds():
    user = UserFactory()
    PageFactory(
        url="https://www.lemonde.fr/travail",
        title="Les travailleurs des plateformes",
        language="fr",
        site_name="Le Monde",
        text="Les plateformes numériques et leurs chevaux de bataille. " * 5,
    )
    outcome = import_items(user, _items())
    assert (outcome.created, outcome.highlights, outcome.comments) == (3, 2, 2)
    imported = _vectors(user)
    assert all(vector for _id, vector in imported)
    assert reindex_bookmarks([pk for pk, _vector in imported]) == 3
    assert _vectors(user) == imported
    # and the per-row trigger agrees
    Bookmark.objects.filter(owner=user).update(search_vector=None)
    assert _vectors(user) == imported


def test_imported_items_are_found_by_their_words_and_not_by_held_posts():
    user = UserFactory()
    PageFactory(url="https://www.lemonde.fr/travail", language="fr", title="Chevaux")
    import_items(user, _items())
    mine = Bookmark.objects.filter(owner=user)

    def found(q):
        return sorted(filter_by_keyword(mine, q).values_list("page__url", flat=True))

    livreurs = ["https://example.org/livreurs"]
    assert found("livreurs") == livreurs  # title
    assert found("economie") == livreurs  # tag, without its accent
    assert found("cooperatives") == livreurs  # description
    assert found("micro-travaillent") == livreurs  # highlight
    assert found("relire") == livreurs  # note
    assert found("proletariat") == livreurs  # comment
    assert found("casino") == []  # held note and comment
    assert found("cheval") == ["https://www.lemonde.fr/travail"]  # the fetched page's title
    assert found("annotation") == ["https://example.org/nue"]


def test_a_merged_bookmark_is_reindexed_with_what_the_import_added():
    user = UserFactory()
    page = PageFactory(url="https://example.org/livreurs")
    BookmarkFactory(owner=user, page=page, title="Mon titre", tags=["à lire"])
    outcome = import_items(user, _items()[:1])
    assert (outcome.created, outcome.merged, outcome.highlights) == (0, 1, 2)
    mine = Bookmark.objects.filter(owner=user)
    assert filter_by_keyword(mine, "micro-travaillent").exists()
    assert filter_by_keyword(mine, "economie").exists()  # the imported tag, merged in
