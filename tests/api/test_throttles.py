"""Throttles answer 429 with Retry-After: anonymous, per user, and posting comments."""

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch):
    def _set(**scoped):
        for scope, rate in scoped.items():
            monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, rate)

    return _set


def test_anonymous_readers_are_throttled(anon, rates):
    rates(anon="3/min")
    statuses = [anon.get("/api/v1/groups/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = anon.get("/api/v1/groups/")
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"].lower()


def test_each_user_has_their_own_budget(client_for, user, other_user, rates):
    rates(user="2/min")
    me = client_for(user)
    assert [me.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 429]
    assert client_for(other_user).get("/api/v1/me/").status_code == 200


def test_posting_comments_has_its_own_rate(client_for, rates):
    rates(comments="2/min")
    group = GroupFactory()
    member = MembershipFactory(group=group).user
    bookmark = BookmarkFactory(group=group, owner=member)
    client = client_for(member)
    path = f"/api/v1/bookmarks/{bookmark.pk}/comments/"
    posted = [
        client.post(path, {"body": f"Remarque {i}"}, format="json").status_code for i in range(3)
    ]
    assert posted == [201, 201, 429]
    assert int(client.post(path, {"body": "encore"}, format="json")["Retry-After"]) > 0
    # reading the thread is not what the comments rate limits
    assert client.get(path).status_code == 200


def test_the_posting_rate_limit_of_the_annotations_is_a_429_too(client_for, settings):
    settings.ANNOTATIONS_POST_RATES = ((60, 2),)
    group = GroupFactory()
    member = MembershipFactory(group=group).user
    bookmark = BookmarkFactory(group=group, owner=member)
    client = client_for(member)
    path = f"/api/v1/bookmarks/{bookmark.pk}/highlights/"
    # a bare highlight is a reading mark, not a post: only highlights with a note count
    assert client.post(path, {"exact": "no note"}, format="json").status_code == 201
    statuses = [
        client.post(path, {"exact": f"passage {i}", "note": f"note {i}"}, format="json").status_code
        for i in range(3)
    ]
    assert statuses == [201, 201, 429]
    refused = client.post(path, {"exact": "encore", "note": "encore"}, format="json")
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "too fast" in refused.json()["detail"]
