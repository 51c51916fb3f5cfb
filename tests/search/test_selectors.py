"""Search results: matching rules, ordering, marking, scopes, visibility and facets."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookmarks.models import Bookmark
from groups.models import Topic
from search import selectors
from search.selectors import (
    facets,
    filter_by_keyword,
    order_by_relevance,
    search_items,
)
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    PageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ago(days):
    return timezone.now() - timedelta(days=days)


def ids(results):
    return [r.item.pk for r in results.items]


def test_all_words_must_match(found):
    a = BookmarkFactory(title="travail des livreurs")
    BookmarkFactory(title="travail seulement")
    assert found("travail livreurs") == {a.pk}


def test_or_matches_either(found):
    a = BookmarkFactory(title="livreurs à vélo")
    b = BookmarkFactory(title="coursiers à vélo")
    BookmarkFactory(title="chauffeurs")
    assert found("livreurs OR coursiers") == {a.pk, b.pk}


def test_phrase_needs_the_words_in_order(found):
    a = BookmarkFactory(title="Les conditions de travail des livreurs")
    BookmarkFactory(title="Le travail, de nouvelles conditions")
    assert found('"conditions de travail"') == {a.pk}


def test_excluded_word_removes_matches(found):
    a = BookmarkFactory(title="plateformes et travail")
    BookmarkFactory(title="plateformes Uber")
    assert found("plateformes -uber") == {a.pk}
    assert found("-uber") == {a.pk}


def test_tag_user_site_filters(found):
    ana = UserFactory(username="ana")
    lemonde = PageFactory(url="https://www.lemonde.fr/a")
    sub = PageFactory(url="https://blog.lemonde.fr/b")
    evil = PageFactory(url="https://evil-lemonde.fr/c")
    a = BookmarkFactory(page=lemonde, owner=ana, title="x", tags=["gig"])
    b = BookmarkFactory(page=sub, title="x", tags=["gig", "spam"])
    c = BookmarkFactory(page=evil, title="x")
    assert found("tag:gig") == {a.pk, b.pk}
    assert found("tag:gig -tag:spam") == {a.pk}
    assert found("user:ANA") == {a.pk}
    assert found("site:lemonde.fr") == {a.pk, b.pk}
    assert c.pk not in found("site:lemonde.fr")


def test_unread_highlights_comments_and_dates(found):
    unread = BookmarkFactory(title="x", unread=True)
    highlighted = BookmarkFactory(title="x", created_at=ago(400))
    HighlightFactory(bookmark=highlighted)
    hidden_only = BookmarkFactory(title="x")
    HighlightFactory(bookmark=hidden_only, status="hidden")
    commented = BookmarkFactory(title="x")
    CommentFactory(bookmark=commented)
    held_only = BookmarkFactory(title="x")
    CommentFactory(bookmark=held_only, status="held")
    assert found("is:unread") == {unread.pk}
    assert found("has:highlights") == {highlighted.pk}
    assert found("has:comments") == {commented.pk}
    last_year = (timezone.now() - timedelta(days=200)).date().isoformat()
    assert found(f"before:{last_year}") == {highlighted.pk}
    assert highlighted.pk not in found(f"after:{last_year}")


def test_type_topic_excludes_bookmarks(found):
    BookmarkFactory(title="réunion")
    assert found("réunion type:topic") == set()


def test_tsquery_syntax_in_the_query_does_not_raise(found):
    a = BookmarkFactory(title="a b c")
    for q in ["a & | ! :* ')", "'", "!!", "(", "x:* | y", '"', "\\", "a'b", "<->"]:
        found(q)
    assert a.pk in found("a & b")


def test_title_match_ranks_above_page_text_match():
    text_page = PageFactory(title="autre", text="le travail " * 3)
    in_text = BookmarkFactory(page=text_page, title="Autre chose", created_at=ago(0))
    in_title = BookmarkFactory(title="Le travail des livreurs", created_at=ago(10))
    ranked = list(
        order_by_relevance(filter_by_keyword(Bookmark.objects.all(), "travail"), "travail")
    )
    assert ranked == [in_title, in_text]


def test_relevance_ties_are_broken_by_date():
    old = BookmarkFactory(title="travail", created_at=ago(5))
    new = BookmarkFactory(title="travail", created_at=ago(1))
    qs = order_by_relevance(filter_by_keyword(Bookmark.objects.all(), "travail"), "travail")
    assert list(qs) == [new, old]


def test_title_and_snippet_are_escaped_and_marked():
    page = PageFactory(title="t", text="Ici <script>alert(1)</script> les travailleurs du clic")
    BookmarkFactory(page=page, title="<b>Travail</b> & co")
    item = filter_by_keyword(Bookmark.objects.all(), "travail").get()
    assert item.title_marked == "&lt;b&gt;<mark>Travail</mark>&lt;/b&gt; &amp; co"
    assert "<mark>travailleurs</mark>" in item.snippet
    assert "<script>" not in item.snippet


def test_search_items_mixes_bookmarks_and_topics():
    group = GroupFactory()
    b = BookmarkFactory(group=group, title="Assemblée du travail")
    t = Topic.objects.create(group=group, title="Travail du dimanche", body="")
    results = search_items(None, "travail")
    assert {(r.kind, r.item.pk) for r in results.items} == {("bookmark", b.pk), ("topic", t.pk)}
    assert results.count == 2
    assert [r.kind for r in search_items(None, "travail", type="topic").items] == ["topic"]
    topic = search_items(None, "travail type:topic").items[0]
    assert "<mark>Travail</mark>" in topic.title_marked


def test_date_sort_is_newest_first():
    old = BookmarkFactory(title="travail", created_at=ago(5))
    new = BookmarkFactory(title="travail travail", created_at=ago(1))
    assert ids(search_items(None, "travail", sort="date")) == [new.pk, old.pk]


def test_paging():
    for i in range(5):
        BookmarkFactory(title=f"travail {i}", created_at=ago(i))
    first = search_items(None, "travail", sort="date", per_page=2)
    third = search_items(None, "travail", sort="date", per_page=2, page=3)
    assert first.count == 5 and first.has_next
    assert len(third.items) == 1 and not third.has_next


def test_count_stops_at_the_cap(monkeypatch):
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    for _ in range(5):
        BookmarkFactory(title="travail")
    results = search_items(None, "travail")
    assert results.count == 3 and results.count_capped


def test_private_group_item_never_appears_counts_or_shapes_facets():
    secret = GroupFactory(visibility="private")
    member = MembershipFactory(group=secret).user
    BookmarkFactory(group=secret, title="travail secret", tags=["confidentiel"])
    public = BookmarkFactory(group=GroupFactory(), title="travail public", tags=["ouvert"])
    outsider = UserFactory()
    for viewer in (None, outsider):
        results = search_items(viewer, "travail", with_facets=True)
        assert ids(results) == [public.pk]
        assert results.count == 1
        assert results.facets == [("ouvert", 1)]
        assert facets(viewer, "travail") == [("ouvert", 1)]
    assert search_items(member, "travail").count == 2
    assert ("confidentiel", 1) in facets(member, "travail")


def test_private_personal_bookmark_only_for_its_owner():
    owner = UserFactory()
    mine = BookmarkFactory(owner=owner, title="travail privé", private=True)
    assert search_items(UserFactory(), "travail").count == 0
    assert ids(search_items(owner, "travail")) == [mine.pk]


def test_group_scope_and_my_library_scope():
    owner = UserFactory()
    group = GroupFactory()
    in_group = BookmarkFactory(group=group, owner=owner, title="travail")
    personal = BookmarkFactory(owner=owner, title="travail")
    BookmarkFactory(title="travail")
    assert ids(search_items(owner, "travail", group=group)) == [in_group.pk]
    assert ids(search_items(owner, "travail", scope="mine")) == [personal.pk]


def test_facets_count_tags_among_results():
    BookmarkFactory(title="travail", tags=["gig", "uber"])
    BookmarkFactory(title="travail", tags=["gig"])
    BookmarkFactory(title="autre", tags=["gig", "zzz"])
    assert facets(None, "travail") == [("gig", 2), ("uber", 1)]


def test_hidden_topic_is_not_found():
    group = GroupFactory()
    Topic.objects.create(group=group, title="travail caché", status="held")
    assert search_items(None, "travail").count == 0


def test_relevance_with_many_matches_ranks_candidates_first_and_keeps_every_match():
    text_page = PageFactory(title="autre", text="travail " * 3)
    in_title = BookmarkFactory(title="Le travail des livreurs", created_at=ago(30))
    newest_in_text = BookmarkFactory(page=text_page, title="Autre", created_at=ago(0))
    older = [
        BookmarkFactory(page=PageFactory(text="travail"), title="x", created_at=ago(10 + i))
        for i in range(3)
    ]
    qs = filter_by_keyword(Bookmark.objects.all(), "travail")
    ranked = list(order_by_relevance(qs, "travail", candidates=1))
    # candidates: the newest match and the newest title match; then the rest, newest first
    assert ranked[:2] == [in_title, newest_in_text]
    assert ranked[2:] == older


def test_search_pages_through_ranked_candidates_without_repeats():
    for i in range(30):
        BookmarkFactory(title="travail" if i % 3 else "le travail au titre", created_at=ago(i))
    seen = []
    for page in (1, 2):
        seen += ids(search_items(None, "travail", page=page, per_page=15))
    assert len(seen) == len(set(seen)) == 30


def test_common_words_take_the_date_index_path_with_the_same_results(monkeypatch):
    for i in range(6):
        BookmarkFactory(title="travail" if i % 2 else "le travail des livreurs", created_at=ago(i))
    expected = {
        sort: ids(search_items(None, "travail", sort=sort, per_page=4))
        for sort in ("relevance", "date")
    }
    monkeypatch.setattr(selectors, "is_dense", lambda parsed, rows=None, **_kw: True)
    for sort, result in expected.items():
        assert ids(search_items(None, "travail", sort=sort, per_page=4)) == result


def test_density_is_estimated_from_the_most_common_lexemes(monkeypatch):
    from search.query import parse

    monkeypatch.setattr(
        selectors, "_common_elements", lambda: ({"travail": 0.4, "travailleurs": 0.1}, {"gig": 0.5})
    )
    monkeypatch.setitem(selectors._STATS, "rows", 1_000_000)
    density, summed = selectors.estimated_shares(parse("travail tag:gig"))
    assert density == pytest.approx(0.25)  # (travail + travailleurs as prefix) × gig
    assert selectors.is_dense(parse("travail"))
    assert not selectors.is_dense(parse("rarissime"))


def test_a_common_tag_alone_takes_the_date_index_path(monkeypatch):
    from search.query import parse

    monkeypatch.setattr(selectors, "_common_elements", lambda: ({}, {"economie": 0.2}))
    monkeypatch.setitem(selectors._STATS, "rows", 1_000_000)
    assert selectors.is_dense(parse("tag:economie"))
    assert not selectors.is_dense(parse("tag:rare"))


def test_a_phrase_is_never_treated_as_dense(monkeypatch):
    from search.query import parse

    monkeypatch.setattr(selectors, "_common_elements", lambda: ({"de": 0.9, "travail": 0.4}, {}))
    monkeypatch.setitem(selectors._STATS, "rows", 1_000_000)
    assert not selectors.is_dense(parse('"de travail"'))


def test_in_a_group_with_its_own_index_two_common_words_read_the_index(monkeypatch):
    from search.query import parse

    monkeypatch.setattr(
        selectors, "_common_elements", lambda: ({"travail": 0.26, "plateformes": 0.11}, {})
    )
    monkeypatch.setitem(selectors._STATS, "rows", 1_000_000)
    two_words = parse("travail plateformes")
    # the shared index: walking the date index beats reading 370,000 postings
    assert selectors.is_dense(two_words)
    # a 100,000-bookmark group's own index holds a tenth of those postings
    assert not selectors.is_dense(two_words, rows=100_000)
    # one common word still walks: about 4,000 rows give the first 1,000 matches
    assert selectors.is_dense(parse("travail"), rows=100_000)


def test_by_relevance_a_prefix_matching_a_sixth_of_a_group_walks_the_date_index(monkeypatch):
    """Through GIN every match's row is read and, by relevance, its title checked; a sixth
    of 100,000 rows is more than the ~6,000 rows a walk checks for its first 1,001."""
    from search.query import parse

    monkeypatch.setattr(
        selectors,
        "_common_elements",
        lambda: ({"numerique": 0.12, "numeriques": 0.05, "travail": 0.26, "plateformes": 0.11}, {}),
    )
    monkeypatch.setitem(selectors._STATS, "rows", 1_000_000)
    assert selectors.is_dense(parse("numéri"), rows=100_000, ranked=True)
    # two words matching 3% of the group: their few matches are cheaper to read through GIN
    assert not selectors.is_dense(parse("travail plateformes"), rows=100_000, ranked=True)


def test_the_rarest_word_is_checked_first(monkeypatch):
    from search.query import parse

    monkeypatch.setattr(
        selectors, "_common_elements", lambda: ({"travail": 0.26, "plateformes": 0.11}, {})
    )
    sql = str(
        Bookmark.objects.filter(
            search_vector=selectors.positive_tsquery(parse("travail plateformes"))
        ).query
    )
    assert sql.index("plateformes") < sql.index("travail")


def test_with_many_matches_an_old_title_match_still_leads_by_relevance(monkeypatch):
    from search.query import parse

    monkeypatch.setattr(selectors, "COUNT_CAP", 3)  # "many" = more than 3 here
    now = timezone.now()
    old = BookmarkFactory(title="Le travail des livreurs", created_at=now - timedelta(days=900))
    for day in range(5):
        BookmarkFactory(
            title="Sans rapport",
            description="on y parle de travail en passant",
            created_at=now - timedelta(days=day),
        )
    results = selectors.search_items(None, parse("travail"), sort="relevance", per_page=2)
    assert results.count_capped
    assert results.items[0].item.pk == old.pk


def test_facets_count_the_newest_matches_tags_most_frequent_first_ties_in_code_point_order():
    BookmarkFactory(title="travail", tags=["oubliée"], created_at=ago(10))  # not in a sample of 4
    for tags in (["éco", "zinc"], ["Zèbre", "éco"], ["eco", "zinc", "éco"], []):
        BookmarkFactory(title="travail", tags=tags)
    # "éco" is on one item twice: each mention counts, as each tag link of the item shows
    newest = selectors.tag_facets(Bookmark.objects.all(), sample=4)
    assert newest == [("éco", 3), ("zinc", 2), ("Zèbre", 1), ("eco", 1)]
    assert facets(None, "travail", limit=2) == [("éco", 3), ("zinc", 2)]
    assert ("oubliée", 1) in facets(None, "travail")
    assert facets(None, "zzzz") == []


def test_search_rows_come_with_their_highlight_and_comment_counts(django_assert_num_queries):
    item = BookmarkFactory(title="travail")
    HighlightFactory.create_batch(2, bookmark=item)
    HighlightFactory(bookmark=item, status="held")
    CommentFactory(bookmark=item)
    (result,) = search_items(None, "travail").items
    with django_assert_num_queries(0):
        assert (result.item.highlight_count, result.item.comment_count) == (2, 1)


@pytest.mark.django_db
def test_marks_are_computed_inline_in_the_query_that_asks_for_them():
    """search_marked is inlined by PostgreSQL (its words turned into the highlighting query
    once, when the query is planned): run as a function of its own, it cost 0.1 ms for every
    title and snippet of a page of results. The marks are the same."""
    from django.db import connection

    query = (
        "SELECT search_marked(doc, to_tsquery('simple', 'travail:*'), '') "
        "FROM unnest(%s::text[]) AS t(doc)"
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (VERBOSE) " + query, [['Le "travail" & les plateformes']])
        plan = "\n".join(line for (line,) in cursor.fetchall())
        cursor.execute(query, [['Le "travail" & les plateformes']])
        marked = cursor.fetchone()[0]
    assert "search_marked" not in plan
    assert marked == "Le &quot;<mark>travail</mark>&quot; &amp; les plateformes"


def test_facets_are_counted_once_until_a_change_commits(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    """The pages of one search, or the same search again, count its tags once; a saved
    bookmark shows in them at once."""
    viewer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        BookmarkFactory(title="travail", tags=["gig"])
    assert facets(viewer, "travail") == [("gig", 1)]
    with django_assert_num_queries(0):
        assert facets(viewer, "travail") == [("gig", 1)]
    with django_capture_on_commit_callbacks(execute=True):
        BookmarkFactory(title="travail", tags=["gig", "uber"])
    assert facets(viewer, "travail") == [("gig", 2), ("uber", 1)]
    # another viewer, another scope: never an answer counted for someone else
    outsider_group = GroupFactory(visibility="private")
    with django_capture_on_commit_callbacks(execute=True):
        BookmarkFactory(title="travail", tags=["secret"], group=outsider_group)
    member = UserFactory()
    MembershipFactory(group=outsider_group, user=member)
    assert ("secret", 1) in facets(member, "travail")
    assert ("secret", 1) not in facets(viewer, "travail")
