"""The group pages offer "Leave group" only when leaving can work; leaving and removing a
member ask first, on a page of their own (no JavaScript needed)."""

import pytest
from django.urls import reverse

from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(db):
    return GroupFactory(slug="salle", visibility="public")


def test_the_last_owner_is_not_offered_leave_group(client, group):
    owner = MembershipFactory(group=group, role="owner").user
    client.force_login(owner)
    html = client.get(reverse("library:group", args=[group.slug])).text
    assert reverse("groups:leave", args=[group.slug]) not in html


def test_a_co_owner_is_offered_the_leave_page(client, group):
    owner = MembershipFactory(group=group, role="owner").user
    MembershipFactory(group=group, role="owner")
    client.force_login(owner)
    html = client.get(reverse("library:group", args=[group.slug])).text
    assert reverse("groups:leave", args=[group.slug]) in html


def test_a_member_is_asked_to_confirm_leaving(client, group):
    MembershipFactory(group=group, role="owner")
    member = MembershipFactory(group=group).user
    client.force_login(member)
    leave = reverse("groups:leave", args=[group.slug])
    html = client.get(reverse("library:group", args=[group.slug])).text
    # a link to the page that asks, not a button that leaves (works without JavaScript)
    assert f'href="{leave}"' in html
    page = client.get(leave)
    assert "Leave the group" in page.text
    assert group.memberships.filter(user=member).exists()
    client.post(leave)
    assert not group.memberships.filter(user=member).exists()


def test_the_members_page_offers_leave_to_a_member_but_not_to_the_last_owner(client, group):
    owner = MembershipFactory(group=group, role="owner").user
    member = MembershipFactory(group=group).user
    leave = reverse("groups:leave", args=[group.slug])
    members = reverse("groups:members", args=[group.slug])
    client.force_login(owner)
    assert leave not in client.get(members).text
    client.force_login(member)
    assert leave in client.get(members).text


def test_removing_a_member_asks_on_a_page_first(client, group):
    owner = MembershipFactory(group=group, role="owner").user
    member = MembershipFactory(group=group).user
    client.force_login(owner)
    remove = reverse("groups:remove_member", args=[group.slug, member.username])
    assert f'href="{remove}"' in client.get(reverse("groups:members", args=[group.slug])).text
    page = client.get(remove)
    assert page.status_code == 200
    assert f"Remove {member.name} from {group.name}?" in page.text
    assert group.memberships.filter(user=member).exists(), "asking removes nobody"
    response = client.post(remove)
    assert response.status_code == 302
    assert not group.memberships.filter(user=member).exists()


def test_a_member_cannot_open_the_remove_page(client, group):
    MembershipFactory(group=group, role="owner")
    member = MembershipFactory(group=group).user
    other = MembershipFactory(group=group).user
    client.force_login(member)
    remove = reverse("groups:remove_member", args=[group.slug, other.username])
    assert client.get(remove).status_code == 403
