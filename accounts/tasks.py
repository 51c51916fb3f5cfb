"""Celery tasks of accounts: the mail of sign-up confirmations and password resets."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=30, time_limit=60)
def send_signup_confirmation(user_id):
    return services.send_signup_confirmation(user_id)


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=30, time_limit=60)
def send_password_reset(email):
    services.send_password_reset(email)
