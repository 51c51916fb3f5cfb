"""`manage.py send_digests --period daily|weekly [--dry-run]` as an operator (or beat) runs
it, in its own process, sending through a local SMTP server: run twice, each member gets one
digest per group and period; a dry run sends nothing."""

import email
import email.policy
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from library.digests import period_window
from library.tasks import send_daily_digests
from notifications.models import GroupFollow
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory
from tests.workers.conftest import ROOT, database_url

from .test_mail_worker import _free_port

pytestmark = pytest.mark.django_db(transaction=True)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def subjects(self, address):
        return sorted(str(m["Subject"]) for rcpt, m in self.messages if address in rcpt)


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


def _send_digests(port, *args):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "1",
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "SITE_URL": "http://testserver",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "send_digests", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_send_digests_twice_sends_once_per_member_group_and_period(smtp):
    inbox, port = smtp
    travail, lecture = GroupFactory(name="Travail"), GroupFactory(name="Lecture")
    both = MembershipFactory(group=travail).user
    MembershipFactory(group=lecture, user=both)
    daily = MembershipFactory(group=travail).user
    GroupFollow.objects.create(user=daily, group=travail, digest="daily")
    week_start, _ = period_window("weekly")
    day_start, _ = period_window("daily")
    for group in (travail, lecture):
        BookmarkFactory(group=group, owner=daily, created_at=week_start + timedelta(hours=9))
    BookmarkFactory(group=travail, owner=both, created_at=day_start + timedelta(hours=9))

    assert "would send 2 group digests" in _send_digests(port, "--period", "weekly", "--dry-run")
    assert inbox.messages == []

    assert "sent 2 group digests" in _send_digests(port, "--period", "weekly")
    assert "sent 0 group digests" in _send_digests(port, "--period", "weekly")
    assert inbox.subjects(both.email) == [
        "Lecture: this weekly on Commonplace",
        "Travail: this weekly on Commonplace",
    ]
    assert inbox.subjects(daily.email) == []

    assert "sent 1 group digests" in _send_digests(port, "--period", "daily")
    assert "sent 0 group digests" in _send_digests(port, "--period", "daily")
    assert inbox.subjects(daily.email) == ["Travail: this daily on Commonplace"]
    assert len(inbox.subjects(both.email)) == 2


def test_beat_runs_the_same_digests_and_a_second_beat_run_sends_nothing(settings, mailoutbox):
    scheduled = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"library.tasks.send_daily_digests", "library.tasks.send_weekly_digests"} <= scheduled
    group = GroupFactory(name="Travail")
    member = MembershipFactory(group=group).user
    GroupFollow.objects.create(user=member, group=group, digest="daily")
    day_start, _ = period_window("daily")
    BookmarkFactory(group=group, owner=member, created_at=day_start + timedelta(hours=9))
    assert send_daily_digests() == {"groups": 1, "people": 0}
    assert send_daily_digests() == {"groups": 0, "people": 0}
    assert [m.to for m in mailoutbox] == [[member.email]]
