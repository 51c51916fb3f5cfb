"""PATCH /api/v1/groups/<slug>/ changes what the settings form changes, with the same
validation and the same permission, and refuses (400) the fields it does not take instead of
answering 200 and ignoring them (issue 19, point 2)."""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from groups.forms import GroupSettingsForm
from groups.models import Group
from groups.serializers import GroupSettingsSerializer
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

# a value for each field of the settings form that differs from a new group's
CHANGED = {
    "name": "Renamed group",
    "description": "A new description",
    "visibility": "private",
    "join_policy": "request",
    "hold_first_posts": True,
    "spam_sensitivity": "stricter",
}


def writable_api_fields():
    serializer = GroupSettingsSerializer()
    return {name for name, field in serializer.fields.items() if not field.read_only}


def test_the_api_writes_exactly_the_fields_of_the_settings_form():
    # a field added to the form without the API (or the other way round) fails here
    assert writable_api_fields() == set(GroupSettingsForm().fields)
    assert set(CHANGED) == set(GroupSettingsForm().fields)


@pytest.fixture
def group():
    return GroupFactory(
        visibility="public", join_policy="open", hold_first_posts=False, name="Tic&Travail"
    )


def values(group):
    group = Group.objects.get(pk=group.pk)
    return {name: getattr(group, name) for name in CHANGED}


@pytest.mark.parametrize("field", sorted(CHANGED))
def test_an_admin_changes_each_setting_of_the_form(client_for, group, field):
    admin = MembershipFactory(group=group, role="admin").user
    before = values(group)
    response = client_for(admin).patch(
        f"/api/v1/groups/{group.slug}/", {field: CHANGED[field]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()[field] == CHANGED[field]
    assert values(group) == {**before, field: CHANGED[field]}


def test_hold_first_posts_set_by_the_api_holds_a_new_members_first_comment(client_for, group):
    owner = MembershipFactory(group=group, role="owner").user
    response = client_for(owner).patch(
        f"/api/v1/groups/{group.slug}/", {"hold_first_posts": True}, format="json"
    )
    assert response.status_code == 200
    assert Group.objects.get(pk=group.pk).hold_first_posts is True


@pytest.mark.parametrize("role", [None, "member", "moderator"])
def test_below_admin_the_settings_stay_as_they_were(client_for, group, role):
    user = MembershipFactory(group=group, role=role).user if role else None
    before = values(group)
    response = client_for(user).patch(
        f"/api/v1/groups/{group.slug}/", {"hold_first_posts": True}, format="json"
    )
    assert response.status_code in (401, 403)
    assert response.json()["detail"]
    assert values(group) == before


@pytest.mark.parametrize(
    "body",
    [
        {"slug": "taken-over"},  # read-only in the answer
        {"member_count": 0},
        {"created_at": "2020-01-01T00:00:00Z"},
        {"role": "owner"},
        {"hold_first_post": True},  # a typo of a real setting
        {"owner": "mallory"},
        {"name": "Fine", "colour": "red"},  # one good field does not let the bad one pass
    ],
)
def test_a_field_the_api_does_not_take_is_a_400_that_names_it(client_for, group, body):
    admin = MembershipFactory(group=group, role="admin").user
    before = values(group), Group.objects.get(pk=group.pk).slug
    response = client_for(admin).patch(f"/api/v1/groups/{group.slug}/", body, format="json")
    assert response.status_code == 400, response.content
    refused = [name for name in body if name not in CHANGED]
    assert set(response.json()) == set(refused)
    assert all(response.json()[name] for name in refused)
    assert (values(group), Group.objects.get(pk=group.pk).slug) == before


# what the form refuses, the API refuses too (field → a value the form does not accept)
INVALID = {
    "name": "",
    "description": "x" * 5001,
    "visibility": "secret",
    "join_policy": "everyone",
    "spam_sensitivity": "paranoid",
    "hold_first_posts": "perhaps",
}


def test_invalid_values_cover_every_field():
    assert set(INVALID) == set(CHANGED)


@pytest.mark.parametrize("field", sorted(INVALID))
def test_the_api_refuses_what_the_form_refuses(client_for, group, field):
    admin = MembershipFactory(group=group, role="admin").user
    current = {
        "name": group.name,
        "description": group.description,
        "visibility": group.visibility,
        "join_policy": group.join_policy,
        "spam_sensitivity": group.spam_sensitivity,
        # a checkbox: absent is False, so the form cannot be handed an invalid value
        **({"hold_first_posts": "on"} if group.hold_first_posts else {}),
    }
    if field != "hold_first_posts":
        form = GroupSettingsForm({**current, field: INVALID[field]}, instance=group)
        assert not form.is_valid() and field in form.errors
    before = values(group)
    response = client_for(admin).patch(
        f"/api/v1/groups/{group.slug}/", {field: INVALID[field]}, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert values(group) == before


def test_the_schema_lists_every_setting_and_no_other_field():
    document = json.loads(
        OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    )
    operation = document["paths"]["/api/v1/groups/{slug}/"]["patch"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert set(body["properties"]) == set(CHANGED)
    assert body["additionalProperties"] is False
    assert {"400", "403", "404"} <= set(operation["responses"])
