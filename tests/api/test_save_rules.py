"""POST /api/v1/bookmarks/ follows the save form's rules: private only in my library, tags
merge on a re-save."""

import pytest

from bookmarks.models import Bookmark
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/bookmarks/"


def test_private_into_a_group_is_a_400_field_error_and_nothing_is_saved(
    client_for, user, public_group
):
    MembershipFactory(group=public_group, user=user)
    response = client_for(user).post(
        URL,
        {"url": "https://example.org/p", "group": public_group.slug, "private": True},
        format="json",
    )
    assert response.status_code == 400
    assert "own library" in response.json()["private"][0]
    assert not Bookmark.objects.exists()


def test_resaving_through_the_api_merges_tags(client_for, user):
    api = client_for(user)
    api.post(URL, {"url": "https://example.org/t", "tags": ["a"]}, format="json")
    response = api.post(URL, {"url": "https://example.org/t", "tags": ["b"]}, format="json")
    assert response.status_code == 200
    assert response.json()["tags"] == ["a", "b"]
