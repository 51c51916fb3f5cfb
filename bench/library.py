"""Benchmark of the group library page at scale: one group of 100,000 bookmarks.

    python bench/library.py            # seeds once (kept for later runs), then measures
    python bench/library.py --reseed   # drop the bench group and seed again
    python bench/library.py --explain  # also print the SQL plans of the page's queries

Seeds with INSERT ... SELECT generate_series (no ORM loop): 200 members, 10,000 distinct
tags (skewed: a few are on thousands of items, most on a handful), French and English titles,
300 topics, highlights on a quarter of the items and comments on a tenth. Then times the view in-process (Django test Client: middleware, selectors,
template) for each scenario and prints the median and p95 of the wall time, the median CPU
time of this process (the Python side: ORM, templates) and the SQL time of one request.
Timed with settings.DEBUG off (no query log, no template debug), as production runs; the
rows come from the row cache (library.fragments) after the warm-up, as for any reader after
the first, and one scenario renders every row (the first view after an edit).
Run it on a quiet machine: wall times include waiting for a CPU. Uses DATABASE_URL, or the
database cp_bench_library on the local server, created and migrated when missing.
"""

import argparse
import gc
import os
import re
import statistics
import time

import _setup
from _setup import p95

_setup.bootstrap()
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
os.environ.setdefault("CACHE_KEY_PREFIX", "bench-library")

SLUG = "bench-library"
BOOKMARKS = 100_000
TAGS = 10_000
MEMBERS = 200
TOPICS = 300
REQUESTS = 40
# The first view of rows nobody has seen in this state (after an edit): every row rendered.
COLD = "date sort, page 1, no row cached"
GOAL_MS = 50

FR_WORDS = [
    "travail",
    "travailleurs",
    "plateformes",
    "micro-travail",
    "économie",
    "numérique",
    "société",
    "algorithmes",
    "données",
    "école",
    "éducation",
    "santé",
    "hôpital",
    "climat",
    "énergie",
    "transition",
    "écologie",
    "ville",
    "logement",
    "culture",
    "musique",
    "cinéma",
    "littérature",
    "politique",
    "démocratie",
    "élections",
    "europe",
    "histoire",
    "mémoire",
    "recherche",
    "science",
    "université",
    "emploi",
    "chômage",
    "syndicats",
    "salaires",
    "précarité",
    "intelligence",
    "artificielle",
    "réseaux",
    "sociaux",
    "médias",
    "presse",
    "journalisme",
    "écrans",
    "enfants",
    "agriculture",
    "alimentation",
    "eau",
    "forêts",
    "biodiversité",
    "mobilité",
    "vélo",
    "transports",
]
EN_WORDS = [
    "work",
    "workers",
    "platforms",
    "gig",
    "economy",
    "digital",
    "society",
    "algorithms",
    "data",
    "school",
    "education",
    "health",
    "hospital",
    "climate",
    "energy",
    "transition",
    "ecology",
    "city",
    "housing",
    "culture",
    "music",
    "film",
    "literature",
    "politics",
    "democracy",
    "elections",
    "europe",
    "history",
    "memory",
    "research",
    "science",
    "university",
    "jobs",
    "unions",
    "wages",
    "precarity",
    "machine",
    "learning",
    "social",
    "networks",
    "media",
    "press",
    "journalism",
    "screens",
    "children",
    "farming",
    "food",
    "water",
    "forests",
    "biodiversity",
    "mobility",
    "cycling",
]
FR_TITLES = [
    "Les {a} face à la {b} : enquête",
    "Comment la {a} transforme l'{b}",
    "« {a} » : ce que disent les chercheurs sur la {b}",
    "Pourquoi les {a} s'inquiètent de la {b}",
    "{a} et {b} : un état des lieux",
    "Ils micro-travaillent pour les {a} : la {b} invisible",
    "L'avenir de la {a} se joue dans la {b}",
]
EN_TITLES = [
    "How {a} is reshaping {b}",
    "The hidden cost of {a} in {b}",
    "What research says about {a} and {b}",
    "Why {a} matters for {b}",
    "{a} and {b}: a field guide",
    "Inside the {a} behind {b}",
]


def tag_vocabulary():
    """10,000 distinct, realistic-looking tags: words, word pairs, and numbered series."""
    words = list(dict.fromkeys(FR_WORDS + EN_WORDS))
    tags = dict.fromkeys(words)
    for a in words:
        for b in words:
            if a != b and len(tags) < TAGS:
                tags.setdefault(f"{a}-{b}")
    n = 0
    while len(tags) < TAGS:
        tags.setdefault(f"{words[n % len(words)]}-{n}")
        n += 1
    return list(tags)[:TAGS]


