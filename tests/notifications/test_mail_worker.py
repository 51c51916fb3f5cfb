"""Real mail: a local SMTP server (aiosmtpd) and a real Celery worker sending through it.

The worker here consumes only the "mail" queue and is told the SMTP server's port; what it
sent is read back from the server: headers, both parts, the unsubscribe link working.
"""

import email
import email.policy
import socket
import time
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from annotations import services as annotations
from config.locks import redis_client
from config.queue import enqueue
from library.digests import period_window
from notifications.models import GroupFollow, Notification
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory
from tests.workers.conftest import running_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
WORKER_NAME = "cp-tests-mail"


class Inbox:
    """aiosmtpd handler keeping every message; refuses the next `fail` DATA commands."""

    def __init__(self):
        self.messages = []
        self.fail = 0

    async def handle_DATA(self, server, session, envelope):
        if self.fail:
            self.fail -= 1
            return "451 try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message.raw = envelope.content
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def to(self, address):
        return [m for rcpt, m in self.messages if address in rcpt]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def mail_worker(smtp, django_db_setup, django_db_blocker, tmp_path_factory):
    _inbox, port = smtp
    redis_client().delete("mail")
    log_path = tmp_path_factory.mktemp("mailworker") / "worker.log"
    env = {
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "NOTIFICATION_MAIL_RETRY_DELAY": "1",
        "SITE_URL": "http://testserver",
    }
    try:
        with running_worker(WORKER_NAME, "mail", log_path, env, concurrency=2) as process:
            process.log_path = log_path
            yield process
    finally:
        redis_client().delete("mail")


@pytest.fixture(autouse=True)
def _fresh_windows(settings):
    settings.SITE_URL = "http://testserver"
    client = redis_client()
    for key in client.scan_iter("commonplace:mail:*"):
        client.delete(key)
    for key in client.scan_iter("*rate*"):
        client.delete(key)


