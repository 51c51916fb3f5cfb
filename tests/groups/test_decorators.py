"""Group pages declare their permission once: the decorator resolves group and role in one
query, refuses outsiders of a private group with 404 and too-low roles with 403."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver

from groups.models import JoinRequest
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


def test_the_header_counts_come_in_the_same_query_as_group_and_role():
    group = GroupFactory(visibility="private", join_policy="request")
    owner = MembershipFactory(group=group, role="owner").user
    MembershipFactory(group=group)
    with CaptureQueriesContext(connection) as captured:
        found, role = group_with_role(owner, group.slug, header=True)
    assert len(captured) == 1
    assert role == "owner"
    assert (found.member_count, found.owner_count, found.viewer_pending) == (2, 1, False)


def test_the_header_query_still_hides_a_private_group_and_sees_a_pending_request():
    group = GroupFactory(visibility="private", join_policy="request")
    asking = UserFactory()
    JoinRequest.objects.create(group=group, user=asking)
    with pytest.raises(Http404):
        group_with_role(asking, group.slug, header=True)
    group.visibility = "public"
    group.save()
    found, role = group_with_role(asking, group.slug, header=True)
    assert role is None and found.viewer_pending is True and found.member_count == 0
    found, role = group_with_role(AnonymousUser(), group.slug, header=True)
    assert role is None and found.viewer_pending is False


def test_the_group_library_reads_the_viewers_membership_once(client):
    """Group, role and header counts in one query: the tabs and the header reuse them."""
    group = GroupFactory(visibility="private", slug="salle")
    for role in ("owner", "moderator", "member"):
        client.force_login(MembershipFactory(group=group, role=role).user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/g/salle/").status_code == 200
        sql = [q["sql"] for q in captured]
        groups = [q for q in sql if q.startswith('SELECT "groups_group"')]
        memberships = [q for q in sql if q.split(" WHERE ")[0].endswith('FROM "groups_membership"')]
        assert (len(groups), memberships) == (1, []), role
