"""My library: personal saves, or everything I saved (group saves too); copying between them."""

import re

import pytest
from django.urls import reverse

from bookmarks.models import Bookmark
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def saves(user):
    group = GroupFactory(name="Tic&Travail", visibility="private")
    MembershipFactory(group=group, user=user)
    other = GroupFactory(name="Veille")
    MembershipFactory(group=other, user=user)
    personal = BookmarkFactory(owner=user, title="Mon article perso")
    in_group = BookmarkFactory(owner=user, group=group, title="Notre article de groupe")
    return {"group": group, "other": other, "personal": personal, "in_group": in_group}


def test_my_library_lists_personal_saves_by_default(client, user, saves):
    client.force_login(user)
    html = client.get(reverse("library:user", args=[user.username])).text
    assert "Mon article perso" in html
    assert "Notre article de groupe" not in html
    assert "Everything I saved" in html


def test_everything_i_saved_adds_my_group_saves_with_their_group(client, user, saves):
    client.force_login(user)
    html = client.get(reverse("library:user", args=[user.username]) + "?saved=all").text
    assert "Mon article perso" in html
    assert "Notre article de groupe" in html
    assert re.search(r'in <a href="/g/[^"]+/">Tic&amp;Travail</a>', html)


def test_others_never_see_my_group_saves_on_my_profile(client, other_user, user, saves):
    client.force_login(other_user)
    html = client.get(reverse("library:user", args=[user.username]) + "?saved=all").text
    assert "Notre article de groupe" not in html
    assert "Everything I saved" not in html


def test_copy_offers_my_library_and_not_the_group_the_item_is_in(client, user, saves):
    client.force_login(user)
    html = client.get(reverse("bookmarks:copy", args=[saves["in_group"].pk])).text
    assert ">My library</option>" in html
    assert ">Veille</option>" in html
    assert "Tic&amp;Travail</option>" not in html


def test_copying_a_group_item_into_my_library(client, user, saves):
    client.force_login(user)
    response = client.post(
        reverse("bookmarks:copy", args=[saves["in_group"].pk]), {"group": "me"}, follow=True
    )
    assert "Copied into My library." in response.text
    copied = Bookmark.objects.get(owner=user, group=None, page=saves["in_group"].page)
    assert copied.title == "Notre article de groupe"


def test_a_personal_item_is_not_offered_my_library_again(client, user, saves):
    client.force_login(user)
    html = client.get(reverse("bookmarks:copy", args=[saves["personal"].pk])).text
    assert ">My library</option>" not in html
    assert ">Veille</option>" in html


def test_copying_into_the_group_the_item_is_already_in_is_refused(client, user, saves):
    client.force_login(user)
    item = saves["in_group"]
    response = client.post(reverse("bookmarks:copy", args=[item.pk]), {"group": saves["group"].pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert Bookmark.objects.filter(page=item.page, group=saves["group"]).count() == 1
