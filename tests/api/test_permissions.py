"""The API permission matrix: every role × public/private group, through the same rules as HTML.

A private group does not exist for outsiders (404, never 403); a public group is readable by
everyone and writable by members; moderation and settings follow groups.permissions. A banned
member is an outsider who cannot come back (tests/security/test_banned_write_matrix.py tries
their own items too).
"""

import pytest

from annotations.moderation import ban_member
from groups.models import Membership, Topic
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "non_member", "member", "moderator", "admin", "owner", "banned"]
OUTSIDERS = {"non_member", "banned"}
MEMBER_ROLES = {"member", "moderator", "admin", "owner"}


@pytest.fixture(params=["public", "private"])
def world(request, db):
    """A group with an author's bookmark, highlight, comment, topic and topic reply."""
    group = GroupFactory(visibility=request.param, join_policy="open")
    author = MembershipFactory(group=group, role="member").user
    # so the actor owner is never the last one; and who bans
    owner = MembershipFactory(group=group, role="owner").user
    bookmark = BookmarkFactory(group=group, owner=author, tags=["travail"])
    highlight = HighlightFactory(bookmark=bookmark, author=author, note="une note")
    comment = CommentFactory(bookmark=bookmark, author=author)
    topic = Topic.objects.create(group=group, author=author, title="Un sujet", body="Parlons-en")
    reply = CommentFactory(bookmark=None, topic=topic, author=author)
    return {
        "group": group,
        "owner": owner,
        "author": author,
        "bookmark": bookmark,
        "highlight": highlight,
        "comment": comment,
        "topic": topic,
        "reply": reply,
    }


@pytest.fixture
def actor(world, client_for):
    def _actor(role):
        if role == "anonymous":
            return None, client_for(None)
        user = UserFactory()
        if role != "non_member":
            Membership.objects.create(
                group=world["group"], user=user, role="member" if role == "banned" else role
            )
        if role == "banned":
            ban_member(world["owner"], world["group"], user, "spam")
        return user, client_for(user)

    return _actor


def read_paths(w):
    return [
        f"/api/v1/groups/{w['group'].slug}/",
        f"/api/v1/groups/{w['group'].slug}/members/",
        f"/api/v1/groups/{w['group'].slug}/topics/",
        f"/api/v1/bookmarks/{w['bookmark'].pk}/",
        f"/api/v1/bookmarks/?group={w['group'].slug}",
        f"/api/v1/bookmarks/{w['bookmark'].pk}/highlights/",
        f"/api/v1/bookmarks/{w['bookmark'].pk}/comments/",
        f"/api/v1/bookmarks/{w['bookmark'].pk}/annotations.jsonld",
        f"/api/v1/highlights/{w['highlight'].pk}/",
        f"/api/v1/highlights/{w['highlight'].pk}.jsonld",
        f"/api/v1/comments/{w['comment'].pk}/",
        f"/api/v1/topics/{w['topic'].pk}/",
        f"/api/v1/topics/{w['topic'].pk}/comments/",
        f"/api/v1/comments/{w['reply'].pk}/",
        f"/api/v1/tags/?group={w['group'].slug}",
    ]


@pytest.mark.parametrize("role", ROLES)
def test_reading_a_group_and_its_items(world, actor, role):
    _user, client = actor(role)
    may_read = world["group"].visibility == "public" or role in MEMBER_ROLES
    for path in read_paths(world):
        status = client.get(path).status_code
        assert status == (200 if may_read else 404), (path, status)


@pytest.mark.parametrize("role", ROLES)
def test_private_group_items_never_appear_in_lists_for_outsiders(world, actor, role):
    _user, client = actor(role)
    may_read = world["group"].visibility == "public" or role in MEMBER_ROLES
    bookmarks = client.get("/api/v1/bookmarks/").json()["results"]
    assert (world["bookmark"].pk in [b["id"] for b in bookmarks]) == may_read
    groups = client.get("/api/v1/groups/").json()["results"]
    assert (world["group"].slug in [g["slug"] for g in groups]) == may_read
    found = client.get("/api/v1/search/?q=sujet").json()["results"]
    assert (world["topic"].pk in [r["id"] for r in found if r["type"] == "topic"]) == may_read


def expected_write(role, visibility, minimum):
    """Status for a write that needs `minimum` role (201/200/204 on success given separately)."""
    if role == "anonymous":
        return 401
    if role in OUTSIDERS:
        return 404 if visibility == "private" else 403
    rank = ["member", "moderator", "admin", "owner"]
    return None if rank.index(role) >= rank.index(minimum) else 403


@pytest.mark.parametrize("role", ROLES)
def test_posting_highlights_comments_topics_needs_membership(world, actor, role):
    _user, client = actor(role)
    vis = world["group"].visibility
    b, t = world["bookmark"].pk, world["topic"].pk
    writes = [
        (f"/api/v1/bookmarks/{b}/highlights/", {"exact": "un passage"}),
        (f"/api/v1/bookmarks/{b}/comments/", {"body": "Bien vu."}),
        (f"/api/v1/groups/{world['group'].slug}/topics/", {"title": "Nouveau sujet"}),
        (f"/api/v1/topics/{t}/comments/", {"body": "Je réponds."}),
        (f"/api/v1/comments/{world['comment'].pk}/flag/", {"reason": "spam"}),
    ]
    for path, data in writes:
        status = client.post(path, data, format="json").status_code
        assert status == (expected_write(role, vis, "member") or 201), (path, status)


