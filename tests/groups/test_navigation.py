"""Where am I: the site header marks the section being read, group pages share one tab bar."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

from groups.models import Topic
from groups.services import create_invitation
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
        "Save a page": reverse("library:save"),
        "My library": reverse("library:user", args=[reader.username]),
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
    for url in (reverse("transfer:import"), reverse("transfer:export")):
        assert header_marks(client.get(url)) == {"Ada Reader": "true"}, url
    assert header_marks(client.get(reverse("bookmarks:my_tags"))) == {"My library": "true"}


def test_someone_elses_library_and_other_pages_mark_no_header_link(client, reader):
    other = UserFactory()
    assert header_marks(client.get(reverse("library:user", args=[other.username]))) == {}
    assert header_marks(client.get(reverse("search:search") + "?q=travail")) == {}


def test_an_unknown_address_marks_nothing(client, reader):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    header = BeautifulSoup(response.text, "html.parser").select_one("header.site-header")
    assert header.select("a[aria-current]") == []


# --- group tab bar --------------------------------------------------------------------------

EVERYONE = ["Library", "Topics", "Members"]
TABS_OF = {
    "visitor": EVERYONE,
    "non_member": EVERYONE,
    "member": EVERYONE,
    "moderator": [*EVERYONE, "Moderation"],
    "admin": [*EVERYONE, "Join requests", "Invitations", "Moderation", "Settings"],
    "owner": [*EVERYONE, "Join requests", "Invitations", "Moderation", "Settings"],
}


def group_nav(response):
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser").select_one('nav[aria-label="Group"]')


def tabs(response):
    """[(label, aria-current or None)] of the group tab bar, in order."""
    nav = group_nav(response)
    return [(a.get_text(strip=True), a.get("aria-current")) for a in nav.select("a")]


def login_as(client, group, viewer):
    if viewer == "visitor":
        return None
    user = UserFactory()
    if viewer != "non_member":
        MembershipFactory(group=group, user=user, role=viewer)
    client.force_login(user)
    return user


@pytest.mark.parametrize("viewer", list(TABS_OF))
def test_each_viewer_sees_the_tabs_their_role_allows(client, viewer):
    group = GroupFactory(visibility="public")
    login_as(client, group, viewer)
    for url in (group.get_absolute_url(), reverse("groups:members", args=[group.slug])):
        assert [label for label, _ in tabs(client.get(url))] == TABS_OF[viewer], url


@pytest.mark.parametrize("viewer", ["member", "owner"])
def test_members_of_a_private_group_see_its_tabs(client, viewer):
    group = GroupFactory(visibility="private")
    login_as(client, group, viewer)
    assert [label for label, _ in tabs(client.get(group.get_absolute_url()))] == TABS_OF[viewer]


@pytest.mark.parametrize("viewer", ["visitor", "non_member"])
def test_a_private_group_stays_404_without_tabs_for_outsiders(client, viewer):
    group = GroupFactory(visibility="private", name="Secret Garden")
    login_as(client, group, viewer)
    for url in (group.get_absolute_url(), reverse("groups:members", args=[group.slug])):
        response = client.get(url)
        assert response.status_code == 404
        assert 'aria-label="Group"' not in response.text
        assert "Secret Garden" not in response.text


def test_the_tab_of_the_page_being_read_is_the_current_one(client):
    group = GroupFactory(visibility="public")
    login_as(client, group, "owner")
    pages = {
        "Library": group.get_absolute_url(),
        "Topics": reverse("annotations:topic_list", args=[group.slug]),
        "Members": reverse("groups:members", args=[group.slug]),
        "Join requests": reverse("groups:requests", args=[group.slug]),
        "Invitations": reverse("groups:invitations", args=[group.slug]),
        "Moderation": reverse("annotations:moderation_queue", args=[group.slug]),
        "Settings": reverse("groups:settings", args=[group.slug]),
    }
    for current, url in pages.items():
        marks = {label: mark for label, mark in tabs(client.get(url)) if mark}
        assert marks == {current: "page"}, url
    # the library keeps its tab when filtered or searched
    marks = dict(tabs(client.get(group.get_absolute_url() + "?q=travail&sort=date")))
    assert marks["Library"] == "page"


def test_a_tabs_sub_page_marks_its_tab_as_the_current_section(client):
    group = GroupFactory(visibility="public")
    owner = login_as(client, group, "owner")
    topic = Topic.objects.create(group=group, author=owner, title="Un sujet")
    sub_pages = {
        "Topics": reverse("annotations:topic", args=[group.slug, topic.pk]),
        "Moderation": reverse("annotations:moderation_log", args=[group.slug]),
        "Settings": reverse("groups:delete", args=[group.slug]),
    }
    for tab, url in sub_pages.items():
        marks = {label: mark for label, mark in tabs(client.get(url)) if mark}
        assert marks == {tab: "true"}, url
    # leaving belongs to no tab: the bar is there, nothing is marked
    assert all(mark is None for _, mark in tabs(client.get(f"/g/{group.slug}/leave/")))


def test_tabs_are_plain_links_between_the_breadcrumb_and_the_page_heading(client):
    group = GroupFactory(visibility="public", name="Tic&Travail")
    login_as(client, group, "member")
    page = BeautifulSoup(client.get(group.get_absolute_url()).text, "html.parser")
    main = page.select_one("main")
    landmarks = [
        el for el in main.find_all(["nav", "h1"]) if el.name == "h1" or el.get("aria-label")
    ]
    assert [el.get("aria-label", el.name) for el in landmarks][:3] == ["Breadcrumb", "Group", "h1"]
    for link in main.select('nav[aria-label="Group"] a'):
        assert link["href"].startswith(f"/g/{group.slug}/")
        assert not link.has_attr("onclick") and not link.has_attr("hx-get")


def test_pages_outside_a_group_have_no_group_tabs(client):
    group = GroupFactory(visibility="public")
    owner = login_as(client, group, "owner")
    invitation = create_invitation(owner, group, days=7)
    for url in (
        reverse("home"),
        reverse("groups:directory"),
        reverse("library:user", args=[owner.username]),
        reverse("groups:accept_invitation", args=[group.slug, invitation.token]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert 'aria-label="Group"' not in response.text, url


def test_group_tabs_speak_french(client):
    group = GroupFactory(visibility="public")
    login_as(client, group, "owner")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = BeautifulSoup(client.get(group.get_absolute_url()).text, "html.parser")
    nav = page.select_one('nav[aria-label="Groupe"]')
    assert [a.get_text(strip=True) for a in nav.select("a")] == [
        "Bibliothèque",
        "Sujets",
        "Membres",
        "Demandes d’adhésion",
        "Invitations",
        "Modération",
        "Réglages",
    ]
    assert nav.select_one('a[aria-current="page"]').get_text(strip=True) == "Bibliothèque"
