"""The annotations blocks inside other apps' pages: the bookmark page and the library."""

import pytest

from annotations import services
from tests.factories import BookmarkFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_bookmark_page_shows_highlights_comments_and_forms_to_members(client, item, member):
    services.create_highlight(member, item, exact="Un passage souligné", note="*pourquoi*")
    root = services.post_comment(member, body="Un commentaire", bookmark=item)
    services.post_comment(member, body="Une réponse", parent=root)
    client.force_login(member)
    html = client.get(item.get_absolute_url()).content.decode()
    assert "Un passage souligné" in html and "<em>pourquoi</em>" in html
    assert "Un commentaire" in html and "Une réponse" in html
    assert 'name="exact"' in html  # the paste-a-passage form
    assert "Add a comment" in html


def test_bookmark_page_has_no_forms_for_anonymous_readers(client, item, member):
    services.post_comment(member, body="Un commentaire", bookmark=item)
    html = client.get(item.get_absolute_url()).content.decode()
    assert "Un commentaire" in html
    assert 'name="exact"' not in html and "Log in to comment" in html


def test_bookmark_page_hides_held_comment_from_other_members(client, group, item, member):
    spammer = MembershipFactory(group=group).user
    services.post_comment(spammer, body="casino roulette jackpot https://win.casino", bookmark=item)
    client.force_login(member)
    assert "roulette" not in client.get(item.get_absolute_url()).content.decode()
    client.force_login(spammer)
    html = client.get(item.get_absolute_url()).content.decode()
    assert "roulette" in html and "Held for review" in html


def test_personal_item_with_comments_off_says_so(client):
    owner = UserFactory()
    item = BookmarkFactory(owner=owner, comments_enabled=False)
    client.force_login(UserFactory())
    html = client.get(item.get_absolute_url()).content.decode()
    assert "turned comments off" in html


def test_library_middle_view_shows_three_and_more_link(client, group, item, member):
    for n in range(5):
        services.create_highlight(member, item, exact=f"passage {n}")
    html = client.get(f"/g/{group.slug}/?view=middle").content.decode()
    assert html.count('class="item-highlight"') == 3
    assert "...2 more annotations..." in html


def test_library_topics_filter_shows_own_held_topic_with_badge_only_to_author(
    client, group, member
):
    services.create_topic(member, group, title="Ordinary topic", body="hello")
    services.create_topic(member, group, title="Casino night", body="casino roulette jackpot")
    url = f"/g/{group.slug}/?filter=topics"
    client.force_login(member)
    html = client.get(url).content.decode()
    assert "Casino night" in html and "Held for review" in html
    client.force_login(MembershipFactory(group=group).user)
    html = client.get(url).content.decode()
    assert "Ordinary topic" in html and "Casino night" not in html


def test_orphaned_highlight_is_marked_in_the_library(client, group, item, member):
    h = services.create_highlight(member, item, exact="a passage the page lost")
    type(h).objects.filter(pk=h.pk).update(anchor_status="orphaned")
    html = client.get(f"/g/{group.slug}/?view=full").content.decode()
    assert "a passage the page lost" in html and "No longer on the page" in html
