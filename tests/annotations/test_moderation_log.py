"""The moderation log reads as sentences (in the reader's language) and links to the items."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from annotations import moderation, services
from annotations.models import ModerationLog
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

CASINO = "Gagnez ici: roulette! casino vérifié, bonus gratuit, cliquez vite https://casino.example"


def _rows(client, group):
    """(who, what, item cell) of each log row, newest first, as a person reads them."""
    response = client.get(reverse("annotations:moderation_log", args=[group.slug]))
    assert response.status_code == 200
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", response.content.decode(), re.S)[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        text = [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells]
        rows.append({"who": text[1], "what": text[2], "item": cells[3], "detail": text[4]})
    return rows


@pytest.fixture
def history(group, item, member, moderator):
    """A comment hidden, a held highlight approved, a topic deleted, a member banned."""
    comment = services.post_comment(member, body="Rude remark", bookmark=item)
    moderation.moderate(moderator, comment, "hide")
    spammer = MembershipFactory(group=group).user
    highlight = services.create_highlight(spammer, item, exact="passage", note=CASINO)
    assert highlight.status == "held"
    moderation.moderate(moderator, highlight, "approve")
    topic = services.create_topic(member, group, title="Off topic", body="b")
    moderation.moderate(moderator, topic, "delete")
    moderation.ban_member(moderator, group, spammer, "casino links", hide_posts=True)
    return {"comment": comment, "highlight": highlight, "topic": topic, "spammer": spammer}


def test_log_says_what_happened_in_words_not_codes(client, group, moderator, history):
    client.force_login(moderator)
    rows = _rows(client, group)
    assert [r["what"] for r in rows] == [
        "banned a member and hid their posts",
        "deleted a topic",
        "approved a highlight",
        "held a highlight for review",
        "hid a comment",
    ]
    assert {r["who"] for r in rows} == {moderator.name, "the spam filter"}
    assert rows[3]["detail"].startswith("score ") and "text model" in rows[3]["detail"]
    # the reason stays, the "(posts hidden)" marker became part of the sentence
    assert rows[0]["detail"] == "casino links"


def test_log_reads_in_french(client, group, moderator, history):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(moderator)
    rows = _rows(client, group)
    assert [r["what"] for r in rows] == [
        "a banni un membre et masqué ses publications",
        "a supprimé un sujet",
        "a accepté un surlignage",
        "a retenu un surlignage pour relecture",
        "a masqué un commentaire",
    ]


def test_each_action_code_has_an_english_and_a_french_phrase(client, group, moderator):
    codes = [*moderation.ACTIONS, "ban", "hold"]
    for code in codes:
        ModerationLog.objects.create(
            group=group, actor=moderator, action=code, target_type="comment", target_repr="x"
        )
    client.force_login(moderator)
    english = [r["what"] for r in _rows(client, group)]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    french = [r["what"] for r in _rows(client, group)]
    for phrases in (english, french):
        assert len(set(phrases)) == len(codes)
        assert not set(phrases) & set(codes)
    assert all("comment" in p for p in english)
    assert all(p.startswith("a ") and "un commentaire" in p for p in french)


def test_an_unknown_code_still_reads_as_a_sentence(client, group, moderator):
    ModerationLog.objects.create(
        group=group, actor=None, action="quarantine", target_type="widget", target_repr="x"
    )
    client.force_login(moderator)
    (row,) = _rows(client, group)
    assert row["what"] == "did “quarantine” to an item"
    assert row["who"] == "former member"


def test_items_link_where_the_moderator_can_see_them(
    client, group, item, member, moderator, history
):
    comment, highlight, spammer = history["comment"], history["highlight"], history["spammer"]
    client.force_login(moderator)
    rows = _rows(client, group)
    by_what = {r["what"]: r["item"] for r in rows}
    queue = reverse("annotations:moderation_queue", args=[group.slug])
    # hidden: only the queue shows it
    assert f'href="{queue}#mod-comment-{comment.pk}"' in by_what["hid a comment"]
    # the highlight was hidden with its author's posts when they were banned
    assert f'href="{queue}#mod-highlight-{highlight.pk}"' in by_what["approved a highlight"]
    # deleted: its words are kept, with no link
    assert "href" not in by_what["deleted a topic"] and "Off topic" in by_what["deleted a topic"]
    assert f'href="{spammer.get_absolute_url()}"' in by_what["banned a member and hid their posts"]

    moderation.moderate(moderator, comment, "unhide")
    rows = _rows(client, group)
    assert rows[0]["what"] == "made a comment visible again"
    assert f'href="{item.get_absolute_url()}#comment-{comment.pk}"' in rows[0]["item"]


def test_visible_topic_and_reply_link_to_the_topic(client, group, member, moderator):
    topic = services.create_topic(member, group, title="Le travail", body="On en parle ?")
    reply = services.post_comment(member, body="Oui", topic=topic)
    services.flag_item(MembershipFactory(group=group).user, reason="spam", comment=reply)
    moderation.moderate(moderator, reply, "dismiss")
    moderation.moderate(moderator, topic, "not_spam")
    client.force_login(moderator)
    rows = _rows(client, group)
    assert [r["what"] for r in rows] == [
        "marked a topic as not spam",
        "dismissed the flags on a comment",
    ]
    assert f'href="{topic.get_absolute_url()}"' in rows[0]["item"]
    assert f'href="{topic.get_absolute_url()}#comment-{reply.pk}"' in rows[1]["item"]


def test_item_text_in_the_log_is_escaped(client, group, item, member, moderator):
    c = services.post_comment(member, body='<script>alert("x")</script> rude', bookmark=item)
    moderation.moderate(moderator, c, "spam")
    client.force_login(moderator)
    html = client.get(reverse("annotations:moderation_log", args=[group.slug])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
