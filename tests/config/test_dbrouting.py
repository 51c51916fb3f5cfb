"""Replica routing: read-only pages read a replica, a writer is pinned to the primary, and
nothing changes without DATABASE_REPLICA_URLS."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory, override_settings
from django.urls import resolve

from bookmarks.models import Bookmark
from config.dbrouting import PIN_COOKIE, ReplicaMiddleware, ReplicaRouter
from transfer.models import ImportJob

with_replica = override_settings(
    DATABASES={**settings.DATABASES, "replica1": {**settings.DATABASES["default"]}}
)


def serve(request, *, user=None, answer=None):
    """Run the middleware around a view that records where a Bookmark read would go."""
    seen = {}
    request.user = user or AnonymousUser()
    request.resolver_match = resolve(request.path)
    middleware = ReplicaMiddleware(lambda r: answer(seen) if answer else HttpResponse())

    def view(seen):
        seen["bookmarks"] = ReplicaRouter().db_for_read(Bookmark)
        seen["sessions"] = ReplicaRouter().db_for_read(Session)
        seen["imports"] = ReplicaRouter().db_for_read(ImportJob)
        return HttpResponse()

    def get_response(r):
        middleware.process_view(r, None, (), {})
        return (answer or view)(seen)

    middleware.get_response = get_response
    response = middleware(request)
    return seen, response


@with_replica
def test_an_anonymous_library_page_reads_a_replica_but_never_sessions_or_imports():
    seen, _ = serve(RequestFactory().get("/g/tictravail/"))
    assert seen == {"bookmarks": "replica1", "sessions": None, "imports": None}


class Member:
    is_authenticated = True


@with_replica
def test_a_member_reads_search_from_a_replica_but_the_import_page_from_the_primary():
    user = Member()
    assert serve(RequestFactory().get("/search/?q=x"), user=user)[0]["bookmarks"] == "replica1"
    assert serve(RequestFactory().get("/import/"), user=user)[0]["bookmarks"] is None
    assert serve(RequestFactory().get("/accounts/settings/"), user=user)[0]["bookmarks"] is None


@with_replica
def test_a_write_pins_the_browser_to_the_primary_for_a_few_seconds():
    seen, response = serve(RequestFactory().post("/save"))
    assert seen["bookmarks"] is None
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.DATABASE_PIN_SECONDS
    pinned = RequestFactory().get("/g/tictravail/")
    pinned.COOKIES[PIN_COOKIE] = "1"
    assert serve(pinned)[0]["bookmarks"] is None


@with_replica
@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_transaction_stays_on_the_primary():
    def view(seen):
        with transaction.atomic():
            seen["bookmarks"] = ReplicaRouter().db_for_read(Bookmark)
        return HttpResponse()

    seen, _ = serve(RequestFactory().get("/g/tictravail/"), answer=view)
    assert seen["bookmarks"] is None


@with_replica
def test_an_export_streamed_after_the_view_returned_still_reads_the_replica():
    def view(seen):
        def rows():
            yield ReplicaRouter().db_for_read(Bookmark) or "primary"

        return StreamingHttpResponse(rows())

    _, response = serve(RequestFactory().get("/g/tictravail/"), answer=view)
    assert b"".join(response.streaming_content) == b"replica1"
    assert ReplicaRouter().db_for_read(Bookmark) is None  # and only while it streams


def test_without_replicas_nothing_is_routed_and_no_cookie_is_set():
    assert settings.DATABASE_ROUTERS == [] or "replica1" not in settings.DATABASES
    seen, response = serve(RequestFactory().post("/save"))
    assert seen["bookmarks"] is None
    assert PIN_COOKIE not in response.cookies
    seen, _ = serve(RequestFactory().get("/g/tictravail/"))
    assert seen["bookmarks"] is None


def test_replicas_are_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "bookmarks")
    assert router.allow_migrate("direct", "bookmarks")
    assert not router.allow_migrate("replica1", "bookmarks")
