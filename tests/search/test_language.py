"""Each piece of the query language against real rows, and the relevance order it yields."""

from datetime import timedelta

import pytest
from django.utils import timezone

from groups.models import Topic
from search.selectors import search_items
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    PageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def ago(days):
    return timezone.now() - timedelta(days=days)


def shown(q, **kwargs):
    return [(r.kind, r.item.pk) for r in search_items(None, q, **kwargs).items]


def bookmarks(q, **kwargs):
    return {pk for kind, pk in shown(q, **kwargs) if kind == "bookmark"}


def test_words_prefix_and_two_letter_words(found):
    a = BookmarkFactory(title="Les travailleurs de la nuit")
    b = BookmarkFactory(title="Le travail des dessinateurs")
    assert found("travail") == {a.pk, b.pk}
    assert found("travail nuit") == {a.pk}
    assert found("de") == {a.pk}  # two letters: the word itself, not "des" or "dessinateurs"


def test_and_or_not_as_people_type_them(found):
    a = BookmarkFactory(title="livreurs à vélo")
    b = BookmarkFactory(title="coursiers à vélo")
    c = BookmarkFactory(title="livreurs Uber")
    assert found("livreurs AND vélo") == {a.pk}
    assert found("livreurs OR coursiers") == {a.pk, b.pk, c.pk}
    assert found("livreurs NOT uber") == {a.pk}
    assert found("livreurs -uber") == {a.pk}


def test_phrase_and_excluded_phrase(found):
    a = BookmarkFactory(title="Les conditions de travail des livreurs")
    b = BookmarkFactory(title="Le travail, de nouvelles conditions")
    assert found('"conditions de travail"') == {a.pk}
    assert found('conditions -"conditions de travail"') == {b.pk}
    assert found("« conditions de travail »") == {a.pk}


def test_excluded_word_is_accent_blind_and_excludes_its_prefixes(found):
    a = BookmarkFactory(title="plateformes")
    b = BookmarkFactory(title="plateformes et ÉCONOMIE")
    c = BookmarkFactory(title="plateformes et économistes")
    assert found("plateformes -economie") == {a.pk, c.pk}
    assert found("plateformes -econom") == {a.pk}
    assert found("plateformes -Économistes") == {a.pk, b.pk}


def test_site_matches_the_domain_and_every_subdomain_only():
    on = [
        BookmarkFactory(page=PageFactory(url=url), title="x")
        for url in (
            "https://lemonde.fr/a",
            "https://www.lemonde.fr/b",
            "https://blog.lemonde.fr/c",
            "https://a.b.lemonde.fr:8443/d",
            "http://LEMONDE.FR/e",
        )
    ]
    for url in (
        "https://evil-lemonde.fr/",
        "https://lemonde.fr.evil.com/",
        "https://example.org/?u=lemonde.fr",
        "https://lemonde.com/",
    ):
        BookmarkFactory(page=PageFactory(url=url), title="x")
    expected = {b.pk for b in on}
    assert bookmarks("site:lemonde.fr") == expected
    assert bookmarks("site:www.lemonde.fr") == expected
    assert bookmarks("site:https://www.lemonde.fr/une") == expected
    assert bookmarks("site:blog.lemonde.fr") == {on[2].pk}


def test_user_matches_the_saver_and_the_topic_author():
    ana = UserFactory(username="ana")
    group = GroupFactory()
    mine = BookmarkFactory(owner=ana, group=group, title="travail")
    BookmarkFactory(group=group, title="travail")
    topic = Topic.objects.create(group=group, author=ana, title="Travail du dimanche")
    assert set(shown("travail user:Ana")) == {("bookmark", mine.pk), ("topic", topic.pk)}
    assert shown("user:nobody") == []


def test_tag_is_exact_and_several_tags_all_apply(found):
    a = BookmarkFactory(title="x", tags=["économie", "gig"])
    BookmarkFactory(title="x", tags=["économie-sociale"])
    assert found("tag:économie") == {a.pk}
    assert found("tag:Économie tag:gig") == {a.pk}
    assert found('tag:"économie" -tag:gig') == set()


def test_type_bookmark_and_type_topic():
    group = GroupFactory()
    bookmark = BookmarkFactory(group=group, title="réunion")
    topic = Topic.objects.create(group=group, title="Réunion")
    assert shown("réunion type:bookmark") == [("bookmark", bookmark.pk)]
    assert shown("réunion type:topic") == [("topic", topic.pk)]
    assert shown("réunion -type:topic") == [("bookmark", bookmark.pk)]
    assert set(shown("réunion")) == {("bookmark", bookmark.pk), ("topic", topic.pk)}


def test_is_unread_has_highlights_has_comments(found):
    unread = BookmarkFactory(title="x", unread=True)
    highlighted = BookmarkFactory(title="x")
    HighlightFactory(bookmark=highlighted)
    sticky = BookmarkFactory(title="x")
    CommentFactory(bookmark=sticky, highlight=HighlightFactory(bookmark=sticky))
    commented = BookmarkFactory(title="x")
    CommentFactory(bookmark=commented)
    deleted = BookmarkFactory(title="x")
    CommentFactory(bookmark=deleted, is_deleted=True, body="")
    assert found("is:unread") == {unread.pk}
    assert found("has:highlights") == {highlighted.pk, sticky.pk}
    assert found("has:comments") == {sticky.pk, commented.pk}
    assert found("has:highlights has:comments") == {sticky.pk}


