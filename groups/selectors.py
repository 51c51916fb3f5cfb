"""Reads of groups, already filtered by what the viewer may see."""

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.types import Viewer

from .models import Ban, Group, Invitation, JoinRequest, Membership
from .permissions import can


def _user_id(viewer):
    return viewer.pk if viewer is not None and viewer.is_authenticated else None


def readable_groups(viewer: Viewer) -> QuerySet[Group]:
    """Groups whose library the viewer may read: public ones and the viewer's own."""
    uid = _user_id(viewer)
    if uid is None:
        return Group.objects.filter(visibility=Group.Visibility.PUBLIC)
    return Group.objects.filter(
        Q(visibility=Group.Visibility.PUBLIC)
        | Exists(Membership.objects.filter(group=OuterRef("pk"), user_id=uid))
    )


def readable_group_ids_subquery(viewer: Viewer) -> QuerySet:
    return readable_groups(viewer).values("pk")


def get_readable_group(viewer: Viewer, slug: str) -> Group:
    """The group, or 404 — a private group a non-member asks for does not exist for them."""
    try:
        return readable_groups(viewer).get(slug=slug)
    except Group.DoesNotExist:
        raise Http404("No such group.") from None


def group_with_role(viewer: Viewer, slug: str, *, header: bool = False) -> tuple[Group, str | None]:
    """(group, the viewer's role or None) in one query; 404 when the viewer may not see it
    (permissions.can(role, "view"): the same rule as readable_groups, decided on the row).

    With `header`, the same query also gives what a group's header shows: group.member_count,
    group.owner_count (the last owner gets no "Leave" button) and group.viewer_pending (the
    viewer's join request waits), counted in one pass over the group's memberships."""
    uid = _user_id(viewer)
    groups = Group.objects.filter(slug=slug)
    if header:
        groups = groups.annotate(
            member_count=Count("memberships"),
            owner_count=Count("memberships", filter=Q(memberships__role=Membership.Role.OWNER)),
        )
        if uid is not None:
            pending = JoinRequest.objects.filter(
                group=OuterRef("pk"), user_id=uid, status=JoinRequest.Status.PENDING
            )
            groups = groups.annotate(
                viewer_role=Max("memberships__role", filter=Q(memberships__user_id=uid)),
                viewer_pending=Exists(pending),
            )
    elif uid is not None:
        roles = Membership.objects.filter(group=OuterRef("pk"), user_id=uid).values("role")[:1]
        groups = groups.annotate(viewer_role=Subquery(roles))
    group = groups.first()
    role = getattr(group, "viewer_role", None)
    if group is None or not can(role, "view", group):
        raise Http404("No such group.")
    if header and uid is None:
        group.viewer_pending = False
    return group, role


def get_group_for(viewer: Viewer, slug: str, action: str) -> tuple[Group, str | None]:
    """(group, viewer's role) when the viewer may do `action` there.

    404 when the viewer may not even see the group (private, not a member); PermissionDenied
    (403) when they see it but their role is too low.
    """
    group = get_readable_group(viewer, slug)
    role = role_of(viewer, group)
    if not can(role, action, group):
        raise PermissionDenied(_("You are not allowed to do that in this group."))
    return group, role


def membership_of(viewer: Viewer, group: Group) -> Membership | None:
    uid = _user_id(viewer)
    if uid is None:
        return None
    return Membership.objects.filter(group=group, user_id=uid).first()


def role_of(viewer: Viewer, group: Group) -> str | None:
    membership = membership_of(viewer, group)
    return membership.role if membership else None


def is_banned(viewer: Viewer, group: Group | None) -> bool:
    """Banned from `group`: every write of theirs there is frozen, their own posts included."""
    uid = _user_id(viewer)
    return (
        group is not None
        and uid is not None
        and Ban.objects.filter(group=group, user_id=uid).exists()
    )


def groups_of(viewer: Viewer) -> QuerySet[Group]:
    """The viewer's own groups, with member counts."""
    uid = _user_id(viewer)
    if uid is None:
        return Group.objects.none()
    # Exists, not memberships__user: a join on memberships would also narrow the Count to 1.
    return (
        Group.objects.filter(Exists(Membership.objects.filter(group=OuterRef("pk"), user_id=uid)))
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


def postable_groups(viewer: Viewer) -> QuerySet[Group]:
    """Groups the viewer may save into (every role may post)."""
    return groups_of(viewer)


def public_directory() -> QuerySet[Group]:
    return (
        Group.objects.filter(visibility=Group.Visibility.PUBLIC)
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )


def directory(q: str = "") -> QuerySet[Group]:
    """The public directory, optionally narrowed by a word in the name or description."""
    groups = public_directory()
    q = (q or "").strip()
    if q:
        groups = groups.filter(Q(name__icontains=q) | Q(description__icontains=q))
    return groups


ROLE_ORDER = ["owner", "admin", "moderator", "member"]


def group_members(group: Group) -> QuerySet[Membership]:
    """Memberships of a group with their users, owners first."""
    order = Case(
        *[When(role=role, then=Value(i)) for i, role in enumerate(ROLE_ORDER)],
        output_field=IntegerField(),
    )
    return (
        Membership.objects.filter(group=group)
        .select_related("user")
        .annotate(role_order=order)
        .order_by("role_order", "user__username")
    )


def owner_count(group: Group) -> int:
    return Membership.objects.filter(group=group, role=Membership.Role.OWNER).count()


def pending_requests(group: Group) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(group=group, status=JoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


def get_join_request(group: Group, pk: int) -> JoinRequest:
    """A join request of this group (any status), or 404."""
    try:
        return JoinRequest.objects.select_related("user").get(group=group, pk=pk)
    except JoinRequest.DoesNotExist:
        raise Http404("No such request.") from None


def group_invitations(group: Group) -> QuerySet[Invitation]:
    return Invitation.objects.filter(group=group).order_by("-created_at")


def get_invitation(slug: str, token: str) -> Invitation:
    """The invitation behind a link, or 404. Holding the token is what lets one see it.
    With who sent it and the group's member count (annotated on the invitation), for the
    accept page."""
    try:
        return (
            Invitation.objects.select_related("group", "created_by")
            .annotate(member_count=Count("group__memberships", distinct=True))
            .get(group__slug=slug, token=token)
        )
    except Invitation.DoesNotExist:
        raise Http404("No such invitation.") from None


def has_pending_request(viewer: Viewer, group: Group) -> bool:
    uid = _user_id(viewer)
    return (
        uid is not None
        and JoinRequest.objects.filter(
            group=group, user_id=uid, status=JoinRequest.Status.PENDING
        ).exists()
    )


def profile_groups(profile_user: User, viewer: Viewer) -> QuerySet[Group]:
    """The groups profile_user belongs to that the viewer may see (no private group of theirs)."""
    return (
        readable_groups(viewer)
        .filter(Exists(Membership.objects.filter(group=OuterRef("pk"), user=profile_user)))
        .order_by("name")
    )
