"""The HTML side: posting through forms, what other people see, 403/404/429, topic pages."""

import pytest
from django.urls import reverse

from annotations import services
from annotations.models import Comment, Highlight
from groups.models import Topic
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CASINO = (
    "Bonjour à tous! Vous pouvez toujours gagner ici: roulette! Ceci est un casino vérifié "
    "par moi..."
)


def _annotations_html(client, bookmark):
    return client.get(reverse("annotations:item_annotations", args=[bookmark.pk])).content.decode()


def test_member_posts_highlight_through_the_form(client, item, member):
    client.force_login(member)
    response = client.post(
        reverse("annotations:highlight_create", args=[item.pk]),
        {"exact": "Le micro-travail est invisible", "color": "blue", "note": "clé"},
    )
    assert response.status_code == 302
    h = Highlight.objects.get()
    assert (h.exact, h.color, h.author) == ("Le micro-travail est invisible", "blue", member)


def test_highlight_form_errors_are_shown_not_500(client, item, member):
    client.force_login(member)
    response = client.post(
        reverse("annotations:highlight_create", args=[item.pk]), {"exact": "x" * 5001}
    )
    assert response.status_code == 400
    assert not Highlight.objects.exists()


def test_non_member_post_to_public_group_is_403_and_writes_nothing(client, item):
    client.force_login(UserFactory())
    r1 = client.post(
        reverse("annotations:highlight_create", args=[item.pk]),
        {"exact": "quote", "color": "yellow"},
    )
    r2 = client.post(reverse("annotations:comment_create", args=[item.pk]), {"body": "hello"})
    assert (r1.status_code, r2.status_code) == (403, 403)
    assert not Highlight.objects.exists() and not Comment.objects.exists()


def test_non_member_post_to_private_group_is_404_and_writes_nothing(client):
    group = GroupFactory(visibility="private")
    member = MembershipFactory(group=group).user
    item = BookmarkFactory(group=group, owner=member)
    client.force_login(UserFactory())
    r1 = client.post(
        reverse("annotations:highlight_create", args=[item.pk]),
        {"exact": "quote", "color": "yellow"},
    )
    r2 = client.post(reverse("annotations:comment_create", args=[item.pk]), {"body": "hello"})
    assert (r1.status_code, r2.status_code) == (404, 404)
    assert not Highlight.objects.exists() and not Comment.objects.exists()


def test_anonymous_post_goes_to_login_and_writes_nothing(client, item):
    response = client.post(reverse("annotations:comment_create", args=[item.pk]), {"body": "x"})
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not Comment.objects.exists()


def test_held_comment_is_seen_by_its_author_only(client, item, member, group):
    spammer = MembershipFactory(group=group).user
    client.force_login(spammer)
    response = client.post(
        reverse("annotations:comment_create", args=[item.pk]), {"body": CASINO}, follow=True
    )
    assert "held for review" in response.content.decode()
    assert Comment.objects.get().status == "held"
    assert "roulette" in _annotations_html(client, item)

    client.force_login(member)
    assert "roulette" not in _annotations_html(client, item)
    client.logout()
    assert "roulette" not in _annotations_html(client, item)


def test_ham_comment_is_seen_by_everyone(client, item, member):
    client.force_login(member)
    client.post(
        reverse("annotations:comment_create", args=[item.pk]),
        {"body": "Very interesting and informative, thanks"},
    )
    client.logout()
    assert "Very interesting and informative" in _annotations_html(client, item)


def test_reply_thread_and_deleted_placeholder_render(client, item, member):
    root = services.post_comment(member, body="Premier avis", bookmark=item)
    services.post_comment(member, body="Une réponse", parent=root)
    services.delete_comment(member, root)
    html = _annotations_html(client, item)
    assert "comment deleted" in html and "Une réponse" in html and "Premier avis" not in html


def test_edited_comment_is_marked_edited(client, item, member):
    c = services.post_comment(member, body="Avant", bookmark=item)
    client.force_login(member)
    client.post(reverse("annotations:comment_edit", args=[c.pk]), {"body": "Après"})
    html = _annotations_html(client, item)
    assert "Après" in html and "(edited)" in html


def test_someone_else_cannot_edit_or_delete_a_comment(client, item, member, group):
    c = services.post_comment(member, body="Mine", bookmark=item)
    client.force_login(MembershipFactory(group=group).user)
    edit = client.post(reverse("annotations:comment_edit", args=[c.pk]), {"body": "x"})
    assert edit.status_code == 403
    assert client.post(reverse("annotations:comment_delete", args=[c.pk])).status_code == 403
    c.refresh_from_db()
    assert c.body == "Mine"


