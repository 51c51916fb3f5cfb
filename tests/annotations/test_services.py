"""Writes: who may highlight and comment, validation, threads, deletion, topics, flags."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations import services
from annotations.models import Comment, Flag, Highlight
from annotations.ratelimit import RateLimited
from groups.models import Membership
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_member_highlights_a_group_item_with_note_rendered(item, member):
    h = services.create_highlight(
        member, item, exact="  a passage  ", prefix="x" * 900, color="green", note="**why**"
    )
    assert h.exact == "a passage"
    assert len(h.prefix) == 500
    assert h.note_html == "<p><strong>why</strong></p>"
    assert h.status == "visible"


def test_quote_is_required_and_at_most_5000_characters(item, member):
    with pytest.raises(ValidationError):
        services.create_highlight(member, item, exact="   ")
    with pytest.raises(ValidationError):
        services.create_highlight(member, item, exact="x" * 5001)
    with pytest.raises(ValidationError):
        services.create_highlight(member, item, exact="ok", color="orange")
    assert not Highlight.objects.exists()


def test_non_member_cannot_highlight_or_comment_in_a_group(item):
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        services.create_highlight(outsider, item, exact="x")
    with pytest.raises(PermissionDenied):
        services.post_comment(outsider, body="hi", bookmark=item)
    assert not Highlight.objects.exists() and not Comment.objects.exists()


@pytest.mark.parametrize("role", ["member", "moderator", "admin", "owner"])
def test_every_role_may_post(group, item, role):
    user = MembershipFactory(group=group, role=role).user
    services.post_comment(user, body="hello", bookmark=item)
    services.create_highlight(user, item, exact="quoted")


def test_personal_item_only_owner_highlights_others_comment_when_public():
    owner, reader = UserFactory(), UserFactory()
    public = BookmarkFactory(owner=owner, private=False)
    with pytest.raises(PermissionDenied):
        services.create_highlight(reader, public, exact="x")
    services.create_highlight(owner, public, exact="x")
    services.post_comment(reader, body="nice find", bookmark=public)


def test_comments_off_or_private_refuse_others_but_not_the_owner():
    owner, reader = UserFactory(), UserFactory()
    closed = BookmarkFactory(owner=owner, comments_enabled=False)
    private = BookmarkFactory(owner=owner, private=True)
    for b in (closed, private):
        with pytest.raises(PermissionDenied):
            services.post_comment(reader, body="hi", bookmark=b)
        services.post_comment(owner, body="my own note", bookmark=b)


def test_replies_inherit_the_subject_and_nest(item, member):
    root = services.post_comment(member, body="root", bookmark=item)
    reply = services.post_comment(member, body="reply", parent=root)
    deeper = services.post_comment(member, body="deeper", parent=reply)
    assert deeper.bookmark == item and deeper.parent == reply


def test_sticky_note_comment_on_a_highlight_belongs_to_its_item(item, member):
    h = services.create_highlight(member, item, exact="x")
    c = services.post_comment(member, body="note", highlight=h)
    assert c.bookmark == item and c.highlight == h


def test_edit_marks_edited_and_only_author_edits(item, member, group):
    c = services.post_comment(member, body="first", bookmark=item)
    services.edit_comment(member, c, "second *take*")
    c.refresh_from_db()
    assert c.edited_at is not None and "<em>take</em>" in c.body_html
    other = MembershipFactory(group=group).user
    with pytest.raises(PermissionDenied):
        services.edit_comment(other, c, "hijack")


def test_deleting_a_comment_with_replies_leaves_a_placeholder(item, member):
    root = services.post_comment(member, body="root", bookmark=item)
    reply = services.post_comment(member, body="reply", parent=root)
    services.delete_comment(member, root)
    root.refresh_from_db()
    assert root.is_deleted and root.body == ""
    services.delete_comment(member, reply)
    assert not Comment.objects.exists()  # the placeholder went with its last reply


def test_moderator_may_delete_others_comment_member_may_not(item, member, moderator, group):
    c = services.post_comment(member, body="root", bookmark=item)
    other = MembershipFactory(group=group).user
    with pytest.raises(PermissionDenied):
        services.delete_comment(other, c)
    services.delete_comment(moderator, c)
    assert not Comment.objects.exists()


def test_topic_created_by_member_refused_to_outsider(group, member):
    t = services.create_topic(member, group, title="Réunion", body="On se voit *jeudi*")
    assert t.body_html == "<p>On se voit <em>jeudi</em></p>"
    with pytest.raises(PermissionDenied):
        services.create_topic(UserFactory(), group, title="x", body="y")
    with pytest.raises(ValidationError):
        services.create_topic(member, group, title="  ", body="y")
    c = services.post_comment(member, body="reply", topic=t)
    assert c.topic == t and c.bookmark is None


def test_flag_needs_membership_and_a_reason(item, member, group):
    c = services.post_comment(member, body="hello", bookmark=item)
    other = MembershipFactory(group=group).user
    services.flag_item(other, reason="spam", comment=c)
    services.flag_item(other, reason="abuse", comment=c)  # updates, doesn't duplicate
    assert Flag.objects.get().reason == "abuse"
    with pytest.raises(PermissionDenied):
        services.flag_item(UserFactory(), reason="spam", comment=c)
    with pytest.raises(ValidationError):
        services.flag_item(other, reason="boring", comment=c)


def test_spam_comment_is_held_and_ham_is_not(item, member):
    casino = services.post_comment(
        member,
        body="Bonjour à tous! Vous pouvez toujours gagner ici: roulette! Ceci est un casino "
        "vérifié par moi...",
        bookmark=item,
    )
    ham = services.post_comment(
        member, body="Very interesting and informative, thanks", bookmark=item
    )
    assert casino.status == "held" and ham.status == "visible"


def test_group_holding_first_posts_holds_until_approved(item, group):
    group.hold_first_posts = True
    group.save()
    newcomer = MembershipFactory(group=group).user
    first = services.post_comment(newcomer, body="Hello everyone", bookmark=item)
    assert first.status == "held"
    Membership.objects.filter(user=newcomer).update(post_count=1)
    assert services.post_comment(newcomer, body="Again", bookmark=item).status == "visible"


def test_posting_is_rate_limited(item, member, settings):
    settings.ANNOTATIONS_POST_RATES = ((60, 3),)
    for n in range(3):
        services.post_comment(member, body=f"comment {n}", bookmark=item)
    with pytest.raises(RateLimited):
        services.post_comment(member, body="one too many", bookmark=item)
    assert Comment.objects.count() == 3


def test_private_group_item_is_refused_to_outsiders(db):
    group = GroupFactory(visibility="private")
    m = MembershipFactory(group=group).user
    b = BookmarkFactory(group=group, owner=m)
    with pytest.raises(PermissionDenied):
        services.post_comment(UserFactory(), body="x", bookmark=b)


def test_new_highlight_is_anchored_by_the_snapshot_task_after_commit(
    item, member, django_capture_on_commit_callbacks
):
    from config.celery import app

    item.page.text = "Avant. Le micro-travail reste invisible aux yeux du public. Après."
    item.page.fetch_status = "ok"
    item.page.save()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            h = services.create_highlight(member, item, exact="reste invisible")
    finally:
        app.conf.task_always_eager = eager
    h.refresh_from_db()
    assert h.anchor_status == "anchored"
    assert item.page.text[h.start : h.end] == "reste invisible"
