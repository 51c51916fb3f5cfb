"""Every change to a group, its members, join requests and invitations.

Each function takes the acting user, checks permission through groups.permissions and raises
PermissionDenied (not allowed) or ValidationError (allowed, but not in this state).
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import User
from config.outbox import enqueue_durably

from .models import Ban, Group, Invitation, JoinRequest, Membership
from .permissions import can, can_set_role
from .selectors import is_banned, owner_count
from .signals import invited, join_decided, join_requested

Role = Membership.Role

INVITATION_MAX_DAYS = 90
# Slugs that would shadow the fixed URLs under /g/.
RESERVED_SLUGS = {"new"}


def _role(user, group):
    membership = Membership.objects.filter(group=group, user_id=user.pk).first()
    return membership.role if membership else None


def _lock_members(group):
    """Serialize role changes and departures in one group (the group row is the lock), so two
    owners stepping down at once cannot leave it ownerless, and nobody deadlocks."""
    Group.objects.select_for_update().filter(pk=group.pk).first()


def _require(user, group, action):
    if not user.is_authenticated or not can(_role(user, group), action, group):
        raise PermissionDenied(_("You are not allowed to do that in this group."))


def _refuse_banned(user, group):
    if is_banned(user, group):
        raise PermissionDenied(_("You have been banned from this group."))


def _close_pending_request(group, user):
    """Someone who got in another way no longer waits for an answer."""
    JoinRequest.objects.filter(group=group, user=user, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.APPROVED, decided_at=timezone.now()
    )


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """slugify the name (accents folded: "Tic&Travail é" → "tictravail-e"), then -2, -3…"""
    base = slugify(name, allow_unicode=False)[:100].strip("-") or "group"
    taken = set(
        Group.objects.filter(slug__regex=rf"^{base}(-[0-9]+)?$")
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    if base not in taken and base not in RESERVED_SLUGS:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _clean_choices(visibility, join_policy):
    if visibility not in Group.Visibility.values:
        raise ValidationError({"visibility": _("Choose public or private.")})
    if join_policy not in Group.JoinPolicy.values:
        raise ValidationError({"join_policy": _("Choose open, by request or by invitation.")})


def create_group(
    user: User,
    *,
    name: str,
    description: str = "",
    visibility: str = "public",
    join_policy: str = "open",
) -> Group:
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to create a group."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("A group needs a name.")})
    _clean_choices(visibility, join_policy)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                group = Group.objects.create(
                    name=name,
                    slug=unique_slug(name),
                    description=description,
                    visibility=visibility,
                    join_policy=join_policy,
                    created_by=user,
                )
                Membership.objects.create(group=group, user=user, role=Role.OWNER)
                return group
        except IntegrityError:
            continue  # someone took the same slug between our read and our insert
    raise ValidationError({"name": _("Could not make a unique address for this name.")})


@transaction.atomic
def update_group(user: User, group: Group, **fields) -> Group:
    _require(user, group, "edit_settings")
    allowed = {
        "name",
        "description",
        "visibility",
        "join_policy",
        "hold_first_posts",
        "spam_sensitivity",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"cannot update {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise ValidationError({"name": _("A group needs a name.")})
    _clean_choices(
        fields.get("visibility", group.visibility), fields.get("join_policy", group.join_policy)
    )
    if fields.get("spam_sensitivity", group.spam_sensitivity) not in Group.SpamSensitivity.values:
        raise ValidationError({"spam_sensitivity": _("Choose stricter, default or looser.")})
    for key, value in fields.items():
        setattr(group, key, value)
    group.save()
    return group


@transaction.atomic
def delete_group(user: User, group: Group) -> None:
    _require(user, group, "delete_group")
    group.delete()


@transaction.atomic
def join_group(user: User, group: Group) -> Membership:
    """Join an open group as a member."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to join a group."))
    _refuse_banned(user, group)
    if _role(user, group) is not None:
        raise ValidationError(_("You are already a member of this group."))
    if group.join_policy != Group.JoinPolicy.OPEN or not can(None, "view", group):
        raise PermissionDenied(_("This group is not open: ask to join or use an invitation."))
    membership, _created = Membership.objects.get_or_create(
        group=group, user=user, defaults={"role": Role.MEMBER}
    )
    _close_pending_request(group, user)
    return membership


