"""Benchmark of annotations: library pages heavy with highlights and comments, threads, spam.

    python bench/annotations.py            # seeds once (kept for later runs), then measures
    python bench/annotations.py --reseed   # drop the bench group and seed again

Seeds one public group of 400 bookmarks whose annotation counts are skewed like a real group
(most items have a few, some have hundreds): about 40,000 highlights and 60,000 comments, with
reply threads up to 8 deep and a tenth held as spam; plus one topic with 1,000 replies. Then
times, in-process through the Django test Client (middleware, selectors, templates), the
library in Middle and Full view, the "...N more annotations..." expansion and the bookmark
page of the busiest item, and the topic page; prints median, p95 and the query count. Also
times annotations.spam.score. Figures only, no assertions. Uses DATABASE_URL, or the
database cp_bench_annotations on the local server, created and migrated when missing.
"""

import argparse
import os
import random
import statistics
import time

import _setup
from _setup import p95

_setup.bootstrap()
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/4")
os.environ.setdefault("CACHE_KEY_PREFIX", "bench-annotations")

SLUG = "bench-annotations"
ITEMS = 400
MEMBERS = 50
TOPIC_REPLIES = 1000
RUNS = 20
PHRASES = [
    "Le micro-travail reste invisible aux yeux du public",
    "les travailleurs du clic gagnent en moyenne moins de 2 € de l'heure",
    "Platform work is organised through algorithmic management",
    "la précarité des livreurs s'est accrue depuis 2020",
    "content moderators review thousands of posts a day",
]


def seed(rng):
    from django.utils import timezone

    from accounts.models import User
    from annotations.models import Highlight
    from bookmarks.models import Bookmark, Page
    from bookmarks.urlnorm import url_key
    from groups.models import Group, Membership, Topic

    group = Group.objects.create(name="Bench annotations", slug=SLUG)
    users = User.objects.bulk_create(
        [User(username=f"{SLUG}-{n}", display_name=f"Membre {n}") for n in range(MEMBERS)]
    )
    Membership.objects.bulk_create(
        [Membership(group=group, user=u, role="owner" if not n else "member") for n, u in
         enumerate(users)]
    )  # fmt: skip
    now = timezone.now()
    pages = Page.objects.bulk_create(
        [
            Page(url=f"https://bench.example/{SLUG}/article-{n}",
                 url_hash=url_key(f"https://bench.example/{SLUG}/article-{n}"),
                 title=f"Article {n}")
            for n in range(ITEMS)
        ]
    )  # fmt: skip
    bookmarks = Bookmark.objects.bulk_create(
        [
            Bookmark(page=p, owner=rng.choice(users), group=group, title=p.title,
                     created_at=now - timezone.timedelta(minutes=n))
            for n, p in enumerate(pages)
        ]
    )  # fmt: skip
    highlights, counts = [], []
    for b in bookmarks:
        n = min(int(rng.paretovariate(1.1) * 8) - 8, 600)  # skewed: most small, a few huge
        counts.append(n)
        highlights += [
            Highlight(bookmark=b, author=rng.choice(users), exact=rng.choice(PHRASES),
                      note_html="", status="held" if rng.random() < 0.1 else "visible")
            for _ in range(n)
        ]  # fmt: skip
    # the busiest item is the one the detail-page figures are about
    busiest = bookmarks[0]
    highlights += [
        Highlight(bookmark=busiest, author=rng.choice(users), exact=rng.choice(PHRASES))
        for _ in range(300)
    ]
    Highlight.objects.bulk_create(highlights, batch_size=5000)
    comments = 0
    for b, n in zip(bookmarks, counts, strict=True):
        comments += _seed_thread(
            rng, users, int(n * 1.5) + (500 if b is busiest else 0), bookmark=b
        )
    topic = Topic.objects.create(group=group, author=users[0], title="Fil de discussion", body="")
    comments += _seed_thread(rng, users, TOPIC_REPLIES, topic=topic)
    return len(highlights), comments