def seed(cursor):
    """Everything in a handful of set-based statements."""
    titles = [
        t.format(a=a, b=b)
        for t in FR_TITLES
        for a, b in zip(FR_WORDS, FR_WORDS[7:] + FR_WORDS[:7], strict=True)
    ] + [
        t.format(a=a, b=b)
        for t in EN_TITLES
        for a, b in zip(EN_WORDS, EN_WORDS[5:] + EN_WORDS[:5], strict=True)
    ]
    sites = ["Le Monde", "Libération", "The Guardian", "Mediapart", "Wired", "France Culture",
             "The Conversation", "AOC", "Ars Technica", "Le Temps"]  # fmt: skip
    cursor.execute(
        """
        INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name,
            email, is_staff, is_active, date_joined, display_name, bio, feed_token)
        SELECT '!', false, 'bench' || i, '', '', 'bench' || i || '@example.org', false, true,
            now(), (ARRAY['Camille','Jules','Léa','Hugo','Inès','Sam','Alex','Zoé'])[1 + i %% 8]
            || ' ' || chr(65 + i %% 26) || '.', '', ''
        FROM generate_series(1, %s) AS i
        ON CONFLICT (username) DO NOTHING
        """,
        [MEMBERS],
    )
    cursor.execute(
        """
        INSERT INTO groups_group (name, slug, description, visibility, join_policy,
            hold_first_posts, spam_sensitivity, created_at)
        VALUES ('Tic&Travail', %s, 'Veille partagée sur le travail et le numérique.',
            'public', 'open', false, 'default', now())
        RETURNING id
        """,
        [SLUG],
    )
    group_id = cursor.fetchone()[0]
    cursor.execute(
        """
        INSERT INTO groups_membership (group_id, user_id, role, joined_at, post_count)
        SELECT %s, id, CASE WHEN username = 'bench1' THEN 'owner' ELSE 'member' END, now(), 0
        FROM accounts_user WHERE username LIKE 'bench%%'
        """,
        [group_id],
    )
    cursor.execute("SELECT id FROM accounts_user WHERE username LIKE 'bench%%' ORDER BY id")
    member_ids = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        """
        INSERT INTO bookmarks_page (url, url_hash, title, description, site_name, language,
            favicon_url, canonical_url, content_type, text, fetch_status, fetch_error,
            final_url, link_failures, created_at)
        SELECT u, encode(sha256(convert_to(substr(u, 9), 'UTF8')), 'hex'),
            (%(titles)s::text[])[1 + i %% array_length(%(titles)s::text[], 1)], '', (%(sites)s::text[])[1 + i %% 10],
            '', '', '', 'text/html', '', 'ok', '', '', 0, now()
        FROM (SELECT i, 'https://site' || (i %% 700) || '.example/' || %(slug)s || '/article-' || i
              AS u FROM generate_series(1, %(n)s) AS i) AS s
        """,
        {"titles": titles, "sites": sites, "n": BOOKMARKS, "slug": SLUG},
    )
    # Tag k is on bookmark k, so all 10,000 exist; the other picks are skewed (power law):
    # a few tags are on thousands of items and most on a handful, as in real folksonomies.
    cursor.execute("CREATE TEMP TABLE bench_tags (k int PRIMARY KEY, t text) ON COMMIT DROP")
    cursor.execute(
        "INSERT INTO bench_tags SELECT k - 1, t FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, k)",
        [tag_vocabulary()],
    )
    cursor.execute(
        """
        INSERT INTO bookmarks_bookmark (page_id, owner_id, group_id, title, description, tags,
            private, unread, comments_enabled, view_count, created_at, updated_at)
        SELECT g.page_id, (%(members)s::bigint[])[1 + floor(%(nmembers)s * power(random(), 1.5))::int],
            %(group)s, g.title,
            CASE WHEN g.i %% 3 = 0 THEN 'Note de lecture : ' || lower(g.title) ELSE '' END,
            ARRAY(SELECT t FROM bench_tags WHERE k = ANY(g.picks) ORDER BY k),
            false, false, true, floor(random() * 40)::int,
            now() - (g.i * interval '7 minutes') - (random() * interval '6 minutes'), now()
        FROM (SELECT id AS page_id, title, i, ARRAY[
                  (i - 1) %% %(ntags)s,
                  floor(%(ntags)s * power(random(), 3))::int,
                  floor(%(ntags)s * power(random(), 3))::int,
                  CASE WHEN random() < 0.5 THEN floor(%(ntags)s * power(random(), 2))::int END
              ] AS picks
              FROM (SELECT id, title, split_part(url, '/article-', 2)::int AS i
                    FROM bookmarks_page WHERE url LIKE %(pattern)s) AS p) AS g
        """,
        {
            "group": group_id,
            "ntags": TAGS,
            "pattern": f"https://site%.example/{SLUG}/article-%",
            "members": member_ids,
            "nmembers": len(member_ids),
        },
    )
    cursor.execute(
        """
        INSERT INTO groups_topic (group_id, author_id, title, body, body_html, status,
            spam_score, created_at, updated_at)
        SELECT %s, (%s::bigint[])[1 + i %% 200],
            'Discussion ' || i || ' : ' || (%s::text[])[1 + i %% 8], 'Qu''en pensez-vous ?',
            '<p>Qu''en pensez-vous ?</p>', 'visible', 0,
            now() - (i * interval '23 hours'), now()
        FROM generate_series(1, %s) AS i
        """,
        [group_id, member_ids, FR_WORDS, TOPICS],
    )
    seed_annotations(cursor, group_id)
    return group_id


