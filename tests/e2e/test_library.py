"""In a real browser: typing in the tags box suggests the destination's tags; saving, filtering."""

import os

import pytest

from bookmarks.models import Bookmark
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_typing_a_tag_suggests_the_groups_tags_and_picking_one_fills_the_box(
    live_server, page, login
):
    from django.core.cache import cache

    cache.clear()
    user = UserFactory(display_name="Tina Tagger")
    group = GroupFactory(name="Tic&Travail", slug="tic-travail")
    MembershipFactory(group=group, user=user)
    for tags in (["travail", "plateformes"], ["travail"], ["travailleurs"], ["climat"]):
        BookmarkFactory(group=group, tags=tags)

    login(user)
    page.goto(f"{live_server.url}/save?url=https://example.org/clic&group=tic-travail")
    tags_box = page.get_by_label("Tags")
    tags_box.press_sequentially("tra", delay=60)
    suggestions = page.locator("#tag-suggestions .suggestion")
    suggestions.first.wait_for()
    texts = suggestions.all_inner_texts()
    assert [t.split()[0] for t in texts] == ["travail", "travailleurs"]
    assert texts[0].split()[1] == "2"  # with its count
    suggestions.first.click()
    assert tags_box.input_value() == "travail, "
    tags_box.press_sequentially("pla", delay=60)
    page.locator('#tag-suggestions .suggestion[data-tag="plateformes"]').click()
    assert tags_box.input_value() == "travail, plateformes, "

    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{live_server.url}/b/*/")
    saved = Bookmark.objects.get(owner=user)
    assert saved.group == group and saved.tags == ["travail", "plateformes"]

    page.goto(f"{live_server.url}/g/tic-travail/")
    assert page.get_by_role("navigation", name="Breadcrumb").inner_text().startswith("Home")
    page.locator(".tag-cloud a", has_text="plateformes").click()
    page.wait_for_url("**/g/tic-travail/?tag=plateformes")
    assert page.locator(".item").count() == 2
    page.locator(".chip", has_text="plateformes").click()
    page.wait_for_url(f"{live_server.url}/g/tic-travail/?")
    assert page.locator(".item").count() == 5
