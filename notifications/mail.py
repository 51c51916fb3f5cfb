"""Mail: every message has a text and an HTML part, the reader's language, and a one-click
unsubscribe (a link in the body, List-Unsubscribe and List-Unsubscribe-Post per RFC 8058).

Notification mails are sent by a task after the commit that made them; their rows stay
"pending" until a send succeeded, so an SMTP failure loses nothing (the task retries, then the
minute sweep does).
"""

import email.policy
import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User

from .models import Notification
from .selectors import mail_settings_of, pending_mail, visible_group_q
from .texts import absolute_url, describe
from .tokens import unsubscribe_token

logger = logging.getLogger(__name__)


class ListMail(EmailMultiAlternatives):
    """A mail whose List-Unsubscribe URL stays a plain `<https://...>`: folded at 78 columns
    (the SMTP policy), Python's email package turns a long header without spaces into RFC 2047
    encoded words, which mail clients do not read as a URL (RFC 2369, RFC 8058). RFC 5322
    allows 998 characters a line."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def unsubscribe_url(user_id: int, scope: str) -> str:
    return absolute_url(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, scope)])
    )


def build_message(
    user: User, *, subject: str, template: str, context: dict, scope: str
) -> ListMail:
    """The mail to `user` from templates/<template>.txt and .html, rendered in the active
    language, with the unsubscribe link of `scope` in the body and in the headers."""
    link = unsubscribe_url(user.pk, scope)
    context = {
        **context,
        "user": user,
        "unsubscribe_url": link,
        "settings_url": absolute_url(reverse("notifications:settings")),
    }
    message = ListMail(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def send_messages(messages: list[EmailMultiAlternatives]) -> int:
    """Send over one connection; raises on an SMTP failure (callers retry)."""
    if not messages:
        return 0
    with get_connection(fail_silently=False) as connection:
        return connection.send_messages(messages) or 0


def send_notification_mail(user_id: int) -> int:
    """One mail with every notification still waiting for this user; how many it carried.

    The rows are locked while sending and marked sent in the same transaction: a failed send
    rolls back and leaves them pending; two workers never send the same rows.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    prefs = mail_settings_of(user)
    with transaction.atomic():
        # A private group they left: those wait no more (and are never mailed).
        Notification.objects.filter(recipient=user, mail=Notification.Mail.PENDING).exclude(
            visible_group_q(user.pk)
        ).update(mail=Notification.Mail.NONE)
        pending = list(pending_mail(user).select_for_update(skip_locked=True, of=("self",)))
        if not pending:
            return 0
        wanted = [] if prefs.no_mail or not user.email else pending
        wanted = [n for n in wanted if n.kind not in prefs.muted_kinds]
        if wanted:
            send_messages([_notification_message(user, wanted, prefs.language)])
        now = timezone.now()
        sent_ids = {n.pk for n in wanted}
        Notification.objects.filter(pk__in=sent_ids).update(
            mail=Notification.Mail.SENT, mailed_at=now
        )
        Notification.objects.filter(pk__in=[n.pk for n in pending if n.pk not in sent_ids]).update(
            mail=Notification.Mail.NONE
        )
    return len(wanted)


def _notification_message(user, notifications, language):
    with translation.override(language):
        items = [{"text": describe(n), "url": absolute_url(n.url)} for n in notifications]
        if len(items) == 1:
            subject = items[0]["text"]
        else:
            count = len(items)
            subject = ngettext(
                "%(count)d new notification on Commonplace",
                "%(count)d new notifications on Commonplace",
                count,
            ) % {"count": count}
        kinds = sorted({n.kind for n in notifications})
        # One kind: unsubscribing stops that kind; several: the whole of these mails.
        scope = f"kind:{kinds[0]}" if len(kinds) == 1 else "all"
        return build_message(
            user,
            subject=subject[:200],
            template="notifications/mail/notifications",
            context={
                "items": items,
                "all_url": absolute_url(reverse("notifications:list")),
                "unsubscribe_label": _("Stop these mails"),
            },
            scope=scope,
        )


def users_with_waiting_mail(older_than: timedelta) -> list[int]:
    """Who has notification mail pending for longer than a batch window (a lost task, a
    broker that was down, retries used up)."""
    before = timezone.now() - older_than
    return list(
        Notification.objects.filter(mail=Notification.Mail.PENDING, created_at__lt=before)
        .values_list("recipient_id", flat=True)
        .distinct()[:1000]
    )