def test_before_is_exclusive_after_inclusive_and_both_make_a_range():
    days = {d: BookmarkFactory(title="travail", created_at=ago(d)) for d in (1, 10, 100)}
    ten_days_ago = days[10].created_at.date().isoformat()
    assert bookmarks(f"travail after:{ten_days_ago}") == {days[1].pk, days[10].pk}
    assert bookmarks(f"travail before:{ten_days_ago}") == {days[100].pk}
    start = ago(50).date().isoformat()
    end = ago(5).date().isoformat()
    assert bookmarks(f"after:{start} before:{end}") == {days[10].pk}


def test_dates_apply_to_topics_too():
    group = GroupFactory()
    topic = Topic.objects.create(group=group, title="Réunion")
    Topic.objects.filter(pk=topic.pk).update(created_at=ago(30))
    assert shown(f"réunion before:{ago(10).date().isoformat()}") == [("topic", topic.pk)]
    assert shown(f"réunion after:{ago(10).date().isoformat()}") == []


@pytest.mark.parametrize(
    "q",
    [
        "a & !b :* ' ; --",
        "'; DROP TABLE bookmarks_bookmark; --",
        "(a | b) & !c:*",
        "a:* | b <-> c",
        '"unbalanced phrase',
        "x" * 2000,
        "-",
        "OR",
        "AND",
        "NOT",
        "tag:",
        "-tag:",
        "site:",
        "«",
        "\x00",
    ],
)
def test_malformed_queries_degrade_to_words_on_real_rows(q):
    BookmarkFactory(title="a b c phrase unbalanced")
    for sort in ("relevance", "date"):
        search_items(None, q, sort=sort, with_facets=True)  # never raises


def test_sql_and_tsquery_syntax_finds_its_plain_words(found):
    a = BookmarkFactory(title="alpha beta")
    BookmarkFactory(title="alpha seulement")
    assert found("alpha & !beta :* ' ; --") == {a.pk}
    assert found('"alpha beta') == {a.pk}  # the unbalanced quote is dropped


# --- relevance --------------------------------------------------------------------------------


def test_relevance_follows_the_weights_title_then_notes_then_comments_then_text():
    """Each bookmark holds "plateforme" once, in a different part; the newest is the weakest,
    so date order alone would give the reverse."""
    in_text = BookmarkFactory(page=PageFactory(text="plateforme"), title="un", created_at=ago(0))
    in_comment = BookmarkFactory(title="deux", created_at=ago(1))
    CommentFactory(bookmark=in_comment, body="plateforme")
    in_note = BookmarkFactory(title="trois", description="plateforme", created_at=ago(2))
    in_title = BookmarkFactory(title="plateforme", created_at=ago(3))
    expected = [("bookmark", b.pk) for b in (in_title, in_note, in_comment, in_text)]
    assert shown("plateforme") == expected
    assert shown("plateforme", sort="date") == expected[::-1]


def test_relevance_is_length_normalized():
    """The same title match in a short record beats it in a record padded with page text."""
    padded = BookmarkFactory(
        title="Plateformes", page=PageFactory(text=" ".join(f"mot{i}" for i in range(400)))
    )
    short = BookmarkFactory(title="Plateformes", created_at=ago(5))
    assert padded.created_at > short.created_at
    assert shown("plateformes") == [("bookmark", short.pk), ("bookmark", padded.pk)]


def test_more_occurrences_rank_higher_at_the_same_weight():
    once = BookmarkFactory(title="x", description="travail et autre chose", created_at=ago(0))
    twice = BookmarkFactory(title="x", description="travail et travail encore", created_at=ago(1))
    assert shown("travail") == [("bookmark", twice.pk), ("bookmark", once.pk)]


@pytest.mark.parametrize("dense", [False, True])
@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_every_reading_path_keeps_private_groups_out(monkeypatch, dense, sort):
    """Few or many matches, rare or common words: whichever plan reads the rows, a private
    group's matches never reach an outsider's page, count or facets."""
    from search import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 3)  # "many matches" from 4 on
    monkeypatch.setattr(selectors, "is_dense", lambda parsed, rows=None, **_kw: dense)
    secret = GroupFactory(visibility="private")
    for i in range(5):
        BookmarkFactory(group=secret, title=f"travail secret {i}", tags=["secret"])
    public = {
        BookmarkFactory(group=GroupFactory(), title=f"travail public {i}", tags=["ouvert"]).pk
        for i in range(5)
    }
    seen = []
    for page in (1, 2, 3):
        results = search_items(None, "travail", sort=sort, page=page, per_page=2, with_facets=True)
        seen += [r.item.pk for r in results.items]
        assert results.facets == [("ouvert", 5)]
        assert results.count == 3 and results.count_capped
    assert set(seen) == public
