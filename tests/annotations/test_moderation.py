"""Moderation: flags, the queue, hide/unhide, spam/not spam, delete, ban, the log."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from annotations import moderation, services
from annotations.models import Comment, Flag, Highlight, ModerationLog
from annotations.selectors import moderation_count
from groups.models import Ban, Membership, Topic
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CASINO = (
    "Bonjour à tous! Vous pouvez toujours gagner ici: roulette! Ceci est un casino vérifié "
    "par moi..."
)


def _action(group, item, kind, action):
    return reverse("annotations:moderation_action", args=[group.slug, kind, item.pk, action])


def test_member_flags_through_the_form_and_moderator_sees_it(client, group, item, member):
    c = services.post_comment(member, body="Rude remark", bookmark=item)
    flagger = MembershipFactory(group=group).user
    client.force_login(flagger)
    r = client.post(
        reverse("annotations:flag", args=["comment", c.pk]),
        {"reason": "abuse", "detail": "insulting"},
    )
    assert r.status_code == 302
    assert Flag.objects.get().group == group
    client.force_login(MembershipFactory(group=group, role="moderator").user)
    html = client.get(reverse("annotations:moderation_queue", args=[group.slug])).content.decode()
    assert "Rude remark" in html and "insulting" in html


def test_outsider_cannot_flag(client, item, member):
    c = services.post_comment(member, body="x", bookmark=item)
    client.force_login(UserFactory())
    r = client.post(reverse("annotations:flag", args=["comment", c.pk]), {"reason": "spam"})
    assert r.status_code == 403 and not Flag.objects.exists()


def test_queue_lists_held_items(client, group, item, moderator):
    spammer = MembershipFactory(group=group).user
    services.post_comment(spammer, body=CASINO, bookmark=item)
    client.force_login(moderator)
    html = client.get(reverse("annotations:moderation_queue", args=[group.slug])).content.decode()
    assert "roulette" in html and "Held for review" in html


@pytest.mark.parametrize("role", ["moderator", "admin", "owner"])
def test_queue_open_to_moderators_and_up(client, group, role):
    client.force_login(MembershipFactory(group=group, role=role).user)
    assert client.get(reverse("annotations:moderation_queue", args=[group.slug])).status_code == 200


def test_queue_refused_to_members_and_404_for_private_outsiders(client, group, member):
    client.force_login(member)
    assert client.get(reverse("annotations:moderation_queue", args=[group.slug])).status_code == 403
    assert client.get(reverse("annotations:moderation_log", args=[group.slug])).status_code == 403
    private = GroupFactory(visibility="private")
    client.force_login(UserFactory())
    url = reverse("annotations:moderation_queue", args=[private.slug])
    assert client.get(url).status_code == 404


def test_approving_a_held_comment_shows_it_to_everyone_and_logs_it(
    client, group, item, member, moderator
):
    spammer = MembershipFactory(group=group).user
    c = services.post_comment(spammer, body=CASINO, bookmark=item)
    partial = reverse("annotations:item_annotations", args=[item.pk])
    assert "roulette" not in client.get(partial).content.decode()
    client.force_login(moderator)
    assert client.post(_action(group, c, "comment", "approve")).status_code == 302
    client.logout()
    assert "roulette" in client.get(partial).content.decode()
    entry = ModerationLog.objects.exclude(action="hold").get()  # the hold is logged too
    assert (entry.actor, entry.action, entry.target_id) == (moderator, "approve", c.pk)
    client.force_login(moderator)
    html = client.get(reverse("annotations:moderation_log", args=[group.slug])).content.decode()
    assert "approved a comment" in html and moderator.name in html


def test_hide_unhide_spam_and_not_spam(group, item, member, moderator):
    c = services.post_comment(member, body="Visible comment", bookmark=item)
    moderation.moderate(moderator, c, "hide")
    assert Comment.objects.get().status == "hidden"
    moderation.moderate(moderator, c, "unhide")
    assert Comment.objects.get().status == "visible"
    moderation.moderate(moderator, c, "spam")
    c.refresh_from_db()
    assert c.status == "hidden" and c.spam_score >= 10
    moderation.moderate(moderator, c, "not_spam")
    c.refresh_from_db()
    assert c.status == "visible" and c.spam_score == 0
    assert [e.action for e in ModerationLog.objects.order_by("id")] == [
        "hide",
        "unhide",
        "spam",
        "not_spam",
    ]


def test_moderation_resolves_open_flags(group, item, member, moderator):
    c = services.post_comment(member, body="meh", bookmark=item)
    services.flag_item(MembershipFactory(group=group).user, reason="spam", comment=c)
    moderation.moderate(moderator, c, "dismiss")
    flag = Flag.objects.get()
    assert flag.resolved_by == moderator and flag.resolved_at is not None


def test_moderator_deletes_highlight_topic_and_bookmark(group, item, member, moderator):
    h = services.create_highlight(member, item, exact="passage")
    t = services.create_topic(member, group, title="t", body="b")
    moderation.moderate(moderator, h, "delete")
    moderation.moderate(moderator, t, "delete")
    assert not Highlight.objects.exists() and not Topic.objects.exists()
    moderation.moderate(moderator, item, "delete")
    assert not type(item).objects.filter(pk=item.pk).exists()
    assert ModerationLog.objects.count() == 3


def test_member_cannot_moderate(client, group, item, member):
    c = services.post_comment(member, body="x", bookmark=item)
    other = MembershipFactory(group=group).user
    with pytest.raises(PermissionDenied):
        moderation.moderate(other, c, "hide")
    client.force_login(other)
    assert client.post(_action(group, c, "comment", "hide")).status_code == 403
    assert Comment.objects.get().status == "visible"


def test_moderation_actions_need_post(client, group, item, member, moderator):
    c = services.post_comment(member, body="x", bookmark=item)
    client.force_login(moderator)
    assert client.get(_action(group, c, "comment", "hide")).status_code == 405


def test_item_of_another_group_is_404(client, group, moderator):
    other = GroupFactory()
    m = MembershipFactory(group=other).user
    t = services.create_topic(m, other, title="elsewhere", body="")
    client.force_login(moderator)
    assert client.post(_action(group, t, "topic", "hide")).status_code == 404


def test_unknown_action_changes_nothing(group, item, member, moderator):
    c = services.post_comment(member, body="x", bookmark=item)
    with pytest.raises(ValidationError):
        moderation.moderate(moderator, c, "explode")


def test_ban_removes_member_and_they_cannot_rejoin(client, group, item, member, moderator):
    from groups.services import join_group

    services.post_comment(member, body="my post", bookmark=item)
    client.force_login(moderator)
    r = client.post(
        reverse("annotations:ban", args=[group.slug, member.pk]),
        {"reason": "spam", "hide_posts": "on"},
    )
    assert r.status_code == 302
    assert Ban.objects.filter(group=group, user=member).exists()
    assert not Membership.objects.filter(group=group, user=member).exists()
    assert Comment.objects.get().status == "hidden"
    assert ModerationLog.objects.exclude(action="hold").get().action == "ban"
    with pytest.raises((PermissionDenied, ValidationError)):
        join_group(member, group)
    with pytest.raises(PermissionDenied):
        services.post_comment(member, body="back again", bookmark=item)


def test_moderator_cannot_ban_an_admin(group, moderator):
    admin = MembershipFactory(group=group, role="admin").user
    with pytest.raises(PermissionDenied):
        moderation.ban_member(moderator, group, admin, "no")
    assert Membership.objects.filter(user=admin).exists()


def test_approving_a_held_first_post_lets_the_next_through(group, item, moderator):
    group.hold_first_posts = True
    group.save()
    newcomer = MembershipFactory(group=group).user
    first = services.post_comment(newcomer, body="Bonjour à tous", bookmark=item)
    assert first.status == "held"
    moderation.moderate(moderator, first, "approve")
    assert services.post_comment(newcomer, body="Encore moi", bookmark=item).status == "visible"


def test_owner_of_a_personal_item_approves_a_comment_held_on_it(client):
    owner, visitor, stranger = UserFactory(), UserFactory(), UserFactory()
    item = BookmarkFactory(owner=owner)
    c = services.post_comment(visitor, body=CASINO, bookmark=item)
    assert c.status == "held"
    client.force_login(owner)
    assert "roulette" in client.get(item.get_absolute_url()).content.decode()
    client.force_login(stranger)
    assert "roulette" not in client.get(item.get_absolute_url()).content.decode()
    url = reverse("annotations:comment_moderate", args=[c.pk, "approve"])
    assert client.post(url).status_code == 404  # a stranger cannot even see it
    client.force_login(owner)
    assert client.post(url).status_code == 302
    c.refresh_from_db()
    assert c.status == "visible"


def test_moderators_first_post_is_not_held(group, item, moderator):
    group.hold_first_posts = True
    group.save()
    assert services.post_comment(moderator, body="Bienvenue", bookmark=item).status == "visible"


def test_banned_author_can_no_longer_edit(group, item, member, moderator):
    c = services.post_comment(member, body="before", bookmark=item)
    moderation.ban_member(moderator, group, member, "spam")
    with pytest.raises(PermissionDenied):
        services.edit_comment(member, c, "after the ban")


def test_hidden_items_are_listed_to_unhide(client, group, item, member, moderator):
    c = services.post_comment(member, body="Hidden for now", bookmark=item)
    moderation.moderate(moderator, c, "hide")
    client.force_login(moderator)
    html = client.get(reverse("annotations:moderation_queue", args=[group.slug])).content.decode()
    assert "Recently hidden" in html and "Hidden for now" in html
    assert _action(group, c, "comment", "unhide") in html
    client.post(_action(group, c, "comment", "unhide"))
    c.refresh_from_db()
    assert c.status == "visible"


def test_moderation_actions_refuse_a_post_without_csrf_token(group, item, member, moderator):
    from django.test import Client

    c = services.post_comment(member, body="still here", bookmark=item)
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    assert client.post(_action(group, c, "comment", "hide")).status_code == 403
    r = client.post(reverse("annotations:ban", args=[group.slug, member.pk]), {"reason": "x"})
    assert r.status_code == 403
    c.refresh_from_db()
    assert c.status == "visible" and Membership.objects.filter(user=member).exists()


def test_moderation_count_counts_held_items_and_flagged_items_once_in_one_query(
    group, item, member, django_assert_num_queries
):
    other = GroupFactory()
    elsewhere = BookmarkFactory(group=other, owner=MembershipFactory(group=other).user)
    topic = Topic.objects.create(group=group, author=member, title="Sujet", status="held")
    Comment.objects.create(bookmark=item, author=member, body="en attente", status="held")
    Comment.objects.create(topic=topic, author=member, body="sous le sujet", status="held")
    Comment.objects.create(bookmark=item, author=member, body="x", status="held", is_deleted=True)
    Comment.objects.create(bookmark=elsewhere, author=member, body="ailleurs", status="held")
    Highlight.objects.create(bookmark=item, author=member, exact="passage", status="held")
    flagged = Comment.objects.create(bookmark=item, author=member, body="signalé")
    for _ in range(2):  # two flags, one item waiting
        Flag.objects.create(group=group, comment=flagged, flagged_by=UserFactory())
    Flag.objects.create(group=group, bookmark=item, flagged_by=UserFactory())
    Flag.objects.create(
        group=group, comment=flagged, flagged_by=UserFactory(), resolved_at=timezone.now()
    )
    Flag.objects.create(group=other, bookmark=elsewhere, flagged_by=UserFactory())
    with django_assert_num_queries(1):
        # held: a comment on an item, one under a topic, a highlight, the topic; flagged: a
        # comment (twice), the item. Not: deleted, resolved, another group's.
        assert moderation_count(group) == 6
    assert moderation_count(GroupFactory()) == 0
