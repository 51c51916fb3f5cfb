"""Where am I: the site header marks the section being read, group pages share one tab bar."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def header_marks(response):
    """{link text: aria-current} for the header links the page marks."""
    assert response.status_code == 200
    header = BeautifulSoup(response.text, "html.parser").select_one("header.site-header")
    return {a.get_text(strip=True): a["aria-current"] for a in header.select("a[aria-current]")}


# --- site header ----------------------------------------------------------------------------


@pytest.fixture
def reader(client):
    user = UserFactory(display_name="Ada Reader")
    client.force_login(user)
    return user


def test_each_header_link_is_marked_on_its_own_page_only(client, reader):
    links = {
        "Commonplace": reverse("home"),
        "Groups": reverse("groups:directory"),
        "Save a page": reverse("bookmarks:save"),
        "My library": reverse("accounts:profile", args=[reader.username]),
        "Ada Reader": reverse("accounts:settings"),
    }
    for text, url in links.items():
        assert header_marks(client.get(url)) == {text: "page"}, url


def test_logged_out_header_marks_log_in_and_sign_up_on_their_pages(client):
    assert header_marks(client.get(reverse("accounts:login"))) == {"Log in": "page"}
    assert header_marks(client.get(reverse("accounts:signup"))) == {"Sign up": "page"}
    assert header_marks(client.get(reverse("groups:directory"))) == {"Groups": "page"}
    assert header_marks(client.get(reverse("home"))) == {"Commonplace": "page"}


def test_log_in_link_on_the_login_page_keeps_where_to_go_next(client):
    url = reverse("accounts:login") + "?next=/g/"
    header = BeautifulSoup(client.get(url).text, "html.parser").select_one("header")
    link = header.find("a", string="Log in")
    assert link["href"] == url
    assert link["aria-current"] == "page"


def test_pages_inside_a_section_mark_its_link_as_the_current_section(client, reader):
    group = GroupFactory(visibility="public")
    MembershipFactory(group=group, user=reader)
    for url in (
        reverse("groups:create"),
        group.get_absolute_url(),
        reverse("groups:members", args=[group.slug]),
    ):
        assert header_marks(client.get(url)) == {"Groups": "true"}, url
    for url in (reverse("bookmarks:import"), reverse("bookmarks:export")):
        assert header_marks(client.get(url)) == {"Ada Reader": "true"}, url
    assert header_marks(client.get(reverse("bookmarks:my_tags"))) == {"My library": "true"}


def test_someone_elses_library_and_other_pages_mark_no_header_link(client, reader):
    other = UserFactory()
    assert header_marks(client.get(reverse("accounts:profile", args=[other.username]))) == {}
    assert header_marks(client.get(reverse("search:search") + "?q=travail")) == {}


def test_an_unknown_address_marks_nothing(client, reader):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    header = BeautifulSoup(response.text, "html.parser").select_one("header.site-header")
    assert header.select("a[aria-current]") == []
