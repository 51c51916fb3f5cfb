"""Password guessing on the log-in form and the token endpoint; sign-up floods (issue 19)."""

import pytest
from django.core import mail

from accounts.models import User
from config.locks import redis_client
from tests.factories import UserFactory
from tests.outbox import run_outbox

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # UserFactory's
ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"


@pytest.fixture(autouse=True)
def _fresh_counters():
    client = redis_client()
    for pattern in ("commonplace:login:*", "commonplace:signup:*"):
        for key in client.scan_iter(pattern):
            client.delete(key)
    yield


def log_in(client, username, password, ip):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_100_wrong_passwords_then_the_right_one_is_refused_but_the_owner_elsewhere_gets_in(
    client,
):
    victim = UserFactory()
    for _ in range(100):
        log_in(client, victim.username, "guess", ATTACKER)
    response = log_in(client, victim.username, PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.text
    assert "_auth_user_id" not in client.session

    response = log_in(client, victim.username, PASSWORD, OWNER)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(victim.pk)


def test_the_cool_down_ends(client, settings):
    settings.LOGIN_COOLDOWN_SECONDS = 1
    victim = UserFactory()
    for _ in range(10):
        log_in(client, victim.username, "guess", ATTACKER)
    assert log_in(client, victim.username, PASSWORD, ATTACKER).status_code == 429
    redis_client().delete(*redis_client().keys("commonplace:login:*"))  # the window expired
    assert log_in(client, victim.username, PASSWORD, ATTACKER).status_code == 302


def test_the_token_endpoint_answers_429_json_after_guesses(client):
    victim = UserFactory()
    for _ in range(30):
        client.post(
            "/api/v1/auth/token/",
            {"username": victim.username, "password": "guess"},
            REMOTE_ADDR=ATTACKER,
        )
    response = client.post(
        "/api/v1/auth/token/",
        {"username": victim.username, "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
    )
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    response = client.post(
        "/api/v1/auth/token/",
        {"username": victim.username, "password": PASSWORD},
        REMOTE_ADDR=OWNER,
    )
    assert response.status_code == 200 and response.json()["token"]


def test_one_ip_guessing_many_accounts_is_stopped(client):
    users = UserFactory.create_batch(6)
    for user in users:
        for _ in range(4):
            log_in(client, user.username, "guess", ATTACKER)
    response = log_in(client, users[0].username, PASSWORD, ATTACKER)
    assert response.status_code == 429


def signup(client, n, ip, **extra):
    data = {
        "username": f"bot{n}",
        "email": f"bot{n}@example.org",
        "password1": "a long enough passphrase 42",
        "password2": "a long enough passphrase 42",
        **extra,
    }
    return client.post("/accounts/signup/", data, REMOTE_ADDR=ip)


def test_sign_ups_from_one_ip_are_limited(client, settings):
    settings.SIGNUP_POLICY = "open"
    for n in range(settings.SIGNUPS_PER_IP_PER_HOUR):
        assert signup(client, n, ATTACKER).status_code == 302
        client.logout()
    response = signup(client, 99, ATTACKER)
    assert response.status_code == 429
    assert "Too many accounts were made from your network" in response.text
    assert not User.objects.filter(username="bot99").exists()
    assert signup(client, 100, OWNER).status_code == 302


def test_an_address_already_used_is_refused_whatever_its_case(client, settings):
    settings.SIGNUP_POLICY = "open"
    UserFactory(email="Ada@Example.org")
    response = signup(client, 1, OWNER, email="ada@EXAMPLE.org")
    assert response.status_code == 200
    assert "Another account already uses this e-mail address." in response.text
    assert not User.objects.filter(username="bot1").exists()


def test_the_database_refuses_a_second_account_with_the_same_address():
    from django.db import IntegrityError

    UserFactory(email="same@example.org")
    with pytest.raises(IntegrityError):
        User.objects.create(username="other", email="SAME@example.org")


def test_profile_cannot_take_another_accounts_address(client):
    UserFactory(email="taken@example.org")
    me = UserFactory()
    client.force_login(me)
    response = client.post(
        "/accounts/settings/", {"display_name": "x", "email": "TAKEN@example.org", "bio": ""}
    )
    assert "Another account already uses this e-mail address." in response.text
    me.refresh_from_db()
    assert me.email != "TAKEN@example.org"


def test_signup_confirm_email_keeps_the_account_inactive_until_the_link(client, settings):
    settings.SIGNUP_POLICY = "open"
    settings.SIGNUP_CONFIRM_EMAIL = True
    response = signup(client, 1, OWNER)
    assert response.status_code == 200 and "Check your mail" in response.text
    user = User.objects.get(username="bot1")
    assert not user.is_active
    assert "_auth_user_id" not in client.session
    response = log_in(client, "bot1", "a long enough passphrase 42", OWNER)
    assert "Confirm your e-mail address first" in response.text

    run_outbox()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bot1@example.org"]
    link = next(w for w in mail.outbox[0].body.split() if "/accounts/confirm/" in w)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}").status_code == 200  # a mail scanner's GET activates nothing
    assert not User.objects.get(pk=user.pk).is_active
    assert client.post(f"/{path}").status_code == 302
    assert User.objects.get(pk=user.pk).is_active
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    assert client.post(f"/{path}").status_code == 400  # used once


def test_password_reset_request_does_the_same_work_for_known_and_unknown_addresses(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config.models import OutboxMessage

    UserFactory(email="known@example.org")
    shapes = []
    for address in ("known@example.org", "nobody@example.org"):
        with CaptureQueriesContext(connection) as queries:
            response = client.post("/accounts/password/reset/", {"email": address})
        assert response.status_code == 302
        shapes.append([q["sql"].split(" ")[0] for q in queries.captured_queries])
    assert shapes[0] == shapes[1]
    assert not any("accounts_user" in q["sql"] for q in queries.captured_queries)
    assert mail.outbox == []
    assert OutboxMessage.objects.filter(task="accounts.tasks.send_password_reset").count() == 2
    run_outbox()
    assert [m.to for m in mail.outbox] == [["known@example.org"]]