def _parts(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def _one_click(message):
    """RFC 8058: POST "List-Unsubscribe=One-Click" to the header's URL, with no session."""
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message["List-Unsubscribe"].strip("<>")
    response = Client().post(
        urlsplit(url).path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    return response, url


def test_a_reply_is_mailed_by_the_worker_with_both_parts_and_one_click_unsubscribe(
    smtp, mail_worker
):
    inbox, _port = smtp
    group = GroupFactory()
    saver = MembershipFactory(group=group).user
    replier = MembershipFactory(group=group).user
    item = BookmarkFactory(group=group, owner=saver, title="Le télétravail")
    first = annotations.post_comment(saver, body="Qu'en pensez-vous, collègues ?", bookmark=item)
    reply = annotations.post_comment(
        replier, body="Je trouve que c'est une bonne idée pour l'équipe.", parent=first
    )
    (message,) = wait_until(lambda: inbox.to(saver.email), timeout=30)
    text, html = _parts(message)
    assert "Le télétravail" in message["Subject"]
    assert f"http://testserver/b/{item.pk}/#comment-{reply.pk}" in text
    assert f'href="http://testserver/b/{item.pk}/#comment-{reply.pk}"' in html
    assert "/notifications/unsubscribe/" in text
    wait_until(lambda: Notification.objects.filter(recipient=saver, mail="sent").exists())

    response, url = _one_click(message)
    # on the wire a plain <URL> (a mail client reads no RFC 2047 encoded word there)
    assert f"List-Unsubscribe: <{url}>".encode() in message.raw
    assert response.status_code == 200
    assert Client().get(urlsplit(url).path).status_code == 200  # the page, no login asked
    assert saver.mail_settings.muted_kinds == ["reply"]


def test_a_failed_smtp_send_is_retried_and_nothing_is_lost(smtp, mail_worker):
    inbox, _port = smtp
    group = GroupFactory()
    saver = MembershipFactory(group=group).user
    replier = MembershipFactory(group=group).user
    item = BookmarkFactory(group=group, owner=saver)
    inbox.fail = 2
    annotations.post_comment(
        replier, body=f"@{saver.username} regarde ce passage sur le travail.", bookmark=item
    )
    (message,) = wait_until(lambda: inbox.to(saver.email), timeout=40)
    assert "mentioned you" in message["Subject"]
    # the worker records "sent" just after the server took the mail: give it that moment
    notification = wait_until(
        lambda: Notification.objects.filter(recipient=saver, mail="sent").first(), timeout=10
    )
    assert notification.mail == "sent" and notification.read_at is None


def test_a_french_reader_gets_the_weekly_digest_once_in_french(smtp, mail_worker):
    inbox, _port = smtp
    group = GroupFactory(name="Tic&Travail")
    reader = MembershipFactory(group=group).user
    daily = MembershipFactory(group=group).user
    GroupFollow.objects.create(user=daily, group=group, digest="daily")
    from notifications.services import update_mail_settings

    update_mail_settings(reader, language="fr")
    start, _end = period_window("weekly")
    for n in range(3):
        BookmarkFactory(
            group=group, owner=daily, title=f"Article {n}", created_at=start.replace(hour=9)
        )
    enqueue("library.tasks.send_digests", "weekly")
    (message,) = wait_until(lambda: inbox.to(reader.email), timeout=30)
    text, html = _parts(message)
    assert "Tic&Travail" in message["Subject"]
    assert "3 nouveaux éléments" in text and "Article 2" in html
    assert inbox.to(daily.email) == []  # chose daily: not in the weekly run
    enqueue("library.tasks.send_digests", "weekly")  # the same period again
    time.sleep(3)
    assert len(inbox.to(reader.email)) == 1
    response, _url = _one_click(message)
    assert response.status_code == 200
    assert GroupFollow.objects.get(user=reader, group=group).digest == "off"


def _reply_to(saver, first, replier, n):
    return [
        annotations.post_comment(
            replier, body=f"Réponse numéro {i} à votre remarque.", parent=first
        )
        for i in range(n)
    ]


def test_replies_within_the_batch_window_leave_in_one_mail(smtp, mail_worker, settings):
    """The first reply is mailed at once; the next ones, within NOTIFICATION_MAIL_BATCH_SECONDS
    (300 s by default, a few seconds here), wait and leave together in one mail."""
    settings.NOTIFICATION_MAIL_BATCH_SECONDS = 4
    inbox, _port = smtp
    group = GroupFactory()
    saver = MembershipFactory(group=group).user
    replier = MembershipFactory(group=group).user
    item = BookmarkFactory(group=group, owner=saver, title="Le droit à la déconnexion")
    first = annotations.post_comment(saver, body="Qu'en pensez-vous ?", bookmark=item)
    (reply,) = _reply_to(saver, first, replier, 1)
    (alone,) = wait_until(lambda: inbox.to(saver.email), timeout=30)
    assert f"#comment-{reply.pk}" in _parts(alone)[0]
    later = _reply_to(saver, first, replier, 3)
    mails = wait_until(lambda: inbox.to(saver.email)[1:], timeout=30)
    time.sleep(settings.NOTIFICATION_MAIL_BATCH_SECONDS + 2)
    (batch,) = inbox.to(saver.email)[1:]  # one mail for the three, nothing after it
    text, html = _parts(batch)
    assert batch["Subject"] == "3 new notifications on Commonplace"
    for comment in later:
        assert f"#comment-{comment.pk}" in text and f"#comment-{comment.pk}" in html
    assert f"#comment-{reply.pk}" not in text  # already mailed
    assert mails
    wait_until(lambda: Notification.objects.filter(recipient=saver, mail="sent").count() == 4)


def test_a_refused_send_waits_with_a_growing_delay_and_is_sent_once_accepted(smtp, mail_worker):
    inbox, _port = smtp
    group = GroupFactory()
    saver = MembershipFactory(group=group).user
    replier = MembershipFactory(group=group).user
    item = BookmarkFactory(group=group, owner=saver)
    inbox.fail = 3  # refused three times (451), then accepted
    first = annotations.post_comment(saver, body="Une question ?", bookmark=item)
    _reply_to(saver, first, replier, 1)
    log = mail_worker.log_path
    wait_until(lambda: "Retry in 2s" in log.read_text(), timeout=30)
    notification = Notification.objects.get(recipient=saver)
    assert notification.mail == "pending" and inbox.to(saver.email) == []
    (message,) = wait_until(lambda: inbox.to(saver.email), timeout=40)
    assert "Retry in 1s" in log.read_text() and "Retry in 4s" in log.read_text()
    assert "replied to you" in message["Subject"]
    wait_until(lambda: Notification.objects.filter(pk=notification.pk, mail="sent").exists())
    assert Notification.objects.get(pk=notification.pk).read_at is None
