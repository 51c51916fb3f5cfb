#!/usr/bin/env python
"""Search at scale: seed N bookmarks (1,000,000 by default) and time the app's search selectors.

    .venv/bin/python bench/search.py                 # 1M rows into cp_bench_search
    .venv/bin/python bench/search.py --rows 100000   # a quick run
    .venv/bin/python bench/search.py --drop          # drop the bench database at the end

Seeding: French and English text with a Zipf word distribution (real words at the top ranks,
pseudo-words in the long tail), tags, ~3 highlights per 10 bookmarks, some comments (a tenth of
them held as spam), over 1,000 groups, one holding a tenth of the rows (100,000 for 1M). Rows
are streamed with COPY; the vectors are built by the app's own set-based rebuild (as imports do)
after each chunk of bookmarks (highlights and comments are copied first), and the GIN indexes
are built after.

Then runs what the workers' periodic task runs (search.group_indexes: a group of at least
SEARCH_GROUP_INDEX_MIN bookmarks gets a search index of its own; search.recent_index: so do
the newest SEARCH_RECENT_ROWS bookmarks), and measures, in the big
group and globally (a member of 30 groups, some private), 8 query shapes
× relevance/date × page 1/page 50 through search.selectors.search_items — the code the
/search/ page runs — and prints median and p95 over --runs runs, then EXPLAIN ANALYZE of the
slowest shape's main query. Figures only, no assertions.
"""

import argparse
import gc
import os
import random
import statistics
import time
from datetime import UTC, datetime

import _setup

_setup.bootstrap()


def _words(text):
    return text.split()


FR_TOP = _words(
    "de la le et les des en un une du que qui pour dans est pas sur au par plus ne se ce il "
    "avec sont ou mais travail nous leur comme elle tout aux été fait entre bien sans "
    "plateformes aussi deux cette être faire où très numérique temps autres leurs dont "
    "conditions contre ainsi selon monde même uber encore emploi social droit salariés "
    "entreprise société économie livreurs chauffeurs indépendants travailleurs revenus "
    "données algorithme réseau politique histoire recherche numériques santé public "
    "collectif syndicat contrat statut précarité protection sociale europe france "
    "travaille micro-travail micro-travaillent clic tâches automatisation intelligence "
    "artificielle modération contenus ouvriers usine capitalisme marché loi juge cour "
    "décision grève mobilisation coopérative communs internet logiciel libre code "
    "numérisation formation école université étude rapport article enquête entretien"
)
EN_TOP = _words(
    "the of and to a in is that for it as was with be by on not he this are or at from "
    "work but have an they which one you were her all she there would their we him been "
    "platform workers digital economy labor gig uber data conditions delivery drivers "
    "contract employment social rights company market law court union strike research "
    "history network public health policy algorithm automation artificial intelligence "
    "moderation content factory capitalism cooperative commons internet software free "
    "code training school university study report article survey interview working "
    "worker worked platforms wages income precarious protection europe america crowd "
    "microwork microworkers tasks click"
)
TAG_TOP = _words(
    "economie gig travail numerique uber plateformes droit syndicat algorithme sociologie "
    "data ia moderation livraison europe histoire recherche politique capitalisme communs"
)
SYLLABLES = _words(
    "ba be bi bo bu da de di do du fa fe fi fo fu ga ge go gu la le li lo lu ma me mi mo mu "
    "na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo "
    "cha che chi tra tre tri pro pre bra bre cla cle gra gre on an in en ou é è"
)

SHAPES = [
    ("rare word", None),  # filled with a long-tail pseudo-word
    ("common word", "travail"),
    ("two words", "travail plateformes"),
    ("prefix", "numéri"),
    ("phrase", '"conditions de travail"'),
    ("tag only", "tag:economie"),
    ("word + tag", "travail tag:gig"),
    ("negation", "travail -uber"),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", _setup.local_url("cp_bench_search")),
    )
    parser.add_argument("--reseed", action="store_true", help="seed even if rows are there")
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    parser.add_argument("--seed-only", action="store_true")
    parser.add_argument("--only", help="measure only shapes whose name contains this")
    parser.add_argument("--work-mem", help="SET work_mem for the measuring session, e.g. 32MB")
    return parser.parse_args()


# --- seeding --------------------------------------------------------------------------------


