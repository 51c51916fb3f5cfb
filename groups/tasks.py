"""Celery tasks of groups: the mail of an invitation sent to an e-mail address."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=30, time_limit=60)
def send_invitation_mail(invitation_id, email, language=""):
    return services.send_invitation_mail(invitation_id, email, language)
