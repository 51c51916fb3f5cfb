"""Big groups get a search index of their own (search.group_indexes); searches use it."""

import pytest
from django.core.management import call_command
from django.db import connection

from bookmarks.models import Bookmark
from search import group_indexes
from search.group_indexes import index_name, update_group_indexes
from search.selectors import search_items
from tests.factories import BookmarkFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    group_indexes.forget_cache()
    yield
    group_indexes.forget_cache()


def _indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'bookmark_search_g%%'"
        )
        return dict(cursor.fetchall())


def _group_with(n, **fields):
    group = GroupFactory(**fields)
    for i in range(n):
        BookmarkFactory(group=group, title=f"Les travailleurs des plateformes {i}", tags=["gig"])
    return group


def test_a_group_reaching_the_threshold_gets_its_own_index_on_vector_and_tags():
    big, small = _group_with(3), _group_with(2)
    assert update_group_indexes(3, log=lambda _: None) == ([big.pk], [])
    indexes = _indexes()
    assert set(indexes) == {index_name(big.pk)}
    definition = indexes[index_name(big.pk)]
    assert "gin (search_vector, tags)" in definition
    assert f"WHERE (group_id = {big.pk})" in definition
    assert small.pk not in group_indexes.existing_indexes()
    # running again changes nothing
    assert update_group_indexes(3, log=lambda _: None) == ([], [])


def test_the_groups_own_index_answers_the_group_searches_the_app_sends():
    viewer = UserFactory()
    big = _group_with(1)
    BookmarkFactory(group=big, title="Le zorglub des plateformes")
    # 3,000 more bookmarks in the group, so that the planner has a real choice to make
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bookmarks_page (url, url_hash, title, description, site_name, language,"
            " favicon_url, canonical_url, content_type, text, fetch_status, fetch_error,"
            " final_url, link_failures, created_at) SELECT 'https://bulk.invalid/' || n,"
            " md5(n::text), '', '', '', '', '', '', '', 'Autre sujet', 'ok', '', '', 0, now()"
            " FROM generate_series(1, 3000) n"
        )
        cursor.execute(
            "INSERT INTO bookmarks_bookmark (page_id, owner_id, group_id, title, description,"
            " tags, private, unread, comments_enabled, view_count, created_at, updated_at)"
            " SELECT p.id, b.owner_id, b.group_id, 'Autre sujet', '', '{}', false, false, true,"
            " 0, now(), now() FROM bookmarks_page p, (SELECT * FROM bookmarks_bookmark"
            " WHERE group_id = %s LIMIT 1) b WHERE p.url LIKE 'https://bulk.invalid/%%'",
            [big.pk],
        )
    update_group_indexes(3, log=lambda _: None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE bookmarks_bookmark")
    connection.force_debug_cursor = True
    try:
        connection.queries_log.clear()
        results = search_items(viewer, "zorglub", group=big, sort="date", type="bookmark")
        matches = next(q["sql"] for q in connection.queries if "@@" in q["sql"])
    finally:
        connection.force_debug_cursor = False
    assert [r.item.title for r in results.items] == ["Le zorglub des plateformes"]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + matches)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index_name(big.pk) in plan, plan


def test_searches_in_an_indexed_group_find_the_same_items():
    viewer = UserFactory()
    big = _group_with(4, name="Grand groupe")
    BookmarkFactory(group=big, title="Sans rapport")
    before = search_items(viewer, "travail tag:gig", group=big, sort="date")
    update_group_indexes(3, log=lambda _: None)
    assert group_indexes.group_index_rows(big.pk) == 5
    after = search_items(viewer, "travail tag:gig", group=big, sort="date")
    assert [r.item.pk for r in after.items] == [r.item.pk for r in before.items]
    assert after.count == 4


def test_the_index_goes_when_the_group_shrinks_below_half_or_is_deleted():
    shrinking, deleted = _group_with(4), _group_with(4)
    update_group_indexes(4, log=lambda _: None)
    assert len(_indexes()) == 2
    Bookmark.objects.filter(group=shrinking).exclude(
        pk=Bookmark.objects.filter(group=shrinking).first().pk
    ).delete()
    deleted_id = deleted.pk
    deleted.delete()
    created, dropped = update_group_indexes(4, log=lambda _: None)
    assert (created, sorted(dropped)) == ([], sorted([shrinking.pk, deleted_id]))
    assert _indexes() == {}


def test_an_index_is_kept_between_half_the_threshold_and_the_threshold():
    group = _group_with(4)
    update_group_indexes(4, log=lambda _: None)
    Bookmark.objects.filter(pk=Bookmark.objects.filter(group=group).first().pk).delete()
    assert update_group_indexes(4, log=lambda _: None) == ([], [])
    assert index_name(group.pk) in _indexes()


def test_the_command_reports_and_refuses_a_threshold_below_one(capsys):
    _group_with(2)
    call_command("search_group_indexes", "--min", "2")
    assert "1 created, 0 dropped" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("search_group_indexes", "--min", "0")
