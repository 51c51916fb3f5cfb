"""Attack probe: an import into a group meets the rules of posting (issue 19, point 2).

A new member whose direct comment is held ("hold first posts") imported 302 comments that all
showed at once, in the public comments feed too. Now the import holds them as a post is held,
says how many in its result, and nobody else reads them through HTML, API, feeds or search.
"""

import csv
import io
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from annotations.models import Comment, Highlight, ModerationLog, Status
from annotations.moderation import moderate
from annotations.services import post_comment
from tests.factories import BookmarkFactory, GroupFactory, MembershipFactory
from transfer.services import start_import

pytestmark = pytest.mark.django_db

SECRET = "zorglubimport"


def diigo_csv(rows, *, note=True):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["title", "url", "tags", "description", "comments", "annotations", "created_at"]
    )
    for n in range(rows):
        annotations = f"Highlight:passage {n}\nSticky notes:{SECRET} note {n}" if note else ""
        writer.writerow(
            [
                f"Item {n}",
                f"https://import-{n}.example.org/page",
                "veille",
                "",
                f"{SECRET} comment number {n} on this page",
                annotations,
                "2020-01-01 10:00:00",
            ]
        )
    return out.getvalue().encode()


@pytest.fixture
def group():
    return GroupFactory(visibility="public", slug="held-imports", hold_first_posts=True)


@pytest.fixture
def newcomer(group):
    return MembershipFactory(group=group, role="member").user


def _clear_post_rate(user):
    # counters are per user id and time window: ids start again with each test database
    for window in (60, 3600, 61):
        for slot_offset in (0, 1):
            slot = int(time.time()) // window + slot_offset
            cache.delete(f"annotations:post-rate:{user.pk}:{window}:{slot}")


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_new_members_imported_comments_are_held_and_read_by_nobody_else(client, group, newcomer):
    _clear_post_rate(newcomer)
    # the rule as it stands for a comment posted directly
    other = BookmarkFactory(group=group, owner=MembershipFactory(group=group).user)
    direct = post_comment(newcomer, bookmark=other, body="Un premier commentaire, bonjour")
    assert direct.status == Status.HELD

    job = start_import(newcomer, filename="d.csv", data=diigo_csv(300), group=group, run_now=True)
    assert job.status == "done", job.report
    assert job.created == 300
    imported = Comment.objects.filter(author=newcomer, body__contains=SECRET)
    assert imported.count() == 300
    assert not imported.exclude(status=Status.HELD).exists()
    notes = Highlight.objects.filter(author=newcomer, note__contains=SECRET)
    assert notes.count() == 300 and not notes.exclude(status=Status.HELD).exists()
    assert job.report["held"] == 600
    assert ModerationLog.objects.filter(group=group, action="hold").count() >= 600

    # the owner reads the result
    client.force_login(newcomer)
    result = client.get(reverse("transfer:import_job", args=[job.pk])).content.decode()
    assert "600 held for moderation" in result
    client.logout()

    # an anonymous visitor reads none of it, by any path
    bookmarks = list(imported.values_list("bookmark_id", flat=True)[:5])
    paths = [
        reverse("library:group", args=[group.slug]) + "?mode=full",
        reverse("library:group", args=[group.slug]) + f"?mode=full&q={SECRET}",
        reverse("library:feed_comments", kwargs={"slug": group.slug, "fmt": "atom"}),
        reverse("library:feed_comments", kwargs={"slug": group.slug, "fmt": "rss"}),
        reverse("search:search") + f"?q={SECRET}",
        f"/api/v1/search/?q={SECRET}",
        f"/api/v1/bookmarks/?group={group.slug}",
    ]
    for pk in bookmarks:
        paths += [
            reverse("library:detail", args=[pk]),
            f"/api/v1/bookmarks/{pk}/",
            f"/api/v1/bookmarks/{pk}/comments/",
        ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = _body(response)
        if f"q={SECRET}" in path:
            # a search page repeats the query: what must not be there is a match
            assert "Item " not in body, path
        else:
            assert SECRET not in body, path
    for pk in imported.values_list("pk", flat=True)[:5]:
        assert client.get(f"/api/v1/comments/{pk}/").status_code == 404
    for pk in notes.values_list("pk", flat=True)[:5]:
        assert client.get(f"/api/v1/highlights/{pk}/").status_code == 404


def test_approved_imported_comment_becomes_visible(client, group, newcomer):
    _clear_post_rate(newcomer)
    start_import(newcomer, filename="d.csv", data=diigo_csv(3), group=group, run_now=True)
    moderator = MembershipFactory(group=group, role="moderator").user
    comment = Comment.objects.filter(author=newcomer).first()
    moderate(moderator, comment, "approve")
    response = client.get(f"/api/v1/bookmarks/{comment.bookmark_id}/comments/")
    assert comment.body in _body(response)


def test_imports_beyond_the_posting_limit_are_held_not_dropped(settings, group):
    group.hold_first_posts = False
    group.save()
    member = MembershipFactory(group=group, role="member", post_count=5).user
    settings.ANNOTATIONS_POST_RATES = ((61, 10),)
    _clear_post_rate(member)
    job = start_import(
        member, filename="d.csv", data=diigo_csv(30, note=False), group=group, run_now=True
    )
    comments = Comment.objects.filter(author=member)
    assert comments.count() == 30  # nothing dropped
    assert comments.filter(status=Status.VISIBLE).count() == 10
    assert comments.filter(status=Status.HELD).count() == 20
    assert job.report["held"] == 20
    assert job.report["held_why"] == {"rate_limit": 20}


def test_spam_in_an_import_is_held_for_an_established_member_too(group):
    group.hold_first_posts = False
    group.save()
    member = MembershipFactory(group=group, role="member", post_count=5).user
    _clear_post_rate(member)
    spam = (
        b"title,url,tags,description,comments,annotations,created_at\n"
        b"Casino,https://casino.example.org/,,,"
        b'"CASINO bonus de bienvenue!!! free spins jackpot http://casino-win.xyz '
        b'http://bit.ly/x http://slots.top",,2020-01-01 10:00:00\n'
        b"Honest,https://honest.example.org/,,,Une lecture utile sur le travail,,"
        b"2020-01-01 10:00:00\n"
    )
    job = start_import(member, filename="d.csv", data=spam, group=group, run_now=True)
    statuses = dict(Comment.objects.values_list("bookmark__title", "status"))
    assert statuses == {"Casino": Status.HELD, "Honest": Status.VISIBLE}
    assert job.report["held_why"] == {"spam": 1}
