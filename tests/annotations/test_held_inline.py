"""A group's moderators see held comments on the item page, to approve or hide them in place;
nobody else but the author sees them."""

import re

import pytest
from django.urls import reverse

from annotations import services
from annotations.models import Comment
from tests.factories import CommentFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CASINO = (
    "Bonjour à tous! Vous pouvez toujours gagner ici: roulette! Ceci est un casino vérifié "
    "par moi..."
)


@pytest.fixture
def held(group, item):
    comment = services.post_comment(MembershipFactory(group=group).user, body=CASINO, bookmark=item)
    assert comment.status == "held"
    return comment


def _action(group, comment, action):
    return reverse(
        "annotations:moderation_action", args=[group.slug, "comment", comment.pk, action]
    )


def _comment_block(page, comment):
    match = re.search(rf'<li class="comment[^"]*" id="comment-{comment.pk}">(.*?)</li>', page, re.S)
    return match.group(1) if match else None


@pytest.mark.parametrize("role", ["moderator", "admin", "owner"])
def test_moderators_see_a_held_comment_marked_with_approve_and_hide(
    client, group, item, held, role
):
    client.force_login(MembershipFactory(group=group, role=role).user)
    page = client.get(item.get_absolute_url()).content.decode()
    block = _comment_block(page, held)
    assert block is not None and "roulette" in block
    assert "Held for review" in block
    for action in ("approve", "hide"):
        form = re.search(
            rf'<form method="post"[^>]*action="{_action(group, held, action)}">(.*?)</form>',
            block,
            re.S,
        )
        assert form is not None, action
        assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert ">Approve</button>" in block and ">Hide</button>" in block
    # what a moderator cannot do to a held comment from here is not offered
    assert reverse("annotations:comment_reply", args=[held.pk]) not in block
    assert reverse("annotations:flag", args=["comment", held.pk]) not in block
    assert reverse("annotations:comment_delete", args=[held.pk]) not in block


def test_others_never_see_a_held_comment(client, group, item, member, held):
    private_reader = UserFactory()
    for viewer in (None, member, private_reader, MembershipFactory(group=GroupFactory()).user):
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        page = client.get(item.get_absolute_url()).content.decode()
        assert "roulette" not in page
        assert _action(group, held, "approve") not in page


def test_the_author_sees_their_held_comment_without_moderation_buttons(client, group, item, held):
    client.force_login(held.author)
    block = _comment_block(client.get(item.get_absolute_url()).content.decode(), held)
    assert "roulette" in block and "Held for review" in block
    assert _action(group, held, "approve") not in block and "Hide" not in block


def test_approve_from_the_item_page_comes_back_to_the_comment(client, group, item, member, held):
    client.force_login(MembershipFactory(group=group, role="moderator").user)
    response = client.post(
        _action(group, held, "approve"), {"next": f"{item.get_absolute_url()}#comment-{held.pk}"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{item.get_absolute_url()}#comment-{held.pk}"
    assert Comment.objects.get(pk=held.pk).status == "visible"
    client.force_login(member)
    block = _comment_block(client.get(item.get_absolute_url()).content.decode(), held)
    assert "roulette" in block and "Held for review" not in block


def test_hide_from_the_item_page_takes_it_out_of_everyones_sight(client, group, item, member, held):
    moderator = MembershipFactory(group=group, role="moderator").user
    client.force_login(moderator)
    response = client.post(_action(group, held, "hide"), {"next": item.get_absolute_url()})
    assert response["Location"] == item.get_absolute_url()
    assert Comment.objects.get(pk=held.pk).status == "hidden"
    for viewer in (moderator, member, held.author):
        client.force_login(viewer)
        assert "roulette" not in client.get(item.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""]
)
def test_moderation_never_redirects_off_site(client, group, held, next_url):
    client.force_login(MembershipFactory(group=group, role="moderator").user)
    response = client.post(_action(group, held, "approve"), {"next": next_url})
    assert response["Location"] == reverse("annotations:moderation_queue", args=[group.slug])


def test_a_member_cannot_approve_by_posting_the_form(client, group, item, member, held):
    client.force_login(member)
    response = client.post(_action(group, held, "approve"), {"next": item.get_absolute_url()})
    assert response.status_code == 403
    assert Comment.objects.get(pk=held.pk).status == "held"


def test_moderator_of_another_group_does_not_see_it(client, item, held):
    client.force_login(MembershipFactory(group=GroupFactory(), role="moderator").user)
    assert "roulette" not in client.get(item.get_absolute_url()).content.decode()


def test_held_sticky_note_and_reply_show_in_place_for_moderators(client, group, item, member):
    spammer = MembershipFactory(group=group).user
    highlight = services.create_highlight(member, item, exact="micro-travaillent")
    parent = services.post_comment(member, body="Bonne remarque", bookmark=item)
    note = services.post_comment(spammer, body=CASINO, highlight=highlight)
    reply = services.post_comment(spammer, body=CASINO.replace("roulette", "poker"), parent=parent)
    assert (note.status, reply.status) == ("held", "held")
    client.force_login(MembershipFactory(group=group, role="moderator").user)
    page = client.get(item.get_absolute_url()).content.decode()
    assert _action(group, note, "approve") in page and _action(group, reply, "approve") in page
    client.force_login(member)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "roulette" not in page and "poker" not in page


def test_held_reply_in_a_topic_shows_for_moderators_only(client, group, member):
    topic = services.create_topic(member, group, title="Le travail", body="On en parle ?")
    held = services.post_comment(MembershipFactory(group=group).user, body=CASINO, topic=topic)
    assert held.status == "held"
    client.force_login(MembershipFactory(group=group, role="moderator").user)
    block = _comment_block(client.get(topic.get_absolute_url()).content.decode(), held)
    assert "Held for review" in block and _action(group, held, "hide") in block
    client.force_login(member)
    assert "roulette" not in client.get(topic.get_absolute_url()).content.decode()


def test_item_page_query_count_does_not_grow_with_held_comments(client, group, item):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    moderator = MembershipFactory(group=group, role="moderator").user
    client.force_login(moderator)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(item.get_absolute_url()).status_code == 200
        return len(ctx)

    CommentFactory(bookmark=item, status="held")
    few = count()
    for _ in range(15):
        CommentFactory(bookmark=item, status="held")
    assert count() <= few
