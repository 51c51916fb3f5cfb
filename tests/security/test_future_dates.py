"""Attack probes: a date from the future (year 9999) would pin an item on top of a shared
library and its feed. Imports and the API clamp every date they take to now (a few minutes of
clock skew allowed) and say so: in the import report, in the API answer's `notes`
(issue 19, point 3)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.models import Highlight
from bookmarks.dates import FUTURE_SKEW
from bookmarks.models import Bookmark
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory
from transfer.services import start_import

pytestmark = pytest.mark.django_db

FUTURE = "9999-12-31T23:59:59Z"
NOTE = "a date in the future (9999-12-31) set to today"


@pytest.fixture
def group():
    return GroupFactory(visibility="public", slug="tic-travail")


@pytest.fixture
def member(group):
    return MembershipFactory(group=group, role="member").user


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def near_now(value):
    return abs(value - timezone.now()) < timedelta(minutes=1)


def test_an_import_into_a_group_clamps_a_date_from_the_future_and_reports_it(group, member):
    data = (
        b"title,url,tags,description,comments,annotations,created_at\n"
        b"Futur,https://example.org/futur,,,,,9999-12-31 23:59:59\n"
        b"Hier,https://example.org/hier,,,,,2020-05-01 10:00:00\n"
    )
    job = start_import(member, filename="f.csv", data=data, group=group, run_now=True)
    futur = Bookmark.objects.get(group=group, page__url="https://example.org/futur")
    assert near_now(futur.created_at)
    hier = Bookmark.objects.get(group=group, page__url="https://example.org/hier")
    assert hier.created_at == datetime(2020, 5, 1, 10, tzinfo=UTC)
    assert job.report["notes"] == [{"where": "line 2", "message": NOTE}]


def test_the_api_clamps_a_created_at_from_the_future_and_says_so(group, member):
    response = api(member).post(
        "/api/v1/bookmarks/",
        {"url": "https://example.org/futur", "group": group.slug, "created_at": FUTURE},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["notes"] == [{"where": "created_at", "message": NOTE}]
    assert near_now(Bookmark.objects.get(pk=body["id"]).created_at)
    assert not body["created_at"].startswith("9999")


def test_the_api_keeps_a_past_date_and_a_clock_a_little_ahead(member):
    client = api(member)
    past = client.post(
        "/api/v1/bookmarks/",
        {"url": "https://example.org/hier", "created_at": "2020-05-01T10:00:00Z"},
        format="json",
    )
    assert past.status_code == 201
    assert past.json()["notes"] == []
    assert Bookmark.objects.get(pk=past.json()["id"]).created_at == datetime(
        2020, 5, 1, 10, tzinfo=UTC
    )
    ahead = timezone.now() + FUTURE_SKEW - timedelta(minutes=1)
    skewed = client.post(
        "/api/v1/bookmarks/",
        {"url": "https://example.org/ahead", "created_at": ahead.isoformat()},
        format="json",
    )
    assert skewed.json()["notes"] == []
    assert Bookmark.objects.get(pk=skewed.json()["id"]).created_at == ahead


def test_editing_the_date_by_the_api_clamps_it_too(member):
    bookmark = BookmarkFactory(owner=member)
    response = api(member).patch(
        f"/api/v1/bookmarks/{bookmark.pk}/", {"created_at": FUTURE}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["notes"] == [{"where": "created_at", "message": NOTE}]
    assert near_now(Bookmark.objects.get(pk=bookmark.pk).created_at)


def test_a_future_dated_save_does_not_pin_itself_above_newer_items(client, group, member):
    spammer = api(member).post(
        "/api/v1/bookmarks/",
        {"url": "https://spam.example/pills", "group": group.slug, "created_at": FUTURE},
        format="json",
    )
    honest = BookmarkFactory(group=group, created_at=timezone.now() + timedelta(minutes=2))
    listed = client.get(f"/api/v1/bookmarks/?group={group.slug}").json()["results"]
    assert [b["id"] for b in listed] == [honest.pk, spammer.json()["id"]]
    feed = client.get(f"/feeds/g/{group.slug}.atom").content.decode()
    assert feed.index(f"/b/{honest.pk}/") < feed.index(f"/b/{spammer.json()['id']}/")
    assert "9999" not in feed


def test_highlights_and_comments_take_no_date_from_the_client(member, group):
    bookmark = BookmarkFactory(group=group, owner=member)
    client = api(member)
    highlight = client.post(
        f"/api/v1/bookmarks/{bookmark.pk}/highlights/",
        {"exact": "un passage", "created_at": FUTURE, "created": FUTURE},
        format="json",
    )
    assert highlight.status_code == 201, highlight.content
    assert near_now(Highlight.objects.get(pk=highlight.json()["id"]).created_at)
    comment = client.post(
        f"/api/v1/bookmarks/{bookmark.pk}/comments/",
        {"body": "Bien vu.", "created_at": FUTURE},
        format="json",
    )
    assert comment.status_code == 201, comment.content
    assert not comment.json()["created_at"].startswith("9999")
