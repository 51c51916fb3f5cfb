"""In a real browser: a form that fails puts the focus on its error summary, whose links lead
to the fields."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_failed_signup_focuses_the_summary_and_its_links_focus_the_fields(live_server, page):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("#id_username", "ada")
    page.fill("#id_email", "ada@example.org")
    page.fill("#id_password1", "a long enough passphrase 42")
    page.fill("#id_password2", "another passphrase 43")
    page.click("form#signup-form button[type=submit]")
    page.wait_for_load_state()

    summary = page.get_by_role("alert").filter(has_text="The form could not be sent")
    summary.wait_for()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.input_value("#id_username") == "ada", "what was typed stays"
    assert page.input_value("#id_password1") == "", "passwords are typed again"

    summary.get_by_role("link", name="The two passwords differ.").click()
    assert page.evaluate("document.activeElement.id") == "id_password2"
    page.keyboard.type("a long enough passphrase 42")
    page.fill("#id_password1", "a long enough passphrase 42")
    page.click("form#signup-form button[type=submit]")
    page.wait_for_load_state()
    assert page.get_by_role("alert").filter(has_text="The form could not be sent").count() == 0
