"""The Celery application: Redis broker and results, tasks found in each app's tasks.py.

Queues: "default" (anchoring, imports, periodic jobs), "fetch" (page fetches and link checks)
and "mail" (notification mails and digests), routed by CELERY_TASK_ROUTES and all declared
here so that a plain `celery -A config worker` consumes them all. Fetching waits on the
network most of the time: in production give the fetch queue its own worker with a
threads pool, e.g.
`celery -A config worker -Q fetch --pool=threads --concurrency=16`.
Acks are late (a task lost with its worker is delivered again) and every task is written to
be safe to run twice; time limits and retry policy are on each task and in settings.
"""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("commonplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("fetch"), Queue("mail"))
app.autodiscover_tasks()
