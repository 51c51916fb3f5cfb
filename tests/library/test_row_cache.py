"""A library page keeps each bookmark row's HTML in the cache (library.fragments): what a
reader sees must be what a fresh render would show them, right after any change."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from annotations.models import Comment
from bookmarks import services as bookmark_services
from bookmarks.models import Bookmark, Page
from library import fragments
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    PageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(db):
    cache.clear()
    return GroupFactory(visibility="public", slug="veille")


@pytest.fixture
def saver(group):
    return MembershipFactory(group=group).user


@pytest.fixture
def rendered(monkeypatch):
    """The rows rendered (not read from the cache) by each request: [(template, item pk)]."""
    calls = []
    render = fragments._render

    def spy(engine, name, item, context):
        calls.append((name, item.pk))
        return render(engine, name, item, context)

    monkeypatch.setattr(fragments, "_render", spy)
    return calls


def page(client, **params):
    response = client.get("/g/veille/", params)
    assert response.status_code == 200
    return response.content.decode()


def row(html, bookmark):
    """The HTML of one bookmark's row."""
    match = re.search(
        rf'<article class="item item-bookmark" aria-labelledby="item-{bookmark.pk}-title">.*?'
        r"</article>",
        html,
        re.S,
    )
    assert match, f"no row for bookmark {bookmark.pk}"
    return match.group(0)


def test_a_row_rendered_once_is_read_from_the_cache_and_is_the_same_html(
    client, group, saver, rendered
):
    bookmarks = BookmarkFactory.create_batch(3, group=group, owner=saver, tags=["travail"])
    HighlightFactory(bookmark=bookmarks[0])
    first = page(client)
    assert len(rendered) == 3
    rendered.clear()
    again = page(client)
    assert rendered == []
    assert [row(again, b) for b in bookmarks] == [row(first, b) for b in bookmarks]


def test_the_page_reads_its_rows_in_one_cache_call_and_writes_them_in_one(
    client, group, saver, monkeypatch
):
    BookmarkFactory.create_batch(5, group=group, owner=saver)
    calls = []

    def spy(method):
        real = getattr(fragments.cache, method)

        def call(keys, *args, **kwargs):
            rows = [k for k in (keys if method.endswith("many") else [keys]) if "library:row" in k]
            if rows:
                calls.append((method, len(rows)))
            return real(keys, *args, **kwargs)

        return call

    for method in ("get", "get_many", "set", "set_many"):
        monkeypatch.setattr(fragments.cache, method, spy(method))
    page(client)
    assert calls == [("get_many", 5), ("set_many", 5)]
    calls.clear()
    page(client)
    assert calls == [("get_many", 5)]


def test_an_edit_of_the_bookmark_shows_at_once(client, group, saver):
    bookmark = BookmarkFactory(group=group, owner=saver, title="Avant", tags=["ancien"])
    assert "Avant" in row(page(client), bookmark)
    bookmark_services.update_bookmark(
        saver, bookmark, title="Après", description="Une note", tags="nouveau"
    )
    html = row(page(client), bookmark)
    assert "Après" in html and "Avant" not in html
    assert "Une note" in html
    assert "?tag=nouveau" in html and "ancien" not in html


def test_a_renamed_tag_shows_at_once(client, group, saver):
    moderator = MembershipFactory(group=group, role="moderator").user
    bookmark = BookmarkFactory(group=group, owner=saver, tags=["velo"])
    assert "?tag=velo" in row(page(client), bookmark)
    bookmark_services.rename_tag(moderator, "velo", "cyclisme", group=group)
    html = row(page(client), bookmark)
    assert "?tag=cyclisme" in html and "velo" not in html


def test_new_highlights_comments_and_views_show_at_once(client, group, saver):
    bookmark = BookmarkFactory(group=group, owner=saver)
    html = row(page(client), bookmark)
    assert "0 highlights" in html and "0 comments" in html and "0 views" in html
    HighlightFactory(bookmark=bookmark, exact="le passage surligné")
    CommentFactory(bookmark=bookmark, body="Bien vu", body_html="<p>Bien vu</p>")
    Bookmark.objects.filter(pk=bookmark.pk).update(view_count=7)  # record_view's own update
    html = row(page(client), bookmark)
    assert "1 highlight" in html and "1 comment" in html and "7 views" in html
    assert "le passage surligné" in html and "Bien vu" in html


def test_an_edited_comment_shows_at_once(client, group, saver):
    bookmark = BookmarkFactory(group=group, owner=saver)
    comment = CommentFactory(bookmark=bookmark, body="Premier jet", body_html="<p>Premier jet</p>")
    assert "Premier jet" in row(page(client), bookmark)
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>Version revue</p>")
    html = row(page(client), bookmark)
    assert "Version revue" in html and "Premier jet" not in html


def test_a_fetched_title_and_a_renamed_saver_show_at_once(client, group, saver):
    bookmark = BookmarkFactory(group=group, owner=saver, title="", page=PageFactory(title=""))
    page(client)
    # the fetcher writes the page, not the bookmark: the bookmark's updated_at stays
    html = row(page(client), bookmark)
    assert "/read" not in html
    Page.objects.filter(pk=bookmark.page_id).update(
        title="Le titre récupéré", site_name="AOC", text="Le texte de la page"
    )
    saver.display_name = "Camille Nouveau-Nom"
    saver.save()
    html = row(page(client), bookmark)
    assert "Le titre récupéré" in html and "AOC" in html
    assert "Camille Nouveau-Nom" in html
    assert f'href="/b/{bookmark.pk}/read"' in html  # the reader link, once there is a text


