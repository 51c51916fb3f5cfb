"""In a real browser: log in, create a private group, invite someone, they accept and appear."""

import os

import pytest

from groups.models import Invitation
from tests.factories import UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_create_a_private_group_and_invite_someone(live_server, page, login, browser):
    founder = UserFactory(display_name="Fanny Founder")
    guest = UserFactory(display_name="Gaston Guest")

    login(founder)
    page.goto(f"{live_server.url}/g/new/")
    page.get_by_label("Name").fill("Cercle de lecture")
    page.get_by_label("Private").check()
    page.get_by_label("By invitation only").check()
    page.get_by_role("button", name="Create the group").click()
    page.wait_for_url(f"{live_server.url}/g/cercle-de-lecture/")

    page.goto(f"{live_server.url}/g/cercle-de-lecture/invitations/")
    page.get_by_role("button", name="Create an invitation link").click()
    page.get_by_text("Invitation link created").wait_for()
    link = page.get_by_label("Invitation link").input_value()
    assert link.startswith(live_server.url)
    assert link.endswith(f"/invite/{Invitation.objects.get().token}/")

    context = browser.new_context()
    other = context.new_page()
    other.goto(f"{live_server.url}/g/cercle-de-lecture/members/")
    assert "Cercle de lecture" not in other.content()  # a private group is a 404 to outsiders
    other.goto(f"{live_server.url}/accounts/login/")
    other.fill("input[name=username]", guest.username)
    other.fill("input[name=password]", "correct horse battery")
    other.click("form#login-form button[type=submit]")
    other.wait_for_load_state()
    other.goto(link)
    other.get_by_role("button", name="Accept and join").click()
    other.wait_for_url(f"{live_server.url}/g/cercle-de-lecture/")
    context.close()

    page.goto(f"{live_server.url}/g/cercle-de-lecture/members/")
    assert page.get_by_role("link", name="Gaston Guest", exact=True).count() == 1


def test_the_copy_button_puts_the_invitation_link_on_the_clipboard(live_server, page, login):
    owner = UserFactory()
    login(owner)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/g/new/")
    page.get_by_label("Name").fill("Club")
    page.get_by_label("Private").check()
    page.get_by_label("By invitation only").check()
    page.get_by_role("button", name="Create the group").click()
    page.wait_for_url(f"{live_server.url}/g/club/")
    page.goto(f"{live_server.url}/g/club/invitations/")
    page.get_by_role("button", name="Create an invitation link").click()
    page.get_by_text("Invitation link created").wait_for()

    page.get_by_role("button", name="Copy").click()
    page.get_by_role("button", name="Copied").wait_for()
    link = page.get_by_label("Invitation link").input_value()
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert link.endswith(f"/g/club/invite/{Invitation.objects.get().token}/")
