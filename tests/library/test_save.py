"""The save form and its live endpoints, server side: private only in my library, re-saving
merges, several destinations in one submit, length limits next to their field, the
"already saved here?" check and the guarded title/description preview."""

import time

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import override_settings
from werkzeug import Response

from bookmarks.models import Bookmark, Page
from bookmarks.services import save_bookmark
from groups.models import Group
from library.services import save_page_to_destinations
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db
SAVE = "/save"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_private_with_a_group_is_refused_next_to_the_private_box(client, user, public_group):
    MembershipFactory(group=public_group, user=user)
    client.force_login(user)
    response = client.post(
        SAVE,
        {"url": "https://example.org/p", "destination": [str(public_group.pk)], "private": "on"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "private bookmark can only be saved in your own library" in errors["private"][0]
    assert public_group.name in errors["private"][0]
    assert not Bookmark.objects.exists()


def test_private_in_my_library_is_saved_private(client, user):
    client.force_login(user)
    client.post(SAVE, {"url": "https://example.org/p", "destination": "me", "private": "on"})
    assert Bookmark.objects.get().private is True


def test_one_submit_saves_one_bookmark_per_destination(client, user, public_group):
    other = GroupFactory(visibility=Group.Visibility.PUBLIC)
    for group in (public_group, other):
        MembershipFactory(group=group, user=user)
    client.force_login(user)
    response = client.post(
        SAVE,
        {
            "url": "https://example.org/many",
            "title": "Plusieurs",
            "tags": "a",
            "destination": ["me", str(public_group.pk), str(other.pk)],
            "quote": "un passage",
        },
        follow=True,
    )
    rows = Bookmark.objects.order_by("pk")
    assert [b.group for b in rows] == [None, public_group, other]
    assert {b.title for b in rows} == {"Plusieurs"}
    assert Page.objects.count() == 1
    assert all(b.highlights.count() == 1 for b in rows)
    assert f"Saved in My library, {public_group.name}, {other.name}." in response.content.decode()


def test_a_refused_destination_is_named_and_nothing_is_saved(client, user, public_group):
    membership = MembershipFactory(group=public_group, user=user)
    client.force_login(user)
    page = client.get(SAVE)  # the group is offered while the user is a member…
    assert str(public_group.pk) in page.content.decode()
    data = {"url": "https://example.org/x", "destination": ["me", str(public_group.pk)]}
    membership.delete()  # …and they leave it before submitting
    response = client.post(SAVE, data)
    assert response.status_code == 200
    assert "destination" in response.context["form"].errors
    assert not Bookmark.objects.exists()


def test_posting_to_a_group_one_may_not_post_to_is_refused_per_destination(user, public_group):
    with pytest.raises(ValidationError) as refused:
        save_page_to_destinations(
            user, "https://example.org/y", destinations=[None, public_group], title="T"
        )
    assert f"{public_group.name}: You cannot post to this group." in str(refused.value)
    assert not Bookmark.objects.exists()  # my library's bookmark was rolled back too


def test_resaving_merges_tags_and_keeps_the_description(client, user):
    client.force_login(user)
    url = "https://example.org/again"
    client.post(SAVE, {"url": url, "destination": "me", "tags": "a, b", "description": "Mine"})
    client.post(SAVE, {"url": url, "destination": "me", "tags": "c"})
    bookmark = Bookmark.objects.get()
    assert bookmark.tags == ["a", "b", "c"]
    assert bookmark.description == "Mine"
    client.post(SAVE, {"url": url, "destination": "me", "description": "Changed"})
    assert Bookmark.objects.get().description == "Changed"


def test_a_6000_character_quote_gets_a_message_next_to_it(client, user):
    client.force_login(user)
    response = client.post(
        SAVE, {"url": "https://example.org/q", "destination": "me", "quote": "é" * 6000}
    )
    html = response.content.decode()
    assert response.context["form"].errors["quote"]
    assert "at most 5000 characters" in html
    # the message is shown inside the quote's own (visible) row
    row = html[html.index('class="form-row quote-row') :]
    row = row[: row.index("</div>")]
    assert "hidden" not in row.split(">")[0]
    assert "at most 5000 characters" in row
    assert not Bookmark.objects.exists()


def test_over_long_context_is_cut_to_the_part_next_to_the_quote(client, user):
    client.force_login(user)
    client.post(
        SAVE,
        {
            "url": "https://example.org/c",
            "destination": "me",
            "quote": "le passage",
            "prefix": "x" * 900 + "avant ",
            "suffix": " après" + "y" * 900,
        },
    )
    highlight = Bookmark.objects.get().highlights.get()
    assert highlight.prefix.endswith("avant ") and len(highlight.prefix) == 500
    assert highlight.suffix.startswith(" après") and len(highlight.suffix) == 500


@pytest.mark.parametrize("field,size", [("url", 2049), ("title", 501), ("tags", 5001)])
def test_every_length_limit_is_a_message_next_to_its_field(client, user, field, size):
    client.force_login(user)
    data = {"url": "https://example.org/l", "destination": "me", field: "a" * size}
    if field == "url":
        data["url"] = "https://example.org/" + "a" * size
    response = client.post(SAVE, data)
    assert response.context["form"].errors[field]
    assert not Bookmark.objects.exists()


def test_check_says_when_i_saved_it_and_who_else_did_in_the_group(
    client, user, other_user, public_group, private_group
):
    MembershipFactory(group=public_group, user=user)
    MembershipFactory(group=public_group, user=other_user)
    url = "https://example.org/seen"
    mine, _ = save_bookmark(user, url, title="Mon titre", description="Ma note", tags="a, b")
    save_bookmark(other_user, url, group=public_group, title="Le sien")
    client.force_login(user)
    answer = client.get(
        "/save/check", {"url": "http://EXAMPLE.org/seen#x", "destination": ["me", public_group.pk]}
    ).json()
    assert answer["existing"] == {"title": "Mon titre", "description": "Ma note", "tags": "a, b"}
    day = mine.created_at.strftime("%-d %b %Y")
    assert f"You saved this on {day} — editing it." in answer["notice"]
    assert other_user.name in answer["notice"]
    assert public_group.name in answer["notice"]


def test_check_never_shows_saves_the_viewer_may_not_see(client, user, other_user, private_group):
    url = "https://example.org/hidden"
    MembershipFactory(group=private_group, user=other_user)
    save_bookmark(other_user, url, group=private_group)
    save_bookmark(other_user, url, private=True)
    client.force_login(user)
    answer = client.get("/save/check", {"url": url, "destination": ["me", private_group.pk]})
    assert answer.json() == {"existing": None, "notice": ""}


def test_check_of_a_new_or_bad_url_is_empty(client, user):
    client.force_login(user)
    assert client.get("/save/check", {"url": "javascript:x"}).json()["existing"] is None
    assert client.get("/save/check", {"url": "https://new.example/"}).json()["notice"] == ""


ARTICLE = b"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Le titre lu</title>
<meta name="description" content="La description lue."></head><body><p>x</p></body></html>"""


@override_settings(FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"])
def test_preview_reads_title_and_description_through_the_fetcher(client, user, httpserver):
    httpserver.expect_request("/a").respond_with_data(ARTICLE, content_type="text/html")
    client.force_login(user)
    answer = client.get("/save/preview", {"url": httpserver.url_for("/a")})
    assert answer.json() == {"title": "Le titre lu", "description": "La description lue."}
    assert not Page.objects.exists()  # a preview writes nothing


def test_preview_never_fetches_internal_addresses(client, user, httpserver):
    httpserver.expect_request("/a").respond_with_data(ARTICLE, content_type="text/html")
    client.force_login(user)
    answer = client.get("/save/preview", {"url": httpserver.url_for("/a")}).json()
    assert "blocked" in answer["error"]
    assert "title" not in answer
    assert httpserver.log == []


@override_settings(FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"], SAVE_PREVIEW_PER_MINUTE=2)
def test_preview_is_rate_limited_per_user(client, user, other_user, httpserver):
    httpserver.expect_request("/a").respond_with_data(ARTICLE, content_type="text/html")
    client.force_login(user)
    url = httpserver.url_for("/a")
    assert client.get("/save/preview", {"url": url}).status_code == 200
    assert client.get("/save/preview", {"url": url + "?2"}).status_code == 200
    limited = client.get("/save/preview", {"url": url + "?3"})
    assert limited.status_code == 429
    assert "too fast" in limited.json()["error"]
    assert limited["Retry-After"]
    client.force_login(other_user)
    assert client.get("/save/preview", {"url": url}).status_code == 200


@override_settings(FETCH_ALLOWED_NETWORKS=["127.0.0.1/32"], SAVE_PREVIEW_TIMEOUT=0.5)
def test_preview_gives_up_quickly_on_a_slow_page(client, user, httpserver):
    def slow(request):
        time.sleep(2)
        return Response(ARTICLE, content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    client.force_login(user)
    started = time.monotonic()
    answer = client.get("/save/preview", {"url": httpserver.url_for("/slow")}).json()
    assert time.monotonic() - started < 1.8
    assert "timed out" in answer["error"]


def test_preview_of_a_bad_url_is_a_400_with_a_message(client, user):
    client.force_login(user)
    answer = client.get("/save/preview", {"url": "ftp://x"})
    assert answer.status_code == 400
    assert answer.json()["error"]


def test_save_endpoints_need_a_login(client):
    for path in ("/save/check", "/save/preview"):
        assert client.get(path, {"url": "https://example.org/"}).status_code == 302


def test_save_page_keeps_its_opener_for_the_bookmarklet(client, user):
    client.force_login(user)
    assert client.get(SAVE)["Cross-Origin-Opener-Policy"] == "unsafe-none"