def test_held_posts_show_to_their_author_only_whoever_filled_the_cache(client, group, saver):
    bookmark = BookmarkFactory(group=group, owner=saver)
    author = MembershipFactory(group=group).user
    CommentFactory(
        bookmark=bookmark,
        author=author,
        status="held",
        body="Mon avis en attente",
        body_html="<p>Mon avis en attente</p>",
    )
    other = Client()
    other.force_login(MembershipFactory(group=group).user)
    client.force_login(author)
    for reader, sees in ((other, False), (client, True), (other, False), (client, True)):
        html = row(page(reader), bookmark)
        assert ("Mon avis en attente" in html) is sees
        assert ("Held for review" in html) is sees


def test_the_try_again_form_is_the_readers_own_and_never_shown_to_a_visitor(group, saver):
    bookmark = BookmarkFactory(
        group=group,
        owner=saver,
        page=PageFactory(fetch_status="failed", fetch_error="timeout"),
    )
    visitor, member = Client(), Client()
    member.force_login(MembershipFactory(group=group).user)
    tokens = []
    for reader, offered in ((visitor, False), (member, True), (visitor, False), (member, True)):
        html = row(page(reader), bookmark)
        assert "could not fetch the page: timeout" in html
        assert ("Try again" in html) is offered
        if offered:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
            assert _unmask_cipher_token(token) == member.cookies[settings.CSRF_COOKIE_NAME].value
            tokens.append(token)
    assert tokens[0] != tokens[1]  # rendered for each request: a row with a form is not stored


def test_french_and_english_rows_are_never_mixed(client, group, saver):
    bookmark = BookmarkFactory(group=group, owner=saver)
    HighlightFactory(bookmark=bookmark)
    CommentFactory(bookmark=bookmark)
    french = Client(HTTP_ACCEPT_LANGUAGE="fr")
    for reader, shown, absent in (
        (client, "1 highlight", "1 surlignage"),
        (french, "1 surlignage", "1 highlight"),
        (client, "1 highlight", "1 surlignage"),
        (french, "1 commentaire", "1 comment<"),
    ):
        html = row(page(reader), bookmark)
        assert shown in html and absent not in html


def test_tag_links_keep_the_filters_of_the_page_they_are_on(client, group, saver):
    bookmark = BookmarkFactory(group=group, owner=saver, tags=["travail", "plateformes"])
    assert 'href="?tag=plateformes"' in row(page(client), bookmark)
    html = row(page(client, tag="travail", view="full"), bookmark)
    assert 'href="?tag=travail&amp;view=full&amp;tag=plateformes"' in html
    assert 'href="?tag=plateformes"' in row(page(client), bookmark)


def test_the_views_each_get_their_own_rows(client, group, saver):
    bookmark = BookmarkFactory(group=group, owner=saver, description="Une longue description")
    assert "Une longue description" in row(page(client), bookmark)
    assert "Une longue description" not in row(page(client, view="simple"), bookmark)
    assert "Une longue description" in row(page(client, view="full"), bookmark)


@pytest.mark.parametrize("url", ["/g/veille/", "/g/veille/?q=lecture", "/search/?q=lecture"])
def test_listings_link_the_reader_without_reading_the_pages_text(client, group, saver, url):
    """A row needs to know its page has a text, not the text: no listing query reads it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with_text = BookmarkFactory(
        group=group, owner=saver, title="lecture longue", page=PageFactory(text="mot " * 5000)
    )
    without = BookmarkFactory(group=group, owner=saver, title="lecture courte")
    Page.objects.filter(pk=without.page_id).update(text="")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    html = response.content.decode()
    assert f'href="/b/{with_text.pk}/read"' in html
    assert f'href="/b/{without.pk}/read"' not in html
    listed = [q["sql"] for q in queries if '"bookmarks_page"' in q["sql"] and "JOIN" in q["sql"]]
    assert listed
    for sql in listed:
        selected = sql.split(" FROM ")[0].replace('octet_length("bookmarks_page"."text")', "")
        assert '"bookmarks_page"."text"' not in selected


def cloud(html):
    match = re.search(r'<ul class="tag-cloud">.*?</ul>', html, re.S)
    assert match, "no tag cloud"
    return match.group(0)


def test_the_tag_cloud_shows_new_counts_at_once_keeps_the_filters_and_speaks_french(
    client, group, saver
):
    BookmarkFactory(group=group, owner=saver, tags=["travail", "climat"])
    html = cloud(page(client))
    assert 'title="1 item">travail</a>' in html
    assert 'href="?tag=travail"' in html
    BookmarkFactory(group=group, owner=saver, tags=["travail"])
    bookmark_services.forget_tag_counts(group=group)  # as every write of tags does
    html = cloud(page(client))
    assert 'title="2 items">travail</a>' in html
    # its links keep the page's other filters: the same tags, another query string
    assert 'href="?user=' in cloud(page(client, user=saver.username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert 'title="2 éléments">travail</a>' in cloud(page(client))
