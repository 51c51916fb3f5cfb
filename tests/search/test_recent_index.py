"""The newest bookmarks' own search index (search.recent_index) and searches of everything
reading it first (search.selectors._recent_slice)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from search import recent_index, selectors
from search.query import parse
from search.recent_index import update_recent_index
from tests.factories import BookmarkFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    recent_index.forget_cache()
    yield
    recent_index.forget_cache()


def _indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname LIKE 'bookmark_search_recent%%'"
        )
        return [name for (name,) in cursor.fetchall()]


def _saved(days_ago, title="Les travailleurs des plateformes", **fields):
    return BookmarkFactory(
        title=title, created_at=timezone.now() - timedelta(days=days_ago), **fields
    )


def test_the_newest_rows_get_an_index_once_the_library_is_twice_their_number():
    for day in range(5):
        _saved(day)
    assert update_recent_index(3, log=lambda _: None) is None  # 5 < 2 × 3: no slice
    assert _indexes() == []
    for day in range(5, 8):
        _saved(day)
    cutoff = update_recent_index(3, log=lambda _: None)  # 8 ≥ 6: the 3 newest (and ties)
    assert cutoff is not None
    assert len(_indexes()) == 1
    assert recent_index.recent_cutoff() == cutoff
    # nothing to do until the slice has doubled
    assert update_recent_index(3, log=lambda _: None) is None
    for _ in range(4):
        _saved(0)
    moved = update_recent_index(3, log=lambda _: None)
    assert moved is not None and moved >= cutoff
    assert len(_indexes()) == 1  # the older index is dropped


def _search(q, **kwargs):
    return selectors.search_items(UserFactory(), q, sort="date", per_page=2, **kwargs)


@pytest.mark.parametrize(("slice_days", "reads"), [(3.5, 1), (1.5, 2)])
def test_a_search_of_everything_reads_the_newest_rows_first_with_the_same_results(
    monkeypatch, slice_days, reads
):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)  # the page needs the 4 newest matches
    wanted = [_saved(day) for day in range(6)]
    _saved(0.1, title="Sans rapport")
    _saved(0.2, group=GroupFactory(visibility="private"))  # never shown to an outsider
    expected = _search("travail plateformes")
    assert [r.item.pk for r in expected.items] == [wanted[0].pk, wanted[1].pk]
    cutoff = timezone.now() - timedelta(days=slice_days)
    monkeypatch.setattr(selectors, "_recent_slice", lambda parsed, limit: cutoff)
    connection.force_debug_cursor = True
    try:
        connection.queries_log.clear()
        found = _search("travail plateformes")
        sql = [
            q["sql"]
            for q in connection.queries
            if "OVER ()" in q["sql"] and 'FROM "bookmarks_bookmark"' in q["sql"]
        ]
    finally:
        connection.force_debug_cursor = False
    # 3.5 days hold the 4 newest matches: the slice answers; 1.5 days hold 2 of them: the
    # whole table is read after the slice
    assert '"created_at" >=' in sql[0]
    assert len(sql) == reads
    assert [r.item.pk for r in found.items] == [r.item.pk for r in expected.items]
    assert (found.count, found.count_capped) == (expected.count, expected.count_capped)


def test_the_slice_is_read_only_for_queries_it_can_answer_cheaply(monkeypatch, settings):
    settings.SEARCH_RECENT_ROWS = 200_000
    monkeypatch.setattr(recent_index, "recent_cutoff", lambda: timezone.now())
    monkeypatch.setattr(selectors, "recent_cutoff", lambda: timezone.now())
    monkeypatch.setattr(
        selectors,
        "_common_elements",
        lambda: ({"travail": 0.36, "plateformes": 0.11, "rarissime": 0.0}, {}),
    )
    # two common words: about 8,000 matches among the newest rows
    assert selectors._recent_slice(parse("travail plateformes"), 1001) is not None
    # one very common word: the date walk finds the newest matches sooner
    assert selectors._recent_slice(parse("travail"), 1001) is None
    # a rare word: the whole table's index is as cheap
    assert selectors._recent_slice(parse("rarissime"), 1001) is None


def test_a_page_past_the_ranked_matches_reads_the_order_the_first_pages_read(monkeypatch):
    """By relevance, a page number past the ranked matches reads the order they were read
    in: when the newest rows' own index answered the first pages (their title matches
    first), so it does for the deep page, instead of walking the whole table by date."""
    for day in range(6):  # title matches and, newer between them, matches in the text only
        if day % 2:
            _saved(day, title="Autre chose", description="travail des plateformes")
        else:
            _saved(day)
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    monkeypatch.setattr(selectors, "RANKED", 2)
    monkeypatch.setattr(selectors, "is_dense", lambda parsed, rows=None, **_kw: True)
    cutoff = timezone.now() - timedelta(days=10)
    monkeypatch.setattr(selectors, "_recent_slice", lambda parsed, limit: cutoff)
    viewer = UserFactory()

    def page(number):
        results = selectors.search_items(
            viewer, "travail plateformes", type="bookmark", per_page=1, page=number
        )
        return [r.item.pk for r in results.items]

    deep = page(4)  # offset 3 > RANKED: read from the row before it, nothing ranked
    with monkeypatch.context() as m:
        m.setattr(selectors, "_skipped", lambda *args: 0)  # ranked and windowed, as page 1
        assert deep == page(4)
    assert len(deep) == 1
