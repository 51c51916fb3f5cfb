"""Every group page and action × every kind of viewer (a banned member too) × public/private.

One table says what each viewer gets. Outcomes:
  200    the page renders
  ok     a write went through: 302 and the group's state changed
  no     a refused write answered with a message: 302 back, nothing changed
  go     a plain redirect (e.g. back to the group page), nothing changed
  login  anonymous: 302 to the login page, nothing changed
  403    seen but not allowed, nothing changed
  404    a private group does not exist for a non-member, nothing changed
Everything except `ok` must leave the group's rows exactly as they were.
"""

from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages

from annotations.moderation import ban_member
from groups.models import Group, Invitation, JoinRequest, Membership
from groups.services import create_invitation
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

VIEWERS = ["anonymous", "non_member", "member", "moderator", "admin", "owner", "banned"]


@dataclass
class World:
    group: Group
    viewers: dict
    target: object  # a plain member the role/removal actions aim at
    join_request: JoinRequest  # pending, from someone outside the group
    invitation: Invitation  # valid


def build_world(visibility, join_policy):
    group = GroupFactory(visibility=visibility, join_policy=join_policy, name="Tic&Travail")
    viewers = {"anonymous": None, "non_member": UserFactory()}
    for role in ("member", "moderator", "admin", "owner"):
        viewers[role] = MembershipFactory(group=group, role=role).user
    target = MembershipFactory(group=group, role="member").user
    viewers["banned"] = MembershipFactory(group=group, role="member").user
    ban_member(viewers["owner"], group, viewers["banned"], "spam")
    join_request = JoinRequest.objects.create(group=group, user=UserFactory())
    invitation = create_invitation(viewers["owner"], group, days=7)
    return World(group, viewers, target, join_request, invitation)


def snapshot(group_pk):
    """Everything a group action could change."""
    return (
        list(Group.objects.filter(pk=group_pk).values()),
        sorted(Membership.objects.filter(group_id=group_pk).values_list("user_id", "role")),
        sorted(JoinRequest.objects.filter(group_id=group_pk).values_list("user_id", "status")),
        sorted(
            Invitation.objects.filter(group_id=group_pk).values_list(
                "token", "revoked", "use_count"
            )
        ),
    )


def no_data(w):
    return {}


def g(w):
    return f"/g/{w.group.slug}"


# name → (method, url, POST data, join policy of the group it runs against)
ACTIONS = {
    "members page": ("GET", lambda w: f"{g(w)}/members/", None, "open"),
    "settings page": ("GET", lambda w: f"{g(w)}/settings/", None, "open"),
    "settings save": (
        "POST",
        lambda w: f"{g(w)}/settings/",
        lambda w: {
            "name": "Renamed",
            "description": "new",
            "visibility": w.group.visibility,
            "join_policy": w.group.join_policy,
        },
        "open",
    ),
    "delete page": ("GET", lambda w: f"{g(w)}/delete/", None, "open"),
    "delete": ("POST", lambda w: f"{g(w)}/delete/", no_data, "open"),
    "join": ("POST", lambda w: f"{g(w)}/join/", no_data, "open"),
    "join (GET)": ("GET", lambda w: f"{g(w)}/join/", None, "open"),
    "request page": ("GET", lambda w: f"{g(w)}/request/", None, "request"),
    "request": ("POST", lambda w: f"{g(w)}/request/", lambda w: {"message": "hi"}, "request"),
    "leave page": ("GET", lambda w: f"{g(w)}/leave/", None, "open"),
    "leave": ("POST", lambda w: f"{g(w)}/leave/", no_data, "open"),
    "requests page": ("GET", lambda w: f"{g(w)}/requests/", None, "request"),
    "approve request": (
        "POST",
        lambda w: f"{g(w)}/requests/{w.join_request.pk}/",
        lambda w: {"decision": "approve"},
        "request",
    ),
    "deny request": (
        "POST",
        lambda w: f"{g(w)}/requests/{w.join_request.pk}/",
        lambda w: {"decision": "deny"},
        "request",
    ),
    "invitations page": ("GET", lambda w: f"{g(w)}/invitations/", None, "invite"),
    "create invitation": (
        "POST",
        lambda w: f"{g(w)}/invitations/",
        lambda w: {"days": "7"},
        "invite",
    ),
    "revoke invitation": (
        "POST",
        lambda w: f"{g(w)}/invitations/{w.invitation.pk}/revoke/",
        no_data,
        "invite",
    ),
    "set role": (
        "POST",
        lambda w: f"{g(w)}/members/{w.target.username}/role/",
        lambda w: {"role": "moderator"},
        "open",
    ),
    "remove member": (
        "POST",
        lambda w: f"{g(w)}/members/{w.target.username}/remove/",
        no_data,
        "open",
    ),
    "invitation page": ("GET", lambda w: f"{g(w)}/invite/{w.invitation.token}/", None, "invite"),
    "accept invitation": (
        "POST",
        lambda w: f"{g(w)}/invite/{w.invitation.token}/",
        no_data,
        "invite",
    ),
}

