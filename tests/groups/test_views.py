"""Group pages as a user sees them: directory, home, profile header, forms, clear refusals."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from groups import services
from groups.models import Ban, Group, Invitation, Membership
from groups.selectors import role_of
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(group, role="member", **kwargs):
    return MembershipFactory(group=group, role=role, **kwargs).user


# --- directory and home ---------------------------------------------------------------------


def test_directory_lists_public_groups_with_member_counts_and_hides_private_ones(client):
    public = GroupFactory(name="Tic&Travail", visibility="public")
    member(public)
    member(public)
    private = GroupFactory(name="Secret Garden", visibility="private")
    member(private)
    response = client.get("/g/")
    assert response.status_code == 200
    assert "Tic&amp;Travail" in response.text
    assert "2 members" in response.text
    assert "Secret Garden" not in response.text


def test_directory_hides_private_groups_even_from_their_members(client):
    private = GroupFactory(name="Secret Garden", visibility="private")
    client.force_login(member(private))
    assert "Secret Garden" not in client.get("/g/").text


def test_directory_search_and_pagination(client):
    for i in range(25):
        GroupFactory(name=f"Reading circle {i:02d}")
    GroupFactory(name="Travail numérique", description="micro-travail")
    page1 = client.get("/g/")
    assert "Page 1 of 2" in page1.text
    page2 = client.get("/g/?page=2")
    assert page2.status_code == 200
    assert client.get("/g/?page=abc").status_code == 200
    found = client.get("/g/?q=travail")
    assert "Travail numérique" in found.text
    assert "Reading circle" not in found.text
    assert "No public group matches" in client.get("/g/?q=zzz").text


def test_directory_costs_the_same_for_20_groups_as_for_2(client, django_assert_max_num_queries):
    for _ in range(2):
        member(GroupFactory())
    with django_assert_max_num_queries(3) as small:
        client.get("/g/")
    for _ in range(18):
        member(GroupFactory())
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/g/")


def test_members_page_costs_the_same_for_20_members_as_for_2(client, django_assert_max_num_queries):
    group = GroupFactory()
    owner = member(group, "owner")
    member(group)
    client.force_login(owner)
    # 14: the header's notification bell is one count query, and an owner's "may I leave?"
    # (am I the last owner) another
    with django_assert_max_num_queries(14) as small:
        assert client.get(f"/g/{group.slug}/members/").status_code == 200
    for _ in range(18):
        member(group)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(f"/g/{group.slug}/members/")


def test_members_page_shows_roles_and_manage_controls_only_to_admins(client):
    group = GroupFactory()
    owner = member(group, "owner", user=UserFactory(display_name="Olga Owner"))
    plain = member(group, user=UserFactory(display_name="Max Member"))
    client.force_login(plain)
    page = client.get(f"/g/{group.slug}/members/").text
    assert "Olga Owner" in page and "Owner" in page
    assert "Change role" not in page
    client.force_login(owner)
    page = client.get(f"/g/{group.slug}/members/").text
    assert "Change role" in page
    assert f"/g/{group.slug}/members/{plain.username}/remove/" in page


def test_home_shows_my_groups_including_private_ones(client):
    private = GroupFactory(name="Secret Garden", visibility="private")
    insider = member(private)
    client.force_login(insider)
    assert "Secret Garden" in client.get("/").text
    client.force_login(UserFactory())
    page = client.get("/").text
    assert "Secret Garden" not in page
    assert "You are not in any group yet." in page


# --- profile header ---------------------------------------------------------------------------


def render_profile_header(profile_user, viewer):
    request = RequestFactory().get(f"/u/{profile_user.username}/")
    request.user = viewer
    return render_to_string(
        "accounts/_profile_header.html",
        {"profile_user": profile_user, "user": viewer},
        request=request,
    )


def test_profile_header_shows_only_the_groups_the_viewer_may_see():
    person = UserFactory(display_name="Ada", bio="Reads a lot.")
    public = GroupFactory(name="Open Readers")
    private = GroupFactory(name="Secret Garden", visibility="private")
    member(public, user=person)
    member(private, user=person)
    fellow = member(private)

    for stranger in (AnonymousUser(), UserFactory()):
        html = render_profile_header(person, stranger)
        assert "Ada" in html and "Reads a lot." in html
        assert "Open Readers" in html
        assert "Secret Garden" not in html
    assert "Secret Garden" in render_profile_header(person, fellow)
    assert "Secret Garden" in render_profile_header(person, person)


# --- forms and messages -----------------------------------------------------------------------


def test_create_group_page_makes_the_creator_owner(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/g/new/").status_code == 200
    response = client.post(
        "/g/new/",
        {"name": "Café Philo", "description": "", "visibility": "private", "join_policy": "invite"},
    )
    group = Group.objects.get(name="Café Philo")
    assert response.status_code == 302
    assert response["Location"] == f"/g/{group.slug}/"
    assert group.slug == "cafe-philo"
    assert role_of(user, group) == "owner"


def test_create_group_with_bad_input_shows_errors(client):
    client.force_login(UserFactory())
    response = client.post("/g/new/", {"name": "", "visibility": "secret", "join_policy": "open"})
    assert response.status_code == 200
    assert Group.objects.count() == 0


def test_settings_with_an_empty_name_changes_nothing(client):
    group = GroupFactory(name="Keep Me")
    client.force_login(member(group, "admin"))
    response = client.post(
        f"/g/{group.slug}/settings/",
        {"name": "", "visibility": "public", "join_policy": "open"},
    )
    assert response.status_code == 200
    group.refresh_from_db()
    assert group.name == "Keep Me"


def test_last_owner_trying_to_leave_is_told_why(client):
    group = GroupFactory()
    owner = member(group, "owner")
    client.force_login(owner)
    response = client.post(f"/g/{group.slug}/leave/", follow=True)
    assert "last owner" in response.text
    assert role_of(owner, group) == "owner"


def test_banned_user_is_told_why_they_cannot_join(client):
    group = GroupFactory(join_policy="open")
    user = UserFactory()
    Ban.objects.create(group=group, user=user)
    client.force_login(user)
    response = client.post(f"/g/{group.slug}/join/")
    assert response.status_code == 403
    assert "banned" in response.text
    assert not Membership.objects.filter(user=user).exists()


def test_nonsense_input_never_gives_a_server_error(client):
    group = GroupFactory(join_policy="request")
    owner = member(group, "owner")
    target = member(group)
    join_request = services.request_to_join(UserFactory(), group)
    client.force_login(owner)
    slug = group.slug
    assert (
        client.post(f"/g/{slug}/members/{target.username}/role/", {"role": "king"}).status_code
        == 302
    )
    assert client.post(f"/g/{slug}/members/nobody/role/", {"role": "member"}).status_code == 404
    assert (
        client.post(f"/g/{slug}/requests/{join_request.pk}/", {"decision": "maybe"}).status_code
        == 302
    )
    assert client.post(f"/g/{slug}/requests/999999/", {"decision": "approve"}).status_code == 404
    assert client.post(f"/g/{slug}/invitations/", {"days": "abc"}).status_code == 200
    assert client.post(f"/g/{slug}/invitations/", {"days": "1000"}).status_code == 200
    assert client.get(f"/g/{slug}/invite/not-a-token/").status_code == 404
    assert role_of(target, group) == "member"
    assert Invitation.objects.count() == 0


# --- invitation links ------------------------------------------------------------------------


def test_invitation_link_to_a_private_group_shows_what_one_is_invited_to(client):
    # A valid link lets its holder join and read everything: telling them first what the group
    # is about reveals nothing more. A dead link shows only the name (tests/groups/
    # test_invitations.py).
    group = GroupFactory(
        name="Secret Garden", visibility="private", join_policy="invite", description="our plans"
    )
    owner = member(group, "owner")
    invitation = services.create_invitation(owner, group)
    page = client.get(f"/g/{group.slug}/invite/{invitation.token}/")
    assert page.status_code == 200
    assert "Secret Garden" in page.text
    assert "our plans" in page.text
    assert "Log in" in page.text
    services.revoke_invitation(owner, invitation)
    assert "our plans" not in client.get(f"/g/{group.slug}/invite/{invitation.token}/").text
    other = GroupFactory(visibility="private")
    assert client.get(f"/g/{other.slug}/invite/{invitation.token}/").status_code == 404


def test_accepting_an_invitation_link_joins_and_opens_the_group(client):
    group = GroupFactory(visibility="private", join_policy="invite")
    invitation = services.create_invitation(member(group, "admin"), group)
    user = UserFactory()
    client.force_login(user)
    response = client.post(f"/g/{group.slug}/invite/{invitation.token}/")
    assert response.status_code == 302
    assert response["Location"] == f"/g/{group.slug}/"
    assert role_of(user, group) == "member"


def test_expired_invitation_link_says_so(client):
    group = GroupFactory(join_policy="invite")
    invitation = services.create_invitation(member(group, "admin"), group)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    user = UserFactory()
    client.force_login(user)
    for method in (client.get, client.post):
        response = method(f"/g/{group.slug}/invite/{invitation.token}/")
        assert response.status_code == 410
        assert "This invitation has expired." in response.text
    assert role_of(user, group) is None


def test_revoked_invitation_link_says_so(client):
    group = GroupFactory(join_policy="invite")
    admin = member(group, "admin")
    invitation = services.revoke_invitation(admin, services.create_invitation(admin, group))
    client.force_login(UserFactory())
    response = client.post(f"/g/{group.slug}/invite/{invitation.token}/")
    assert response.status_code == 410
    assert "withdrawn" in response.text


def test_invitations_page_lists_links_to_copy(client):
    group = GroupFactory(join_policy="invite")
    admin = member(group, "admin")
    client.force_login(admin)
    client.post(f"/g/{group.slug}/invitations/", {"days": "3", "max_uses": "2"})
    invitation = Invitation.objects.get(group=group)
    assert invitation.max_uses == 2
    page = client.get(f"/g/{group.slug}/invitations/").text
    assert f"/g/{group.slug}/invite/{invitation.token}/" in page


# --- the actions partial for the group home ----------------------------------------------------


def render_actions(group, viewer):
    from django.template import Context, Template

    request = RequestFactory().get(f"/g/{group.slug}/")
    request.user = viewer
    template = Template("{% load group_tags %}{% group_actions group %}")
    return template.render(Context({"group": group, "request": request, "csrf_token": "x"}))


def test_group_actions_offer_what_the_policy_allows():
    user = UserFactory()
    assert "Join this group" in render_actions(GroupFactory(join_policy="open"), user)
    assert "Ask to join" in render_actions(GroupFactory(join_policy="request"), user)
    assert "by invitation only" in render_actions(GroupFactory(join_policy="invite"), user)
    asked = GroupFactory(join_policy="request")
    services.request_to_join(user, asked)
    assert "waiting for an admin" in render_actions(asked, user)
    owned = GroupFactory()
    html = render_actions(owned, member(owned, "owner", user=UserFactory()))
    assert "Settings" in html and "Invitations" in html
    assert "Log in to join" in render_actions(GroupFactory(), AnonymousUser())


def test_join_after_logging_in_lands_on_the_group_without_joining(client):
    group = GroupFactory(join_policy="open")
    response = client.post(f"/g/{group.slug}/join/")
    assert response["Location"].startswith("/accounts/login/?next=")
    user = UserFactory()
    client.force_login(user)
    response = client.get(f"/g/{group.slug}/join/")
    assert response.status_code == 302
    assert response["Location"] == f"/g/{group.slug}/"
    assert role_of(user, group) is None


def test_group_pages_speak_french(client):
    group = GroupFactory(join_policy="request")
    client.force_login(member(group, "owner"))
    assert "Groupes publics" in client.get("/g/", HTTP_ACCEPT_LANGUAGE="fr").text
    page = client.get(f"/g/{group.slug}/members/", HTTP_ACCEPT_LANGUAGE="fr").text
    assert "Membres de" in page and "Propriétaire" in page
    client.logout()
    assert "Mot de passe oublié" in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr").text


def test_home_costs_the_same_for_20_groups_as_for_2(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    for _ in range(2):
        member(GroupFactory(), user=user)
    with django_assert_max_num_queries(10) as small:
        client.get("/")
    for _ in range(18):
        member(GroupFactory(), user=user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get("/").text
    assert page.count('href="/g/group-') >= 20


def test_my_groups_on_the_home_page_count_every_member(client):
    group = GroupFactory(name="Busy Group")
    user = member(group)
    member(group)
    member(group, "owner")
    client.force_login(user)
    section = client.get("/").text.split('id="public-groups"')[0]
    assert "Busy Group" in section and "3 members" in section


def test_members_page_is_paginated(client):
    group = GroupFactory()
    for _ in range(51):
        member(group)
    first = client.get(f"/g/{group.slug}/members/")
    assert "Page 1 of 2" in first.text
    assert client.get(f"/g/{group.slug}/members/?page=2").text.count("<tr>") == 2  # head + 1


def test_leave_page_tells_the_last_owner_before_they_try(client):
    group = GroupFactory()
    owner = member(group, "owner")
    client.force_login(owner)
    page = client.get(f"/g/{group.slug}/leave/").text
    assert "You are the last owner" in page
    assert "Leave the group</button>" not in page
    member(group, "owner")
    assert "Leave the group</button>" in client.get(f"/g/{group.slug}/leave/").text