@transaction.atomic
def leave_group(user: User, group: Group) -> None:
    _lock_members(group)
    role = _role(user, group)
    if role is None:
        raise ValidationError(_("You are not a member of this group."))
    if role == Role.OWNER and owner_count(group) <= 1:
        raise ValidationError(
            _("You are the last owner: make another member owner or delete the group first.")
        )
    Membership.objects.filter(group=group, user=user).delete()


@transaction.atomic
def request_to_join(user: User, group: Group, *, message: str = "") -> JoinRequest:
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to ask to join a group."))
    _refuse_banned(user, group)
    if _role(user, group) is not None:
        raise ValidationError(_("You are already a member of this group."))
    if group.join_policy != Group.JoinPolicy.REQUEST or not can(None, "view", group):
        raise PermissionDenied(_("This group does not take requests to join."))
    if JoinRequest.objects.filter(
        group=group, user=user, status=JoinRequest.Status.PENDING
    ).exists():
        raise ValidationError(_("You have already asked to join; an admin will answer."))
    join_request = JoinRequest.objects.create(
        group=group, user=user, message=(message or "")[:1000]
    )
    join_requested.send(sender=JoinRequest, request=join_request)
    return join_request


@transaction.atomic
def decide_request(actor: User, join_request: JoinRequest, *, approve: bool) -> JoinRequest:
    group = join_request.group
    _require(actor, group, "manage_members")
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    if approve:
        if Ban.objects.filter(group=group, user_id=join_request.user_id).exists():
            raise ValidationError(_("This person is banned from the group."))
        Membership.objects.get_or_create(
            group=group, user_id=join_request.user_id, defaults={"role": Role.MEMBER}
        )
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DENIED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    join_decided.send(sender=JoinRequest, request=join_request)
    return join_request


def _resolve_recipient(to: str) -> tuple[User | None, str]:
    """`to` as typed in the invitation form: (the account of a username, "") or (None, an
    e-mail address). Raises a ValidationError on the `to` field that says what is wrong."""
    to = to.strip()
    if "@" in to.lstrip("@"):
        try:
            validate_email(to)
        except ValidationError:
            raise ValidationError(
                {"to": _("“%(value)s” is not a valid e-mail address.") % {"value": to}}
            ) from None
        return None, to
    user = User.objects.filter(username__iexact=to.lstrip("@"), is_active=True).first()
    if user is None:
        raise ValidationError(
            {"to": _("Nobody has the username “%(value)s”.") % {"value": to.lstrip("@")}}
        )
    return user, ""


@transaction.atomic
def create_invitation(
    actor: User,
    group: Group,
    *,
    days: int = 7,
    max_uses: int | None = None,
    invitee: User | None = None,
    to: str = "",
) -> Invitation:
    """A link to join. With an `invitee` (or `to`, a username or an e-mail address as typed),
    it is sent to that person and serves them once: an account is notified, an address gets a
    mail with the link once the transaction commits."""
    _require(actor, group, "manage_members")
    email = ""
    if to.strip():
        invitee, email = _resolve_recipient(to)
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError({"days": _("Enter a number of days.")}) from None
    if not 1 <= days <= INVITATION_MAX_DAYS:
        raise ValidationError(
            {"days": _("Between 1 and %(max)d days.") % {"max": INVITATION_MAX_DAYS}}
        )
    if max_uses is not None and max_uses < 1:
        raise ValidationError({"max_uses": _("At least one use, or leave empty for no limit.")})
    if invitee is not None and _role(invitee, group) is not None:
        raise ValidationError(
            {"to": _("%(name)s is already a member of this group.") % {"name": invitee.name}}
        )
    personal = invitee is not None or bool(email)
    invitation = Invitation.objects.create(
        group=group,
        token=secrets.token_urlsafe(24),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
        max_uses=1 if personal else max_uses,
        sent_to=invitee.username if invitee is not None else email,
    )
    if invitee is not None:
        invited.send(sender=Invitation, invitation=invitation, invitee=invitee, actor=actor)
    if email:
        enqueue_durably(
            "groups.tasks.send_invitation_mail", invitation.pk, email, get_language() or ""
        )
    return invitation


def invitation_path(invitation: Invitation) -> str:
    return reverse("groups:accept_invitation", args=[invitation.group.slug, invitation.token])