def test_markdown_is_sanitized_and_links_are_nofollow(client, item, member):
    client.force_login(member)
    client.post(
        reverse("annotations:comment_create", args=[item.pk]),
        {"body": "<script>alert(1)</script> [source](https://example.org/a)"},
    )
    html = _annotations_html(client, item)
    assert "<script>" not in html
    assert 'rel="nofollow ugc noopener"' in html


def test_rate_limited_post_answers_429_for_htmx(client, item, member, settings):
    settings.ANNOTATIONS_POST_RATES = ((60, 1),)
    client.force_login(member)
    url = reverse("annotations:comment_create", args=[item.pk])
    assert client.post(url, {"body": "one"}).status_code == 302
    response = client.post(url, {"body": "two"}, headers={"HX-Request": "true"})
    assert response.status_code == 429 and "too fast" in response.content.decode()
    assert client.post(url, {"body": "three"}).status_code == 429
    assert Comment.objects.count() == 1


def test_personal_item_with_comments_off_refuses_comments(client):
    owner = UserFactory()
    item = BookmarkFactory(owner=owner, comments_enabled=False)
    client.force_login(UserFactory())
    r = client.post(reverse("annotations:comment_create", args=[item.pk]), {"body": "hi"})
    assert r.status_code == 403 and not Comment.objects.exists()


def test_sticky_note_on_a_highlight_shows_under_it(client, item, member):
    h = HighlightFactory(bookmark=item, author=member, exact="le passage")
    client.force_login(member)
    client.post(
        reverse("annotations:comment_create", args=[item.pk]),
        {"body": "ma note collante", "highlight": h.pk},
    )
    c = Comment.objects.get()
    assert c.highlight == h and "ma note collante" in _annotations_html(client, item)


def test_topic_page_new_topic_and_replies(client, group, member):
    client.force_login(member)
    response = client.post(
        reverse("annotations:topic_create", args=[group.slug]),
        {"title": "Prochaine réunion", "body": "Jeudi **18h**"},
    )
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    client.post(
        reverse("annotations:topic_comment", args=[group.slug, topic.pk]), {"body": "J'y serai"}
    )
    client.logout()
    html = client.get(topic.get_absolute_url()).content.decode()
    assert "Prochaine réunion" in html and "<strong>18h</strong>" in html and "J'y serai" in html


def test_private_group_topic_is_404_for_outsiders(client):
    group = GroupFactory(visibility="private")
    member = MembershipFactory(group=group).user
    topic = services.create_topic(member, group, title="Secret", body="")
    client.force_login(UserFactory())
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert client.get(reverse("annotations:topic_list", args=[group.slug])).status_code == 404


def test_held_topic_hidden_from_others_in_the_list(client, group, member):
    spam_topic = services.create_topic(member, group, title="Casino", body=CASINO)
    assert spam_topic.status == "held"
    url = reverse("annotations:topic_list", args=[group.slug])
    client.force_login(member)
    assert "Held for review" in client.get(url).content.decode()
    client.logout()
    assert "Casino" not in client.get(url).content.decode()
    assert client.get(spam_topic.get_absolute_url()).status_code == 404


def test_comment_factory_rows_render_in_item_partial(client, item):
    CommentFactory(bookmark=item, body="from a factory")
    assert "from a factory" in _annotations_html(client, item)


def test_reply_form_loads_inline_for_htmx_and_posts_a_reply(client, item, member):
    root = services.post_comment(member, body="root", bookmark=item)
    client.force_login(member)
    url = reverse("annotations:comment_reply", args=[root.pk])
    inline = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<form" in inline and "<html" not in inline and "autofocus" in inline
    assert "<html" in client.get(url).content.decode()  # without htmx: a page
    assert client.post(url, {"body": "a reply"}).status_code == 302
    assert Comment.objects.get(body="a reply").parent == root


def test_reply_to_a_topic_comment_stays_in_the_topic(client, group, member):
    topic = services.create_topic(member, group, title="t", body="")
    root = services.post_comment(member, body="root", topic=topic)
    client.force_login(member)
    r = client.post(reverse("annotations:comment_reply", args=[root.pk]), {"body": "re"})
    assert r["Location"].startswith(topic.get_absolute_url())
    assert Comment.objects.get(body="re").topic == topic


def test_sticky_note_form_on_a_highlight(client, item, member):
    h = HighlightFactory(bookmark=item, author=member)
    client.force_login(member)
    r = client.post(reverse("annotations:highlight_note", args=[h.pk]), {"body": "note"})
    assert r.status_code == 302 and Comment.objects.get().highlight == h


def test_outsider_reply_is_refused_and_writes_nothing(client, item, member):
    root = services.post_comment(member, body="root", bookmark=item)
    client.force_login(UserFactory())
    r = client.post(reverse("annotations:comment_reply", args=[root.pk]), {"body": "x"})
    assert r.status_code == 403 and Comment.objects.count() == 1
