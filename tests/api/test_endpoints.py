"""What API clients rely on: shapes, save-or-update, filters, tags, search, held comments."""

import pytest

from groups.models import Topic
from tests.factories import (
    BookmarkFactory,
    CommentFactory,
    GroupFactory,
    HighlightFactory,
    MembershipFactory,
    PageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SPAM = "Gagnez au casino en ligne !!! Bonus gratuit http://casino-bonus-gratuit.xyz/jackpot"


@pytest.fixture
def group_with_member(db):
    group = GroupFactory(name="Tic&Travail", slug="tictravail", visibility="public")
    member = MembershipFactory(group=group, role="member").user
    return group, member


def test_me_lists_my_groups_with_my_role(client_for, group_with_member):
    group, member = group_with_member
    body = client_for(member).get("/api/v1/me/").json()
    assert body["username"] == member.username
    assert body["groups"] == [
        {"slug": group.slug, "name": group.name, "visibility": "public", "role": "member"}
    ]


def test_saving_creates_then_the_same_url_updates(client_for, group_with_member):
    group, member = group_with_member
    client = client_for(member)
    payload = {
        "url": "https://exemple.fr/article?utm_source=x",
        "title": "Les travailleurs du clic",
        "tags": ["Travail", "plateformes"],
        "group": group.slug,
    }
    first = client.post("/api/v1/bookmarks/", payload, format="json")
    assert first.status_code == 201
    body = first.json()
    assert set(body) == {
        "id", "url", "title", "description", "tags", "group", "owner", "private", "unread",
        "view_count", "highlight_count", "comment_count", "created_at", "updated_at", "page",
        "notes",
    }  # fmt: skip
    assert body["notes"] == []  # nothing adjusted (tests/security/test_future_dates.py)
    assert body["url"] == "https://exemple.fr/article"
    assert body["tags"] == ["travail", "plateformes"]
    assert body["group"] == group.slug
    assert body["owner"] == member.username
    assert set(body["page"]) == {"url", "title", "site_name", "language", "fetch_status"}
    again = client.post(
        "/api/v1/bookmarks/",
        {"url": "https://exemple.fr/article", "group": group.slug, "title": "Nouveau titre"},
        format="json",
    )
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert again.json()["title"] == "Nouveau titre"


def test_personal_private_bookmarks_are_only_for_their_owner(client_for, user, other_user):
    response = client_for(user).post(
        "/api/v1/bookmarks/", {"url": "https://exemple.fr/secret", "private": True}, format="json"
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert response.json()["group"] is None
    assert client_for(other_user).get(f"/api/v1/bookmarks/{pk}/").status_code == 404
    assert client_for(None).get(f"/api/v1/bookmarks/{pk}/").status_code == 404
    assert client_for(user).get(f"/api/v1/bookmarks/{pk}/").status_code == 200


def test_owner_edits_and_deletes_a_bookmark(client_for, user):
    bookmark = BookmarkFactory(owner=user)
    client = client_for(user)
    response = client.patch(
        f"/api/v1/bookmarks/{bookmark.pk}/",
        {"title": "Titre", "tags": ["a", "b"], "unread": True},
        format="json",
    )
    assert response.status_code == 200
    assert (response.json()["title"], response.json()["tags"]) == ("Titre", ["a", "b"])
    assert response.json()["unread"] is True
    assert client.delete(f"/api/v1/bookmarks/{bookmark.pk}/").status_code == 204
    assert client.get(f"/api/v1/bookmarks/{bookmark.pk}/").status_code == 404


def test_bookmark_filters_group_user_tags_and_unread(client_for, group_with_member):
    group, member = group_with_member
    other = MembershipFactory(group=group).user
    a = BookmarkFactory(group=group, owner=member, tags=["travail", "clic"])
    b = BookmarkFactory(group=group, owner=other, tags=["travail"])
    personal = BookmarkFactory(owner=member, tags=["travail", "clic"], unread=True)
    client = client_for(member)

    def ids(query):
        response = client.get(f"/api/v1/bookmarks/?{query}")
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["results"]}

    assert ids(f"group={group.slug}") == {a.pk, b.pk}
    assert ids(f"group={group.slug}&user={other.username}") == {b.pk}
    assert ids("tag=travail&tag=clic") == {a.pk, personal.pk}
    assert ids("tag=travail&tag=clic&unread=true") == {personal.pk}
    assert ids(f"user={member.username}&unread=false") == {a.pk}


def test_search_query_filters_bookmarks_and_marks_snippets(client_for, group_with_member):
    group, member = group_with_member
    hit = BookmarkFactory(
        group=group,
        owner=member,
        title="Les micro-travailleurs du web",
        page=PageFactory(title="Micro-travail"),
    )
    BookmarkFactory(group=group, owner=member, title="Jardinage")
    client = client_for(member)
    listed = client.get(f"/api/v1/bookmarks/?group={group.slug}&q=travail").json()["results"]
    assert [b["id"] for b in listed] == [hit.pk]
    found = client.get(f"/api/v1/search/?q=travail&group={group.slug}").json()
    assert found["count"] == 1
    (result,) = found["results"]
    assert (result["type"], result["id"]) == ("bookmark", hit.pk)
    assert "<mark>" in result["title_marked"] or "<mark>" in result["snippet"]


def test_search_finds_topics_with_their_type(client_for, group_with_member):
    group, member = group_with_member
    topic = Topic.objects.create(
        group=group, author=member, title="Réunion travail", body="On parle du travail."
    )
    found = client_for(member).get(f"/api/v1/search/?q=reunion&group={group.slug}&type=topic")
    results = found.json()["results"]
    assert [(r["type"], r["id"]) for r in results] == [("topic", topic.pk)]
    plural = client_for(member).get("/api/v1/search/?q=reunion&type=topics").json()
    assert [r["id"] for r in plural["results"]] == [topic.pk]
    none = client_for(member).get("/api/v1/search/?q=reunion&type=bookmark").json()
    assert none["results"] == []


def test_tags_of_a_group_with_counts_and_prefix(client_for, group_with_member):
    group, member = group_with_member
    BookmarkFactory(group=group, owner=member, tags=["travail", "clic"])
    BookmarkFactory(group=group, owner=member, tags=["travail", "tri"])
    client = client_for(None)
    tags = client.get(f"/api/v1/tags/?group={group.slug}").json()
    assert tags[0] == {"name": "travail", "count": 2}
    assert {t["name"] for t in tags} == {"travail", "clic", "tri"}
    assert client.get(f"/api/v1/tags/?group={group.slug}&prefix=tr").json() == [
        {"name": "travail", "count": 2},
        {"name": "tri", "count": 1},
    ]


def test_highlight_lifecycle(client_for, group_with_member):
    group, member = group_with_member
    bookmark = BookmarkFactory(group=group, owner=member)
    client = client_for(member)
    created = client.post(
        f"/api/v1/bookmarks/{bookmark.pk}/highlights/",
        {"exact": "micro-travaillent", "prefix": "ils ", "suffix": " le soir", "note": "Clé"},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {
        "id", "bookmark", "author", "exact", "prefix", "suffix", "start", "end", "color",
        "note", "anchor_status", "created_at",
    }  # fmt: skip
    assert (body["bookmark"], body["author"], body["color"]) == (
        bookmark.pk,
        member.username,
        "yellow",
    )
    pk = body["id"]
    changed = client.patch(f"/api/v1/highlights/{pk}/", {"color": "green"}, format="json")
    assert changed.json()["color"] == "green"
    listed = client.get(f"/api/v1/bookmarks/{bookmark.pk}/highlights/").json()
    assert [h["id"] for h in listed["results"]] == [pk]
    assert client.get(f"/api/v1/bookmarks/{bookmark.pk}/").json()["highlight_count"] == 1
    assert client.delete(f"/api/v1/highlights/{pk}/").status_code == 204
    assert client.get(f"/api/v1/highlights/{pk}/").status_code == 404


def test_invalid_highlight_gives_field_errors(client_for, user):
    bookmark = BookmarkFactory(owner=user)
    response = client_for(user).post(
        f"/api/v1/bookmarks/{bookmark.pk}/highlights/",
        {"exact": "", "color": "mauve", "start": 10, "end": 2},
        format="json",
    )
    assert response.status_code == 400
    assert {"exact", "color"} <= set(response.json())


def test_comment_thread_with_reply_edit_and_flag(client_for, group_with_member):
    group, member = group_with_member
    other = MembershipFactory(group=group).user
    bookmark = BookmarkFactory(group=group, owner=member)
    highlight = HighlightFactory(bookmark=bookmark, author=member)
    client = client_for(member)
    first = client.post(
        f"/api/v1/bookmarks/{bookmark.pk}/comments/",
        {"body": "Très **juste**.", "highlight": highlight.pk},
        format="json",
    )
    assert first.status_code == 201
    comment = first.json()
    assert comment["status"] == "visible"
    assert comment["highlight"] == highlight.pk
    assert "<strong>juste</strong>" in comment["body_html"]
    reply = client_for(other).post(
        f"/api/v1/bookmarks/{bookmark.pk}/comments/",
        {"body": "D'accord.", "parent": comment["id"]},
        format="json",
    )
    assert reply.status_code == 201
    assert reply.json()["parent"] == comment["id"]
    edited = client.patch(f"/api/v1/comments/{comment['id']}/", {"body": "Juste."}, format="json")
    assert edited.status_code == 200
    assert edited.json()["body"] == "Juste."
    assert edited.json()["edited_at"] is not None
    refused = client_for(other).patch(
        f"/api/v1/comments/{comment['id']}/", {"body": "pirate"}, format="json"
    )
    assert refused.status_code == 403
    flag = client_for(other).post(
        f"/api/v1/comments/{comment['id']}/flag/", {"reason": "off_topic"}, format="json"
    )
    assert flag.status_code == 201
    assert flag.json()["reason"] == "off_topic"
    bad_parent = client.post(
        f"/api/v1/bookmarks/{bookmark.pk}/comments/",
        {"body": "?", "parent": 999999},
        format="json",
    )
    assert bad_parent.status_code == 400
    assert "parent" in bad_parent.json()


def test_spam_comment_is_held_and_invisible_to_others(client_for, group_with_member):
    group, member = group_with_member
    spammer = MembershipFactory(group=group).user
    bookmark = BookmarkFactory(group=group, owner=member)
    posted = client_for(spammer).post(
        f"/api/v1/bookmarks/{bookmark.pk}/comments/", {"body": SPAM}, format="json"
    )
    assert posted.status_code == 201
    assert posted.json()["status"] == "held"
    pk = posted.json()["id"]
    for viewer in (member, UserFactory(), None):
        client = client_for(viewer)
        thread = client.get(f"/api/v1/bookmarks/{bookmark.pk}/comments/").json()["results"]
        assert pk not in [c["id"] for c in thread]
        assert client.get(f"/api/v1/comments/{pk}/").status_code == 404
        assert client.get(f"/api/v1/bookmarks/{bookmark.pk}/").json()["comment_count"] == 0
        found = client.get("/api/v1/search/?q=casino").json()["results"]
        assert bookmark.pk not in [r["id"] for r in found if r["type"] == "bookmark"]
    own = client_for(spammer).get(f"/api/v1/bookmarks/{bookmark.pk}/comments/").json()
    assert [(c["id"], c["status"]) for c in own["results"]] == [(pk, "held")]


def test_held_and_hidden_comments_stay_out_of_topic_threads(client_for, group_with_member):
    group, member = group_with_member
    author = MembershipFactory(group=group).user
    topic = Topic.objects.create(group=group, author=member, title="Sujet")
    shown = CommentFactory(bookmark=None, topic=topic, author=author)
    CommentFactory(bookmark=None, topic=topic, author=author, status="held")
    CommentFactory(bookmark=None, topic=topic, author=author, status="hidden")
    thread = client_for(member).get(f"/api/v1/topics/{topic.pk}/comments/").json()
    assert [c["id"] for c in thread["results"]] == [shown.pk]
    assert client_for(member).get(f"/api/v1/topics/{topic.pk}/").json()["comment_count"] == 1


def test_topic_lifecycle(client_for, group_with_member):
    group, member = group_with_member
    client = client_for(member)
    created = client.post(
        f"/api/v1/groups/{group.slug}/topics/",
        {"title": "Organisation", "body": "Qui vient *jeudi* ?"},
        format="json",
    )
    assert created.status_code == 201
    topic = created.json()
    assert (topic["group"], topic["author"], topic["comment_count"]) == (
        group.slug,
        member.username,
        0,
    )
    pk = topic["id"]
    reply = client.post(f"/api/v1/topics/{pk}/comments/", {"body": "Moi."}, format="json")
    assert reply.status_code == 201
    assert reply.json()["topic"] == pk
    listed = client.get(f"/api/v1/groups/{group.slug}/topics/").json()
    assert [(t["id"], t["comment_count"]) for t in listed["results"]] == [(pk, 1)]
    edited = client.patch(f"/api/v1/topics/{pk}/", {"title": "Organisation (jeudi)"}, format="json")
    assert edited.json()["title"] == "Organisation (jeudi)"
    assert client.delete(f"/api/v1/topics/{pk}/").status_code == 204
    assert client.get(f"/api/v1/topics/{pk}/").status_code == 404


def test_members_list_and_role_changes(client_for, group_with_member):
    group, member = group_with_member
    owner = MembershipFactory(group=group, role="owner").user
    client = client_for(owner)
    listed = client.get(f"/api/v1/groups/{group.slug}/members/").json()["results"]
    assert {(m["username"], m["role"]) for m in listed} == {
        (member.username, "member"),
        (owner.username, "owner"),
    }
    promoted = client.patch(
        f"/api/v1/groups/{group.slug}/members/{member.username}/",
        {"role": "moderator"},
        format="json",
    )
    assert promoted.json()["role"] == "moderator"
    bad = client.patch(
        f"/api/v1/groups/{group.slug}/members/{member.username}/", {"role": "king"}, format="json"
    )
    assert bad.status_code == 400
    assert "role" in bad.json()
    assert (
        client.delete(f"/api/v1/groups/{group.slug}/members/{member.username}/").status_code == 204
    )
    assert client.get(f"/api/v1/groups/{group.slug}/").json()["member_count"] == 1
    missing = client.post(
        f"/api/v1/groups/{group.slug}/members/", {"username": "nobody-here"}, format="json"
    )
    assert missing.status_code == 400
    assert "username" in missing.json()


def test_a_deleted_comment_with_replies_stays_as_an_empty_placeholder(client_for, user):
    bookmark = BookmarkFactory(owner=user)
    client = client_for(user)
    path = f"/api/v1/bookmarks/{bookmark.pk}/comments/"
    first = client.post(path, {"body": "Premier."}, format="json").json()
    client.post(path, {"body": "Réponse.", "parent": first["id"]}, format="json")
    assert client.delete(f"/api/v1/comments/{first['id']}/").status_code == 204
    thread = client.get(path).json()["results"]
    placeholder = next(c for c in thread if c["id"] == first["id"])
    assert (placeholder["body"], placeholder["body_html"], placeholder["author"]) == ("", "", None)
    assert [c["body"] for c in thread if c["id"] != first["id"]] == ["Réponse."]
