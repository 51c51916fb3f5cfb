"""Group services: creation and slugs, each join policy, invitations, roles, last owner, bans."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from groups import services
from groups.models import Ban, Group, Invitation, JoinRequest, Membership
from groups.selectors import role_of
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(group, role="member"):
    return MembershipFactory(group=group, role=role).user


# --- creation, slugs, settings, deletion -----------------------------------------------------


def test_creator_becomes_owner_and_slug_comes_from_the_name():
    user = UserFactory()
    group = services.create_group(user, name="Tic&Travail", description="d", visibility="private")
    assert group.slug == "tictravail"
    assert role_of(user, group) == "owner"
    assert group.created_by == user


def test_slugs_fold_accents_and_stay_unique():
    user = UserFactory()
    first = services.create_group(user, name="Économie  Sociale")
    second = services.create_group(user, name="Economie sociale")
    third = services.create_group(user, name="économie-sociale!")
    assert [first.slug, second.slug, third.slug] == [
        "economie-sociale",
        "economie-sociale-2",
        "economie-sociale-3",
    ]


def test_slug_of_a_name_without_letters_and_of_reserved_words():
    user = UserFactory()
    assert services.create_group(user, name="«»").slug == "group"
    assert services.create_group(user, name="New").slug == "new-2"


def test_create_group_refuses_bad_input_and_anonymous():
    from django.contrib.auth.models import AnonymousUser

    user = UserFactory()
    with pytest.raises(ValidationError):
        services.create_group(user, name="  ")
    with pytest.raises(ValidationError):
        services.create_group(user, name="x", visibility="secret")
    with pytest.raises(ValidationError):
        services.create_group(user, name="x", join_policy="lottery")
    with pytest.raises(PermissionDenied):
        services.create_group(AnonymousUser(), name="x")
    assert Group.objects.count() == 0


def test_only_admins_edit_settings_and_only_owners_delete():
    group = GroupFactory()
    admin, moderator, owner = (
        member(group, "admin"),
        member(group, "moderator"),
        member(group, "owner"),
    )
    with pytest.raises(PermissionDenied):
        services.update_group(moderator, group, name="Renamed")
    services.update_group(admin, group, name="Renamed", visibility="private")
    group.refresh_from_db()
    assert (group.name, group.visibility) == ("Renamed", "private")
    with pytest.raises(PermissionDenied):
        services.delete_group(admin, group)
    services.delete_group(owner, group)
    assert not Group.objects.filter(pk=group.pk).exists()


# --- open groups ---------------------------------------------------------------------------------


def test_anyone_joins_an_open_public_group_once():
    group = GroupFactory(join_policy="open")
    user = UserFactory()
    services.join_group(user, group)
    assert role_of(user, group) == "member"
    with pytest.raises(ValidationError):
        services.join_group(user, group)


def test_joining_a_request_or_invite_group_directly_is_refused():
    user = UserFactory()
    for policy in ("request", "invite"):
        group = GroupFactory(join_policy=policy)
        with pytest.raises(PermissionDenied):
            services.join_group(user, group)
    assert Membership.objects.count() == 0


def test_a_private_open_group_cannot_be_joined_by_outsiders():
    group = GroupFactory(visibility="private", join_policy="open")
    with pytest.raises(PermissionDenied):
        services.join_group(UserFactory(), group)


# --- requests ------------------------------------------------------------------------------------


def test_request_then_approve_makes_a_member():
    group = GroupFactory(join_policy="request")
    admin, user = member(group, "admin"), UserFactory()
    join_request = services.request_to_join(user, group, message="Hello")
    with pytest.raises(ValidationError):
        services.request_to_join(user, group)
    services.decide_request(admin, join_request, approve=True)
    assert role_of(user, group) == "member"
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decided_by) == ("approved", admin)
    with pytest.raises(ValidationError):
        services.decide_request(admin, join_request, approve=False)


def test_request_denied_makes_no_member_and_allows_asking_again():
    group = GroupFactory(join_policy="request")
    admin, user = member(group, "owner"), UserFactory()
    services.decide_request(admin, services.request_to_join(user, group), approve=False)
    assert role_of(user, group) is None
    services.request_to_join(user, group)
    assert JoinRequest.objects.filter(user=user, status="pending").count() == 1


def test_moderators_cannot_decide_requests():
    group = GroupFactory(join_policy="request")
    join_request = services.request_to_join(UserFactory(), group)
    with pytest.raises(PermissionDenied):
        services.decide_request(member(group, "moderator"), join_request, approve=True)
    join_request.refresh_from_db()
    assert join_request.status == "pending"


def test_requests_are_refused_by_open_and_invite_groups_and_from_members():
    user = UserFactory()
    for policy in ("open", "invite"):
        with pytest.raises(PermissionDenied):
            services.request_to_join(user, GroupFactory(join_policy=policy))
    group = GroupFactory(join_policy="request")
    with pytest.raises(ValidationError):
        services.request_to_join(member(group), group)


# --- invitations ---------------------------------------------------------------------------------


def test_invitation_lets_someone_join_an_invite_only_private_group():
    group = GroupFactory(join_policy="invite", visibility="private")
    admin, user = member(group, "admin"), UserFactory()
    invitation = services.create_invitation(admin, group, days=3)
    assert invitation.expires_at > timezone.now() + timedelta(days=2)
    services.accept_invitation(user, invitation)
    assert role_of(user, group) == "member"
    invitation.refresh_from_db()
    assert invitation.use_count == 1


def test_expired_revoked_and_used_up_invitations_refuse():
    group = GroupFactory(join_policy="invite")
    admin = member(group, "admin")
    expired = services.create_invitation(admin, group, days=1)
    Invitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    revoked = services.revoke_invitation(admin, services.create_invitation(admin, group))
    single = services.create_invitation(admin, group, max_uses=1)
    services.accept_invitation(UserFactory(), single)
    for invitation, message in [
        (expired, "expired"),
        (revoked, "withdrawn"),
        (single, "already been used"),
    ]:
        user = UserFactory()
        with pytest.raises(ValidationError, match=message):
            services.accept_invitation(user, invitation)
        assert role_of(user, group) is None


def test_only_admins_create_and_revoke_invitations():
    group = GroupFactory(join_policy="invite")
    with pytest.raises(PermissionDenied):
        services.create_invitation(member(group, "moderator"), group)
    invitation = services.create_invitation(member(group, "admin"), group)
    with pytest.raises(PermissionDenied):
        services.revoke_invitation(member(group), invitation)
    with pytest.raises(ValidationError):
        services.create_invitation(member(group, "owner"), group, days=0)
    invitation.refresh_from_db()
    assert not invitation.revoked


def test_a_member_accepting_again_uses_nothing():
    group = GroupFactory(join_policy="invite")
    invitation = services.create_invitation(member(group, "admin"), group)
    existing = member(group)
    with pytest.raises(ValidationError):
        services.accept_invitation(existing, invitation)
    invitation.refresh_from_db()
    assert invitation.use_count == 0


# --- leaving, roles, removal, last owner ---------------------------------------------------------


def test_member_leaves():
    group = GroupFactory()
    user = member(group)
    services.leave_group(user, group)
    assert role_of(user, group) is None
    with pytest.raises(ValidationError):
        services.leave_group(user, group)


def test_last_owner_cannot_leave_or_be_demoted_until_there_is_another():
    group = GroupFactory()
    owner = member(group, "owner")
    with pytest.raises(ValidationError, match="last owner"):
        services.leave_group(owner, group)
    with pytest.raises(ValidationError, match="last owner"):
        services.set_role(owner, group, owner, "admin")
    successor = member(group, "admin")
    services.set_role(owner, group, successor, "owner")
    services.set_role(successor, group, owner, "member")
    assert role_of(owner, group) == "member"
    with pytest.raises(ValidationError, match="last owner"):
        services.leave_group(successor, group)


def test_admins_manage_members_and_moderators_but_not_admins_or_owners():
    group = GroupFactory()
    admin, other_admin, owner, user = (
        member(group, "admin"),
        member(group, "admin"),
        member(group, "owner"),
        member(group),
    )
    services.set_role(admin, group, user, "moderator")
    assert role_of(user, group) == "moderator"
    for target, role in [(user, "admin"), (other_admin, "member"), (owner, "member")]:
        with pytest.raises(PermissionDenied):
            services.set_role(admin, group, target, role)
    with pytest.raises(PermissionDenied):
        services.remove_member(admin, group, other_admin)
    services.remove_member(admin, group, user)
    assert role_of(user, group) is None
    services.set_role(owner, group, other_admin, "member")
    assert role_of(other_admin, group) == "member"


def test_members_and_moderators_cannot_change_roles_or_remove():
    group = GroupFactory()
    target = member(group)
    for role in ("member", "moderator"):
        actor = member(group, role)
        with pytest.raises(PermissionDenied):
            services.set_role(actor, group, target, "moderator")
        with pytest.raises(PermissionDenied):
            services.remove_member(actor, group, target)
    assert role_of(target, group) == "member"


def test_role_changes_on_non_members_or_unknown_roles_are_refused():
    group = GroupFactory()
    owner = member(group, "owner")
    with pytest.raises(ValidationError):
        services.set_role(owner, group, UserFactory(), "member")
    with pytest.raises(ValidationError):
        services.set_role(owner, group, member(group), "emperor")
    with pytest.raises(ValidationError):
        services.remove_member(owner, group, owner)


# --- bans ----------------------------------------------------------------------------------------


def test_banned_users_cannot_join_request_or_accept_invitations():
    banned = UserFactory()
    open_group = GroupFactory(join_policy="open")
    request_group = GroupFactory(join_policy="request")
    invite_group = GroupFactory(join_policy="invite")
    for group in (open_group, request_group, invite_group):
        Ban.objects.create(group=group, user=banned)
    invitation = services.create_invitation(member(invite_group, "owner"), invite_group)
    with pytest.raises(PermissionDenied, match="banned"):
        services.join_group(banned, open_group)
    with pytest.raises(PermissionDenied, match="banned"):
        services.request_to_join(banned, request_group)
    with pytest.raises(PermissionDenied, match="banned"):
        services.accept_invitation(banned, invitation)
    assert not Membership.objects.filter(user=banned).exists()
    assert not JoinRequest.objects.filter(user=banned).exists()
    invitation.refresh_from_db()
    assert invitation.use_count == 0


def test_a_request_made_before_a_ban_cannot_be_approved():
    group = GroupFactory(join_policy="request")
    user = UserFactory()
    join_request = services.request_to_join(user, group)
    Ban.objects.create(group=group, user=user)
    with pytest.raises(ValidationError, match="banned"):
        services.decide_request(member(group, "admin"), join_request, approve=True)
    assert role_of(user, group) is None


def test_accepting_an_invitation_closes_a_pending_request():
    group = GroupFactory(join_policy="request")
    user = UserFactory()
    join_request = services.request_to_join(user, group)
    services.accept_invitation(user, services.create_invitation(member(group, "admin"), group))
    join_request.refresh_from_db()
    assert join_request.status == "approved"


def test_admins_add_members_directly_but_only_owners_add_admins():
    group = GroupFactory(visibility="private", join_policy="invite")
    admin, owner = member(group, "admin"), member(group, "owner")
    newcomer, banned = UserFactory(), UserFactory()
    Ban.objects.create(group=group, user=banned)
    with pytest.raises(PermissionDenied):
        services.add_member(member(group, "moderator"), group, newcomer)
    with pytest.raises(PermissionDenied):
        services.add_member(admin, group, newcomer, role="admin")
    with pytest.raises(ValidationError, match="banned"):
        services.add_member(admin, group, banned)
    assert services.add_member(admin, group, newcomer).role == "member"
    with pytest.raises(ValidationError, match="already"):
        services.add_member(owner, group, newcomer)
    assert services.add_member(owner, group, UserFactory(), role="admin").role == "admin"


def test_deleting_a_group_removes_its_library_and_discussions():
    from annotations.models import Comment, Highlight
    from bookmarks.models import Bookmark
    from tests.factories import BookmarkFactory, CommentFactory, HighlightFactory

    group = GroupFactory()
    owner = member(group, "owner")
    bookmark = BookmarkFactory(group=group, owner=owner)
    HighlightFactory(bookmark=bookmark)
    CommentFactory(bookmark=bookmark)
    personal = BookmarkFactory(owner=owner)
    group_pk = group.pk
    services.delete_group(owner, group)
    assert not Bookmark.objects.filter(group_id=group_pk).exists()
    assert not Highlight.objects.filter(bookmark_id=bookmark.pk).exists()
    assert not Comment.objects.filter(bookmark_id=bookmark.pk).exists()
    assert Bookmark.objects.filter(pk=personal.pk).exists()
