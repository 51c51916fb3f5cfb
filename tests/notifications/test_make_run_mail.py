"""`make run`: a member who is replied to gets a mail within a minute, printed by the
console backend in the worker's output, and the bell shows it. The worker is started with
the very command line of `make run` (scripts/dev.py worker_command: every queue, beat inside)
and the environment `make run` gives it (DEBUG, no EMAIL_* settings)."""

import email
import email.policy
import importlib.util
import os
import subprocess

import pytest
from django.conf import settings as django_settings
from django.test import Client

from annotations import services as annotations
from config.locks import redis_client
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory
from tests.workers.conftest import ROOT, database_url, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _dev():
    spec = importlib.util.spec_from_file_location("dev", ROOT / "scripts" / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def make_run_worker(tmp_path):
    dev = _dev()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    env.update(
        DATABASE_URL=database_url(),
        REDIS_URL=django_settings.REDIS_URL,
        CELERY_BROKER_URL=django_settings.CELERY_BROKER_URL,
        CELERY_RESULT_BACKEND=django_settings.CELERY_RESULT_BACKEND,
        CELERY_TASK_ALWAYS_EAGER="0",
        SITE_URL="http://127.0.0.1:8000",
    )
    dev.run_defaults(env)  # what `make run` sets: DEBUG=1, SITE_URL
    redis_client().delete("mail", "default", "fetch")
    for key in redis_client().scan_iter("commonplace:mail:*"):
        redis_client().delete(key)
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(part) for part in dev.worker_command(tmp_path / "celerybeat-schedule")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: " ready." in log_path.read_text(), timeout=60)
        yield log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        redis_client().delete("mail", "default", "fetch")


def test_a_member_replied_to_gets_a_mail_in_the_console_within_a_minute(make_run_worker):
    group = GroupFactory(name="Tic&Travail")
    saver = MembershipFactory(group=group).user
    replier = MembershipFactory(group=group).user
    item = BookmarkFactory(group=group, owner=saver, title="Le travail à distance")
    first = annotations.post_comment(saver, body="Qu'en pensez-vous ?", bookmark=item)
    reply = annotations.post_comment(replier, body="Très bonne idée.", parent=first)

    def mailed():
        text = make_run_worker.read_text()
        return text if f"To: {saver.email}" in text else ""

    output = wait_until(mailed, timeout=60)
    block = output[output.rindex("MIME-Version", 0, output.index(f"To: {saver.email}")) :]
    message = email.message_from_string(block.split("-" * 79)[0], policy=email.policy.default)
    assert message["To"] == saver.email
    assert "Le travail à distance" in message["Subject"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert f"http://127.0.0.1:8000/b/{item.pk}/#comment-{reply.pk}" in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe: <http://127.0.0.1:8000/notifications/unsubscribe/" in block

    browser = Client()
    browser.force_login(saver)
    page = browser.get(f"/b/{item.pk}/").content.decode()
    assert 'id="notification-bell"' in page and '<span class="badge"' in page