# fmt: off
#                          public group                         private group
#                          anon  non   mem   mod   admin owner  anon  non   mem   mod   admin owner
MATRIX = {
    "members page":      ("200   200   200   200   200   200", "404   404   200   200   200   200"),
    "settings page":     ("login 403   403   403   200   200", "login 404   403   403   200   200"),
    "settings save":     ("login 403   403   403   ok    ok",  "login 404   403   403   ok    ok"),
    "delete page":       ("login 403   403   403   403   200", "login 404   403   403   403   200"),
    "delete":            ("login 403   403   403   403   ok",  "login 404   403   403   403   ok"),
    "join":              ("login ok    no    no    no    no",  "login 404   no    no    no    no"),
    # back from the login page: lands on the group, joins nothing
    "join (GET)":        ("login go    go    go    go    go",  "login 404   go    go    go    go"),
    "request page":      ("login 200   200   200   200   200", "login 404   200   200   200   200"),
    "request":           ("login ok    no    no    no    no",  "login 404   no    no    no    no"),
    "leave page":        ("login 403   200   200   200   200", "login 404   200   200   200   200"),
    # the owner is the group's only owner: the last owner cannot leave
    "leave":             ("login 403   ok    ok    ok    no",  "login 404   ok    ok    ok    no"),
    "requests page":     ("login 403   403   403   200   200", "login 404   403   403   200   200"),
    "approve request":   ("login 403   403   403   ok    ok",  "login 404   403   403   ok    ok"),
    "deny request":      ("login 403   403   403   ok    ok",  "login 404   403   403   ok    ok"),
    "invitations page":  ("login 403   403   403   200   200", "login 404   403   403   200   200"),
    "create invitation": ("login 403   403   403   ok    ok",  "login 404   403   403   ok    ok"),
    "revoke invitation": ("login 403   403   403   ok    ok",  "login 404   403   403   ok    ok"),
    "set role":          ("login 403   403   403   ok    ok",  "login 404   403   403   ok    ok"),
    "remove member":     ("login 403   403   403   ok    ok",  "login 404   403   403   ok    ok"),
    # holding a valid invitation token is the one way a non-member sees a private group's name
    "invitation page":   ("200   200   200   200   200   200", "200   200   200   200   200   200"),
    "accept invitation": ("login ok    200   200   200   200", "login ok    200   200   200   200"),
}

# The "banned" viewer: was a member, then banned (groups.Ban): out of the group, kept out of it.
#                      public  private
BANNED = {
    "members page":        ("200",   "404"),
    "settings page":       ("403",   "404"),
    "settings save":       ("403",   "404"),
    "delete page":         ("403",   "404"),
    "delete":              ("403",   "404"),
    "join":                ("403",   "404"),
    "join (GET)":          ("go",    "404"),
    "request page":        ("200",   "404"),
    "request":             ("403",   "404"),
    "leave page":          ("403",   "404"),
    "leave":               ("403",   "404"),
    "requests page":       ("403",   "404"),
    "approve request":     ("403",   "404"),
    "deny request":        ("403",   "404"),
    "invitations page":    ("403",   "404"),
    "create invitation":   ("403",   "404"),
    "revoke invitation":   ("403",   "404"),
    "set role":            ("403",   "404"),
    "remove member":       ("403",   "404"),
    "invitation page":     ("200",   "200"),
    "accept invitation":   ("403",   "403"),
}
# fmt: on


def cases():
    for action, (public, private) in MATRIX.items():
        banned_public, banned_private = BANNED[action]
        for visibility, row in (
            ("public", f"{public} {banned_public}"),
            ("private", f"{private} {banned_private}"),
        ):
            outcomes = row.split()
            assert len(outcomes) == len(VIEWERS), action
            for viewer, outcome in zip(VIEWERS, outcomes, strict=True):
                yield pytest.param(
                    action, visibility, viewer, outcome, id=f"{action}-{visibility}-{viewer}"
                )


def test_matrix_covers_every_action():
    assert set(MATRIX) == set(ACTIONS) == set(BANNED)


@pytest.mark.parametrize(("action", "visibility", "viewer", "expected"), list(cases()))
def test_permission_matrix(client, action, visibility, viewer, expected):
    method, url, data, join_policy = ACTIONS[action]
    world = build_world(visibility, join_policy)
    if world.viewers[viewer] is not None:
        client.force_login(world.viewers[viewer])
    before = snapshot(world.group.pk)

    send = client.get if method == "GET" else client.post
    response = send(url(world), data(world) if data else None)

    after = snapshot(world.group.pk)
    status = {"ok": 302, "no": 302, "go": 302, "login": 302}.get(expected) or int(expected)
    assert response.status_code == status, response.content[:300]
    if expected == "ok":
        assert after != before, "the write should have changed the group"
    else:
        assert after == before, "a refused request must change nothing"
    location = response.get("Location", "")
    if expected == "login":
        assert location.startswith("/accounts/login/")
    if expected in ("ok", "no", "go"):
        assert not location.startswith("/accounts/login/")
        levels = [m.level_tag for m in get_messages(response.wsgi_request)]
        assert ("error" in levels) == (expected == "no"), levels
    if expected == "404" and world.group.visibility == "private":
        assert "Tic&amp;Travail" not in response.text


def test_anonymous_redirect_does_not_reveal_whether_a_private_group_exists(client):
    private = GroupFactory(visibility="private")
    for path in ("settings/", "leave/", "requests/", "invitations/"):
        real = client.get(f"/g/{private.slug}/{path}")
        fake = client.get(f"/g/no-such-group/{path}")
        assert real.status_code == fake.status_code == 302
        assert real["Location"].replace(private.slug, "X") == fake["Location"].replace(
            "no-such-group", "X"
        )
