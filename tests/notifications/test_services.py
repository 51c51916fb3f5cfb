"""Who hears of what: services write notifications in their own transaction, never to the
actor, never twice for one event, never about what the recipient may not see."""

import pytest

from annotations import moderation
from annotations import services as annotations
from groups import services as groups
from groups.models import JoinRequest
from notifications import services
from notifications.models import Notification
from notifications.selectors import notifications_for, unread_count
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory, UserFactory

from .conftest import inbox

pytestmark = pytest.mark.django_db


def test_a_comment_on_my_bookmark_notifies_me_and_not_the_commenter(item, saver, replier):
    comment = annotations.post_comment(replier, body="Intéressant", bookmark=item)
    assert inbox(saver) == [("comment", replier.username)]
    assert inbox(replier) == []
    notification = notifications_for(saver).get()
    assert notification.url == f"/b/{item.pk}/#comment-{comment.pk}"
    assert notification.subject == "Le travail à distance"


def test_a_reply_that_also_mentions_me_is_one_notification(item, saver, replier):
    first = annotations.post_comment(replier, body="first", bookmark=item)
    annotations.post_comment(saver, body=f"@{replier.username} yes", parent=first)
    assert inbox(replier) == [("reply", saver.username)]


def test_a_sticky_note_on_my_bookmark_is_a_note(item, saver, replier):
    annotations.create_highlight(replier, item, exact="passage", note="see this")
    assert inbox(saver) == [("note", replier.username)]


def test_my_own_comment_on_my_item_notifies_nobody(item, saver):
    annotations.post_comment(saver, body="note to self", bookmark=item)
    assert Notification.objects.count() == 0


def test_a_held_comment_notifies_only_the_moderators_until_approved(group, item, saver):
    group.hold_first_posts = True
    group.save()
    moderator = MembershipFactory(group=group, role="moderator").user
    newcomer = MembershipFactory(group=group, role="member").user
    comment = annotations.post_comment(newcomer, body=f"hello @{saver.username}", bookmark=item)
    assert comment.status == "held"
    assert inbox(saver) == []
    assert inbox(moderator) == [("held", newcomer.username)]
    moderation.moderate(moderator, comment, "approve")
    assert inbox(saver) == [("mention", newcomer.username)]
    # approving again (or unhiding later) tells nobody twice
    moderation.moderate(moderator, comment, "unhide")
    assert len(inbox(saver)) == 1


def test_hiding_a_comment_takes_back_what_it_told(item, saver, replier, group):
    moderator = MembershipFactory(group=group, role="moderator").user
    comment = annotations.post_comment(replier, body="spam? no", bookmark=item)
    assert unread_count(saver) == 1
    moderation.moderate(moderator, comment, "hide")
    assert unread_count(saver) == 0


def test_deleting_a_bookmark_withdraws_the_notifications_of_its_comments(item, saver, replier):
    from bookmarks.services import delete_bookmark

    annotations.post_comment(replier, body="a comment", bookmark=item)
    delete_bookmark(saver, item)
    assert Notification.objects.count() == 0


def test_leaving_a_private_group_hides_its_notifications(saver):
    group = GroupFactory(visibility="private")
    MembershipFactory(group=group, user=saver, role="member")
    other = MembershipFactory(group=group, role="member").user
    item = BookmarkFactory(group=group, owner=saver)
    annotations.post_comment(other, body="secret talk", bookmark=item)
    assert unread_count(saver) == 1
    groups.leave_group(saver, group)
    assert unread_count(saver) == 0
    assert inbox(saver) == []


def test_a_mention_of_someone_who_cannot_read_the_item_notifies_nobody(saver):
    group = GroupFactory(visibility="private")
    MembershipFactory(group=group, user=saver, role="member")
    outsider = UserFactory()
    item = BookmarkFactory(group=group, owner=saver)
    member = MembershipFactory(group=group, role="member").user
    comment = annotations.post_comment(
        member, body=f"@{outsider.username} and @{saver.username}", bookmark=item
    )
    assert inbox(outsider) == []
    assert f'href="/u/{saver.username}/"' in comment.body_html
    assert f"/u/{outsider.username}/" not in comment.body_html


def test_a_mention_in_a_topic_and_a_new_topic_reach_the_followers(group, saver, replier):
    quiet = MembershipFactory(group=group, role="member").user
    services.set_group_follow(quiet, group, following=False)
    topic = annotations.create_topic(replier, group, title="Réunion", body=f"@{saver.username}")
    assert inbox(saver) == [("mention", replier.username)]
    assert inbox(quiet) == []
    assert inbox(replier) == []
    annotations.post_comment(saver, body="Merci, je viendrai à la réunion de jeudi.", topic=topic)
    assert inbox(replier) == [("reply", saver.username)]


def test_a_reply_to_my_topic_links_to_the_comment(group, saver, replier):
    topic = annotations.create_topic(saver, group, title="Question", body="?")
    comment = annotations.post_comment(replier, body="answer", topic=topic)
    notification = notifications_for(saver).get(kind="reply")
    assert notification.url == f"/g/{group.slug}/topics/{topic.pk}/#comment-{comment.pk}"


def test_a_flag_tells_the_moderators(group, item, replier):
    moderator = MembershipFactory(group=group, role="moderator").user
    annotations.flag_item(replier, reason="spam", bookmark=item)
    assert inbox(moderator) == [("flag", replier.username)]


def test_join_requests_reach_admins_and_the_answer_reaches_the_requester():
    group = GroupFactory(visibility="public", join_policy="request")
    owner = MembershipFactory(group=group, role="owner").user
    admin = MembershipFactory(group=group, role="admin").user
    moderator = MembershipFactory(group=group, role="moderator").user
    asker = UserFactory()
    join_request = groups.request_to_join(asker, group, message="please")
    assert inbox(owner) == [("join_request", asker.username)]
    assert inbox(admin) == [("join_request", asker.username)]
    assert inbox(moderator) == []
    groups.decide_request(admin, join_request, approve=True)
    assert inbox(asker) == [("request_approved", admin.username)]
    assert JoinRequest.objects.get().status == "approved"


def test_a_denied_requester_of_a_private_group_is_told():
    group = GroupFactory(visibility="public", join_policy="request")
    admin = MembershipFactory(group=group, role="admin").user
    asker = UserFactory()
    groups.decide_request(admin, groups.request_to_join(asker, group), approve=False)
    (notification,) = notifications_for(asker)
    assert notification.kind == "request_denied"
    from notifications.texts import describe

    assert group.name in describe(notification)


def test_an_invitation_for_someone_tells_them_with_the_link():
    group = GroupFactory(visibility="private", join_policy="invite")
    admin = MembershipFactory(group=group, role="admin").user
    friend = UserFactory()
    invitation = groups.create_invitation(admin, group, invitee=friend)
    (notification,) = notifications_for(friend)
    assert notification.kind == "invitation"
    assert notification.url.endswith(f"/invite/{invitation.token}/")
    assert invitation.max_uses == 1


def test_mark_read_and_all_read(item, saver, replier):
    annotations.post_comment(replier, body="one", bookmark=item)
    annotations.post_comment(replier, body="two", bookmark=item)
    first = notifications_for(saver).first()
    services.mark_read(saver, first)
    assert unread_count(saver) == 1
    assert services.mark_all_read(saver) == 1
    assert unread_count(saver) == 0


def test_notify_twice_for_one_event_tells_once(item, saver, replier):
    comment = annotations.post_comment(replier, body="hello", bookmark=item)
    assert annotations.announce_post(comment) >= 0
    assert Notification.objects.filter(recipient=saver).count() == 1
