"""The index is current after every way a reader changes what a bookmark says: one test per
path, each through the service the pages and the API call (not the model), then
`manage.py search_reindex`."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from annotations import moderation
from annotations import services as annotations
from bookmarks import services as bookmarks
from bookmarks.models import Bookmark
from groups.models import Topic
from search.selectors import filter_topics, search_items
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory, PageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def group(db):
    return GroupFactory(name="Tic&Travail")


@pytest.fixture
def member(group):
    return MembershipFactory(group=group, role="member").user


@pytest.fixture
def moderator(group):
    return MembershipFactory(group=group, role="moderator").user


@pytest.fixture
def bookmark(group, member):
    return BookmarkFactory(group=group, owner=member, title="Sans rapport")


def finds(q, bookmark):
    return bookmark.pk in {b.pk for b in _matches(q)}


def _matches(q):
    from search.selectors import filter_by_keyword

    return filter_by_keyword(Bookmark.objects.all(), q)


# --- the bookmark itself -------------------------------------------------------------------


def test_saving_a_bookmark_indexes_it_at_once(member, group):
    saved, _ = bookmarks.save_bookmark(
        member,
        "https://www.alternatives-economiques.fr/plateformes-travailleurs",
        title="Les plateformes",
        description="Une enquête",
        tags=["économie"],
        group=group,
    )
    for word in ("plateformes", "enquete", "economie", "alternatives", "travailleurs"):
        assert finds(word, saved), word


def test_editing_title_and_description_replaces_the_old_words(member, bookmark):
    bookmarks.update_bookmark(member, bookmark, title="Livreurs à vélo", description="Grève")
    assert finds("livreurs", bookmark) and finds("greve", bookmark)
    assert not finds("rapport", bookmark)


def test_editing_tags_replaces_the_old_tags(member, bookmark):
    bookmarks.update_bookmark(member, bookmark, tags="ubérisation, vieux")
    assert finds("uberisation", bookmark) and finds("tag:vieux", bookmark)
    bookmarks.update_bookmark(member, bookmark, tags="neuf")
    assert finds("neuf", bookmark)
    assert not finds("vieux", bookmark) and not finds("uberisation", bookmark)


def test_saving_the_same_url_again_merges_the_new_words(member, group):
    url = "https://example.org/merge"
    first, _ = bookmarks.save_bookmark(member, url, title="Premier", group=group)
    again, created = bookmarks.save_bookmark(
        member, url, title="Second", tags=["ajout"], group=group
    )
    assert not created and again.pk == first.pk
    assert finds("second", first) and finds("ajout", first)
    assert not finds("premier", first)


def test_renaming_a_tag_in_a_group_reindexes_its_bookmarks(moderator, member, group):
    bookmark = BookmarkFactory(group=group, owner=member, title="x", tags=["gig"])
    bookmarks.rename_tag(moderator, "gig", "micro-travail", group=group)
    assert finds("micro-travail", bookmark)
    assert not finds("gig", bookmark)


def test_copying_a_bookmark_indexes_the_copy(member, group, bookmark):
    other = GroupFactory()
    MembershipFactory(group=other, user=member)
    bookmark = bookmarks.update_bookmark(member, bookmark, tags="copie")
    copy, created = bookmarks.copy_bookmark(member, bookmark, other)
    assert created
    assert finds("copie", copy) and finds("rapport", copy)


def test_a_deleted_bookmark_is_no_longer_found(member, bookmark):
    bookmarks.delete_bookmark(member, bookmark)
    assert not _matches("rapport").exists()


# --- highlights ----------------------------------------------------------------------------


def test_adding_a_highlight_indexes_its_quote_and_note(member, bookmark):
    annotations.create_highlight(
        member, bookmark, exact="les conditions de travail", note="À relire"
    )
    assert finds("conditions", bookmark) and finds("relire", bookmark)
    assert finds('"conditions de travail"', bookmark)


def test_editing_a_highlight_note_replaces_the_old_note(member, bookmark):
    highlight = annotations.create_highlight(member, bookmark, exact="passage", note="ancienne")
    annotations.update_highlight(member, highlight, note="nouvelle remarque")
    assert finds("remarque", bookmark)
    assert not finds("ancienne", bookmark)


def test_deleting_a_highlight_removes_its_words(member, bookmark):
    highlight = annotations.create_highlight(member, bookmark, exact="passage effacé", note="n")
    annotations.delete_highlight(member, highlight)
    assert not finds("efface", bookmark)


def test_a_highlight_hidden_by_a_moderator_is_no_longer_found(member, moderator, bookmark):
    highlight = annotations.create_highlight(member, bookmark, exact="passage douteux")
    moderation.moderate(moderator, highlight, "hide")
    assert not finds("douteux", bookmark)
    moderation.moderate(moderator, highlight, "unhide")
    assert finds("douteux", bookmark)


# --- comments ------------------------------------------------------------------------------


def test_posting_a_comment_indexes_it(member, bookmark):
    annotations.post_comment(member, body="Analyse remarquable", bookmark=bookmark)
    assert finds("remarquable", bookmark)


def test_a_comment_on_a_highlight_indexes_its_bookmark(member, bookmark):
    highlight = annotations.create_highlight(member, bookmark, exact="passage")
    annotations.post_comment(member, body="Prolétariat numérique", highlight=highlight)
    assert finds("proletariat", bookmark)


def test_editing_a_comment_replaces_its_words(member, bookmark):
    comment = annotations.post_comment(member, body="Premier avis", bookmark=bookmark)
    annotations.edit_comment(member, comment, "Avis corrigé")
    assert finds("corrige", bookmark)
    assert not finds("premier", bookmark)


def test_a_comment_hidden_by_a_moderator_is_no_longer_found(member, moderator, bookmark):
    comment = annotations.post_comment(member, body="Propos limite", bookmark=bookmark)
    moderation.moderate(moderator, comment, "hide")
    assert not finds("limite", bookmark)


def test_a_held_spam_comment_is_not_found_until_approved(member, moderator, bookmark):
    spam = "Casino bonus gratuit https://casino.example https://bonus.example https://x.example"
    comment = annotations.post_comment(member, body=spam, bookmark=bookmark)
    assert comment.status == "held"
    assert not finds("casino", bookmark)
    moderation.moderate(moderator, comment, "approve")
    assert finds("casino", bookmark)


def test_deleting_a_comment_removes_its_words(member, bookmark):
    comment = annotations.post_comment(member, body="Message effacé", bookmark=bookmark)
    annotations.delete_comment(member, comment)
    assert not finds("efface", bookmark)


def test_deleting_a_comment_that_has_replies_removes_its_words(member, bookmark, group):
    parent = annotations.post_comment(member, body="Question initiale", bookmark=bookmark)
    other = MembershipFactory(group=group).user
    annotations.post_comment(other, body="Réponse", parent=parent)
    annotations.delete_comment(member, parent)  # kept in the thread as "comment deleted"
    assert not finds("initiale", bookmark)
    assert finds("reponse", bookmark)


def test_banning_with_hidden_posts_removes_them_from_search(member, moderator, bookmark, group):
    author = MembershipFactory(group=group).user
    annotations.post_comment(author, body="Publicité déguisée", bookmark=bookmark)
    annotations.create_highlight(author, bookmark, exact="surlignage du banni")
    moderation.ban_member(moderator, group, author, hide_posts=True)
    assert not finds("deguisee", bookmark)
    assert not finds("banni", bookmark)


# --- topics --------------------------------------------------------------------------------


def _topic_found(q, topic):
    return topic.pk in set(filter_topics(Topic.objects.all(), q).values_list("pk", flat=True))


def test_topic_title_body_and_replies_follow_every_change(member, group):
    topic = annotations.create_topic(member, group, title="Réunion de rentrée", body="Jeudi")
    assert _topic_found("reunion", topic) and _topic_found("jeudi", topic)
    annotations.edit_topic(member, topic, title="Assemblée générale", body="Vendredi")
    assert _topic_found("assemblee", topic) and not _topic_found("jeudi", topic)
    reply = annotations.post_comment(member, body="Je viendrai", topic=topic)
    assert _topic_found("viendrai", topic)
    annotations.delete_comment(member, reply)
    assert not _topic_found("viendrai", topic)


# --- the fetched page ------------------------------------------------------------------------


def test_a_page_fetched_again_replaces_the_old_text(group, member):
    from bookmarks.services import record_fetch_success

    page = PageFactory(url="https://example.org/article", text="ancien contenu")
    bookmark = BookmarkFactory(page=page, group=group, owner=member, title="Article")
    html = b'<html lang="fr"><title>T</title><body><p>Les livreurs se mobilisent.</p></body>'

    class Result:
        body, url, status = html, page.url, 200
        content_type, charset = "text/html", "utf-8"

    record_fetch_success(page.pk, Result)
    assert finds("livreur", bookmark)  # French stem from the fetched language
    assert not finds("ancien", bookmark)


# --- search_reindex ----------------------------------------------------------------------------


def _wipe_vectors():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off
        cursor.execute("UPDATE bookmarks_bookmark SET search_vector = NULL")
        cursor.execute("UPDATE groups_topic SET search_vector = NULL")
        cursor.execute("SET LOCAL session_replication_role = origin")


def test_search_reindex_rebuilds_bookmarks_and_topics_in_batches_with_a_progress_bar(group):
    found = [BookmarkFactory(group=group, title=f"reconstruit {i}") for i in range(5)]
    topic = Topic.objects.create(group=group, title="Sujet reconstruit")
    _wipe_vectors()
    assert search_items(None, "reconstruit").count == 0
    out, err = io.StringIO(), io.StringIO()
    call_command("search_reindex", "--batch-size", "2", stdout=out, stderr=err)
    results = search_items(None, "reconstruit")
    assert results.count == 6
    assert {r.item.pk for r in results.items if r.kind == "bookmark"} == {b.pk for b in found}
    assert _topic_found("reconstruit", topic)
    assert "Reindexed 5 bookmarks." in out.getvalue()
    assert "Reindexed 1 topics." in out.getvalue()
    progress = err.getvalue()
    # a tqdm bar per table: 5 rows in batches of 2 reach 2/5, 4/5, then 5/5
    assert re.search(r"bookmarks: +100%.*5/5", progress), progress
    assert "4/5" in progress or "5/5" in progress
    assert re.search(r"topics: +100%.*1/1", progress), progress


def test_search_reindex_goes_through_the_table_in_batches_of_the_given_size(group, monkeypatch):
    from search.management.commands import search_reindex

    for i in range(5):
        BookmarkFactory(group=group, title=f"lot {i}")
    calls = []
    real = search_reindex.reindex_range
    monkeypatch.setattr(
        search_reindex,
        "reindex_range",
        lambda table, first, last: calls.append(table) or real(table, first, last),
    )
    call_command("search_reindex", "--batch-size", "2", "--no-progress", stdout=io.StringIO())
    assert calls.count("bookmarks_bookmark") == 3  # 2 + 2 + 1


def test_search_reindex_of_an_empty_database_says_so():
    out = io.StringIO()
    call_command("search_reindex", "--no-progress", stdout=out)
    assert "Reindexed 0 bookmarks." in out.getvalue()


@pytest.mark.parametrize("size", ["0", "-5", "lots"])
def test_search_reindex_refuses_a_batch_size_below_one(size):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="at least 1"):
        call_command("search_reindex", "--batch-size", size, stdout=io.StringIO())
