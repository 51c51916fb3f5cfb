"""Benchmark the workers: fetch throughput end to end, and re-anchoring after pages change.

    python bench/fetch.py [--pages 1000] [--concurrency 32] [--highlights-per-page 10]

1. A local HTTP server serves N article pages; N Pages are queued with fetch_page; one Celery
   worker process (threads pool) fetches, parses and stores them. Prints pages per second,
   from the first message queued to the last page stored.
2. 10 highlights per page are placed on the fetched text; 20% of the pages then change (a
   paragraph inserted at the top, a word changed inside some quotes, a quoted sentence
   removed) and every page's highlights are re-anchored. Prints the seconds and the statuses.

Uses its own database (BENCH_DATABASE_URL, default .../cp_bench_fetch, created and migrated)
and its own Redis db (BENCH_REDIS_URL, default redis://127.0.0.1:6379/5); starts and stops its
own worker.
"""

import argparse
import functools
import os
import random
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import _setup
from _setup import ROOT

_setup.bootstrap()

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", _setup.local_url("cp_bench_fetch"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
ENV = {
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CELERY_BROKER_URL": REDIS_URL,
    "CELERY_RESULT_BACKEND": REDIS_URL,
    "DEBUG": "1",
    "FETCH_ALLOWED_NETWORKS": "127.0.0.1/32",
    "LOG_LEVEL": "WARNING",
    "CELERY_TASK_ALWAYS_EAGER": "0",
}
os.environ.update(ENV)
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

WORDS = [
    "travail",
    "clic",
    "plateforme",
    "tâche",
    "micro-travailleurs",
    "centimes",
    "économie",
    "numérique",
    "données",
    "intelligence",
    "artificielle",
    "annotation",
    "image",
    "modération",
    "contenu",
    "salaire",
    "précarité",
    "enquête",
    "chercheurs",
    "sociologie",
    "France",
    "Madagascar",
    "entreprise",
    "algorithme",
    "apprentissage",
    "été",
    "déjà",
    "œuvre",
    "«",
    "revenu",
    "»",
    "complément",
    "heures",
    "semaine",
    "mission",
    "client",
]


def sentence(rng, n=None):
    words = [rng.choice(WORDS) for _ in range(n or rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


@functools.cache  # the server hands out fixed pages; build each once, not per request
def article(n):
    rng = random.Random(n)
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(3, 6))) for _ in range(12)]
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>"
        f"<title>Article {n} sur le travail du clic</title>"
        f"<meta name='description' content='Page {n} du banc d’essai.'></head><body>"
        f"<header><nav><a href='/'>Accueil</a></nav></header><article><h1>Article {n}</h1>"
        f"{body}</article><footer>Pied de page</footer><script>var x = {n};</script>"
        f"</body></html>"
    ).encode()


