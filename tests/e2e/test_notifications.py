"""In Chromium: @mention autocomplete of group members (htmx), the mention becomes a profile
link, and the mentioned member's bell counts it; the notification leads to the comment."""

import os

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from notifications.models import GroupFollow, TagFollow
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_mention_autocomplete_link_and_bell(live_server, page, login):
    cache.clear()
    group = GroupFactory(visibility="public", name="Tic&Travail")
    author = MembershipFactory(group=group).user
    anna = MembershipFactory(group=group, user=UserFactory(username="anna_b")).user
    UserFactory(username="annie_outsider")  # not a member: never suggested
    item = BookmarkFactory(group=group, owner=author, title="Les micro-travailleurs")
    login(author)
    page.goto(f"{live_server.url}{item.get_absolute_url()}")
    box = page.get_by_label("Add a comment")
    box.press_sequentially("Voici le rapport complet, @ann", delay=30)
    suggestion = page.locator(f"#mentions-{item.pk} [data-mention]")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_have_text("@anna_b")
    suggestion.click()
    expect(box).to_have_value("Voici le rapport complet, @anna_b ")
    box.press_sequentially("qu'en penses-tu ?")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_load_state()
    link = page.locator(".comment .body a.mention", has_text="@anna_b")
    expect(link).to_have_attribute("href", "/u/anna_b/")

    page.context.clear_cookies()
    login(anna)
    bell = page.locator("#notification-bell")
    expect(bell.locator(".badge")).to_have_text("1")
    bell.click()
    page.get_by_role("link", name="mentioned you").click()
    page.wait_for_load_state()
    assert "#comment-" in page.url
    expect(page.locator("#notification-bell .badge")).to_have_count(0)


def test_follow_buttons_swap_in_place_with_htmx(live_server, page, login):
    cache.clear()
    group = GroupFactory(visibility="public", name="Tic&Travail")
    member = MembershipFactory(group=group).user
    login(member)
    url = f"{live_server.url}/g/{group.slug}/?tag=travail"
    page.goto(url)
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    stop = page.get_by_role("button", name="Stop following this group")
    stop.click()
    follow = page.get_by_role("button", name="Follow this group")
    expect(follow).to_be_visible()
    expect(follow).to_be_focused()  # the swapped button keeps the keyboard focus
    page.get_by_role("button", name="Follow “travail”").click()
    expect(page.get_by_role("button", name="Stop following “travail”")).to_be_visible()
    assert navigations == []  # swapped in place: no page load
    assert not GroupFollow.objects.get(user=member, group=group).following
    assert TagFollow.objects.filter(user=member, group=group, tag="travail").exists()
    page.reload()
    expect(page.get_by_role("button", name="Follow this group")).to_be_visible()