def send_invitation_mail(invitation_id: int, email: str, language: str = "") -> bool:
    """Mail the link of a still usable invitation to `email`, in the inviter's language (the
    task's work; False when there is nothing to send)."""
    invitation = (
        Invitation.objects.select_related("group", "created_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation_problem(invitation):
        return False
    context = {
        "invitation": invitation,
        "group": invitation.group,
        "inviter": invitation.created_by,
        "link": settings.SITE_URL.rstrip("/") + invitation_path(invitation),
    }
    with translation.override(language or settings.LANGUAGE_CODE):
        send_mail(
            render_to_string("groups/invitation_email_subject.txt", context).strip(),
            render_to_string("groups/invitation_email.txt", context),
            None,
            [email],
        )
    return True


@transaction.atomic
def revoke_invitation(actor: User, invitation: Invitation) -> None:
    _require(actor, invitation.group, "manage_members")
    invitation.revoked = True
    invitation.save(update_fields=["revoked"])
    return invitation


def invitation_problem(invitation: Invitation) -> str | None:
    """Why this invitation cannot be used any more, or None."""
    if invitation.revoked:
        return _("This invitation has been withdrawn.")
    if invitation.expires_at <= timezone.now():
        return _("This invitation has expired.")
    if invitation.max_uses is not None and invitation.use_count >= invitation.max_uses:
        return _("This invitation has already been used.")
    return None


@transaction.atomic
def accept_invitation(user: User, invitation: Invitation) -> Membership:
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to accept an invitation."))
    invitation = (
        Invitation.objects.select_for_update().select_related("group").get(pk=invitation.pk)
    )
    group = invitation.group
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    _refuse_banned(user, group)
    if _role(user, group) is not None:
        raise ValidationError(_("You are already a member of this group."))
    Membership.objects.create(group=group, user=user, role=Role.MEMBER)
    _close_pending_request(group, user)
    invitation.use_count += 1
    invitation.save(update_fields=["use_count"])
    return group


@transaction.atomic
def set_role(actor: User, group: Group, user: User, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    _lock_members(group)
    actor_role = _role(actor, group) if actor.is_authenticated else None
    if not can(actor_role, "change_roles", group):
        raise PermissionDenied(_("You are not allowed to change roles in this group."))
    membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
    if membership is None:
        raise ValidationError(_("This person is not a member of the group."))
    if not can_set_role(actor_role, membership.role, role):
        raise PermissionDenied(_("Only owners can change the role of admins and owners."))
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER and owner_count(group) <= 1:
        raise ValidationError(_("The group's last owner cannot be demoted."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(actor: User, group: Group, user: User) -> None:
    _lock_members(group)
    actor_role = _role(actor, group) if actor.is_authenticated else None
    if not can(actor_role, "manage_members", group):
        raise PermissionDenied(_("You are not allowed to remove members of this group."))
    if actor.pk == user.pk:
        raise ValidationError(_("To remove yourself, leave the group."))
    membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
    if membership is None:
        raise ValidationError(_("This person is not a member of the group."))
    # Removing is "demoting out of the group": admins may only remove members and moderators.
    if not can_set_role(actor_role, membership.role, Role.MEMBER):
        raise PermissionDenied(_("Only owners can remove admins and owners."))
    if membership.role == Role.OWNER and owner_count(group) <= 1:
        raise ValidationError(_("The group's last owner cannot be removed."))
    membership.delete()


@transaction.atomic
def add_member(actor: User, group: Group, user: User, *, role: str = Role.MEMBER) -> Membership:
    """Put someone straight into the group (admins; only owners may add admins or owners)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    actor_role = _role(actor, group) if actor.is_authenticated else None
    if not can(actor_role, "manage_members", group):
        raise PermissionDenied(_("You are not allowed to add members to this group."))
    if not can_set_role(actor_role, Role.MEMBER, role):
        raise PermissionDenied(_("Only owners can add admins and owners."))
    if is_banned(user, group):
        raise ValidationError({"username": _("This person is banned from the group.")})
    membership, created = Membership.objects.get_or_create(
        group=group, user=user, defaults={"role": role}
    )
    if not created:
        raise ValidationError({"username": _("This person is already a member.")})
    _close_pending_request(group, user)
    return membership
