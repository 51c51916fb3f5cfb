"""The moderation queue shows each item with its context and links to where it was posted."""

import re

import pytest
from django.urls import reverse

from annotations import services
from annotations.models import Comment, Highlight, Status
from groups.models import Topic
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _queue(client, group):
    return client.get(reverse("annotations:moderation_queue", args=[group.slug])).text


def _entry(html, kind, pk):
    start = html.index(f'id="mod-{kind}-{pk}"')
    return html[start : html.index("</li>\n", start)]


def _place(entry):
    """The link to where the item was posted: (href, text)."""
    href, text = re.search(
        r'<p class="mod-place">[^<]*<a href="([^"]+)">([^<]*)</a>', entry
    ).groups()
    return href, text


@pytest.fixture
def posts(group, item, member, moderator):
    item.title = "Le travail du clic"
    item.save()
    other = MembershipFactory(group=group).user
    first = services.post_comment(member, body="Un premier avis, tout à fait sensé.", bookmark=item)
    reply = services.post_comment(other, body="Une réponse grossière.", bookmark=item, parent=first)
    highlight = services.create_highlight(member, item, exact="les micro-travailleurs du clic")
    note = services.post_comment(other, body="Une note à revoir.", highlight=highlight)
    topic = Topic.objects.create(group=group, author=member, title="Le dimanche travaillé")
    on_topic = services.post_comment(other, body="Hors sujet sur le sujet.", topic=topic)
    Comment.objects.filter(pk__in=[first.pk, reply.pk, note.pk, on_topic.pk]).update(
        status=Status.VISIBLE
    )
    Highlight.objects.filter(pk=highlight.pk).update(status=Status.HELD)
    Comment.objects.filter(pk=note.pk).update(status=Status.HELD)
    services.flag_item(moderator, reason="abuse", detail="insultant", comment=reply)
    services.flag_item(moderator, reason="spam", comment=on_topic)
    services.flag_item(moderator, reason="other", detail="lien mort", bookmark=item)
    return {
        "item": item,
        "first": first,
        "reply": reply,
        "highlight": highlight,
        "note": note,
        "topic": topic,
        "on_topic": on_topic,
    }


def test_a_flagged_reply_links_to_its_place_and_shows_what_it_answers(
    client, group, member, moderator, posts
):
    client.force_login(moderator)
    entry = _entry(_queue(client, group), "comment", posts["reply"].pk)
    detail = reverse("library:detail", args=[posts["item"].pk])
    assert _place(entry) == (f"{detail}#comment-{posts['reply'].pk}", "Le travail du clic")
    assert f"In reply to {member.name}:" in entry
    assert "Un premier avis, tout à fait sensé." in entry
    assert "Une réponse grossière." in entry and "insultant" in entry
    # the link lands on the comment itself
    page = client.get(detail).text
    assert f'id="comment-{posts["reply"].pk}"' in page


def test_a_held_sticky_note_shows_the_highlighted_passage(client, group, moderator, posts):
    client.force_login(moderator)
    html = _queue(client, group)
    entry = _entry(html, "comment", posts["note"].pk)
    detail = reverse("library:detail", args=[posts["item"].pk])
    assert _place(entry) == (f"{detail}#comment-{posts['note'].pk}", "Le travail du clic")
    assert "On the highlighted passage:" in entry
    assert "les micro-travailleurs du clic" in entry
    entry = _entry(html, "highlight", posts["highlight"].pk)
    assert _place(entry) == (f"{detail}#highlight-{posts['highlight'].pk}", "Le travail du clic")


def test_topic_replies_topics_and_flagged_items_link_to_their_pages(
    client, group, moderator, posts
):
    client.force_login(moderator)
    html = _queue(client, group)
    topic_url = reverse("annotations:topic", args=[group.slug, posts["topic"].pk])
    entry = _entry(html, "comment", posts["on_topic"].pk)
    assert _place(entry) == (f"{topic_url}#comment-{posts['on_topic'].pk}", "Le dimanche travaillé")
    entry = _entry(html, "bookmark", posts["item"].pk)
    assert _place(entry) == (posts["item"].get_absolute_url(), "Le travail du clic")
    assert "lien mort" in entry
    assert f'id="comment-{posts["on_topic"].pk}"' in client.get(topic_url).text


def test_hidden_items_keep_their_context(client, group, moderator, posts):
    Comment.objects.filter(pk=posts["reply"].pk).update(status=Status.HIDDEN)
    client.force_login(moderator)
    html = _queue(client, group)
    hidden = html[html.index("Recently hidden") :]
    entry = _entry(hidden, "comment", posts["reply"].pk)
    assert _place(entry)[1] == "Le travail du clic"
    assert "Un premier avis, tout à fait sensé." in entry


def test_context_is_escaped(client, group, member, moderator, posts):
    posts["item"].title = "<script>alert(1)</script>"
    posts["item"].save()
    Comment.objects.filter(pk=posts["first"].pk).update(body="<img src=x onerror=alert(1)>")
    client.force_login(moderator)
    entry = _entry(_queue(client, group), "comment", posts["reply"].pk)
    assert "<script>" not in entry and "<img" not in entry
    assert "&lt;script&gt;" in entry