def vocabulary(top, rng, size, accents):
    words = list(dict.fromkeys(top))
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if not accents:
            word = word.replace("é", "e").replace("è", "e")
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class Zipf:
    """Draw words with P(rank r) ∝ 1/r: the rank is N ** U (log-uniform), cheap and close."""

    def __init__(self, words, rng):
        self.words, self.n, self.random = words, len(words), rng.random

    def text(self, k):
        words, n, rnd = self.words, self.n, self.random
        return " ".join([words[int(n ** rnd()) - 1] for _ in range(k)])


def columns_needing_filler(cursor, table, given):
    """NOT NULL columns without a default that the seeder does not set (other helpers may add
    fields): a typed empty value keeps COPY working whatever the models grew."""
    cursor.execute(
        """SELECT column_name, data_type FROM information_schema.columns
            WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL
              AND is_identity = 'NO'""",
        [table],
    )
    filler = {
        "boolean": False,
        "integer": 0,
        "smallint": 0,
        "bigint": 0,
        "double precision": 0.0,
        "ARRAY": [],
        "jsonb": "{}",
        "timestamp with time zone": datetime.now(UTC),
    }
    return [(col, filler.get(kind, "")) for col, kind in cursor.fetchall() if col not in given]


def copy_rows(cursor, table, columns, rows):
    extra = columns_needing_filler(cursor, table, set(columns) | {"id"})
    cols = list(columns) + [c for c, _ in extra]
    tail = tuple(v for _, v in extra)
    sql = f"COPY {table} ({', '.join(cols)}) FROM STDIN"
    with cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + tail)


def _count(cur, table):
    cur.execute(f"SELECT count(*) FROM {table}")
    return cur.fetchone()[0]


BOOKMARKS_SQL = """
INSERT INTO bookmarks_bookmark (id, page_id, owner_id, group_id, title, description, tags,
                                private, unread, comments_enabled, view_count, created_at,
                                updated_at{extra_cols})
SELECT p.id, p.id, o.owner, g.grp, '', d.description, t.tags, g.grp IS NULL AND random() < 0.2,
       random() < 0.1, true, 0, c.at, c.at{extra_vals}
  FROM bookmarks_page p
 CROSS JOIN LATERAL (SELECT 1 + floor(random() * %(users)s)::int + 0 * p.id AS owner) o
 CROSS JOIN LATERAL (SELECT CASE WHEN p.id <= %(big)s THEN 1
                                 WHEN random() < 0.05 THEN NULL
                                 ELSE 2 + floor(random() * (%(groups)s - 1))::int END
                            + 0 * p.id AS grp) g
 CROSS JOIN LATERAL (SELECT now() - random() * interval '5 years' + 0 * interval '1s' * p.id
                            AS at) c
 CROSS JOIN LATERAL (SELECT CASE WHEN random() < 0.4 THEN left(p.text, 90) ELSE '' END
                            || left('', (0 * p.id)::int) AS description) d
 CROSS JOIN LATERAL (
     SELECT coalesce(array_agg(DISTINCT (%(tags)s::text[])[
                1 + floor(power(cardinality(%(tags)s::text[]), random()))::int - 1]), '{{}}') AS tags
       FROM generate_series(1, (p.id * 7 + 3) %% 5)
 ) t
 WHERE p.id BETWEEN %(first)s AND %(last)s
"""


