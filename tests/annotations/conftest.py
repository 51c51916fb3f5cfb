"""Annotation tests: a clean rate-limit cache each test, and a group with a member's item."""

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
def member(group):
    return MembershipFactory(group=group, role="member").user


@pytest.fixture
def moderator(group):
    return MembershipFactory(group=group, role="moderator").user


@pytest.fixture
def item(group, member):
    return BookmarkFactory(group=group, owner=member)
