"""Sign-up under each policy, log in and out, password reset mail, profile, tokens."""

import re

import pytest
from django.core import mail
from rest_framework.authtoken.models import Token

from accounts.models import SignupInvitation, User
from accounts.services import create_signup_invitation, regenerate_api_token, regenerate_feed_token
from tests.factories import UserFactory
from tests.outbox import run_outbox

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase 42"


def signup_data(**extra):
    return {
        "username": "ada",
        "display_name": "Ada L.",
        "email": "ada@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }


def test_open_signup_creates_the_account_and_logs_in(client, settings):
    settings.SIGNUP_POLICY = "open"
    response = client.post("/accounts/signup/", signup_data())
    assert response.status_code == 302
    user = User.objects.get(username="ada")
    assert user.display_name == "Ada L."
    assert user.check_password(PASSWORD)
    assert client.get("/accounts/settings/").status_code == 200


def test_signup_refuses_a_taken_username_and_mismatched_passwords(client, settings):
    settings.SIGNUP_POLICY = "open"
    UserFactory(username="ada")
    response = client.post("/accounts/signup/", signup_data(password2="something else 42"))
    assert response.status_code == 200
    assert "The two passwords differ." in response.text
    response = client.post("/accounts/signup/", signup_data())
    assert "This username is taken." in response.text
    assert User.objects.filter(username="ada").count() == 1


def test_signup_refuses_a_weak_password(client, settings):
    settings.SIGNUP_POLICY = "open"
    response = client.post("/accounts/signup/", signup_data(password1="123", password2="123"))
    assert response.status_code == 200
    assert not User.objects.filter(username="ada").exists()


def test_invite_signup_needs_a_valid_code_that_works_once(client, settings):
    settings.SIGNUP_POLICY = "invite"
    assert "Invitation code" in client.get("/accounts/signup/").text
    response = client.post("/accounts/signup/", signup_data(invite_code="nope"))
    assert response.status_code == 200
    assert "This invitation code is not valid." in response.text
    assert not User.objects.filter(username="ada").exists()

    invitation = create_signup_invitation()
    response = client.post("/accounts/signup/", signup_data(invite_code=invitation.code))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.used_by.username == "ada"

    client.logout()
    response = client.post(
        "/accounts/signup/",
        signup_data(username="bob", email="bob@example.org", invite_code=invitation.code),
    )
    assert "This invitation code is not valid." in response.text
    assert not User.objects.filter(username="bob").exists()


def test_closed_signup_says_so_and_refuses_posts(client, settings):
    settings.SIGNUP_POLICY = "closed"
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert "Sign-up is closed" in response.text
    response = client.post("/accounts/signup/", signup_data())
    assert response.status_code == 403
    assert not User.objects.filter(username="ada").exists()
    assert SignupInvitation.objects.count() == 0


def test_login_form_logs_in_and_logout_needs_post(client):
    user = UserFactory()
    page = client.get("/accounts/login/")
    assert 'id="login-form"' in page.text
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert client.get("/accounts/settings/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/settings/").status_code == 302


def test_wrong_password_does_not_log_in(client):
    user = UserFactory()
    response = client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert client.get("/accounts/settings/").status_code == 302


def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="reset@example.org")
    response = client.post("/accounts/password/reset/", {"email": "reset@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []  # the request only queues; the task sends
    run_outbox()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reset@example.org"]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(
        set_url,
        {"new_password1": "a brand new passphrase 7", "new_password2": "a brand new passphrase 7"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase 7")


def test_password_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    run_outbox()
    assert mail.outbox == []


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "correct horse battery",
            "new_password1": "another fine passphrase 9",
            "new_password2": "another fine passphrase 9",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another fine passphrase 9")


def test_settings_edit_display_name_email_and_bio(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/settings/",
        {"display_name": "Émilie", "email": "emilie@example.org", "bio": "Lit « tout »."},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.email, user.bio) == (
        "Émilie",
        "emilie@example.org",
        "Lit « tout ».",
    )


def test_settings_refuses_a_bad_email_and_changes_nothing(client):
    user = UserFactory(email="keep@example.org")
    client.force_login(user)
    response = client.post("/accounts/settings/", {"display_name": "X", "email": "not-an-email"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == "keep@example.org"


def test_api_token_is_shown_and_regenerating_it_revokes_the_old_one(client):
    user = UserFactory()
    client.force_login(user)
    assert "You have no API token yet." in client.get("/accounts/settings/").text
    assert client.get("/accounts/settings/api-token/").status_code == 405
    client.post("/accounts/settings/api-token/")
    first = Token.objects.get(user=user).key
    assert first in client.get("/accounts/settings/").text
    client.post("/accounts/settings/api-token/")
    second = Token.objects.get(user=user).key
    assert second != first
    assert not Token.objects.filter(key=first).exists()


def test_token_services_replace_the_secret():
    user = UserFactory()
    assert regenerate_api_token(user).key != regenerate_api_token(user).key
    old = regenerate_feed_token(user)
    assert len(old) >= 32
    assert regenerate_feed_token(user) != old
    user.refresh_from_db()
    assert user.feed_token and user.feed_token != old


def test_feed_token_regenerate_by_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.post("/accounts/settings/feed-token/").status_code == 302
    user.refresh_from_db()
    assert user.feed_token


def test_settings_need_login(client):
    response = client.get("/accounts/settings/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post("/accounts/settings/api-token/").status_code == 302
    assert Token.objects.count() == 0


def test_signup_invite_command_prints_links_that_prefill_the_code(client, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.SIGNUP_POLICY = "invite"
    out = StringIO()
    call_command("signup_invite", "--count", "2", stdout=out)
    lines = out.getvalue().split("\n")[:2]
    assert SignupInvitation.objects.count() == 2
    code, link = lines[0].split()
    assert link.endswith(f"/accounts/signup/?code={code}")
    page = client.get(f"/accounts/signup/?code={code}")
    assert f'value="{code}"' in page.text