def _seed_thread(rng, users, n, **subject):
    """n comments on one subject, a third of them replies (up to 8 deep), a tenth held.

    Inserted one depth level at a time, so every reply's parent already has its id."""
    from annotations.models import Comment

    parents, depth = [], []
    for i in range(n):
        p = None
        if i and rng.random() < 0.33:
            j = rng.randrange(i)
            p = j if depth[j] < 8 else None
        parents.append(p)
        depth.append(depth[p] + 1 if p is not None else 0)
    rows = [
        Comment(author=rng.choice(users), body="Très juste, merci.",
                body_html="<p>Très juste, merci.</p>",
                status="held" if rng.random() < 0.1 else "visible", **subject)
        for _ in range(n)
    ]  # fmt: skip
    for level in range(max(depth, default=-1) + 1):
        batch = []
        for i in range(n):
            if depth[i] == level:
                if parents[i] is not None:
                    rows[i].parent = rows[parents[i]]
                batch.append(rows[i])
        Comment.objects.bulk_create(batch, batch_size=5000)
    return n


def timed(client, url, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return samples, len(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    _setup.prepare(os.environ.get("DATABASE_URL", _setup.local_url("cp_bench_annotations")))
    from django.db import transaction
    from django.test import Client

    from accounts.models import User
    from annotations import spam
    from annotations.models import Comment, Highlight
    from bookmarks.models import Bookmark
    from groups.models import Group, Topic

    if args.reseed:
        Group.objects.filter(slug=SLUG).delete()
        User.objects.filter(username__startswith=f"{SLUG}-").delete()
        from bookmarks.models import Page

        Page.objects.filter(url__contains=f"/{SLUG}/").delete()
    if not Group.objects.filter(slug=SLUG).exists():
        started = time.perf_counter()
        with transaction.atomic():
            h, c = seed(random.Random(4))
        from django.db import connection

        with connection.cursor() as cursor:
            for table in ("annotations_comment", "annotations_highlight", "bookmarks_bookmark"):
                cursor.execute(f"ANALYZE {table}")
        print(f"seeded {ITEMS} items, {h:,} highlights, {c:,} comments "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    group = Group.objects.get(slug=SLUG)
    busiest = Bookmark.objects.filter(group=group).order_by("-created_at").first()
    topic = Topic.objects.get(group=group)
    print(
        f"group: {Highlight.objects.filter(bookmark__group=group).count():,} highlights, "
        f"{Comment.objects.filter(bookmark__group=group).count():,} comments; busiest item: "
        f"{busiest.highlights.count()} highlights, {busiest.comments.count()} comments"
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=f"{SLUG}-1"))
    scenarios = [
        ("library, Middle view, 20 items", f"/g/{SLUG}/?view=middle"),
        ("library, Full view, 20 items", f"/g/{SLUG}/?view=full"),
        ("library, Full view, 100 items", f"/g/{SLUG}/?view=full&per_page=100"),
        ("...N more... expansion, busiest item", f"/b/{busiest.pk}/annotations/"),
        ("bookmark page, busiest item", busiest.get_absolute_url()),
        (f"topic page, {TOPIC_REPLIES} replies", topic.get_absolute_url()),
    ]
    print(f"\n{'scenario':45} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in scenarios:
        client.get(url)  # warm
        samples, queries = timed(client, url, args.runs)
        print(f"{label:45} {statistics.median(samples):10.1f} {p95(samples):8.1f} {queries:8}")

    from tests.annotations.spam_set import SPAM_SET

    texts = [t for t, _ in SPAM_SET] * 20
    start = time.perf_counter()
    for text in texts:
        spam.text_signals(text)
    per = (time.perf_counter() - start) / len(texts) * 1e6
    print(f"\nspam.text_signals: {per:.0f} µs per comment ({len(texts)} scored)")


if __name__ == "__main__":
    main()
