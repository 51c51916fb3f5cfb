"""Every list page of annotations costs a fixed number of queries: 20 rows cost what 2 cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations import moderation, services
from annotations.models import Comment
from groups.models import Topic
from tests.factories import CommentFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _topics(group, author, n):
    for i in range(n):
        t = Topic.objects.create(group=group, author=author, title=f"Topic {i}", body="b")
        Comment.objects.create(topic=t, author=author, body="r", body_html="<p>r</p>")


def test_topic_list_query_count(client):
    small, big = GroupFactory(), GroupFactory()
    author = MembershipFactory(group=small).user
    MembershipFactory(group=big, user=author)
    _topics(small, author, 2)
    _topics(big, author, 20)
    client.force_login(author)
    a = _count(client, reverse("annotations:topic_list", args=[small.slug]))
    b = _count(client, reverse("annotations:topic_list", args=[big.slug]))
    assert b <= a


def test_topic_page_query_count_with_many_replies(client, group, member):
    few = services.create_topic(member, group, title="few", body="")
    many = services.create_topic(member, group, title="many", body="")
    for topic, n in ((few, 2), (many, 20)):
        authors = [MembershipFactory(group=group).user for _ in range(n)]
        parent = None
        for a in authors:
            parent = CommentFactory(topic=topic, bookmark=None, author=a, parent=parent)
    client.force_login(member)
    assert _count(client, many.get_absolute_url()) <= _count(client, few.get_absolute_url())


def test_moderation_queue_and_log_query_counts(client):
    small, big = GroupFactory(), GroupFactory()
    mod = MembershipFactory(group=small, role="moderator").user
    MembershipFactory(group=big, user=mod, role="moderator")
    for group, n in ((small, 2), (big, 20)):
        for _ in range(n):
            author = MembershipFactory(group=group).user
            t = Topic.objects.create(group=group, author=author, title="t", status="held")
            c = CommentFactory(topic=t, bookmark=None, author=author, status="held")
            services.flag_item(MembershipFactory(group=group).user, reason="spam", comment=c)
            moderation.log_action(mod, group, "hide", c)
    client.force_login(mod)
    for name in ("annotations:moderation_queue", "annotations:moderation_log"):
        a = _count(client, reverse(name, args=[small.slug]))
        b = _count(client, reverse(name, args=[big.slug]))
        assert b <= a, name
