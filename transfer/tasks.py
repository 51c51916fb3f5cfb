"""The Celery task that runs an ImportJob (a thin wrapper: the work is in services)."""

from celery import shared_task

from .services import run_import_job


# A 100,000-item file takes about a minute: the project-wide 60 s limit would kill it.
@shared_task(soft_time_limit=900, time_limit=960, acks_late=True)
def run_import(job_id):
    job = run_import_job(job_id)
    return job.status if job is not None else None
