"""Real mail: an invitation sent to an address goes through a real Celery worker (the "mail"
queue) to a local SMTP server (aiosmtpd), in the inviter's language."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.utils import translation

from config.locks import redis_client
from groups import services
from groups.models import Invitation
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.workers.conftest import running_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


@pytest.fixture(scope="module")
def smtp():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture(scope="module")
def mail_worker(smtp, django_db_setup, django_db_blocker, tmp_path_factory):
    _inbox, port = smtp
    redis_client().delete("mail")
    env = {
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "0",
        "SITE_URL": "http://testserver",
    }
    log_path = tmp_path_factory.mktemp("invitemail") / "worker.log"
    try:
        with running_worker("cp-tests-invite-mail", "mail", log_path, env, concurrency=1) as p:
            yield p
    finally:
        redis_client().delete("mail")


def test_an_invitation_to_an_address_is_mailed_in_french_with_its_link(smtp, mail_worker):
    inbox, _port = smtp
    group = GroupFactory(name="Tic&Travail", slug="tic", description="Veille sur le travail.")
    owner = MembershipFactory(group=group, role="owner", user=UserFactory(display_name="Léa"))
    with translation.override("fr"):
        services.create_invitation(owner.user, group, to="zoe@example.org")
    invitation = Invitation.objects.get()
    ((rcpt, message),) = wait_until(lambda: inbox.messages, timeout=30)
    assert rcpt == ["zoe@example.org"]
    assert message["Subject"] == "Invitation à rejoindre Tic&Travail sur Commonplace"
    body = message.get_content()
    assert "Léa vous invite à rejoindre le groupe «\u00a0Tic&Travail\u00a0»" in body
    assert "Veille sur le travail." in body
    assert f"http://testserver/g/tic/invite/{invitation.token}/" in body
