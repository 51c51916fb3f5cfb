"""Benchmark of the REST API at scale: 100,000 bookmarks, timed through real HTTP.

    python bench/api.py             # seeds once (kept for later runs), then measures
    python bench/api.py --reseed    # drop the bench data and seed again
    python bench/api.py --runs 30   # timed requests a cell (after 3 warm-ups)

Seeds one group of 100,000 bookmarks (set-based INSERTs, vectors rebuilt in bulk) whose
titles, descriptions and tags are drawn from a Zipf vocabulary of French and English words
(accented forms, a long tail of rare words, words used only in descriptions). Then starts
gunicorn (2 sync workers, DEBUG off) on 127.0.0.1 and times each shape of issue 21's table,
100 items a page, at page 1 and page 50 (page 50 by the cursor that following `next` gives,
and by `page=50`: asked again, as the timed runs do, it is read from the key the server
remembered (config.positions); `page=cold` forgets the positions before each request, so the
offset is walked as on a first visit), printing p50 / p95 in ms and the queries one request
costs (counted in-process with the same code); then the group's library page (HTML, 20 a
page, plain and `q=travail`, pages 1 and 50) as a signed-in member's browser gets it. Uses DATABASE_URL, or the database cp_bench_api on the local
server, created and migrated when missing. Run it on a quiet machine.
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from itertools import accumulate
from urllib.parse import urlencode

import _setup
from _setup import p95

_setup.bootstrap()
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")
os.environ.setdefault("CACHE_KEY_PREFIX", "bench-api")
# the bench sends far more than a client may: no throttling (here and in gunicorn)
os.environ["THROTTLE_USER"] = os.environ["THROTTLE_ANON"] = "1000000/min"

SLUG = "bench-api"
USERNAME = "apibench"
BOOKMARKS = 100_000
BATCH = 10_000
PER_PAGE = 100
DEEP_PAGE = 50
GOAL_MS = 60
HTML_GOAL_MS = 50

FRENCH = [
    "travail",
    "travailleurs",
    "travailler",
    "travaille",
    "plateformes",
    "numérique",
    "numériques",
    "numérisation",
    "économie",
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
    "forêts",
    "biodiversité",
    "mobilité",
    "vélo",
    "transports",
    "régulation",
    "droits",
    "liberté",
    "égalité",
    "fraternité",
    "préfecture",
    "télétravail",
    "ubérisation",
    "livreurs",
    "chauffeurs",
    "modération",
    "contenus",
    "vidéo",
    "publicité",
    "surveillance",
    "vie",
    "privée",
    "sécurité",
    "cybersécurité",
    "logiciel",
    "libre",
    "bibliothèque",
    "archives",
    "café",
    "théâtre",
    "été",
    "hiver",
    "forêt",
    "rivière",
    "côte",
    "île",
    "façade",
    "garçon",
    "français",
    "naïf",
    "noël",
]
ENGLISH = [
    "work",
    "workers",
    "working",
    "platforms",
    "digital",
    "economy",
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
    "regulation",
    "rights",
    "freedom",
    "equality",
    "remote",
    "gig",
    "delivery",
    "drivers",
    "moderation",
    "content",
    "video",
    "advertising",
    "surveillance",
    "privacy",
    "security",
    "software",
    "open",
    "library",
    "archives",
    "coffee",
    "theatre",
    "summer",
    "winter",
    "river",
    "coast",
    "island",
    "the",
    "of",
    "and",
    "for",
    "with",
    "about",
    "from",
]
SYLLABLES = [
    "ba",
    "be",
    "bi",
    "bo",
    "bu",
    "da",
    "de",
    "di",
    "do",
    "du",
    "la",
    "le",
    "li",
    "lo",
    "lu",
    "ma",
    "me",
    "mi",
    "mo",
    "mu",
    "na",
    "ne",
    "ni",
    "no",
    "nu",
    "ra",
    "re",
    "ri",
    "ro",
    "ru",
    "sa",
    "se",
    "si",
    "so",
    "su",
    "ta",
    "te",
    "ti",
    "to",
    "tu",
    "va",
    "ve",
    "vi",
    "vo",
    "vu",
    "é",
    "è",
    "ê",
    "ç",
    "ou",
    "an",
    "on",
    "in",
]
DESCRIPTION_ONLY = ["sérendipité", "palimpseste", "hapax", "serendipity"]
TAG_WORDS = 600


def vocabulary(rng):
    """Real French and English words first (the common ones), then a long tail of made-up
    words with accents: a Zipf draw over it gives a few words in thousands of items and
    thousands of words in a handful."""
    words = []
    for fr, en in zip(FRENCH, ENGLISH, strict=False):
        words += [fr, en]
    words += FRENCH[len(ENGLISH) :] + ENGLISH[len(FRENCH) :]
    words = list(dict.fromkeys(words))
    seen = set(words) | set(DESCRIPTION_ONLY)
    while len(words) < 20_000:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen and len(word) > 3:
            seen.add(word)
            words.append(word)
    return words


def zipf(n, s=1.05):
    return list(accumulate(1 / (rank**s) for rank in range(1, n + 1)))


def generate(rng):
    """(titles, descriptions, tags) of BOOKMARKS items."""
    words = vocabulary(rng)
    weights = zipf(len(words))
    tag_pool = [w.replace("é", "e") for w in words[:TAG_WORDS]]
    tag_weights = zipf(len(tag_pool), 1.2)
    titles, descriptions, tags = [], [], []
    for _ in range(BOOKMARKS):
        title = rng.choices(words, cum_weights=weights, k=rng.randint(4, 9))
        titles.append(" ".join(title).capitalize())
        if rng.random() < 0.6:
            text = rng.choices(words, cum_weights=weights, k=rng.randint(12, 40))
            if rng.random() < 0.004:
                text.insert(rng.randint(0, len(text)), rng.choice(DESCRIPTION_ONLY))
            descriptions.append(" ".join(text) + ".")
        else:
            descriptions.append("")
        tags.append(
            sorted(set(rng.choices(tag_pool, cum_weights=tag_weights, k=rng.randint(1, 4))))
        )
    return titles, descriptions, tags


def seed(cursor, viewer_id):
    """Everything in set-based statements, BATCH rows a statement; vectors rebuilt in bulk."""
    from search.indexing import BATCH_SIZE, deferred_vectors, reindex_bookmarks

    rng = random.Random(21)
    titles, descriptions, tags = generate(rng)
    cursor.execute(
        """
        INSERT INTO groups_group (name, slug, description, visibility, join_policy,
            hold_first_posts, spam_sensitivity, created_at)
        VALUES ('Bench API', %s, '', 'private', 'invite', false, 'default', now())
        RETURNING id
        """,
        [SLUG],
    )
    group_id = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO groups_membership (group_id, user_id, role, joined_at, post_count) "
        "VALUES (%s, %s, 'owner', now(), 0)",
        [group_id, viewer_id],
    )
    with deferred_vectors():
        for start in range(0, BOOKMARKS, BATCH):
            stop = min(start + BATCH, BOOKMARKS)
            cursor.execute(
                """
                INSERT INTO bookmarks_page (url, url_hash, title, description, site_name,
                    language, favicon_url, canonical_url, content_type, text, fetch_status,
                    fetch_error, final_url, link_failures, created_at)
                SELECT u, encode(sha256(convert_to(substr(u, 9), 'UTF8')), 'hex'), t, '', '',
                    '', '', '', 'text/html', '', 'ok', '', '', 0, now()
                FROM (SELECT 'https://site' || (i %% 900) || '.example/' || %s || '/' || i AS u,
                             t FROM unnest(%s::int[], %s::text[]) AS x(i, t)) AS s
                """,
                [SLUG, list(range(start, stop)), titles[start:stop]],
            )
            cursor.execute(
                """
                INSERT INTO bookmarks_bookmark (page_id, owner_id, group_id, title, description,
                    tags, private, unread, comments_enabled, view_count, created_at, updated_at)
                SELECT p.id, %(owner)s, %(group)s, p.title, x.d,
                    ARRAY(SELECT jsonb_array_elements_text(x.tags)), false, x.i %% 7 = 0, true,
                    0, now() - (x.i * interval '5 minutes'), now()
                FROM unnest(%(ids)s::int[], %(descriptions)s::text[], %(tags)s::jsonb[])
                    AS x(i, d, tags)
                JOIN bookmarks_page p ON p.url_hash = encode(sha256(convert_to(
                    'site' || (x.i %% 900) || '.example/' || %(slug)s || '/' || x.i, 'UTF8')),
                    'hex')
                RETURNING id
                """,
                {
                    "owner": viewer_id,
                    "group": group_id,
                    "ids": list(range(start, stop)),
                    "descriptions": descriptions[start:stop],
                    "tags": [json.dumps(t) for t in tags[start:stop]],
                    "slug": SLUG,
                },
            )
            ids = [row[0] for row in cursor.fetchall()]
            for i in range(0, len(ids), BATCH_SIZE):
                reindex_bookmarks(ids[i : i + BATCH_SIZE])
            print(f"  {stop:,} bookmarks", flush=True)
    return group_id


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port):
    from django.conf import settings

    env = {
        **os.environ,
        "DEBUG": "0",
        # this process's key: a cursor signed by the server is read here too (query counts)
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOW_DEV_SECRET_KEY": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "THROTTLE_USER": "1000000/min",
        "THROTTLE_ANON": "1000000/min",
        "LOG_LEVEL": "WARNING",
    }
    # the HTML pages name their static files through the manifest that collectstatic writes
    subprocess.run(
        [str(_setup.VENV / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=_setup.ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(_setup.VENV / "bin" / "gunicorn"),
            "config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=_setup.ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def get(url, token):
    """GET with this API token, or with these headers (a dict: the HTML pages' cookie)."""
    headers = token if isinstance(token, dict) else {"Authorization": f"Token {token}"}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{url} answered {response.status}")
    return body


def timed(url, token, runs, before=None):
    for _ in range(3):  # warm-up
        get(url, token)
    samples = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        get(url, token)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def forget_positions():
    """No page position remembered (the server shares this cache)."""
    from django.core.cache import cache

    from config.positions import VERSION_KEY

    cache.set(VERSION_KEY, time.monotonic_ns(), None)


def deep_cursor_url(base, path, params, token):
    """The URL of page DEEP_PAGE reached by following `next` (None when there are fewer)."""
    url = f"{base}{path}?{urlencode(params)}"
    for _ in range(DEEP_PAGE - 1):
        url = json.loads(get(url, token))["next"]
        if url is None:
            return None
    return url


def queries_of(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    url = _setup.prepare(os.environ.get("DATABASE_URL", _setup.local_url("cp_bench_api")))
    os.environ["DATABASE_URL"] = url
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from accounts.models import User
    from groups.models import Group
    from search.group_indexes import update_group_indexes
    from search.recent_index import update_recent_index

    if args.reseed:
        with transaction.atomic(), connection.cursor() as cursor:
            group_ids = "(SELECT id FROM groups_group WHERE slug = %s)"
            for table in ("bookmarks_bookmark", "groups_membership"):
                cursor.execute(f"DELETE FROM {table} WHERE group_id IN {group_ids}", [SLUG])
            cursor.execute("DELETE FROM groups_group WHERE slug = %s", [SLUG])
            cursor.execute("DELETE FROM bookmarks_page WHERE url LIKE %s", [f"%.example/{SLUG}/%"])
    viewer, _ = User.objects.get_or_create(
        username=USERNAME, defaults={"email": f"{USERNAME}@example.org"}
    )
    token, _ = Token.objects.get_or_create(user=viewer)
    if not Group.objects.filter(slug=SLUG).exists():
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            seed(cursor, viewer.pk)
        seeded = time.perf_counter() - started
        with connection.cursor() as cursor:
            for table in ("bookmarks_bookmark", "bookmarks_page", "groups_membership"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        update_group_indexes()
        update_recent_index()
        print(
            f"seeded {BOOKMARKS:,} bookmarks in {seeded:.1f} s "
            f"(+ ANALYZE and indexes {time.perf_counter() - started - seeded:.1f} s)"
        )
    else:
        print("bench data already seeded (use --reseed to start again)")
    group = Group.objects.get(slug=SLUG)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t, count(*) FROM bookmarks_bookmark, unnest(tags) t WHERE group_id = %s "
            "GROUP BY t ORDER BY count(*) DESC",
            [group.pk],
        )
        tag_ranks = cursor.fetchall()
        cursor.execute(
            "SELECT word, ndoc FROM ts_stat($$SELECT search_vector FROM bookmarks_bookmark "
            "WHERE group_id = " + str(int(group.pk)) + "$$) WHERE ndoc BETWEEN 5 AND 30 "
            "AND length(word) > 5 ORDER BY ndoc DESC, word LIMIT 1"
        )
        rare, rare_docs = cursor.fetchone()
    common_tag = tag_ranks[2][0]
    print(f"tag {common_tag!r}: {tag_ranks[2][1]:,} items; rare word {rare!r}: {rare_docs} items")

    B = "/api/v1/bookmarks/"
    S = "/api/v1/search/"
    size = {"page_size": PER_PAGE}
    shapes = [
        ("list newest", B, {}),
        ("rare word", B, {"q": rare, "sort": "date"}),
        ("common word (travail)", B, {"q": "travail", "sort": "date"}),
        ("two words (travail numérique)", B, {"q": "travail numérique", "sort": "date"}),
        ("prefix numéri", B, {"q": "numéri", "sort": "date"}),
        (f"tag filter ({common_tag})", B, {"tag": common_tag}),
        (f"word + tag (travail, {common_tag})", B, {"q": "travail", "tag": common_tag, "sort": "date"}),
        ("word only in descriptions", B, {"q": "sérendipité", "sort": "date"}),
        ("relevance: common word", B, {"q": "travail"}),
        ("relevance: two words", B, {"q": "travail numérique"}),
        ("relevance: rare word", B, {"q": rare}),
        ("/search/ common word, relevance", S, {"q": "travail"}),
        ("/search/ common word, date", S, {"q": "travail", "sort": "date"}),
    ]  # fmt: skip

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port)
    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    cache.clear()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n{args.runs} timed requests a cell after 3 warm-ups, {PER_PAGE} items a page, ms;")
    print(f"gunicorn 2 sync workers, DEBUG off; load average {load} on {os.cpu_count()} CPUs")
    header = f"{'shape':44} {'page':>9} {'p50':>7} {'p95':>7} {'queries':>7}  p95<{GOAL_MS}"
    print(header)
    worst = worst_html = 0.0
    try:
        for label, path, params in shapes:
            params = {**params, **size}
            cells = [("1", f"{base}{path}?{urlencode(params)}")]
            deep = deep_cursor_url(base, path, params, token.key)
            if deep is not None:
                cells.append((f"{DEEP_PAGE} cursor", deep))
                numbered = f"{base}{path}?{urlencode({**params, 'page': DEEP_PAGE})}"
                # asked again (or after page 49), page=50 is read from its remembered key
                # (config.positions); cold: nothing remembered, the offset is walked
                cells.append((f"{DEEP_PAGE} page=", numbered))
                cells.append((f"{DEEP_PAGE} page=cold", numbered))
            for page, cell_url in cells:
                forget = forget_positions if page.endswith("cold") else None
                samples = timed(cell_url, token.key, args.runs, before=forget)
                n = queries_of(client, cell_url.removeprefix(base))
                high = p95(samples)
                worst = max(worst, high)
                flag = "ok" if high < GOAL_MS else "MISS"
                print(f"{label:44} {page:>9} {statistics.median(samples):7.1f} {high:7.1f} {n:7d}  {flag}", flush=True)  # fmt: skip
            if deep is None:
                print(f"{label:44} {DEEP_PAGE:>9} {'— fewer than 50 pages':>24}")
        # the group's library page (20 a page), as a signed-in member's browser asks for it
        browser = Client(HTTP_HOST="localhost")
        browser.force_login(viewer)
        cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={browser.session.session_key}"}
        library = group.get_absolute_url()
        for label, query in (
            ("HTML library page", {}),
            ("HTML library page, q=travail", {"q": "travail"}),
        ):
            for page in (1, DEEP_PAGE):
                path = f"{library}?{urlencode({**query, 'page': page})}"
                samples = timed(f"{base}{path}", cookie, args.runs)
                n = queries_of(browser, path)
                high = p95(samples)
                worst_html = max(worst_html, high)
                flag = "ok" if high < HTML_GOAL_MS else "MISS"
                print(f"{label:44} {page:>9} {statistics.median(samples):7.1f} {high:7.1f} {n:7d}  {flag} (<{HTML_GOAL_MS})", flush=True)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=10)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\nworst p95: API {worst:.1f} ms (goal < {GOAL_MS} ms), HTML {worst_html:.1f} ms "
        f"(goal < {HTML_GOAL_MS} ms); load average now: {load}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
