"""Reads: what each viewer sees under library items, threads, topics, and fixed query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.selectors import (
    attach_annotations,
    comment_threads,
    visible_comments,
    visible_highlights,
    visible_topics,
)
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _items(group, owner, n, highlights, comments):
    items = []
    for _ in range(n):
        b = BookmarkFactory(group=group, owner=owner)
        HighlightFactory.create_batch(highlights, bookmark=b, author=owner)
        roots = CommentFactory.create_batch(comments, bookmark=b, author=owner)
        if comments > 1:
            CommentFactory(bookmark=b, author=owner, parent=roots[0])
        items.append(b)
    return items


def test_middle_view_shows_three_and_counts_the_rest(group, member):
    (b,) = _items(group, member, 1, highlights=5, comments=2)
    (shown,) = attach_annotations([b], member, "middle")
    ann = shown.item_annotations
    assert [e.kind for e in ann.entries] == ["highlight"] * 3
    assert ann.total == 7 and ann.more == 4


def test_middle_view_fills_with_comments_when_few_highlights(group, member):
    (b,) = _items(group, member, 1, highlights=1, comments=4)
    ann = attach_annotations([b], member, "middle")[0].item_annotations
    assert [e.kind for e in ann.entries] == ["highlight", "comment", "comment"]
    assert ann.more == 2  # the reply is not counted: it shows under its comment


def test_middle_view_entries_show_the_author_as_the_item_page_does(group, member, item):
    named = MembershipFactory(group=group, user__display_name="Camille D.").user
    plain = MembershipFactory(group=group, user__display_name="").user
    gone = MembershipFactory(group=group).user
    CommentFactory(bookmark=item, author=named, body_html="<p>un</p>")
    CommentFactory(bookmark=item, author=plain, body_html="<p>deux</p>")
    CommentFactory(bookmark=item, author=gone, body_html="<p>trois</p>")
    gone.delete()  # Comment.author is SET_NULL: "former member"
    ann = attach_annotations([item], member, "middle")[0].item_annotations
    shown = [(e.author.name if e.author else None, e.body_html) for e in ann.entries]
    assert shown == [
        ("Camille D.", "<p>un</p>"),
        (plain.username, "<p>deux</p>"),
        (None, "<p>trois</p>"),
    ]


def test_full_view_shows_everything_with_threads(group, member):
    (b,) = _items(group, member, 1, highlights=4, comments=3)
    ann = attach_annotations([b], member, "full")[0].item_annotations
    assert len([e for e in ann.entries if e.kind == "highlight"]) == 4
    comments = [e for e in ann.entries if e.kind == "comment"]
    assert len(comments) == 3 and len(comments[0].thread_replies) == 1
    assert ann.more == 0


def test_simple_view_shows_nothing_and_costs_nothing(group, member, django_assert_num_queries):
    items = _items(group, member, 2, highlights=2, comments=2)
    with django_assert_num_queries(0):
        attach_annotations(items, member, "simple")
    assert all(not b.item_annotations.entries for b in items)


@pytest.mark.parametrize("mode", ["middle", "full"])
def test_attach_annotations_costs_the_same_for_1_or_10_each(group, member, mode):
    few = _items(group, member, 20, highlights=1, comments=1)
    many = _items(group, member, 20, highlights=10, comments=10)
    with CaptureQueriesContext(connection) as small:
        attach_annotations(few, member, mode)
    with CaptureQueriesContext(connection) as big:
        attach_annotations(many, member, mode)
    assert len(big) <= len(small) <= 2


def test_library_page_full_view_query_count_does_not_grow(client, group, member):
    url = f"/g/{group.slug}/?view=full"
    _items(group, member, 20, highlights=1, comments=1)
    client.force_login(member)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    other = GroupFactory()
    MembershipFactory(group=other, user=member)
    _items(other, member, 20, highlights=10, comments=10)
    with CaptureQueriesContext(connection) as big:
        response = client.get(f"/g/{other.slug}/?view=full")
    assert response.status_code == 200
    assert response.content.decode().count('class="item-highlight"') == 200
    assert len(big) <= len(small)


def test_held_and_hidden_are_invisible_to_others_but_held_shown_to_author(group, item, member):
    spammer = MembershipFactory(group=group).user
    held = CommentFactory(bookmark=item, author=spammer, status="held")
    CommentFactory(bookmark=item, author=spammer, status="hidden")
    ok = CommentFactory(bookmark=item, author=member)
    assert list(visible_comments(member, bookmark=item)) == [ok]
    assert list(visible_comments(None, bookmark=item)) == [ok]
    from django.contrib.auth.models import AnonymousUser

    assert list(visible_comments(AnonymousUser(), bookmark=item)) == [ok]
    assert set(visible_comments(spammer, bookmark=item)) == {held, ok}
    for mode in ("middle", "full"):
        shown = attach_annotations([item], member, mode)[0].item_annotations.entries
        assert [e.pk for e in shown] == [ok.pk]
        shown = attach_annotations([item], spammer, mode)[0].item_annotations.entries
        assert [(e.pk, e.status) for e in shown] == [(held.pk, "held"), (ok.pk, "visible")]


def test_held_highlight_note_hidden_from_others(group, item, member):
    author = MembershipFactory(group=group).user
    h = HighlightFactory(bookmark=item, author=author, status="held")
    assert h not in visible_highlights(member, item)
    assert h in visible_highlights(author, item)


def test_private_group_annotations_are_invisible_to_outsiders(db):
    group = GroupFactory(visibility="private")
    member = MembershipFactory(group=group).user
    b = BookmarkFactory(group=group, owner=member)
    HighlightFactory(bookmark=b, author=member)
    CommentFactory(bookmark=b, author=member)
    outsider = UserFactory()
    assert not visible_highlights(outsider, b).exists()
    assert not visible_comments(outsider, bookmark=b).exists()
    assert not visible_comments(outsider).exists()


def test_threads_at_any_depth_from_one_query(item, member, django_assert_num_queries):
    node = services.post_comment(member, body="level 0", bookmark=item)
    for depth in range(1, 6):
        node = services.post_comment(member, body=f"level {depth}", parent=node)
    with django_assert_num_queries(1):
        roots = comment_threads(member, bookmark=item)
    depth, node = 0, roots[0]
    while node.thread_replies:
        node, depth = node.thread_replies[0], depth + 1
    assert depth == 5 and node.body == "level 5"


def test_visible_topics_lists_own_held_not_others(group, member):
    other = MembershipFactory(group=group).user
    services.create_topic(member, group, title="Ordinary", body="hello")
    held = services.create_topic(
        other, group, title="Win", body="casino roulette jackpot https://x.casino"
    )
    assert held.status == "held"
    assert [t.title for t in visible_topics(member, group)] == ["Ordinary"]
    assert {t.title for t in visible_topics(other, group)} == {"Ordinary", "Win"}
    assert [t.title for t in visible_topics(None, group)] == ["Ordinary"]