def seed_annotations(cursor, group_id):
    """Highlights on a quarter of the items (one to three each, a few with a note) and a
    comment on a tenth, so rows show annotations as a real group's do (Diigo's "• passage")."""
    cursor.execute(
        """
        INSERT INTO annotations_highlight (bookmark_id, author_id, exact, prefix, suffix, color,
            note, note_html, anchor_status, snapshot, status, spam_score, created_at, updated_at)
        SELECT b.id, b.owner_id,
            'Le ' || (%(words)s::text[])[1 + (b.id + n) %% array_length(%(words)s::text[], 1)]
            || ' des plateformes se joue dans les détails : passage ' || n || '.',
            '', '', 'yellow',
            CASE WHEN n = 1 AND b.id %% 3 = 0 THEN 'À relire' ELSE '' END,
            CASE WHEN n = 1 AND b.id %% 3 = 0 THEN '<p>À relire</p>' ELSE '' END,
            'anchored', '', 'visible', 0, b.created_at + n * interval '1 minute', now()
        FROM bookmarks_bookmark b, generate_series(1, 3) AS n
        WHERE b.group_id = %(group)s AND b.id %% 4 = 0 AND n <= 1 + b.id %% 3
        """,
        {"group": group_id, "words": FR_WORDS},
    )
    cursor.execute(
        """
        INSERT INTO annotations_comment (bookmark_id, author_id, body, body_html, status,
            spam_score, is_deleted, created_at, thread_status)
        SELECT b.id, b.owner_id, 'Très utile pour notre veille.',
            '<p>Très utile pour notre veille.</p>', 'visible', 0, false,
            b.created_at + interval '1 hour', 'visible'
        FROM bookmarks_bookmark b WHERE b.group_id = %(group)s AND b.id %% 10 = 0
        """,
        {"group": group_id},
    )


