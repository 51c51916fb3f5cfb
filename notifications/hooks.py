"""Notifications of what happens in groups (groups sits below this app and sends signals),
and what a membership's end or a group turned private changes here."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, JoinRequest, Membership
from groups.signals import invited, join_decided, join_requested

from .models import GroupFollow, Kind, Notification, TagFollow
from .services import notify

MANAGERS = [Membership.Role.ADMIN, Membership.Role.OWNER]


@receiver(join_requested, dispatch_uid="notifications.join_requested")
def tell_admins_of_request(sender, *, request, **kwargs):
    group = request.group
    admins = Membership.objects.filter(group=group, role__in=MANAGERS).values_list(
        "user_id", flat=True
    )
    notify(
        f"join_request:{request.pk}",
        recipients=[(uid, Kind.JOIN_REQUEST) for uid in admins],
        actor=request.user,
        group=group,
        url=reverse("groups:requests", args=[group.slug]),
        subject=group.name,
        target=("join_request", request.pk),
    )


@receiver(join_decided, dispatch_uid="notifications.join_decided")
def tell_requester_of_decision(sender, *, request, **kwargs):
    group = request.group
    approved = request.status == JoinRequest.Status.APPROVED
    notify(
        f"join_decided:{request.pk}",
        recipients=[(request.user_id, Kind.REQUEST_APPROVED if approved else Kind.REQUEST_DENIED)],
        actor=request.decided_by,
        # A denied requester of a private group may not read it: the notification has no
        # group, so the rule "only readers of the group" does not silence it; it names the
        # group, which they knew already.
        group=group if approved or group.is_public else None,
        url=reverse("library:group", args=[group.slug]) if approved else reverse("home"),
        subject=group.name,
        target=("join_request", request.pk),
    )


@receiver(invited, dispatch_uid="notifications.invited")
def tell_invitee(sender, *, invitation, invitee, actor, **kwargs):
    group = invitation.group
    notify(
        f"invitation:{invitation.pk}",
        recipients=[(invitee.pk, Kind.INVITATION)],
        actor=actor,
        group=None,  # not a member yet: the invitation itself lets them see the group
        url=reverse("groups:accept_invitation", args=[group.slug, invitation.token]),
        subject=group.name,
        target=("invitation", invitation.pk),
    )


@receiver(post_delete, sender=Membership, dispatch_uid="notifications.membership_ended")
def forget_follows_and_silence_the_bell(sender, instance, **kwargs):
    """Leaving (or being removed from) a group ends its follows, so joining again follows it
    by default; a private group's unread notifications stop counting on the bell (the bell
    counts unread rows without checking groups: every unread row must be one the reader may
    see; the list and the mail check the group anyway)."""
    GroupFollow.objects.filter(user_id=instance.user_id, group_id=instance.group_id).delete()
    TagFollow.objects.filter(user_id=instance.user_id, group_id=instance.group_id).delete()
    group = Group.objects.filter(pk=instance.group_id).first()
    if group is not None and not group.is_public:
        Notification.objects.filter(
            recipient_id=instance.user_id, group_id=instance.group_id, read_at__isnull=True
        ).update(read_at=timezone.now())


@receiver(post_save, sender=Group, dispatch_uid="notifications.group_saved")
def silence_non_members_of_a_private_group(sender, instance, created, **kwargs):
    """A public group turned private: those outside it no longer count its notifications."""
    if created or instance.is_public:
        return
    Notification.objects.filter(group=instance, read_at__isnull=True).exclude(
        recipient_id__in=Membership.objects.filter(group=instance).values("user_id")
    ).update(read_at=timezone.now())
