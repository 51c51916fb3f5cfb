"""In a real browser: "...N more annotations..." expands in place; a member posts a comment."""

import os

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from annotations import services
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(live_server):
    cache.clear()  # the posting rate limit counts in Redis
    group = GroupFactory(visibility="public", name="Tic&Travail")
    member = MembershipFactory(group=group).user
    item = BookmarkFactory(group=group, owner=member, title="Les micro-travailleurs")
    for n in range(5):
        services.create_highlight(member, item, exact=f"passage souligné numéro {n}")
    services.post_comment(member, body="Un commentaire du groupe", bookmark=item)
    return group, member, item


def test_more_annotations_expands_in_place(live_server, page, library):
    group, _member, item = library
    url = f"{live_server.url}/g/{group.slug}/?view=middle"
    page.goto(url)
    annotations = page.locator(f"#item-annotations-{item.pk}")
    assert annotations.locator(".item-highlight").count() == 3
    more = annotations.get_by_text("...3 more annotations...")
    more.click()
    expanded = page.locator(f"#item-annotations-{item.pk}")
    expanded.get_by_text("Un commentaire du groupe").wait_for()
    assert expanded.locator(".item-highlight").count() == 5
    assert expanded.get_by_text("more annotations").count() == 0
    assert page.url == url  # expanded in place, no navigation
    expect(expanded).to_be_focused()


def test_member_comments_on_the_bookmark_page(live_server, page, login, library):
    _group, member, item = library
    login(member)
    page.goto(f"{live_server.url}{item.get_absolute_url()}")
    page.get_by_label("Add a comment").fill("Très **juste**, merci")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    assert page.locator(".comment .body strong", has_text="juste").count() == 1


def test_member_replies_inline_with_htmx(live_server, page, login, library):
    _group, member, item = library
    root = services.post_comment(member, body="Qui a lu le rapport ?", bookmark=item)
    login(member)
    page.goto(f"{live_server.url}{item.get_absolute_url()}")
    page.locator(f"#comment-{root.pk} .reply a").click()
    box = page.locator(f"#reply-slot-{root.pk} textarea")
    box.wait_for()
    expect(box).to_be_focused()  # focus moves to the form once htmx has settled the swap
    box.fill("Moi, il est très bon")
    page.locator(f"#reply-slot-{root.pk} button[type=submit]").click()
    page.wait_for_load_state()
    reply = page.locator(f"#comment-{root.pk} .replies .comment .body")
    assert reply.inner_text().strip() == "Moi, il est très bon"
