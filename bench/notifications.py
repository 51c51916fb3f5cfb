"""Benchmark of notifications: a day's digests of a big group, and the bell's cost on a page.

    python bench/notifications.py            # seeds once (kept for later runs), then measures
    python bench/notifications.py --reseed   # drop the bench group and seed again

Seeds one public group of 2,000 members and 5,000 events in one day (2,000 new bookmarks,
500 highlights, 2,000 comments, 500 topics), every member on the daily digest and a tenth
following a tag; then builds and sends every digest of that day, in-process as one worker
would, through Django's SMTP backend to a local aiosmtpd server (so the SMTP conversation is
part of the figure), and runs it again (nothing is sent twice). Then times the bell
(notifications.selectors.unread_count: one COUNT over the partial index of unread rows) for a
member with 2,000 notifications: median, p95 and its query count. Figures only, no assertions. Uses DATABASE_URL, or the database
cp_bench_notifications on the local server, created and migrated when missing.
"""

import argparse
import os
import socket
import statistics
import time
from datetime import UTC, datetime, timedelta

import _setup
from _setup import p95

_setup.bootstrap()
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")
os.environ.setdefault("CACHE_KEY_PREFIX", "bench-notifications")

SLUG = "bench-notifications"
MEMBERS = 2000
BOOKMARKS, HIGHLIGHTS, COMMENTS, TOPICS = 2000, 500, 2000, 500
BELL_RUNS = 300


class Counter:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def smtp_server():
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Counter()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, handler


def seed(day_start):
    from django.db import transaction

    from accounts.models import User
    from annotations.models import Comment, Highlight
    from bookmarks.models import Bookmark, Page
    from bookmarks.urlnorm import url_key
    from groups.models import Group, Membership, Topic
    from notifications.models import GroupFollow, Notification, TagFollow

    Group.objects.filter(slug=SLUG).delete()
    User.objects.filter(username__startswith="benchn-").delete()
    t0 = time.perf_counter()
    with transaction.atomic():
        group = Group.objects.create(name="Bench notifications", slug=SLUG)
        users = User.objects.bulk_create(
            User(username=f"benchn-{i}", email=f"benchn-{i}@example.org", password="!")
            for i in range(MEMBERS)
        )
        Membership.objects.bulk_create(Membership(group=group, user=u) for u in users)
        GroupFollow.objects.bulk_create(
            GroupFollow(user=u, group=group, digest="daily") for u in users
        )
        TagFollow.objects.bulk_create(
            TagFollow(user=u, group=group, tag="travail") for u in users[::10]
        )
        at = [day_start + timedelta(seconds=17 * i) for i in range(BOOKMARKS)]
        urls = [f"https://bench.example.org/notif/{i}" for i in range(BOOKMARKS)]
        Page.objects.filter(url__in=urls).delete()
        pages = Page.objects.bulk_create(
            Page(url=u, url_hash=url_key(u), title=f"Page {i}") for i, u in enumerate(urls)
        )
        bookmarks = Bookmark.objects.bulk_create(
            Bookmark(
                page=p,
                owner=users[i % MEMBERS],
                group=group,
                title=f"Le travail numéro {i}",
                tags=["travail"] if i % 7 == 0 else ["autre"],
                created_at=at[i],
            )
            for i, p in enumerate(pages)
        )
        Highlight.objects.bulk_create(
            Highlight(bookmark=bookmarks[i * 3], author=users[i], exact=f"passage {i}")
            for i in range(HIGHLIGHTS)
        )
        comments = Comment.objects.bulk_create(
            Comment(
                bookmark=bookmarks[(i * i) % 97],
                author=users[(i + 5) % MEMBERS],
                body=f"commentaire {i}",
                body_html=f"<p>commentaire {i}</p>",
            )
            for i in range(COMMENTS)
        )
        Comment.objects.filter(pk__in=[c.pk for c in comments]).update(
            created_at=day_start + timedelta(hours=12)
        )
        topics = Topic.objects.bulk_create(
            Topic(group=group, author=users[i], title=f"Sujet {i}") for i in range(TOPICS)
        )
        Topic.objects.filter(pk__in=[t.pk for t in topics]).update(
            created_at=day_start + timedelta(hours=13)
        )
        reader = users[0]
        Notification.objects.bulk_create(
            Notification(
                recipient=reader,
                kind="comment",
                actor=users[1 + i % 50],
                group=group,
                event=f"bench:{i}",
                url="/",
                subject="bench",
                read_at=None if i % 4 == 0 else day_start,
            )
            for i in range(2000)
        )
    print(
        f"seeded {MEMBERS} members and {BOOKMARKS + HIGHLIGHTS + COMMENTS + TOPICS} events "
        f"in {time.perf_counter() - t0:.1f} s"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    controller, counter = smtp_server()
    os.environ.update(
        EMAIL_BACKEND="smtp",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(controller.port),
        EMAIL_USE_TLS="0",
    )
    _setup.prepare(os.environ.get("DATABASE_URL", _setup.local_url("cp_bench_notifications")))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from groups.models import Group
    from library.digests import period_window, send_digests
    from notifications.models import DigestDelivery
    from notifications.selectors import unread_count

    now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    day_start, _day_end = period_window("daily", now)
    if args.reseed or not Group.objects.filter(slug=SLUG).exists():
        seed(day_start)
    group = Group.objects.get(slug=SLUG)
    DigestDelivery.objects.filter(group=group).delete()  # measure a first run every time

    t0 = time.perf_counter()
    result = send_digests("daily", now=now)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = send_digests("daily", now=now)
    second = time.perf_counter() - t0
    print(
        f"digests, one process: {result['groups']} built and sent in {first:.1f} s "
        f"({first / max(result['groups'], 1) * 1000:.1f} ms each, goal: all under 60 s); "
        f"SMTP server received {counter.count}"
    )
    print(f"same period again: {again['groups']} sent in {second:.2f} s")

    reader = User.objects.get(username="benchn-0")
    with CaptureQueriesContext(connection) as captured:
        count = unread_count(reader)
    samples = []
    for _ in range(BELL_RUNS):
        t0 = time.perf_counter()
        unread_count(reader)
        samples.append((time.perf_counter() - t0) * 1000)
    print(
        f"bell: {count} unread of 2000; {len(captured)} query; "
        f"median {statistics.median(samples):.2f} ms, p95 {p95(samples):.2f} ms (goal < 2 ms)"
    )
    controller.stop()


if __name__ == "__main__":
    main()
