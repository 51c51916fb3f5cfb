"""Fixtures for schemathesis runs against the in-process WSGI app."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

from groups.models import Topic
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
)


@pytest.fixture(scope="module")
def library(django_db_setup, django_db_blocker):
    """A member of a public and a private group, with items in both, shared by every test of
    the module.

    The data is made once and committed (a flush per operation would cost more than the
    fuzzing itself); each test's own writes roll back with its transaction. A request the
    database refused would break that transaction: the next request then fails loudly, which
    is what we want from a fuzzer. Everything is flushed at the end.
    """
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        # schemathesis calls the app as host "localhost"; throttles would make it all 429s
        override = override_settings(
            ALLOWED_HOSTS=["localhost", "testserver"],
            ANNOTATIONS_POST_RATES=((60, 1_000_000),),
        )
        override.enable()
        for scope in ("anon", "user", "comments"):
            patch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "1000000/min")
        # As Django's test client does: a request must not close the test's connection.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        cache.clear()
        public = GroupFactory(visibility="public")
        private = GroupFactory(visibility="private")
        member = MembershipFactory(group=public, role="member").user
        MembershipFactory(group=private, role="member", user=member)
        for group in (public, private):
            bookmark = BookmarkFactory(group=group, owner=member, tags=["travail"])
            HighlightFactory(bookmark=bookmark, author=member, note="note")
            CommentFactory(bookmark=bookmark, author=member)
            Topic.objects.create(group=group, author=member, title="Sujet")
        token, _ = Token.objects.get_or_create(user=member)
        try:
            yield {"member": member, "token": token.key}
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
            override.disable()
            cache.clear()
            call_command("flush", interactive=False, verbosity=0)