class Pages(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        try:
            n = int(self.path.rsplit("/", 1)[-1])
        except ValueError:
            self.send_error(404)
            return
        body = article(n)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def purge_queues():
    import redis

    redis.Redis.from_url(REDIS_URL).delete(
        "fetch", "default", "unacked", "unacked_index", "unacked_mutex"
    )


POOL = "threads"


def start_worker(concurrency):
    from config.celery import app

    name = f"cp-bench-fetch-{os.getpid()}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "fetch,default",
            f"--pool={POOL}",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"{name}@%h",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env={**os.environ},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("the worker exited")
        replies = app.control.ping(timeout=0.5) or []
        if any(name in key for reply in replies for key in reply):
            return process
    process.terminate()
    raise SystemExit("the worker did not start")


def stop_worker(process):
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def bench_fetch(n_pages, port, concurrency):
    from annotations.models import Highlight
    from bookmarks.models import Bookmark, Page
    from bookmarks.tasks import fetch_page
    from bookmarks.urlnorm import url_key

    Highlight.objects.all().delete()
    Bookmark.objects.all().delete()
    Page.objects.all().delete()
    pages = Page.objects.bulk_create(
        Page(
            url=f"http://127.0.0.1:{port}/p/{n}", url_hash=url_key(f"http://127.0.0.1:{port}/p/{n}")
        )
        for n in range(n_pages)
    )
    for n in range(n_pages):
        article(n)
    worker = start_worker(concurrency)
    try:
        started = time.perf_counter()
        for page in pages:
            fetch_page.delay(page.pk)
        queued = time.perf_counter() - started
        while True:
            left = Page.objects.filter(fetch_status="pending").count()
            if left == 0:
                break
            if time.perf_counter() - started > 600:
                print(f"  gave up with {left} pages still pending")
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    finally:
        stop_worker(worker)
    ok = Page.objects.filter(fetch_status="ok").count()
    print(
        f"fetch: {n_pages} pages, {ok} ok, one worker ({POOL} pool x{concurrency}): "
        f"{elapsed:.2f} s end to end ({queued:.2f} s to queue) -> {n_pages / elapsed:.1f} pages/s"
    )
    return ok


def bench_anchoring(per_page, changed_share=0.2):
    from django.utils import timezone

    from accounts.models import User
    from annotations.models import Highlight
    from annotations.services import reanchor_page
    from bookmarks.models import Bookmark, Page

    rng = random.Random(42)
    user, _ = User.objects.get_or_create(
        username="bench-reader", defaults={"email": "bench-reader@example.org"}
    )
    pages = list(Page.objects.filter(fetch_status="ok").exclude(text="").order_by("pk"))
    bookmarks = Bookmark.objects.bulk_create(
        Bookmark(page=p, owner=user, title="", created_at=timezone.now()) for p in pages
    )
    highlights = []
    for bookmark, page in zip(bookmarks, pages, strict=True):
        sentences = [s + "." for s in page.text.replace("\n\n", " ").split(". ") if len(s) > 30]
        for quote in rng.sample(sentences, min(per_page, len(sentences))):
            quote = quote.rstrip(".") + "."
            start = page.text.find(quote)
            if start < 0:
                continue
            end = start + len(quote)
            highlights.append(
                Highlight(
                    bookmark=bookmark,
                    author=user,
                    exact=quote,
                    prefix=page.text[max(0, start - 32) : start],
                    suffix=page.text[end : end + 32],
                    start=start,
                    end=end,
                    anchor_status="anchored",
                )
            )
    Highlight.objects.bulk_create(highlights, batch_size=1000)
    # 20% of the pages change: a paragraph on top, a word changed in some quotes, one removed.
    changed = rng.sample(pages, int(len(pages) * changed_share))
    by_page = {}
    for h in highlights:
        by_page.setdefault(h.bookmark.page_id, []).append(h)
    for page in changed:
        text = "Un nouveau paragraphe ajouté en tête de la page modifiée.\n\n" + page.text
        quotes = by_page.get(page.pk, [])
        for h in quotes[:3]:
            words = h.exact.split(" ")
            words[len(words) // 2] = "changé"
            text = text.replace(h.exact, " ".join(words), 1)
        if len(quotes) > 3:
            text = text.replace(quotes[3].exact, "", 1)
        page.text = text
    Page.objects.bulk_update(changed, ["text"], batch_size=500)
    from django.db import connection

    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would give
        cursor.execute("ANALYZE annotations_highlight; ANALYZE bookmarks_bookmark")
    started = time.perf_counter()
    totals = {}
    for page in pages:
        for status, count in reanchor_page(page.pk).items():
            totals[status] = totals.get(status, 0) + count
    elapsed = time.perf_counter() - started
    print(
        f"anchoring: {len(highlights)} highlights over {len(pages)} pages, "
        f"{len(changed)} changed: re-anchored in {elapsed:.2f} s "
        f"({len(highlights) / elapsed:.0f} highlights/s, one process) -> {totals}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--highlights-per-page", type=int, default=10)
    parser.add_argument("--pool", choices=["threads", "prefork"], default="threads")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--anchoring-only",
        action="store_true",
        help="skip the fetch part and re-use the pages fetched by an earlier run",
    )
    args = parser.parse_args()
    global POOL
    POOL = args.pool

    if args.serve:
        serve()
        return
    _setup.prepare(DATABASE_URL)
    if args.anchoring_only:
        from annotations.models import Highlight
        from bookmarks.models import Bookmark

        Highlight.objects.all().delete()
        Bookmark.objects.all().delete()
        bench_anchoring(args.highlights_per_page)
        return
    purge_queues()
    # The page server runs in its own process, so that it does not share a GIL with the
    # process that queues and measures.
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        port = int(server.stdout.readline())
        ok = bench_fetch(args.pages, port, args.concurrency)
        if ok and args.highlights_per_page:
            bench_anchoring(args.highlights_per_page)
    finally:
        server.terminate()
        server.wait()
        purge_queues()


def serve():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
