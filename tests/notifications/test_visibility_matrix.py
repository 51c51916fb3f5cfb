"""Permission matrix of notifications: each kind of event × the reader's situation (member,
left a private group, held or hidden comment, an item they cannot open, their own act, a reply
that also mentions them, a group turned private), and what the bell, the page, the API and the
mail show them. Nothing they may not see shows anywhere; each event tells them once."""

import pytest
from django.core import mail
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations import moderation
from annotations import services as annotations
from groups import services as groups
from notifications import mail as notification_mail
from notifications.models import IMMEDIATE_KINDS
from notifications.selectors import notifications_for, unread_count
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Dossier confidentiel Zéphyr"
SECRET_BODY = "le mot de passe du coffre est hibiscus"


def _setting(visibility="public", **group_fields):
    group = GroupFactory(visibility=visibility, name="Cercle Zéphyr", **group_fields)
    reader = MembershipFactory(group=group).user
    other = MembershipFactory(group=group).user
    item = BookmarkFactory(group=group, owner=reader, title=SECRET_TITLE)
    return group, reader, other, item


# Each scenario makes the event and returns (reader, kinds they must be told, secrets that
# must never show to them).
def member_gets_a_reply(_):
    group, reader, other, item = _setting()
    first = annotations.post_comment(reader, body="Qu'en pensez-vous ?", bookmark=item)
    annotations.post_comment(other, body="Bonne question.", parent=first)
    return reader, ["reply"], []


def member_gets_a_comment_on_their_save(_):
    group, reader, other, item = _setting()
    annotations.post_comment(other, body="Intéressant.", bookmark=item)
    return reader, ["comment"], []


def member_gets_a_sticky_note(_):
    group, reader, other, item = _setting()
    annotations.create_highlight(other, item, exact="passage", note="à voir")
    return reader, ["note"], []


def member_is_mentioned(_):
    group, reader, other, item = _setting()
    mine = BookmarkFactory(group=group, owner=other)
    annotations.post_comment(other, body=f"@{reader.username} regarde", bookmark=mine)
    return reader, ["mention"], []


def reply_that_also_mentions_me_is_one(_):
    group, reader, other, item = _setting()
    first = annotations.post_comment(reader, body="Une question", bookmark=item)
    annotations.post_comment(other, body=f"@{reader.username} voici", parent=first)
    return reader, ["reply"], []


def new_topic_in_a_followed_group(_):
    group, reader, other, item = _setting()
    annotations.create_topic(other, group, title="Réunion", body="Jeudi ?")
    return reader, ["topic"], []


def own_action_tells_nobody(_):
    group, reader, other, item = _setting()
    annotations.post_comment(reader, body=f"@{reader.username} note pour moi", bookmark=item)
    annotations.create_topic(reader, group, title="Mon sujet", body="…")
    return reader, [], []


def held_comment_tells_the_saver_nothing(_):
    group, reader, other, item = _setting(hold_first_posts=True)
    newcomer = MembershipFactory(group=group).user
    comment = annotations.post_comment(
        newcomer, body=f"@{reader.username} {SECRET_BODY}", bookmark=item
    )
    assert comment.status == "held"
    return reader, [], [SECRET_BODY]


def held_comment_tells_the_moderator(_):
    group, reader, other, item = _setting(hold_first_posts=True)
    moderator = MembershipFactory(group=group, role="moderator").user
    newcomer = MembershipFactory(group=group).user
    annotations.post_comment(newcomer, body=SECRET_BODY, bookmark=item)
    return moderator, ["held"], []


def hidden_comment_is_taken_back(_):
    group, reader, other, item = _setting()
    moderator = MembershipFactory(group=group, role="moderator").user
    comment = annotations.post_comment(other, body=SECRET_BODY, bookmark=item)
    moderation.moderate(moderator, comment, "hide")
    return reader, [], [SECRET_BODY]


def left_a_private_group(_):
    group, reader, other, item = _setting("private")
    annotations.post_comment(other, body=SECRET_BODY, bookmark=item)
    annotations.create_topic(other, group, title="Sujet secret", body="…")
    groups.leave_group(reader, group)
    return reader, [], [SECRET_TITLE, "Sujet secret", "Cercle Zéphyr"]


def mentioned_in_a_private_group_they_are_not_in(_):
    group, _member, other, item = _setting("private")
    outsider = UserFactory()
    annotations.post_comment(other, body=f"@{outsider.username} {SECRET_BODY}", bookmark=item)
    return outsider, [], [SECRET_TITLE, SECRET_BODY]


