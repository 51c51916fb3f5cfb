"""Attack probes: a banned member cannot change what they saved in the group (title,
description, tags), nor delete it, by the API or the HTML edit form."""

import pytest
from django.urls import reverse

from annotations.moderation import ban_member
from bookmarks.models import Bookmark
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

SPAM = "BUY CHEAP PILLS http://spam.example"


@pytest.fixture
def banned_saver():
    group = GroupFactory(visibility="public")
    moderator = MembershipFactory(group=group, role="moderator").user
    saver = MembershipFactory(group=group, role="member").user
    bookmark = BookmarkFactory(group=group, owner=saver, title="Honest title")
    ban_member(moderator, group, saver, "spam")
    return saver, bookmark


def test_banned_member_cannot_edit_their_group_bookmark_by_api(client, banned_saver):
    saver, bookmark = banned_saver
    client.force_login(saver)
    response = client.patch(
        f"/api/v1/bookmarks/{bookmark.pk}/",
        {"title": SPAM, "description": SPAM, "tags": ["pills"]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    assert client.delete(f"/api/v1/bookmarks/{bookmark.pk}/").status_code == 403
    bookmark = Bookmark.objects.get(pk=bookmark.pk)
    assert (bookmark.title, bookmark.tags) == ("Honest title", [])


def test_banned_member_cannot_edit_their_group_bookmark_by_the_form(client, banned_saver):
    saver, bookmark = banned_saver
    client.force_login(saver)
    edit = reverse("bookmarks:edit", args=[bookmark.pk])
    assert client.get(edit).status_code == 403
    response = client.post(edit, {"title": SPAM, "description": SPAM, "tags": "pills"})
    assert response.status_code == 403
    assert Bookmark.objects.get(pk=bookmark.pk).title == "Honest title"
