"""Highlights (quote, selectors, snapshot), comments, flags and the moderation log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HELD = "held", _("Held for review")
    HIDDEN = "hidden", _("Hidden by a moderator")


class Highlight(models.Model):
    class Color(models.TextChoices):
        YELLOW = "yellow", _("Yellow")
        GREEN = "green", _("Green")
        BLUE = "blue", _("Blue")
        PINK = "pink", _("Pink")
        PURPLE = "purple", _("Purple")

    class AnchorStatus(models.TextChoices):
        PENDING = "pending", _("Pending")
        ANCHORED = "anchored", _("Anchored")
        FUZZY = "fuzzy", _("Anchored approximately")
        ORPHANED = "orphaned", _("No longer on the page")

    bookmark = models.ForeignKey(
        "bookmarks.Bookmark", on_delete=models.CASCADE, related_name="highlights"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="highlights"
    )
    exact = models.TextField(_("quote"), max_length=5000)
    prefix = models.CharField(max_length=500, blank=True)
    suffix = models.CharField(max_length=500, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    color = models.CharField(max_length=10, choices=Color, default=Color.YELLOW)
    note = models.TextField(_("note"), max_length=10000, blank=True)
    note_html = models.TextField(blank=True)
    anchor_status = models.CharField(
        max_length=10, choices=AnchorStatus, default=AnchorStatus.PENDING
    )
    snapshot = models.TextField(blank=True)
    anchored_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.VISIBLE)
    spam_score = models.FloatField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "created_at", "id"]
        indexes = [models.Index(fields=["bookmark", "created_at"])]

    def __str__(self):
        return self.exact[:80]


class Comment(models.Model):
    """A comment on a bookmark, a highlight (sticky note) or a topic; parent for replies."""

    bookmark = models.ForeignKey(
        "bookmarks.Bookmark",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    highlight = models.ForeignKey(
        Highlight, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    topic = models.ForeignKey(
        "groups.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    body = models.TextField(_("comment"), max_length=10000)
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.VISIBLE)
    # The worst status above this comment: its parent chain, its highlight, its topic. Kept by
    # Postgres triggers (annotations/migrations/0005) whoever writes, so a reply under a hidden
    # or held comment is as hidden as it is, in every read path, without walking the chain.
    thread_status = models.CharField(
        max_length=10, choices=Status, default=Status.VISIBLE, editable=False
    )
    spam_score = models.FloatField(default=0)
    is_deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["bookmark", "created_at"]),
            models.Index(fields=["topic", "created_at"]),
            models.Index(fields=["status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bookmark__isnull=False) | models.Q(topic__isnull=False),
                name="comment_has_a_subject",
            )
        ]

    def __str__(self):
        return self.body[:80]


class Flag(models.Model):
    """A member's report of a comment, highlight, topic or bookmark."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        ABUSE = "abuse", _("Abusive or offensive")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Other")

    group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    highlight = models.ForeignKey(
        Highlight, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    topic = models.ForeignKey(
        "groups.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    bookmark = models.ForeignKey(
        "bookmarks.Bookmark",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="flags",
    )
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason, default=Reason.SPAM)
    detail = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class ModerationLog(models.Model):
    """Who did what to which item, and when: the group's moderation history."""

    group = models.ForeignKey(
        "groups.Group",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="moderation_log",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    target_type = models.CharField(max_length=40)
    target_id = models.BigIntegerField(null=True)
    target_repr = models.CharField(max_length=200, blank=True)
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]


class SpamLabel(models.Model):
    """A moderator's verdict on a post's text, kept as training data for the spam model:
    "spam" and "not spam" verdicts, and approvals of held posts."""

    text = models.TextField(max_length=20000)
    is_spam = models.BooleanField()
    group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)  # the moderation action that gave the label
    target_type = models.CharField(max_length=40)
    target_id = models.BigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
