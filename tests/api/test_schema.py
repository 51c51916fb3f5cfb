"""The OpenAPI document: served at /api/schema/, lists every endpoint, and real responses of
a populated library match it exactly (the fuzz run covers odd input; this covers real data)."""

import json

import pytest
import requests
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis.core.transport import Response

from annotations.services import post_comment
from groups.models import Topic
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    PageFactory,
)

pytestmark = pytest.mark.django_db

ISSUE_PATHS = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/me/": {"get"},
    "/api/v1/groups/": {"get", "post"},
    "/api/v1/groups/{slug}/": {"get", "patch", "delete"},
    "/api/v1/groups/{slug}/join/": {"post"},
    "/api/v1/groups/{slug}/leave/": {"post"},
    "/api/v1/groups/{slug}/members/": {"get", "post"},
    "/api/v1/groups/{slug}/members/{username}/": {"patch", "delete"},
    "/api/v1/bookmarks/": {"get", "post"},
    "/api/v1/bookmarks/{id}/": {"get", "patch", "delete"},
    "/api/v1/bookmarks/{id}/highlights/": {"get", "post"},
    "/api/v1/highlights/{id}/": {"get", "patch", "delete"},
    "/api/v1/bookmarks/{id}/comments/": {"get", "post"},
    "/api/v1/comments/{id}/": {"get", "patch", "delete"},
    "/api/v1/comments/{id}/flag/": {"post"},
    "/api/v1/groups/{slug}/topics/": {"get", "post"},
    "/api/v1/topics/{id}/": {"get", "patch", "delete"},
    "/api/v1/topics/{id}/comments/": {"get", "post"},
    "/api/v1/search/": {"get"},
    "/api/v1/tags/": {"get"},
    "/api/v1/highlights/{id}.jsonld": {"get"},
    "/api/v1/bookmarks/{id}/annotations.jsonld": {"get"},
    "/api/v1/notifications/": {"get"},
    "/api/v1/notifications/{id}/read/": {"post"},
    "/api/v1/notifications/read-all/": {"post"},
    "/api/v1/notification-settings/": {"get", "patch"},
    "/api/v1/annotations/": {"get"},
    "/api/v1/extension/token/": {"post"},
}


def test_schema_is_openapi_3_with_every_endpoint_of_the_issue(anon):
    response = anon.get("/api/schema/?format=json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    served = {path: set(ops) - {"parameters"} for path, ops in document["paths"].items()}
    for path, methods in ISSUE_PATHS.items():
        assert methods <= served.get(path, set()), path
    bookmark = document["components"]["schemas"]["Bookmark"]
    assert set(bookmark["properties"]) >= {"id", "url", "tags", "page", "highlight_count"}
    assert "429" in document["paths"]["/api/v1/bookmarks/"]["get"]["responses"]
    # the group settings body takes the settings form's fields and nothing else (a 400)
    settings_body = document["components"]["schemas"]["PatchedGroupSettingsRequest"]
    assert settings_body["additionalProperties"] is False
    assert "hold_first_posts" in settings_body["properties"]


@pytest.fixture
def schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))


def test_real_responses_match_the_schema(schema, client_for):
    group = GroupFactory(visibility="private")
    member = MembershipFactory(group=group, role="owner").user
    page = PageFactory(title="Micro-travail", site_name="Exemple", language="fr")
    bookmark = BookmarkFactory(group=group, owner=member, page=page, tags=["travail"])
    highlight = HighlightFactory(
        bookmark=bookmark, author=member, note="note", prefix="a", suffix="b", start=1, end=9
    )
    comment = CommentFactory(bookmark=bookmark, author=member, highlight=highlight)
    topic = Topic.objects.create(group=group, author=member, title="Sujet travail", body="x")
    CommentFactory(bookmark=None, topic=topic, author=member, parent=None)
    replier = MembershipFactory(group=group).user
    post_comment(replier, body="Une réponse sur le micro-travail.", parent=comment)
    client = client_for(member)
    ids = {
        "{slug}": group.slug,
        "{username}": member.username,
        "{id}": None,  # per path below
    }
    targets = [
        ("/api/v1/me/", "/api/v1/me/"),
        ("/api/v1/groups/", "/api/v1/groups/"),
        ("/api/v1/groups/{slug}/", None),
        ("/api/v1/groups/{slug}/members/", None),
        ("/api/v1/groups/{slug}/topics/", None),
        ("/api/v1/bookmarks/", "/api/v1/bookmarks/?q=travail"),
        ("/api/v1/bookmarks/{id}/", bookmark.pk),
        ("/api/v1/bookmarks/{id}/highlights/", bookmark.pk),
        ("/api/v1/bookmarks/{id}/comments/", bookmark.pk),
        ("/api/v1/bookmarks/{id}/annotations.jsonld", bookmark.pk),
        ("/api/v1/highlights/{id}/", highlight.pk),
        ("/api/v1/highlights/{id}.jsonld", highlight.pk),
        ("/api/v1/comments/{id}/", comment.pk),
        ("/api/v1/topics/{id}/", topic.pk),
        ("/api/v1/topics/{id}/comments/", topic.pk),
        ("/api/v1/search/", "/api/v1/search/?q=travail"),
        ("/api/v1/tags/", f"/api/v1/tags/?group={group.slug}"),
        ("/api/v1/notifications/", "/api/v1/notifications/?unread=1"),
        ("/api/v1/notification-settings/", "/api/v1/notification-settings/"),
        ("/api/v1/annotations/", f"/api/v1/annotations/?uri={page.url}"),
    ]
    for template, target in targets:
        if isinstance(target, int):
            url = template.replace("{id}", str(target))
        elif target is None:
            url = template
            for key, value in ids.items():
                if value is not None:
                    url = url.replace(key, value)
        else:
            url = target
        django_response = client.get(url)
        assert django_response.status_code == 200, url
        response = Response(
            status_code=200,
            headers={k: [v] for k, v in django_response.headers.items()},
            content=django_response.content,
            request=requests.Request("GET", f"http://testserver{url}").prepare(),
            elapsed=0.0,
            verify=True,
        )
        operation = schema[template]["GET"]
        operation.validate_response(response)  # raises on any mismatch
