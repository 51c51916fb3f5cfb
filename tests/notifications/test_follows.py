"""Follows: a group (on when joining), a tag in a group, someone's public saves; the buttons
on the group page, a tag's page and a profile (plain forms, swapped in place by htmx); what
is followed feeds the digests, never with items of groups the reader cannot see."""

from datetime import timedelta

import pytest
from django.core import mail

from annotations import services as annotations
from groups import services as groups
from library.digests import period_window, send_digests
from notifications import services
from notifications.models import GroupFollow, TagFollow
from notifications.selectors import group_follow_of
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory, UserFactory

from .conftest import inbox

pytestmark = pytest.mark.django_db


def _in_weekly_window():
    start, _end = period_window("weekly")
    return start + timedelta(hours=9)


def _mail_to(user):
    return [m for m in mail.outbox if user.email in m.to]


def test_joining_a_group_follows_it_and_its_new_topics_notify(group, replier):
    newcomer = UserFactory()
    groups.join_group(newcomer, group)
    assert group_follow_of(newcomer, group).following
    annotations.create_topic(replier, group, title="Réunion jeudi", body="Qui vient ?")
    assert inbox(newcomer) == [("topic", replier.username)]


def test_the_group_page_button_stops_and_resumes_following_without_js(
    client, group, saver, replier
):
    client.force_login(saver)
    page = client.get(f"/g/{group.slug}/").content.decode()
    assert "Stop following this group" in page
    response = client.post(f"/g/{group.slug}/follow/", {"following": "0"})
    assert response.status_code == 302 and response["Location"] == f"/g/{group.slug}/"
    assert "Follow this group" in client.get(f"/g/{group.slug}/").content.decode()
    annotations.create_topic(replier, group, title="Sans moi", body="…")
    assert inbox(saver) == []
    client.post(f"/g/{group.slug}/follow/", {"following": "1"})
    assert GroupFollow.objects.get(user=saver, group=group).following


def test_htmx_swaps_in_the_button_alone(client, group, saver):
    client.force_login(saver)
    response = client.post(
        f"/g/{group.slug}/follow/", {"following": "0"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith("<form") and "Follow this group" in body
    assert f'id="follow-group-{group.pk}"' in body  # same id: htmx keeps the focus on it
    response = client.post(
        f"/g/{group.slug}/follow/tag/", {"tag": "Travail"}, headers={"HX-Request": "true"}
    )
    assert "Stop following “travail”" in response.content.decode()


def test_a_non_member_sees_no_follow_button_and_cannot_follow(client, group):
    outsider = UserFactory()
    client.force_login(outsider)
    page = client.get(f"/g/{group.slug}/?tag=travail").content.decode()
    assert "follow-group" not in page and "follow-tag" not in page
    client.post(f"/g/{group.slug}/follow/tag/", {"tag": "travail"})
    client.post(f"/g/{group.slug}/follow/", {"following": "1"})
    assert not TagFollow.objects.filter(user=outsider).exists()
    assert not GroupFollow.objects.filter(user=outsider).exists()


def test_a_tags_page_follows_the_tag_and_its_new_items_come_in_the_digest(
    client, group, saver, replier
):
    client.force_login(saver)
    page = client.get(f"/g/{group.slug}/?tag=travail").content.decode()
    assert "Follow “travail”" in page
    client.post(f"/g/{group.slug}/follow/tag/", {"tag": "travail"})
    assert (
        "Stop following “travail”" in client.get(f"/g/{group.slug}/?tag=travail").content.decode()
    )
    settings_page = client.get("/notifications/settings/").content.decode()
    assert "Tags you follow here:" in settings_page and "travail" in settings_page
    at = _in_weekly_window()
    BookmarkFactory(
        group=group, owner=replier, title="Le télétravail", tags=["travail"], created_at=at
    )
    BookmarkFactory(group=group, owner=replier, title="Recette", tags=["cuisine"], created_at=at)
    send_digests("weekly")
    (message,) = _mail_to(saver)
    assert "Tags you follow: travail" in message.body
    tagged = message.body.split("Tags you follow: travail")[1]
    assert "Le télétravail" in tagged and "Recette" not in tagged
    (other,) = _mail_to(replier)
    assert "Tags you follow" not in other.body


def test_leaving_ends_the_follows_and_joining_again_follows_by_default(group, saver):
    services.set_group_follow(saver, group, following=False)
    tag_follow = services.follow_tag(saver, group, "travail")
    groups.leave_group(saver, group)
    assert not TagFollow.objects.filter(pk=tag_follow.pk).exists()
    groups.join_group(saver, group)
    assert group_follow_of(saver, group).following


def test_a_profile_button_follows_and_their_public_saves_come_in_the_digest(client, saver):
    author = UserFactory(display_name="Camille")
    secret_group = GroupFactory(visibility="private")
    MembershipFactory(group=secret_group, user=author)
    at = _in_weekly_window()
    BookmarkFactory(owner=author, title="Public et personnel", created_at=at)
    BookmarkFactory(owner=author, title="Privé et personnel", private=True, created_at=at)
    BookmarkFactory(owner=author, group=secret_group, title="Dans le groupe secret", created_at=at)
    client.force_login(saver)
    response = client.post(
        f"/notifications/follow/u/{author.username}/", headers={"HX-Request": "true"}
    )
    assert "Stop following" in response.content.decode()
    assert "Camille" in client.get("/notifications/settings/").content.decode()
    mail.outbox.clear()
    send_digests("weekly")
    (message,) = [m for m in _mail_to(saver) if "people you follow" in m.subject]
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "Public et personnel" in part
        assert "Privé et personnel" not in part and "Dans le groupe secret" not in part
