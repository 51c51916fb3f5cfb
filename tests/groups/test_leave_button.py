"""The group page offers "Leave group" only when leaving can work, and asks first."""

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
    html = client.get(reverse("library:group", args=[group.slug])).text
    assert 'data-confirm="Leave this group?"' in html
