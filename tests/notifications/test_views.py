"""The bell, the notifications page, reading, settings and the API, as a member sees them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from annotations import services as annotations
from notifications.models import GroupFollow, MailSettings, Notification
from notifications.selectors import unread_count
from tests.api_clients import token_client
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _comments(replier, item, n):
    for i in range(n):
        annotations.post_comment(
            replier, body=f"Un commentaire utile numéro {i} sur cet article.", bookmark=item
        )


def _api(user):
    return token_client(user)


def test_the_bell_shows_the_unread_count_and_costs_one_query(client, item, saver, replier):
    _comments(replier, item, 3)
    client.force_login(saver)
    page = client.get("/g/" + item.group.slug + "/").content.decode()
    assert 'id="notification-bell"' in page and ">3</span>" in page
    with CaptureQueriesContext(connection) as captured:
        unread_count(saver)
    assert len(captured) == 1


def test_the_bell_costs_one_query_on_any_page(rf, saver):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = saver
    bell = Template("{% load notification_tags %}{% notification_bell %}")
    with CaptureQueriesContext(connection) as captured:
        bell.render(Context({"request": request}))
    assert len(captured) == 1


def test_the_page_groups_by_day_and_links_to_the_exact_comment(client, item, saver, replier):
    comment = annotations.post_comment(
        replier, body="Un commentaire utile sur cet article de fond.", bookmark=item
    )
    client.force_login(saver)
    page = client.get("/notifications/").content.decode()
    assert "notification-day" in page and "is-unread" in page
    notification = Notification.objects.get(recipient=saver)
    response = client.get(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == f"/b/{item.pk}/#comment-{comment.pk}"
    assert unread_count(saver) == 0
    assert "is-unread" not in client.get("/notifications/").content.decode()


def test_mark_read_and_all_read_from_the_page(client, item, saver, replier):
    _comments(replier, item, 2)
    client.force_login(saver)
    first = Notification.objects.filter(recipient=saver).first()
    assert client.post(f"/notifications/{first.pk}/read/").status_code == 302
    assert unread_count(saver) == 1
    client.post("/notifications/read-all/")
    assert unread_count(saver) == 0


def test_someone_elses_notification_is_404(client, item, saver, replier):
    _comments(replier, item, 1)
    client.force_login(replier)
    notification = Notification.objects.get(recipient=saver)
    assert client.get(f"/notifications/{notification.pk}/open/").status_code == 404
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 404


def test_the_notifications_page_costs_the_same_for_n_and_2n(client, item, saver, replier):
    client.force_login(saver)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/notifications/").status_code == 200
        return len(captured)

    _comments(replier, item, 5)
    count()  # the first visit records the reader's language
    few = count()
    other = MembershipFactory(group=item.group).user
    _comments(other, item, 5)
    assert count() == few


def test_the_settings_page_saves_kinds_digest_and_no_mail(client, group, saver):
    client.force_login(saver)
    assert client.get("/notifications/settings/").status_code == 200
    response = client.post(
        "/notifications/settings/",
        {
            "mail_kinds": ["mention"],
            "people_digest": "daily",
            f"g{group.pk}-following": "on",
            f"g{group.pk}-digest": "daily",
        },
    )
    assert response.status_code == 302
    prefs = MailSettings.objects.get(user=saver)
    assert "reply" in prefs.muted_kinds and "mention" not in prefs.muted_kinds
    assert GroupFollow.objects.get(user=saver, group=group).digest == "daily"
    bad = client.post("/notifications/settings/", {"people_digest": "hourly"})
    assert bad.status_code == 400


def test_a_bad_unsubscribe_token_is_a_clear_400(client):
    response = client.post("/notifications/unsubscribe/not-a-token/")
    assert response.status_code == 400
    assert b"not valid" in response.content


def test_api_lists_reads_and_settings(item, saver, replier):
    _comments(replier, item, 3)
    api = _api(saver)
    body = api.get("/api/v1/notifications/?unread=1").json()
    assert body["count"] == 3
    first = body["results"][0]
    assert set(first) == {"id", "kind", "created_at", "read", "actor", "group", "url", "text"}
    assert first["url"].startswith("http") and "#comment-" in first["url"]
    assert first["actor"] == replier.username and first["group"] == item.group.slug
    assert first["text"].startswith(replier.name)
    read = api.post(f"/api/v1/notifications/{first['id']}/read/")
    assert read.status_code == 200 and read.json()["read"] is True
    assert api.get("/api/v1/notifications/?unread=1").json()["count"] == 2
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert api.get("/api/v1/notifications/?unread=bogus").status_code == 400
    assert api.post("/api/v1/notifications/999999/read/").status_code == 404
    settings = api.patch(
        "/api/v1/notification-settings/",
        {"no_mail": True, "groups": [{"group": item.group.slug, "digest": "daily"}]},
        format="json",
    )
    assert settings.status_code == 200, settings.content
    assert settings.json()["no_mail"] is True
    assert settings.json()["groups"] == [
        {"group": item.group.slug, "following": True, "digest": "daily"}
    ]
    stranger = GroupFactory(visibility="private")
    refused = api.patch(
        "/api/v1/notification-settings/", {"groups": [{"group": stranger.slug}]}, format="json"
    )
    assert refused.status_code == 400 and "groups" in refused.json()
    assert (
        api.patch(
            "/api/v1/notification-settings/", {"mail_kinds": ["x"]}, format="json"
        ).status_code
        == 400
    )


def test_api_needs_a_login():
    response = APIClient().get("/api/v1/notifications/")
    assert response.status_code in (401, 403) and "detail" in response.json()


def test_api_list_costs_the_same_for_n_and_2n(item, saver, replier):
    api = _api(saver)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/notifications/").status_code == 200
        return len(captured)

    _comments(replier, item, 4)
    few = count()
    _comments(MembershipFactory(group=item.group).user, item, 4)
    assert count() == few


def test_a_user_follows_someones_public_saves(client, saver):
    other = UserFactory()
    client.force_login(saver)
    client.post(f"/notifications/follow/u/{other.username}/")
    assert saver.following.filter(followed=other).exists()
    client.post(f"/notifications/follow/u/{other.username}/", {"unfollow": "1"})
    assert not saver.following.exists()
    BookmarkFactory  # noqa: B018 - imported for the digest tests


def test_a_requester_sees_their_request_waiting_instead_of_the_button(client):
    from groups.services import request_to_join

    group = GroupFactory(join_policy="request")
    MembershipFactory(group=group, role="owner")
    asker = UserFactory()
    client.force_login(asker)
    assert "Ask to join" in client.get(f"/g/{group.slug}/").content.decode()
    request_to_join(asker, group)
    page = client.get(f"/g/{group.slug}/").content.decode()
    assert 'id="join-waiting"' in page and "Ask to join" not in page


def test_group_tabs_count_pending_requests_and_moderation_items(client):
    from groups.services import request_to_join

    group = GroupFactory(join_policy="request")
    owner = MembershipFactory(group=group, role="owner").user
    request_to_join(UserFactory(), group)
    request_to_join(UserFactory(), group)
    member = MembershipFactory(group=group).user
    item = BookmarkFactory(group=group, owner=owner)
    annotations.flag_item(member, reason="spam", bookmark=item)
    client.force_login(owner)
    page = client.get(f"/g/{group.slug}/members/").content.decode()
    assert 'Join requests <span class="badge" aria-label="2 waiting">2</span>' in page
    assert 'Moderation <span class="badge" aria-label="1 waiting">1</span>' in page
    client.force_login(member)
    assert (
        "badge"
        not in client.get(f"/g/{group.slug}/members/")
        .content.decode()
        .split("group-tabs")[1]
        .split("</nav>")[0]
    )


def test_the_profile_page_has_a_follow_button(client, saver):
    other = UserFactory()
    client.force_login(saver)
    page = client.get(f"/u/{other.username}/").content.decode()
    assert f'action="/notifications/follow/u/{other.username}/"' in page
