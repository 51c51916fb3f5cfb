import pytest
from django.urls import reverse

from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def profile(user, **params):
    from urllib.parse import urlencode

    url = reverse("library:user", args=[user.username])
    return f"{url}?{urlencode(params, doseq=True)}" if params else url


def shown(response):
    return sorted(i.display_title for i in response.context["page"].items)


def test_others_see_only_public_personal_items(client, user, other_user, public_group):
    BookmarkFactory(owner=user, title="public one", tags=["open"])
    BookmarkFactory(owner=user, title="private one", private=True, tags=["secret"])
    BookmarkFactory(owner=user, group=public_group, title="in a group")
    client.force_login(other_user)
    response = client.get(profile(user))
    assert shown(response) == ["public one"]
    html = response.content.decode()
    assert "secret" not in html  # not even in the tag cloud


def test_the_owner_sees_everything_with_a_read_later_filter(client, user):
    BookmarkFactory(owner=user, title="public one")
    BookmarkFactory(owner=user, title="private one", private=True)
    BookmarkFactory(owner=user, title="to read", unread=True)
    client.force_login(user)
    assert shown(client.get(profile(user))) == ["private one", "public one", "to read"]
    assert shown(client.get(profile(user, unread=1))) == ["to read"]


def test_read_later_filter_is_ignored_for_others(client, user, other_user):
    BookmarkFactory(owner=user, title="a")
    BookmarkFactory(owner=user, title="b", unread=True)
    client.force_login(other_user)
    assert shown(client.get(profile(user, unread=1))) == ["a", "b"]


def test_user_library_filters_by_tag(client, user):
    BookmarkFactory(owner=user, title="tagged", tags=["économie"])
    BookmarkFactory(owner=user, title="other")
    assert shown(client.get(profile(user, tag="Économie"))) == ["tagged"]


def test_unknown_user_is_404(client):
    assert client.get("/u/nobody-here/").status_code == 404


def test_tag_suggestions_come_from_the_destination_with_counts(client, user, public_group):
    MembershipFactory(group=public_group, user=user)
    BookmarkFactory(owner=user, tags=["travail", "tram"])
    BookmarkFactory(owner=user, tags=["travail"])
    BookmarkFactory(group=public_group, tags=["transport"])
    client.force_login(user)
    url = reverse("bookmarks:tag_suggest")
    html = client.get(url, {"tags": "a, tr", "destination": "me"}).content.decode()
    assert 'data-tag="travail"' in html and 'data-tag="tram"' in html
    assert html.index("travail") < html.index("tram")  # most used first
    assert "transport" not in html
    html = client.get(url, {"tags": "tr", "destination": str(public_group.pk)}).content.decode()
    assert 'data-tag="transport"' in html and "travail" not in html


def test_tag_suggestions_never_leak_a_group_i_am_not_in(client, user, private_group):
    BookmarkFactory(group=private_group, tags=["confidentiel"])
    client.force_login(user)
    html = client.get(
        reverse("bookmarks:tag_suggest"), {"tags": "conf", "destination": str(private_group.pk)}
    ).content.decode()
    assert "confidentiel" not in html


def test_my_tags_page_shows_counts_and_renames(client, user):
    BookmarkFactory(owner=user, tags=["velo", "ville"])
    BookmarkFactory(owner=user, tags=["vélo"])
    client.force_login(user)
    html = client.get(reverse("bookmarks:my_tags")).content.decode()
    assert "velo" in html and "vélo" in html
    response = client.post(
        reverse("bookmarks:my_tags"), {"old": "velo", "new": "vélo"}, follow=True
    )
    assert "Tag renamed on 1 bookmarks." in response.content.decode()
    assert response.context["counts"][0] == ("vélo", 2)


def test_group_tag_cloud_for_readers_and_rename_for_moderators(client, public_group, member_of):
    BookmarkFactory(group=public_group, tags=["a", "b"])
    BookmarkFactory(group=public_group, tags=["a"])
    url = reverse("bookmarks:group_tags", args=[public_group.slug])
    response = client.get(url)
    assert response.context["counts"] == [("a", 2), ("b", 1)]
    assert "Rename or merge a tag" not in response.content.decode()
    client.force_login(member_of(public_group))
    assert client.post(url, {"old": "a", "new": "z"}).status_code == 403
    client.force_login(member_of(public_group, "moderator"))
    html = client.get(url).content.decode()
    assert "Rename or merge a tag" in html
    client.post(url, {"old": "b", "new": "a"})
    assert client.get(url).context["counts"] == [("a", 2)]


def test_group_tags_of_a_private_group_are_404_for_outsiders(client, user, private_group):
    BookmarkFactory(group=private_group, tags=["a"])
    client.force_login(user)
    assert client.get(reverse("bookmarks:group_tags", args=[private_group.slug])).status_code == 404


def test_group_page_tag_cloud_counts(client, public_group):
    BookmarkFactory(group=public_group, tags=["rare"])
    for _ in range(3):
        BookmarkFactory(group=public_group, tags=["common"])
    cloud = {
        t["tag"]: t["count"] for t in client.get(f"/g/{public_group.slug}/").context["tag_cloud"]
    }
    assert cloud == {"common": 3, "rare": 1}


def test_personal_library_is_not_mixed_with_another_group(client, user):
    group = GroupFactory()
    MembershipFactory(group=group, user=user)
    BookmarkFactory(owner=user, group=group, title="group item")
    client.force_login(user)
    assert shown(client.get(profile(user))) == []
