"""Notifications, what each person wants by mail, what they follow, and the mail already sent.

A notification names its subject by type and id (`target_type`, `target_id`), not by foreign
key: the apps that own comments, topics and bookmarks sit above this one, and they withdraw the
notifications of an item they hide or delete (services.withdraw).
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPLY = "reply", _("Replies to my comments and topics")
    MENTION = "mention", _("Mentions of me")
    COMMENT = "comment", _("Comments on what I saved")
    NOTE = "note", _("Sticky notes on what I saved")
    TOPIC = "topic", _("New topics in groups I follow")
    JOIN_REQUEST = "join_request", _("Requests to join a group I manage")
    REQUEST_APPROVED = "request_approved", _("My join request approved")
    REQUEST_DENIED = "request_denied", _("My join request denied")
    INVITATION = "invitation", _("Invitations to a group")
    FLAG = "flag", _("Flagged items in a group I moderate")
    HELD = "held", _("Held items in a group I moderate")


# Mailed at once (batched within MAIL_BATCH_SECONDS); every other kind waits for the digest.
IMMEDIATE_KINDS = frozenset({Kind.REPLY, Kind.MENTION})


class Notification(models.Model):
    class Mail(models.TextChoices):
        NONE = "none", _("Not mailed")
        PENDING = "pending", _("Waiting to be mailed")
        SENT = "sent", _("Mailed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The one event this is about: a recipient hears of an event once, whatever its kinds.
    event = models.CharField(max_length=80)
    target_type = models.CharField(max_length=20, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    # The item the target belongs to ("bookmark:7", "topic:3"): deleting it withdraws these.
    about = models.CharField(max_length=40, blank=True)
    url = models.CharField(max_length=500)  # path on this site, with the #fragment
    subject = models.CharField(max_length=200, blank=True)  # title of the item, an excerpt
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    mail = models.CharField(max_length=10, choices=Mail, default=Mail.NONE)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event"], name="one_notification_per_event"
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
            models.Index(fields=["target_type", "target_id"], name="notification_target"),
            models.Index(fields=["about"], name="notification_about"),
            models.Index(
                fields=["recipient", "created_at"],
                condition=models.Q(mail="pending"),
                name="notification_mail_pending",
            ),
        ]

    def __str__(self):
        return f"{self.kind} for {self.recipient_id}: {self.event}"


class Digest(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    OFF = "off", _("Never")


class MailSettings(models.Model):
    """What one person wants by mail; no row means the defaults (every kind, weekly digests)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_settings"
    )
    no_mail = models.BooleanField(_("no mail at all"), default=False)
    muted_kinds = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    # The language of their mails: the one they last used the site in.
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    # The digest of the people they follow (their public saves).
    people_digest = models.CharField(max_length=10, choices=Digest, default=Digest.WEEKLY)


class GroupFollow(models.Model):
    """A member's choices for one group. No row: following, weekly digest (the default when
    they join)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    following = models.BooleanField(default=True)
    digest = models.CharField(max_length=10, choices=Digest, default=Digest.WEEKLY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="one_group_follow_per_user")
        ]


class TagFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    tag = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "group", "tag"], name="one_tag_follow")
        ]


class UserFollow(models.Model):
    """Following someone's public saves (their personal library)."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following"
    )
    followed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followed"], name="one_user_follow"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followed")), name="no_self_follow"
            ),
        ]


class DigestDelivery(models.Model):
    """One digest claimed for a member, a group (null: people they follow) and a period: the
    row is taken before sending, so a second run of the same period sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period = models.CharField(max_length=10, choices=Digest)
    period_start = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group", "period", "period_start"],
                nulls_distinct=False,
                name="one_digest_per_period",
            )
        ]
