"""Invitations sent to a username or an e-mail address, and the page that accepts them."""

import pytest
from django.conf import settings

from config.models import OutboxMessage
from groups import services
from groups.models import Invitation
from notifications.models import Notification
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.outbox import run_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(db):
    return GroupFactory(
        name="Cercle de lecture",
        slug="cercle",
        visibility="private",
        join_policy="invite",
        description="Nous lisons des essais sur le travail.",
    )


@pytest.fixture
def admin(group):
    return MembershipFactory(group=group, role="owner", user=UserFactory(display_name="Olga")).user


def invite(client, group, **data):
    return client.post(f"/g/{group.slug}/invitations/", {"days": 7, **data})


def test_inviting_a_username_notifies_them_with_a_single_use_link(client, group, admin):
    guest = UserFactory(username="gaston")
    client.force_login(admin)
    response = invite(client, group, to="@Gaston")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.sent_to, invitation.max_uses) == ("gaston", 1)
    notification = Notification.objects.get(recipient=guest)
    assert invitation.token in notification.url
    page = client.get(f"/g/{group.slug}/invitations/").text
    assert "Invitation sent to gaston." in page
    assert "gaston" in page


def test_inviting_an_address_mails_the_link_after_the_commit(client, group, admin, mailoutbox):
    client.force_login(admin)
    invite(client, group, to="lea@example.org")
    invitation = Invitation.objects.get()
    assert invitation.sent_to == "lea@example.org"
    assert OutboxMessage.objects.get().task == "groups.tasks.send_invitation_mail"
    assert run_outbox() == ["groups.tasks.send_invitation_mail"]
    (message,) = mailoutbox
    assert message.to == ["lea@example.org"]
    assert "Cercle de lecture" in message.subject
    assert "Olga invites you" in message.body
    assert "Nous lisons des essais sur le travail." in message.body
    assert f"{settings.SITE_URL.rstrip('/')}/g/cercle/invite/{invitation.token}/" in message.body


def test_a_withdrawn_invitation_is_not_mailed(group, admin, mailoutbox):
    invitation = services.create_invitation(admin, group, to="lea@example.org")
    services.revoke_invitation(admin, invitation)
    run_outbox()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("to", "error"),
    [
        ("nobody", "Nobody has the username “nobody”."),
        ("lea@", "“lea@” is not a valid e-mail address."),
        ("lea@example", "“lea@example” is not a valid e-mail address."),
    ],
)
def test_a_bad_recipient_is_a_clear_form_error(client, group, admin, to, error):
    client.force_login(admin)
    response = invite(client, group, to=to)
    assert response.status_code == 200
    assert error in response.text
    assert 'href="#id_to"' in response.text
    assert not Invitation.objects.exists()


def test_inviting_a_member_says_they_already_are_one_in_french(client, group, admin):
    MembershipFactory(group=group, user=UserFactory(username="max", display_name="Max"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    client.force_login(admin)
    response = invite(client, group, to="max")
    assert "Max est déjà membre de ce groupe." in response.text
    assert not Invitation.objects.exists()


def test_the_accept_page_shows_the_description_who_invited_and_the_member_count(
    client, group, admin
):
    MembershipFactory(group=group)
    invitation = services.create_invitation(admin, group)
    client.force_login(UserFactory())
    page = client.get(f"/g/{group.slug}/invite/{invitation.token}/").text
    assert "Nous lisons des essais sur le travail." in page
    assert "Olga invites you to join this group." in page
    assert "2 members" in page
    assert "Accept and join" in page


def test_the_accept_page_of_a_withdrawn_link_tells_nothing_about_the_group(client, group, admin):
    invitation = services.revoke_invitation(admin, services.create_invitation(admin, group))
    response = client.get(f"/g/{group.slug}/invite/{invitation.token}/")
    assert response.status_code == 410
    assert "Nous lisons" not in response.text


def test_the_invitations_page_offers_a_copy_button_for_each_live_link(client, group, admin):
    invitation = services.create_invitation(admin, group)
    client.force_login(admin)
    page = client.get(f"/g/{group.slug}/invitations/").text
    assert f'data-copy="invitation-link-{invitation.pk}"' in page
    assert f'id="invitation-link-{invitation.pk}"' in page