def seed(args):
    """Seed; a phase whose rows are already there is skipped (--reseed starts over)."""
    from threading import Thread

    import psycopg
    from django.db import connection

    rng = random.Random(42)
    rows, big = args.rows, args.rows // 10
    n_users = max(50, min(5000, rows // 200))
    fr = Zipf(vocabulary(FR_TOP, rng, 150_000, True), rng)
    en = Zipf(vocabulary(EN_TOP, rng, 150_000, False), rng)
    tags = vocabulary(TAG_TOP, rng, 400, False)
    now = datetime.now(UTC)
    started = time.perf_counter()

    def step(label, t0):
        print(f"  {label}: {time.perf_counter() - t0:.1f} s", flush=True)
        return time.perf_counter()

    with connection.cursor() as cur:
        t = time.perf_counter()
        if args.reseed or _count(cur, "bookmarks_page") != rows:
            cur.execute(
                "TRUNCATE annotations_comment, annotations_highlight, bookmarks_bookmark, "
                "bookmarks_page, groups_topic, groups_membership, groups_group, accounts_user "
                "CASCADE"
            )
        cur.execute("SET session_replication_role = replica")  # no triggers, no FK checks yet
        if not _count(cur, "accounts_user"):
            copy_rows(
                cur,
                "accounts_user",
                [
                    "id",
                    "password",
                    "is_superuser",
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "is_staff",
                    "is_active",
                    "date_joined",
                    "display_name",
                    "bio",
                    "feed_token",
                ],
                (
                    (
                        i,
                        "!",
                        False,
                        f"user{i}",
                        "",
                        "",
                        f"user{i}@example.org",
                        False,
                        True,
                        now,
                        f"User {i}",
                        "",
                        "",
                    )
                    for i in range(1, n_users + 1)
                ),
            )
            copy_rows(
                cur,
                "groups_group",
                [
                    "id",
                    "name",
                    "slug",
                    "description",
                    "visibility",
                    "join_policy",
                    "hold_first_posts",
                    "created_at",
                    "created_by_id",
                ],
                (
                    (
                        g,
                        f"Group {g}",
                        f"group-{g}",
                        "",
                        "private" if g % 10 == 0 else "public",
                        "open",
                        False,
                        now,
                        1,
                    )
                    for g in range(1, args.groups + 1)
                ),
            )
            # the viewer (user 1) is in the big group and 29 others, three of them private
            copy_rows(
                cur,
                "groups_membership",
                ["id", "role", "joined_at", "post_count", "group_id", "user_id"],
                ((g, "member", now, 0, g, 1) for g in range(1, 31)),
            )
            t = step("users, groups", t)

        if not _count(cur, "bookmarks_page"):

            def pages():
                for i in range(1, rows + 1):
                    z = fr if rng.random() < 0.6 else en
                    title = z.text(rng.randint(4, 9))
                    if z is fr and rng.random() < 0.02:
                        title = "Les conditions de travail " + title
                    slug = z.text(3).replace(" ", "-")
                    yield (
                        i,
                        f"https://site{i % 5000}.example.org/{i}/{slug}",
                        f"{i:064x}",
                        title,
                        "",
                        f"Site {i % 5000}",
                        "fr" if z is fr else "en",
                        "",
                        "",
                        "",
                        z.text(rng.randint(30, 60)),
                        "ok",
                        "",
                        "",
                        0,
                        now,
                    )

            copy_rows(
                cur,
                "bookmarks_page",
                [
                    "id",
                    "url",
                    "url_hash",
                    "title",
                    "description",
                    "site_name",
                    "language",
                    "favicon_url",
                    "canonical_url",
                    "content_type",
                    "text",
                    "fetch_status",
                    "fetch_error",
                    "final_url",
                    "link_failures",
                    "created_at",
                ],
                pages(),
            )
            cur.execute("ANALYZE bookmarks_page")
            t = step(f"{rows} pages (COPY)", t)

        if not _count(cur, "annotations_highlight"):

            def highlights():
                for h in range(1, int(rows * 0.3) + 1):
                    z = fr if rng.random() < 0.6 else en
                    note = z.text(rng.randint(3, 10)) if rng.random() < 0.2 else ""
                    yield (
                        h,
                        z.text(rng.randint(8, 20)),
                        "",
                        "",
                        "yellow",
                        note,
                        "anchored",
                        "",
                        "visible",
                        0.0,
                        now,
                        now,
                        rng.randint(1, n_users),
                        rng.randint(1, rows),
                    )

            copy_rows(
                cur,
                "annotations_highlight",
                [
                    "id",
                    "exact",
                    "prefix",
                    "suffix",
                    "color",
                    "note",
                    "anchor_status",
                    "snapshot",
                    "status",
                    "spam_score",
                    "created_at",
                    "updated_at",
                    "author_id",
                    "bookmark_id",
                ],
                highlights(),
            )

            def comments():
                for c in range(1, int(rows * 0.05) + 1):
                    spam = rng.random() < 0.1
                    body = "casino bonus gratuit" if spam else fr.text(12)
                    yield (
                        c,
                        body,
                        body,
                        "held" if spam else "visible",
                        0.9 if spam else 0.0,
                        False,
                        now,
                        rng.randint(1, n_users),
                        rng.randint(1, rows),
                    )

            copy_rows(
                cur,
                "annotations_comment",
                [
                    "id",
                    "body",
                    "body_html",
                    "status",
                    "spam_score",
                    "is_deleted",
                    "created_at",
                    "author_id",
                    "bookmark_id",
                ],
                comments(),
            )
            cur.execute("ANALYZE annotations_highlight")
            cur.execute("ANALYZE annotations_comment")
            t = step("highlights and comments (COPY)", t)

        # Bookmarks last, triggers on; their vectors are built after each chunk by the app's
        # own set-based rebuild. Two sessions split the id range (to_tsvector is the cost).
        cur.execute("SET session_replication_role = origin")
        cur.execute("TRUNCATE bookmarks_bookmark CASCADE")
        # GIN indexes are dropped during the load and built after it; their definitions are
        # kept in a table so an interrupted run cannot lose them
        cur.execute(
            "CREATE TABLE IF NOT EXISTS bench_gin_indexes (name text PRIMARY KEY, def text)"
        )
        cur.execute(
            "INSERT INTO bench_gin_indexes SELECT indexname, indexdef FROM pg_indexes "
            "WHERE tablename = 'bookmarks_bookmark' AND indexdef ILIKE '%%USING gin%%' "
            "ON CONFLICT (name) DO NOTHING"
        )
        cur.execute("SELECT name, def FROM bench_gin_indexes")
        gin_indexes = cur.fetchall()
        for name, _ in gin_indexes:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        extra = columns_needing_filler(
            cur,
            "bookmarks_bookmark",
            {
                "id",
                "page_id",
                "owner_id",
                "group_id",
                "title",
                "description",
                "tags",
                "private",
                "unread",
                "comments_enabled",
                "view_count",
                "created_at",
                "updated_at",
            },
        )
        sql = BOOKMARKS_SQL.format(
            extra_cols="".join(f", {c}" for c, _ in extra),
            extra_vals="".join(f", %(x_{c})s" for c, _ in extra),
        )
        params = {"users": n_users, "big": big, "groups": args.groups, "tags": tags}
        params.update({f"x_{c}": v for c, v in extra})
        conninfo = connection.get_connection_params()
        errors = []

        def insert(first, last):
            try:
                with psycopg.connect(**conninfo, autocommit=True) as conn:
                    # as the importer does: rows first, then their vectors in set-based
                    # batches by the app's own search_rebuild_bookmarks
                    conn.execute("SELECT set_config('commonplace.search', 'deferred', false)")
                    step_size = 50_000
                    for lo in range(first, last + 1, step_size):
                        hi = min(last, lo + step_size - 1)
                        conn.execute(sql, {**params, "first": lo, "last": hi})
                        for a in range(lo, hi + 1, 5000):
                            conn.execute(
                                "SELECT search_rebuild_bookmarks(ARRAY(SELECT generate_series("
                                "%s::bigint, %s::bigint)))",
                                [a, min(hi, a + 4999)],
                            )
                        print(f"    bookmarks {lo}-{hi} done", flush=True)
            except Exception as exc:
                errors.append(exc)

        half = rows // 2
        threads = [
            Thread(target=insert, args=(1, half)),
            Thread(target=insert, args=(half + 1, rows)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        t = step(f"{rows} bookmarks with vectors (INSERT ... SELECT, set-based rebuild)", t)
        cur.execute("SET maintenance_work_mem = '256MB'")
        for _name, definition in gin_indexes:
            cur.execute(definition)
        t = step("GIN indexes", t)

        cur.execute("DELETE FROM groups_topic")

        def topics():
            for k in range(1, max(10, rows // 500) + 1):
                z = fr if k % 5 < 3 else en
                yield (
                    k,
                    z.text(6),
                    z.text(40),
                    "",
                    "visible",
                    0.0,
                    now,
                    now,
                    rng.randint(1, n_users),
                    1 if k % 10 == 0 else rng.randint(1, args.groups),
                )

        copy_rows(
            cur,
            "groups_topic",
            [
                "id",
                "title",
                "body",
                "body_html",
                "status",
                "spam_score",
                "created_at",
                "updated_at",
                "author_id",
                "group_id",
            ],
            topics(),
        )
        for table in (
            "accounts_user",
            "groups_group",
            "groups_membership",
            "bookmarks_page",
            "bookmarks_bookmark",
            "annotations_highlight",
            "annotations_comment",
            "groups_topic",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        cur.execute("VACUUM ANALYZE")
        step("topics, sequences, VACUUM ANALYZE", t)
    total = time.perf_counter() - started
    print(f"seeded {rows} bookmarks in {total:.0f} s", flush=True)
    return fr.words[100_000]


# --- measuring ------------------------------------------------------------------------------


def measure(args, rare_word):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from accounts.models import User
    from groups.models import Group
    from search.selectors import search_items

    viewer = User.objects.get(pk=1)
    big = Group.objects.get(pk=1)
    # what the web process does once the application is loaded (config/wsgi.py): full
    # collections do not walk what lives as long as the process
    gc.collect()
    gc.freeze()
    shapes = [(name, q or rare_word) for name, q in SHAPES]
    if args.only:
        shapes = [s for s in shapes if args.only in s[0]]
    print(f"\nrare word: {rare_word}; load average: {os.getloadavg()}")
    with connection.cursor() as cur:
        if args.work_mem:
            cur.execute("SELECT set_config('work_mem', %s, false)", [args.work_mem])
        cur.execute("SHOW work_mem")
        print(f"work_mem: {cur.fetchone()[0]}")
    header = f"{'scope':7} {'shape':12} {'sort':9} {'page':>4} {'results':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7}"
    print("\n" + header + "\n" + "-" * len(header))
    worst = (0.0, None)
    scope_max = {}
    for scope, group in (("group", big), ("global", None)):
        for name, q in shapes:
            for sort in ("relevance", "date"):
                for page in (1, 50):
                    # queries counted on a first run (it also warms the cache); the timed
                    # runs go without the query log, as in production (logging every query
                    # cost ~12 ms a search here)
                    with CaptureQueriesContext(connection) as counted:
                        search_items(viewer, q, group=group, sort=sort, page=page)
                    times = []
                    with override_settings(DEBUG=False):
                        for _run in range(args.runs):
                            t0 = time.perf_counter()
                            results = search_items(viewer, q, group=group, sort=sort, page=page)
                            times.append((time.perf_counter() - t0) * 1000)
                    times.sort()
                    p50 = statistics.median(times)
                    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
                    count = f"{results.count}{'+' if results.count_capped else ''}"
                    print(
                        f"{scope:7} {name:12} {sort:9} {page:>4} {count:>8} {p50:8.1f} "
                        f"{p95:8.1f} {len(counted):>7}",
                        flush=True,
                    )
                    scope_max[scope] = max(scope_max.get(scope, 0.0), p95)
                    if p95 > worst[0]:
                        worst = (p95, (scope, name, q, sort, page, group))
    print(
        f"\nworst p95: group {scope_max.get('group', 0):.1f} ms (goal < 50), "
        f"global {scope_max.get('global', 0):.1f} ms (goal < 150); "
        f"load average now {os.getloadavg()}"
    )
    return viewer, worst


def explain_slowest(viewer, worst):
    from django.db import connection

    from search.selectors import search_items

    p95, (scope, name, q, sort, page, group) = worst
    print(f"\nslowest: {scope} / {name} ({q}) / {sort} / page {page}: p95 {p95:.1f} ms")
    connection.force_debug_cursor = True
    search_items(viewer, q, group=group, sort=sort, page=page)
    queries = list(connection.queries)
    connection.force_debug_cursor = False
    slowest = max(queries[-8:], key=lambda qr: float(qr["time"]))
    print(f"its slowest query ({float(slowest['time']) * 1000:.1f} ms):\n{slowest['sql']}\n")
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        for (line,) in cur.fetchall():
            print(line)


def main():
    args = parse_args()
    _setup.prepare(args.database_url, debug_queries=True)  # queries counted, EXPLAINed
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM bookmarks_bookmark")
        existing = cur.fetchone()[0]
    if args.reseed or existing != args.rows:
        print(f"seeding {args.rows} bookmarks into {args.database_url} ...", flush=True)
        rare_word = seed(args)
    else:
        print(f"reusing {existing} seeded bookmarks (--reseed to seed again)")
        rng = random.Random(42)
        rare_word = vocabulary(FR_TOP, rng, 150_000, True)[100_000]
    # what the workers' periodic task does: big groups, and the newest bookmarks, get a search
    # index of their own
    from search.group_indexes import update_group_indexes
    from search.recent_index import update_recent_index

    started = time.perf_counter()
    created, _dropped = update_group_indexes()
    if created:
        print(
            f"group search indexes for {len(created)} group(s): "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
    started = time.perf_counter()
    if update_recent_index() is not None:
        print(f"recent bookmarks' search index: {time.perf_counter() - started:.1f} s", flush=True)
    if not args.seed_only:
        viewer, worst = measure(args, rare_word)
        explain_slowest(viewer, worst)
    if args.drop:
        print(f"dropped database {_setup.drop_database(args.database_url)}")


if __name__ == "__main__":
    main()
