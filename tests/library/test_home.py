"""The home page: what Commonplace is for and recent public activity for a visitor, my groups'
latest items when signed in; a private group's items never show to outsiders."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups(db):
    public = GroupFactory(name="Tic&Travail", visibility="public")
    private = GroupFactory(name="Conseil secret", visibility="private")
    saver = MembershipFactory(group=public).user
    MembershipFactory(group=private, user=saver)
    item = BookmarkFactory(group=public, owner=saver, title="Le micro-travail expliqué")
    HighlightFactory(bookmark=item)
    CommentFactory(bookmark=item, author=saver)
    BookmarkFactory(group=private, owner=saver, title="Ordre du jour confidentiel")
    BookmarkFactory(owner=saver, group=None, private=False, title="Lecture personnelle")
    return public, private, saver


def test_a_visitor_learns_what_commonplace_is_for_and_is_asked_to_sign_up(client, groups):
    page = client.get("/").text
    for words in ("Groups", "Highlights", "Discussion", "Create your free account"):
        assert words in page, words
    assert 'href="/accounts/signup/"' in page


def test_a_visitor_sees_recent_public_activity_and_never_a_private_groups_items(client, groups):
    page = client.get("/").text
    assert "Recently in public groups" in page
    assert "Le micro-travail expliqué" in page
    assert "1 highlight" in page and "1 comment" in page
    assert "Ordre du jour confidentiel" not in page
    assert "Conseil secret" not in page
    assert "Lecture personnelle" not in page  # a personal library is not group activity


def test_a_signed_in_outsider_never_sees_a_private_groups_items(client, groups):
    public, _private, _saver = groups
    outsider = MembershipFactory(group=public).user
    client.force_login(outsider)
    page = client.get("/").text
    assert "Le micro-travail expliqué" in page
    assert "Ordre du jour confidentiel" not in page


def test_the_signed_in_home_shows_my_groups_latest_items(client, groups):
    _public, _private, saver = groups
    elsewhere = GroupFactory(visibility="public")
    BookmarkFactory(group=elsewhere, title="Ailleurs")
    client.force_login(saver)
    page = client.get("/").text
    assert "Latest in my groups" in page
    assert "Ordre du jour confidentiel" in page
    assert "Le micro-travail expliqué" in page
    assert "Ailleurs" not in page, "only my groups"
    assert "Create your free account" not in page


def test_no_sign_up_call_when_sign_up_is_closed(client, groups, settings):
    settings.SIGNUP_POLICY = "closed"
    assert "Create your free account" not in client.get("/").text


def test_the_home_page_speaks_french_to_a_visitor(client, groups):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").text
    assert "Créer votre compte gratuit" in page
    assert "Récemment dans les groupes publics" in page


def _queries(client):
    with CaptureQueriesContext(connection) as context:
        assert client.get("/").status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_home_page_costs_the_same_for_n_and_2n_items(client, signed_in):
    group = GroupFactory(visibility="public")
    user = MembershipFactory(group=group).user if signed_in else UserFactory()
    if signed_in:
        client.force_login(user)

    def add(n):
        for _ in range(n):
            item = BookmarkFactory(group=group, owner=user)
            HighlightFactory(bookmark=item)
            CommentFactory(bookmark=item, author=user)

    add(3)
    small = _queries(client)
    add(3)
    assert _queries(client) == small
