"""Fixtures shared by every test: real Postgres (pytest-django), factories, logged-in clients."""

import pytest

from tests.factories import GroupFactory, MembershipFactory, UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def public_group(db):
    return GroupFactory(visibility="public")


@pytest.fixture
def private_group(db):
    return GroupFactory(visibility="private")


def make_member(group, role="member", user=None):
    return MembershipFactory(group=group, role=role, **({"user": user} if user else {})).user


@pytest.fixture
def member_of():
    """member_of(group, role="member") → a new user with that role in the group."""
    return make_member


def pytest_configure(config):
    # `make test` deselects these (-m "not fuzz"); `make fuzz` runs only them (infra).
    config.addinivalue_line("markers", "fuzz: long fuzzing runs, only in `make fuzz`")
    # PBKDF2 costs ~0.3 s per password on this machine and every UserFactory hashes one:
    # tests use a fast hasher (production settings keep the strong default).
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Spam verdicts in tests come from the committed model, never from a model a developer
    # retrained in var/: a test that retrains points this at its own tmp_path.
    settings.SPAM_MODEL_PATH = settings.BASE_DIR / "var" / "tests-have-no-retrained-spam-model"


@pytest.fixture(autouse=True)
def _reset_language():
    """LocaleMiddleware leaves the request's language active in the thread: a French request in
    one test would otherwise turn the next test's lazy strings French."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _nothing_remembered():
    """What config.positions remembers goes stale when a change commits; a test's changes are
    rolled back, never committed: each test starts with nothing remembered."""
    import time

    from django.core.cache import cache

    from config.positions import VERSION_KEY

    cache.set(VERSION_KEY, time.monotonic_ns(), None)
