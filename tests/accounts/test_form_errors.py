"""A form that fails says so at its top: one summary (role="alert") linking to each field."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase 42"


def summary_of(html):
    """(summary element, {link target id: link text}) of the page's error summary."""
    soup = BeautifulSoup(html, "html.parser")
    summary = soup.select_one("[data-error-summary]")
    assert summary is not None, "no error summary on the page"
    assert summary["role"] == "alert"
    assert summary["tabindex"] == "-1"
    links = {a["href"][1:]: a.get_text(" ", strip=True) for a in summary.select("a[href^='#']")}
    for target in links:
        assert soup.find(id=target) is not None, f"the summary links to #{target}, not on the page"
    return soup, summary, links


def test_signup_errors_are_summarised_with_links_and_keep_what_was_typed_but_passwords(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "ada lovelace!",
            "display_name": "Ada L.",
            "email": "not-an-address",
            "password1": PASSWORD,
            "password2": "something else 42",
        },
    )
    assert response.status_code == 200
    soup, summary, links = summary_of(response.text)
    assert {"id_username", "id_email", "id_password2"} <= set(links)
    assert "Email" in links["id_email"]
    assert "The two passwords differ." in links["id_password2"]
    assert soup.find(id="id_username")["value"] == "ada lovelace!"
    assert soup.find(id="id_display_name")["value"] == "Ada L."
    assert soup.find(id="id_email")["value"] == "not-an-address"
    assert not soup.find(id="id_password1").get("value")
    assert not soup.find(id="id_password2").get("value")


def test_a_page_without_errors_has_no_summary(client):
    assert "data-error-summary" not in client.get("/accounts/signup/").text
    assert "data-error-summary" not in client.get("/accounts/login/").text


def test_a_failed_login_is_summarised_and_the_username_stays(client):
    user = UserFactory()
    response = client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    soup, summary, _links = summary_of(response.text)
    assert "correct username and password" in summary.get_text()
    assert soup.find(id="id_username")["value"] == user.username
    # the summary takes the focus, not the username field
    assert not soup.find(id="id_username").has_attr("autofocus")


def test_settings_errors_are_summarised(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/accounts/settings/", {"display_name": "A", "email": "nope"})
    _soup, _summary, links = summary_of(response.text)
    assert "id_email" in links


def test_group_form_errors_link_to_a_radio_list_first_choice(client):
    client.force_login(UserFactory())
    response = client.post("/g/new/", {"name": "", "description": ""})
    soup, _summary, links = summary_of(response.text)
    assert {"id_name", "id_visibility_0", "id_join_policy_0"} <= set(links)
    assert soup.find(id="id_visibility_0")["type"] == "radio"


def test_bookmark_edit_errors_are_summarised(client):
    user = UserFactory()
    bookmark = BookmarkFactory(owner=user)
    client.force_login(user)
    response = client.post(f"/b/{bookmark.pk}/edit", {"destination": "me", "title": "x" * 2000})
    _soup, _summary, links = summary_of(response.text)
    assert "id_title" in links


def test_topic_form_errors_are_summarised(client):
    group = GroupFactory(visibility="public")
    user = MembershipFactory(group=group).user
    client.force_login(user)
    response = client.post(f"/g/{group.slug}/topics/new/", {"title": "", "body": ""})
    _soup, _summary, links = summary_of(response.text)
    assert links, "the summary links to the empty fields"


def test_import_form_errors_are_summarised(client):
    client.force_login(UserFactory())
    response = client.post("/import/", {"destination": "me"})
    _soup, _summary, links = summary_of(response.text)
    assert "id_file" in links
