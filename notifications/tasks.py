"""Celery tasks of notification mail; they take ids and are safe to run twice."""

import logging
import smtplib
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from config.locks import single_runner

from . import mail

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    ignore_result=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    max_retries=settings.NOTIFICATION_MAIL_RETRIES,
    retry_backoff=max(1, int(settings.NOTIFICATION_MAIL_RETRY_DELAY)),
    retry_backoff_max=3600,
    retry_jitter=False,
)
def send_notification_mail(self, user_id):
    """Mail this user what waits for them; an SMTP failure retries with a growing wait."""
    return mail.send_notification_mail(user_id)


@shared_task(ignore_result=True)
def send_pending_mail():
    """Every minute: the mails whose task was lost or gave up."""
    window = timedelta(seconds=settings.NOTIFICATION_MAIL_BATCH_SECONDS + 60)
    with single_runner("notifications.send_pending_mail", ttl=300) as mine:
        if not mine:
            return 0
        sent = 0
        for user_id in mail.users_with_waiting_mail(window):
            try:
                sent += mail.send_notification_mail(user_id)
            except (smtplib.SMTPException, OSError):
                logger.warning("notification mail to user %s failed; next sweep retries", user_id)
        return sent
