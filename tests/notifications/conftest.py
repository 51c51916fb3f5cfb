"""Notification tests: a clean rate-limit cache, a public group with a member's item."""

import pytest
from django.core.cache import cache

from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def group(db):
    return GroupFactory(visibility="public")


@pytest.fixture
def saver(group):
    return MembershipFactory(group=group, role="member").user


@pytest.fixture
def replier(group):
    return MembershipFactory(group=group, role="member").user


@pytest.fixture
def item(group, saver):
    return BookmarkFactory(group=group, owner=saver, title="Le travail à distance")


def inbox(user):
    """(kind, actor username) of what the user's notification list shows, newest first."""
    from notifications.selectors import notifications_for

    return [(n.kind, n.actor.username if n.actor else None) for n in notifications_for(user)]
