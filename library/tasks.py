"""Celery tasks of the library: the periodic digests (beat), safe to run twice."""

from celery import shared_task

from . import digests


@shared_task(ignore_result=True, soft_time_limit=900, time_limit=960)
def send_digests(period):
    result = digests.send_digests(period)
    return {"groups": result["groups"], "people": result["people"]}


@shared_task(ignore_result=True, soft_time_limit=900, time_limit=960)
def send_daily_digests():
    return send_digests("daily")


@shared_task(ignore_result=True, soft_time_limit=900, time_limit=960)
def send_weekly_digests():
    return send_digests("weekly")
