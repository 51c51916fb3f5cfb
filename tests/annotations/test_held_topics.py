"""A group's moderators open a held topic's page to approve or hide it there; for everyone else
but its author it does not exist (404), and it stays out of the topic list."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations import services
from groups.models import Topic
from tests.factories import CommentFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CASINO = (
    "Bonjour à tous! Vous pouvez toujours gagner ici: roulette! Ceci est un casino vérifié "
    "par moi..."
)


@pytest.fixture
def author(group):
    return MembershipFactory(group=group).user


@pytest.fixture
def held(group, author):
    topic = services.create_topic(author, group, title="Gagnez gros", body=CASINO)
    assert topic.status == "held"
    return topic


def _action(group, topic, action):
    return reverse("annotations:moderation_action", args=[group.slug, "topic", topic.pk, action])


def _form(page, action_url):
    match = re.search(rf'<form method="post"[^>]*action="{action_url}">(.*?)</form>', page, re.S)
    return match.group(1) if match else None


def _get(client, viewer, url):
    client.logout()
    if viewer is not None:
        client.force_login(viewer)
    return client.get(url)


@pytest.mark.parametrize("visibility", ["public", "private"])
@pytest.mark.parametrize("role", ["moderator", "admin", "owner"])
def test_moderators_open_a_held_topic_marked_with_approve_and_hide(
    client, group, held, role, visibility
):
    group.visibility = visibility
    group.save()
    response = _get(client, MembershipFactory(group=group, role=role).user, held.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "roulette" in page and "Held for review" in page
    approve = _form(page, _action(group, held, "approve"))
    hide = _form(page, _action(group, held, "hide"))
    assert approve is not None and hide is not None
    for form in (approve, hide):
        assert 'name="csrfmiddlewaretoken"' in form
    assert f'name="next" value="{held.get_absolute_url()}"' in approve
    assert f'name="next" value="{reverse("annotations:topic_list", args=[group.slug])}"' in hide
    # The ordinary views still 404 on a held topic for a moderator: their links are not offered.
    assert reverse("annotations:flag", args=["topic", held.pk]) not in page
    assert reverse("annotations:topic_delete", args=[group.slug, held.pk]) not in page
    assert reverse("annotations:topic_edit", args=[group.slug, held.pk]) not in page
    assert reverse("annotations:topic_comment", args=[group.slug, held.pk]) not in page
    assert "Replies open once the topic is approved." in page


def test_the_author_sees_their_held_topic_without_moderation_buttons(client, group, held):
    response = _get(client, held.author, held.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "roulette" in page and "Held for review" in page
    assert _action(group, held, "approve") not in page and _action(group, held, "hide") not in page
    assert reverse("annotations:topic_edit", args=[group.slug, held.pk]) in page


@pytest.mark.parametrize("visibility", ["public", "private"])
def test_everyone_else_gets_404_for_a_held_topic(client, group, member, held, visibility):
    group.visibility = visibility
    group.save()
    other_moderator = MembershipFactory(group=GroupFactory(), role="moderator").user
    for viewer in (None, member, UserFactory(), other_moderator):
        assert _get(client, viewer, held.get_absolute_url()).status_code == 404, viewer


def test_a_private_groups_topics_stay_404_for_non_members(client, member):
    private = GroupFactory(visibility="private")
    MembershipFactory(group=private, user=member)
    visible = services.create_topic(member, private, title="Le travail", body="On en parle ?")
    assert visible.status == "visible"
    assert _get(client, UserFactory(), visible.get_absolute_url()).status_code == 404
    assert _get(client, None, visible.get_absolute_url()).status_code == 404
    assert _get(client, member, visible.get_absolute_url()).status_code == 200


def test_a_held_topic_stays_out_of_the_topic_list(client, group, member, moderator, held):
    topics = reverse("annotations:topic_list", args=[group.slug])
    for viewer in (None, member, moderator):
        assert "Gagnez gros" not in _get(client, viewer, topics).content.decode()


def test_approve_from_the_topic_page_makes_it_everyones(client, group, member, moderator, held):
    client.force_login(moderator)
    response = client.post(_action(group, held, "approve"), {"next": held.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == held.get_absolute_url()
    assert Topic.objects.get(pk=held.pk).status == "visible"
    page = _get(client, member, held.get_absolute_url()).content.decode()
    assert "roulette" in page and "Held for review" not in page
    topics = reverse("annotations:topic_list", args=[group.slug])
    assert "Gagnez gros" in _get(client, None, topics).content.decode()


def test_hide_from_the_topic_page_takes_it_out_of_everyones_sight(
    client, group, member, moderator, held
):
    topics = reverse("annotations:topic_list", args=[group.slug])
    client.force_login(moderator)
    response = client.post(_action(group, held, "hide"), {"next": topics})
    assert response.status_code == 302 and response["Location"] == topics
    assert Topic.objects.get(pk=held.pk).status == "hidden"
    for viewer in (moderator, member, held.author):
        assert _get(client, viewer, held.get_absolute_url()).status_code == 404


def test_a_member_cannot_approve_by_posting_the_form(client, group, member, held):
    client.force_login(member)
    response = client.post(_action(group, held, "approve"), {"next": held.get_absolute_url()})
    assert response.status_code == 403
    assert Topic.objects.get(pk=held.pk).status == "held"


def test_approve_never_redirects_off_site(client, group, moderator, held):
    client.force_login(moderator)
    response = client.post(_action(group, held, "approve"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("annotations:moderation_queue", args=[group.slug])


def test_replies_of_a_topic_held_again_show_to_moderators_without_dead_links(
    client, group, member, moderator
):
    """An edit with spam holds a topic again: its earlier replies show to the moderator, with
    Approve / Hide on held ones and no links to views that would 404."""
    topic = services.create_topic(member, group, title="Le travail", body="On en parle ?")
    reply = services.post_comment(moderator, body="Bonne question", topic=topic)
    spam_reply = services.post_comment(
        MembershipFactory(group=group).user, body=CASINO, topic=topic
    )
    topic = services.edit_topic(member, topic, body=CASINO)
    assert (topic.status, reply.status, spam_reply.status) == ("held", "visible", "held")
    page = _get(client, moderator, topic.get_absolute_url()).content.decode()
    assert "Bonne question" in page
    comment_action = reverse(
        "annotations:moderation_action", args=[group.slug, "comment", spam_reply.pk, "approve"]
    )
    assert comment_action in page
    for c in (reply, spam_reply):
        for name in ("comment_edit", "comment_delete", "comment_reply"):
            assert reverse(f"annotations:{name}", args=[c.pk]) not in page, (name, c)
        assert reverse("annotations:flag", args=["comment", c.pk]) not in page
    # the author of the topic still replies and edits as before
    page = _get(client, member, topic.get_absolute_url()).content.decode()
    assert reverse("annotations:topic_comment", args=[group.slug, topic.pk]) in page
    assert "roulette" not in page.split('id="replies-heading"')[1]  # the held reply is not theirs


def test_topic_page_query_count_for_a_moderator_does_not_grow_with_replies(
    client, group, moderator, held
):
    client.force_login(moderator)

    def count(topic):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(topic.get_absolute_url()).status_code == 200
        return len(ctx)

    CommentFactory(topic=held, bookmark=None, author=UserFactory(), status="held")
    few = count(held)
    for i in range(15):
        CommentFactory(
            topic=held, bookmark=None, author=UserFactory(), status="held" if i % 2 else "visible"
        )
    assert count(held) <= few
    # a held topic costs its moderator no more than a visible one
    visible = services.create_topic(moderator, group, title="Le travail", body="On en parle ?")
    CommentFactory(topic=visible, bookmark=None, author=UserFactory())
    assert count(visible) == few
