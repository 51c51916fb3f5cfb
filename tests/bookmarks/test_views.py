"""Saving, editing, deleting, copying, detail and the title redirect, as users see them."""

import re

import pytest
from django.urls import reverse

from bookmarks.models import Bookmark
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db
SAVE = "/save"


def test_save_form_is_prefilled_from_the_query_string(client, user, public_group):
    MembershipFactory(group=public_group, user=user)
    client.force_login(user)
    response = client.get(
        SAVE,
        {
            "url": "https://example.org/x",
            "title": "Un titre",
            "tags": "a, b",
            "group": public_group.slug,
            "quote": "la phrase choisie",
            "prefix": "avant ",
            "suffix": " après",
        },
    )
    html = response.content.decode()
    assert 'value="https://example.org/x"' in html
    assert 'value="Un titre"' in html
    assert 'value="a, b"' in html
    checkbox = rf'<input type="checkbox" name="destination" value="{public_group.pk}"[^>]* checked'
    assert re.search(checkbox, html)
    assert "la phrase choisie" in html
    assert 'name="prefix" value="avant "' in html


def test_saving_creates_then_updates_with_a_message(client, user):
    client.force_login(user)
    data = {
        "url": "https://example.org/a?utm_source=t",
        "title": "A",
        "tags": "X, y",
        "destination": "me",
    }
    response = client.post(SAVE, data, follow=True)
    bookmark = Bookmark.objects.get()
    assert bookmark.tags == ["x", "y"]
    assert response.redirect_chain[-1][0] == bookmark.get_absolute_url()
    assert "Saved in My library." in response.content.decode()
    response = client.post(SAVE, {**data, "title": "B", "url": "http://example.org/a"}, follow=True)
    assert Bookmark.objects.count() == 1
    assert "already saved in My library: that bookmark was updated" in response.content.decode()
    assert Bookmark.objects.get().title == "B"


def test_saving_into_a_group_goes_to_that_group(client, user, public_group):
    MembershipFactory(group=public_group, user=user)
    client.force_login(user)
    client.post(SAVE, {"url": "https://example.org/g", "destination": str(public_group.pk)})
    assert Bookmark.objects.get().group == public_group


def test_cannot_pick_a_group_i_am_not_in(client, user, public_group):
    client.force_login(user)
    response = client.post(
        SAVE, {"url": "https://example.org/g", "destination": str(public_group.pk)}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Bookmark.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"url": "javascript:alert(1)"}, "Only http and https URLs can be saved."),
        ({"url": "http://exa mple.org/"}, "no valid host name"),
        ({"url": "https://example.org/", "title": "t" * 501}, "at most 500 characters"),
        ({"url": "https://example.org/", "tags": "x" * 101}, "at most 100 characters"),
        ({"url": ""}, "This field is required."),
    ],
)
def test_invalid_urls_and_over_long_fields_give_form_errors(client, user, data, message):
    client.force_login(user)
    response = client.post(SAVE, {"destination": "me", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Bookmark.objects.exists()


def test_save_needs_login(client):
    response = client.get(SAVE + "?url=https://example.org/")
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_bookmarklet_quote_becomes_the_first_highlight_through_the_form(client, user):
    pytest.importorskip("annotations.services")
    client.force_login(user)
    client.post(
        SAVE,
        {
            "url": "https://example.org/q",
            "destination": "me",
            "quote": "passage",
            "prefix": "p",
            "suffix": "s",
        },
    )
    assert Bookmark.objects.get().highlights.get().exact == "passage"


def test_detail_is_404_when_not_visible(client, user, other_user, private_group):
    private_personal = BookmarkFactory(owner=other_user, private=True)
    in_private_group = BookmarkFactory(group=private_group)
    client.force_login(user)
    for bookmark in (private_personal, in_private_group):
        assert client.get(bookmark.get_absolute_url()).status_code == 404
        assert client.get(reverse("bookmarks:go", args=[bookmark.pk])).status_code == 404


def test_detail_shows_savers_count_and_counts_one_view_a_day(client, user, other_user):
    bookmark = BookmarkFactory(owner=user, title="Shared page")
    BookmarkFactory(owner=other_user, page=bookmark.page)
    client.force_login(other_user)
    html = client.get(bookmark.get_absolute_url()).content.decode()
    assert "saved by 2 people" in html
    client.get(bookmark.get_absolute_url())
    client.get(reverse("bookmarks:go", args=[bookmark.pk]))
    bookmark.refresh_from_db()
    assert bookmark.view_count == 1


def test_title_link_redirects_and_counts_anonymous_readers_by_session(client, user):
    bookmark = BookmarkFactory(owner=user)
    response = client.get(reverse("bookmarks:go", args=[bookmark.pk]))
    assert response.status_code == 302
    assert response["Location"] == bookmark.page.url
    client.get(reverse("bookmarks:go", args=[bookmark.pk]))
    bookmark.refresh_from_db()
    assert bookmark.view_count == 1


def test_the_savers_own_views_are_not_counted(client, user):
    bookmark = BookmarkFactory(owner=user)
    client.force_login(user)
    client.get(bookmark.get_absolute_url())
    client.get(reverse("bookmarks:go", args=[bookmark.pk]))
    bookmark.refresh_from_db()
    assert bookmark.view_count == 0


def test_edit_by_the_saver_and_refused_to_others(client, user, other_user):
    bookmark = BookmarkFactory(owner=user)
    url = reverse("bookmarks:edit", args=[bookmark.pk])
    client.force_login(other_user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "hacked"}).status_code == 403
    client.force_login(user)
    response = client.post(url, {"title": "Nouveau", "tags": "Été, hiver", "description": "d"})
    assert response.status_code == 302
    bookmark.refresh_from_db()
    assert (bookmark.title, bookmark.tags) == ("Nouveau", ["été", "hiver"])


def test_delete_asks_for_confirmation_first(client, user):
    bookmark = BookmarkFactory(owner=user)
    client.force_login(user)
    url = reverse("bookmarks:delete", args=[bookmark.pk])
    response = client.get(url)
    assert "Delete this bookmark?" in response.content.decode()
    assert Bookmark.objects.exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Bookmark.objects.exists()


def test_others_cannot_delete(client, user, other_user):
    bookmark = BookmarkFactory(owner=user)
    client.force_login(other_user)
    assert client.post(reverse("bookmarks:delete", args=[bookmark.pk])).status_code == 403
    assert Bookmark.objects.exists()


def test_copy_into_another_of_my_groups(client, user):
    first, second = GroupFactory(), GroupFactory()
    for g in (first, second):
        MembershipFactory(group=g, user=user)
    bookmark = BookmarkFactory(owner=user, group=first, tags=["a"])
    client.force_login(user)
    url = reverse("bookmarks:copy", args=[bookmark.pk])
    html = client.get(url).content.decode()
    assert second.name in html and f'value="{first.pk}"' not in html
    response = client.post(url, {"group": str(second.pk)})
    assert response.status_code == 302
    copied = Bookmark.objects.get(group=second)
    assert copied.tags == ["a"] and copied.page == bookmark.page