@pytest.mark.parametrize("role", ROLES)
def test_saving_a_bookmark_into_the_group(world, actor, role):
    _user, client = actor(role)
    response = client.post(
        "/api/v1/bookmarks/",
        {"url": "https://example.org/nouveau", "group": world["group"].slug},
        format="json",
    )
    expected = expected_write(role, world["group"].visibility, "member") or 201
    if expected == 404:
        expected = 400  # a group in the body: "no such group", the same as a missing one
        assert response.json() == {"group": ["No such group."]}
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_changing_group_settings_needs_admin(world, actor, role):
    _user, client = actor(role)
    response = client.patch(
        f"/api/v1/groups/{world['group'].slug}/", {"description": "Changé"}, format="json"
    )
    assert response.status_code == (expected_write(role, world["group"].visibility, "admin") or 200)


@pytest.mark.parametrize("role", ROLES)
def test_deleting_the_group_needs_owner(world, actor, role):
    _user, client = actor(role)
    response = client.delete(f"/api/v1/groups/{world['group'].slug}/")
    assert response.status_code == (expected_write(role, world["group"].visibility, "owner") or 204)


@pytest.mark.parametrize("role", ROLES)
def test_adding_a_member_needs_admin(world, actor, role):
    _user, client = actor(role)
    newcomer = UserFactory()
    response = client.post(
        f"/api/v1/groups/{world['group'].slug}/members/",
        {"username": newcomer.username, "role": "member"},
        format="json",
    )
    assert response.status_code == (expected_write(role, world["group"].visibility, "admin") or 201)


@pytest.mark.parametrize("role", ROLES)
def test_changing_a_members_role_needs_admin(world, actor, role):
    _user, client = actor(role)
    response = client.patch(
        f"/api/v1/groups/{world['group'].slug}/members/{world['author'].username}/",
        {"role": "moderator"},
        format="json",
    )
    expected = expected_write(role, world["group"].visibility, "admin") or 200
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_deleting_someone_elses_items_needs_moderator(world, actor, role):
    _user, client = actor(role)
    vis = world["group"].visibility
    expected = expected_write(role, vis, "moderator") or 204
    for path in (
        f"/api/v1/comments/{world['comment'].pk}/",
        f"/api/v1/bookmarks/{world['bookmark'].pk}/",
    ):
        assert client.delete(path).status_code == expected, path


@pytest.mark.parametrize("role", ROLES)
def test_editing_someone_elses_bookmark_is_refused(world, actor, role):
    _user, client = actor(role)
    response = client.patch(
        f"/api/v1/bookmarks/{world['bookmark'].pk}/", {"title": "Pas à moi"}, format="json"
    )
    vis = world["group"].visibility
    may_read = vis == "public" or role in MEMBER_ROLES
    expected = 401 if role == "anonymous" else (403 if may_read else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("policy", ["open", "request"])
def test_a_banned_member_cannot_join_again_nor_ask_to(world, actor, policy):
    world["group"].join_policy = policy
    world["group"].save()
    _user, client = actor("banned")
    response = client.post(f"/api/v1/groups/{world['group'].slug}/join/")
    if world["group"].visibility == "private":
        assert response.status_code == 404
    else:
        assert response.status_code == 403
        assert response.json()["detail"] == "You have been banned from this group."
    assert not Membership.objects.filter(group=world["group"], user=_user).exists()


def test_joining_a_public_open_group_and_leaving_it(client_for):
    group = GroupFactory(visibility="public", join_policy="open")
    MembershipFactory(group=group, role="owner")
    user = UserFactory()
    client = client_for(user)
    joined = client.post(f"/api/v1/groups/{group.slug}/join/")
    assert joined.status_code == 200
    assert joined.json() == {"status": "joined", "role": "member"}
    assert client.get(f"/api/v1/groups/{group.slug}/").json()["role"] == "member"
    assert client.post(f"/api/v1/groups/{group.slug}/leave/").status_code == 204
    assert client.get(f"/api/v1/groups/{group.slug}/").json()["role"] is None


def test_joining_a_private_group_is_404_and_a_request_group_makes_a_request(client_for):
    private = GroupFactory(visibility="private", join_policy="open")
    client = client_for(UserFactory())
    assert client.post(f"/api/v1/groups/{private.slug}/join/").status_code == 404
    by_request = GroupFactory(visibility="public", join_policy="request")
    response = client.post(f"/api/v1/groups/{by_request.slug}/join/")
    assert response.json() == {"status": "requested", "role": None}
    invite_only = GroupFactory(visibility="public", join_policy="invite")
    assert client.post(f"/api/v1/groups/{invite_only.slug}/join/").status_code == 403


def test_creating_a_group_makes_you_its_owner(client_for, user):
    response = client_for(user).post(
        "/api/v1/groups/",
        {"name": "Tic&Travail", "visibility": "private", "join_policy": "invite"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "tictravail"
    assert body["role"] == "owner"
    assert body["member_count"] == 1
    assert body["visibility"] == "private"