def a_public_group_turned_private(_):
    group, _member, other, item = _setting("public")
    owner = MembershipFactory(group=group, role="owner").user
    outsider = UserFactory()
    annotations.post_comment(other, body=f"@{outsider.username} regarde", bookmark=item)
    assert unread_count(outsider) == 1
    groups.update_group(owner, group, visibility="private")
    return outsider, [], [SECRET_TITLE]


def plain_member_hears_nothing_of_a_flag(_):
    group, reader, other, item = _setting()
    moderator = MembershipFactory(group=group, role="moderator").user
    annotations.flag_item(other, reason="spam", bookmark=item)
    assert [n.kind for n in notifications_for(moderator)] == ["flag"]
    return other, [], []


def admin_hears_of_a_join_request(_):
    group = GroupFactory(visibility="public", join_policy="request")
    admin = MembershipFactory(group=group, role="admin").user
    groups.request_to_join(UserFactory(), group)
    return admin, ["join_request"], []


def requester_hears_the_answer(_):
    group = GroupFactory(visibility="public", join_policy="request")
    admin = MembershipFactory(group=group, role="admin").user
    asker = UserFactory()
    groups.decide_request(admin, groups.request_to_join(asker, group), approve=False)
    return asker, ["request_denied"], []


def invitee_hears_of_the_invitation(_):
    group = GroupFactory(visibility="private", join_policy="invite")
    admin = MembershipFactory(group=group, role="admin").user
    BookmarkFactory(group=group, owner=admin, title=SECRET_TITLE)
    friend = UserFactory()
    groups.create_invitation(admin, group, invitee=friend)
    return friend, ["invitation"], [SECRET_TITLE]


SCENARIOS = [
    member_gets_a_reply,
    member_gets_a_comment_on_their_save,
    member_gets_a_sticky_note,
    member_is_mentioned,
    reply_that_also_mentions_me_is_one,
    new_topic_in_a_followed_group,
    own_action_tells_nobody,
    held_comment_tells_the_saver_nothing,
    held_comment_tells_the_moderator,
    hidden_comment_is_taken_back,
    left_a_private_group,
    mentioned_in_a_private_group_they_are_not_in,
    a_public_group_turned_private,
    plain_member_hears_nothing_of_a_flag,
    admin_hears_of_a_join_request,
    requester_hears_the_answer,
    invitee_hears_of_the_invitation,
]


def _api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_what_each_reader_is_told_and_never_shown(scenario):
    reader, kinds, secrets = scenario(None)
    seen = list(notifications_for(reader))

    # told once per event, by the right kind
    assert sorted(n.kind for n in seen) == sorted(kinds)
    # the bell
    assert unread_count(reader) == len(kinds)
    # the page
    web = Client()
    web.force_login(reader)
    page = web.get("/notifications/").content.decode()
    assert page.count('<li class="notification') == len(kinds)
    # the API
    body = _api(reader).get("/api/v1/notifications/")
    assert sorted(n["kind"] for n in body.json()["results"]) == sorted(kinds)
    # the mail (in-process, as the worker runs it)
    mail.outbox.clear()
    notification_mail.send_notification_mail(reader.pk)
    mailed = [m for m in mail.outbox if reader.email in m.to]
    assert len(mailed) == (1 if set(kinds) & IMMEDIATE_KINDS else 0)
    for secret in secrets:
        assert secret not in page
        assert secret not in body.content.decode()
        for message in mailed:
            assert secret not in message.subject + message.body + message.alternatives[0][0]


def test_rejoining_a_private_group_shows_its_old_notifications_read():
    group, reader, other, item = _setting("private", join_policy="open")
    annotations.post_comment(other, body="avant", bookmark=item)
    groups.leave_group(reader, group)
    assert unread_count(reader) == 0
    # the rows stay: joining again shows them, read
    MembershipFactory(group=group, user=reader)
    (notification,) = notifications_for(reader)
    assert notification.read_at is not None and unread_count(reader) == 0


def test_the_migration_marks_read_what_a_former_member_may_no_longer_see():
    from importlib import import_module

    from django.apps import apps

    from notifications.models import Notification

    migration = import_module("notifications.migrations.0002_unread_rows_are_readable")
    group, reader, other, item = _setting("private")
    kept = Notification.objects.create(
        recipient=other, kind="comment", group=group, event="e:1", url="/"
    )
    left = Notification.objects.create(
        recipient=UserFactory(), kind="comment", group=group, event="e:1", url="/"
    )
    migration.mark_unreadable_rows_read(apps, None)
    kept.refresh_from_db()
    left.refresh_from_db()
    assert kept.read_at is None and left.read_at is not None