def timed(client, url, n, before=None):
    """Wall time of each request, and the CPU time this process spent on it (Python side).
    `before` runs ahead of each request, outside the timing."""
    samples, cpu = [], []
    for _ in range(n):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return samples, cpu, response


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    args = parser.parse_args()

    # Timed as production serves: DEBUG off (no query log, no template debug info); the
    # queries of one request are still counted, by CaptureQueriesContext.
    _setup.prepare(
        os.environ.get("DATABASE_URL", _setup.local_url("cp_bench_library")), debug_queries=False
    )
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from groups.models import Group
    from library import fragments

    if args.reseed:
        with transaction.atomic(), connection.cursor() as cursor:
            group_ids = "(SELECT id FROM groups_group WHERE slug = %s)"
            for table in ("annotations_comment", "annotations_highlight"):
                cursor.execute(
                    f"DELETE FROM {table} WHERE bookmark_id IN (SELECT id FROM bookmarks_bookmark"
                    f" WHERE group_id IN {group_ids})",
                    [SLUG],
                )
            for table in ("bookmarks_bookmark", "groups_topic", "groups_membership"):
                cursor.execute(f"DELETE FROM {table} WHERE group_id IN {group_ids}", [SLUG])
            cursor.execute("DELETE FROM groups_group WHERE slug = %s", [SLUG])
            cursor.execute(
                "DELETE FROM bookmarks_page WHERE url LIKE %s", [f"%.example/{SLUG}/article-%"]
            )
    if not Group.objects.filter(slug=SLUG).exists():
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            seed(cursor)
        seeded = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE bookmarks_bookmark")
            cursor.execute("VACUUM ANALYZE bookmarks_page")
            cursor.execute("VACUUM ANALYZE groups_topic")
            cursor.execute("VACUUM ANALYZE groups_membership")
            cursor.execute("VACUUM ANALYZE annotations_highlight")
            cursor.execute("VACUUM ANALYZE annotations_comment")
        print(
            f"seeded {BOOKMARKS:,} bookmarks, {TAGS:,} tags, {MEMBERS} members, {TOPICS} topics "
            f"in {seeded:.1f} s (+ VACUUM ANALYZE {time.perf_counter() - started - seeded:.1f} s)"
        )
    else:
        print("bench group already seeded (use --reseed to start again)")

    group = Group.objects.get(slug=SLUG)
    cache.clear()

    def forget_rows():
        """A new row-cache version: every row of the next page is a miss, rendered again."""
        fragments._version["digest"] = os.urandom(8).hex()

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t, count(*) FROM bookmarks_bookmark, unnest(tags) t WHERE group_id = %s
            GROUP BY t ORDER BY count(*) DESC
            """,
            [group.pk],
        )
        ranked = cursor.fetchall()
        cursor.execute(
            """
            SELECT u.username, count(*) FROM bookmarks_bookmark b JOIN accounts_user u
            ON u.id = b.owner_id WHERE b.group_id = %s GROUP BY u.username
            ORDER BY count(*) DESC LIMIT 1 OFFSET 20
            """,
            [group.pk],
        )
        saver, saver_count = cursor.fetchone()
    print(f"distinct tags in the group: {len(ranked):,}")
    one_tag, one_count = ranked[5]
    two_a, two_b = ranked[3][0], ranked[8][0]
    rare_tag, rare_count = ranked[len(ranked) // 2]

    viewer = User.objects.get(username="bench7")
    client = Client(HTTP_HOST="localhost")
    client.force_login(viewer)
    base = group.get_absolute_url()
    scenarios = [
        ("date sort, page 1", base),
        ("date sort, last page", f"{base}?page=999999"),
        (f"one tag ({one_tag!r}, {one_count:,} items)", f"{base}?tag={one_tag}"),
        (f"rare tag ({rare_tag!r}, {rare_count} items)", f"{base}?tag={rare_tag}"),
        (f"two tags ({two_a!r} AND {two_b!r})", f"{base}?tag={two_a}&tag={two_b}"),
        (f"saved by {saver} ({saver_count} items)", f"{base}?user={saver}"),
        ("bookmarks only, page 2, full view", f"{base}?filter=bookmarks&page=2&view=full"),
        ("keyword 'travail' (relevance)", f"{base}?q=travail"),
        ("keyword 'travail', page 2", f"{base}?q=travail&page=2"),
        ("keyword 'travail', date sort", f"{base}?q=travail&sort=date"),
        (COLD, base),
    ]
    client.get(base)  # fills the cached tag cloud, as any earlier visitor would have
    # what a web worker does once loaded (config/wsgi.py): full collections of the garbage
    # collector do not walk what lives as long as the process
    gc.collect()
    gc.freeze()
    from django.template import engines

    print(f"DEBUG {settings.DEBUG}, template debug {engines['django'].engine.debug}")
    print(f"\n{args.requests} requests each, server time in ms (Django test Client, in-process)")
    print(f"load average before measuring: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
          f" on {os.cpu_count()} CPUs")  # fmt: skip
    print(
        f"{'scenario':52} {'median':>7} {'p95':>7} {'cpu p50':>7} {'sql':>6} {'queries':>7}  p95<{GOAL_MS}"
    )
    worst = 0
    for label, url in scenarios:
        before = forget_rows if label == COLD else None
        timed(client, url, 3, before)  # warm-up
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        captured = list(queries.captured_queries)  # the next request resets the query log
        n_queries = len(captured)
        sql_ms = sum(float(q["time"]) for q in captured) * 1000
        samples, cpu, response = timed(client, url, args.requests, before)
        shown = re.search(r"\d+ - \d+ of \d+", response.content.decode())
        med, high = statistics.median(samples), p95(samples)
        worst = max(worst, high)
        flag = "ok" if high < GOAL_MS else "MISS"
        print(f"{label:52} {med:7.1f} {high:7.1f} {statistics.median(cpu):7.1f} {sql_ms:6.1f} {n_queries:7d}  {flag}"
              f"   [{shown.group(0) if shown else 'no items'}]")  # fmt: skip
        if args.explain:
            executed = 0.0
            for q in captured:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                    lines = [r[0] for r in cursor.fetchall()]
                executed += float(lines[-1].split(":")[1].split()[0])  # "Execution Time: x ms"
                if "bookmarks_bookmark" in q["sql"]:
                    plan = "\n      ".join(lines)
                    print(f"    {q['sql'][:160]}\n      {plan}")
            print(f"    => Postgres execution time of the page's {n_queries} queries: "
                  f"{executed:.1f} ms")  # fmt: skip
    print(f"\nworst p95: {worst:.1f} ms ({'goal met' if worst < GOAL_MS else 'goal missed'}); "
          f"load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip


if __name__ == "__main__":
    main()
