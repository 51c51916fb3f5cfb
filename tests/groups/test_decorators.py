"""Group pages declare their permission once: the decorator resolves group and role in one
query, refuses outsiders of a private group with 404 and too-low roles with 403."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from groups.selectors import group_with_role
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

# Group pages reached by slug that do not go through the decorator, and why.
UNDECORATED = {
    # the invitation link is for people outside the group, private ones included
    "groups:accept_invitation",
}


def group_routes():
    """(name, view) of every HTML URL pattern with a group slug in its path (the API's views
    resolve the group in their DRF permission path)."""
    found = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                ns = pattern.namespace or ""
                walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif "<slug:slug>" in str(pattern.pattern) and pattern.name:
                found.append((f"{namespace}{pattern.name}", pattern.callback))

    walk(get_resolver().url_patterns)
    return [(name, view) for name, view in found if not name.startswith("api:")]


def test_there_are_group_pages_to_check():
    names = {name for name, _view in group_routes()}
    assert {"library:group", "groups:members", "annotations:moderation_queue"} <= names


@pytest.mark.parametrize("name,view", group_routes(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_group_page_declares_its_permission(name, view):
    if name in UNDECORATED:
        return
    assert getattr(view, "group_permission", None) is not None, f"{name}: no @group_permission"


def test_moderation_pages_need_the_moderate_permission():
    views = dict(group_routes())
    for name in ("moderation_queue", "moderation_log", "moderation_action", "ban"):
        assert views[f"annotations:{name}"].group_permission == "moderate"


def test_group_and_role_come_from_one_query():
    group = GroupFactory(visibility="private")
    member = MembershipFactory(group=group, role="moderator").user
    with CaptureQueriesContext(connection) as captured:
        found, role = group_with_role(member, group.slug)
    assert (found, role) == (group, "moderator")
    assert len(captured) == 1


def test_a_private_group_is_404_to_outsiders_and_a_low_role_403(client):
    group = GroupFactory(visibility="private", slug="salle")
    outsider, member = UserFactory(), MembershipFactory(group=group).user
    client.force_login(outsider)
    assert client.get("/g/salle/").status_code == 404
    assert client.get("/g/salle/moderation/").status_code == 404
    client.force_login(member)
    assert client.get("/g/salle/").status_code == 200
    assert client.get("/g/salle/moderation/").status_code == 403
