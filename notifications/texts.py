"""One line per notification, in the language active when it is read (page, API or mail)."""

from django.conf import settings
from django.utils.translation import gettext as _

from .models import Kind, Notification

LINES = {
    Kind.REPLY: lambda: _("%(actor)s replied to you on “%(subject)s”"),
    Kind.MENTION: lambda: _("%(actor)s mentioned you on “%(subject)s”"),
    Kind.COMMENT: lambda: _("%(actor)s commented on “%(subject)s”"),
    Kind.NOTE: lambda: _("%(actor)s left a note on “%(subject)s”"),
    Kind.TOPIC: lambda: _("%(actor)s started the topic “%(subject)s” in %(group)s"),
    Kind.JOIN_REQUEST: lambda: _("%(actor)s asks to join %(group)s"),
    Kind.REQUEST_APPROVED: lambda: _("Your request to join %(group)s was approved"),
    Kind.REQUEST_DENIED: lambda: _("Your request to join %(group)s was declined"),
    Kind.INVITATION: lambda: _("%(actor)s invites you to join %(group)s"),
    Kind.FLAG: lambda: _("%(actor)s flagged “%(subject)s” in %(group)s"),
    Kind.HELD: lambda: _("A post is waiting for review in %(group)s: “%(subject)s”"),
}


def describe(notification: Notification) -> str:
    actor = notification.actor.name if notification.actor_id else _("Someone")
    # Without a group (an invitation, a private group's refusal) the subject is its name.
    group = notification.group.name if notification.group_id else notification.subject
    line = LINES.get(notification.kind, lambda: "%(subject)s")()
    return line % {"actor": actor, "group": group, "subject": notification.subject}


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
