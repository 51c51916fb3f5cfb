"""Commonplace on several machines, proven on this one (make scale-test; tests/scale/cluster.py).

Each scenario prints a line of figures ("[scenario] ...").
"""

import csv
import io
import json
import re
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
from celery import Celery

from .cluster import BIN, BOOKMARKS, BOUNCER, PRIMARY, REPLICA, VAR, pg, wait_for
from .conftest import login, web

NETSCAPE = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE><H1>Bookmarks</H1><DL><p>
{items}
</DL><p>
"""


def report(scenario, figures):
    print(f"\n[scenario] {scenario}: {figures}", flush=True)


def primary(sql, params=None):
    with pg(PRIMARY) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def replica_scans():
    """Scans of the bookmarks table the replica itself served (its own statistics)."""
    with pg(REPLICA) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables "
            "WHERE relname = 'bookmarks_bookmark'"
        ).fetchone()
    return row[0]


def test_two_migrates_at_once_both_succeed_and_record_each_migration_once(cluster):
    (first, first_s, first_out), (second, second_s, second_out) = cluster.migrations
    assert (first, second) == (0, 0), first_out + second_out
    duplicates = primary(
        "SELECT app, name, count(*) FROM django_migrations GROUP BY 1, 2 HAVING count(*) > 1"
    )
    assert duplicates == []
    applied = primary("SELECT count(*) FROM django_migrations")[0][0]
    # one of them applied everything, the other waited for the lock and found nothing to do
    assert "No migrations to apply" in first_out + second_out
    report(
        "two migrates at once",
        f"exit codes {first}, {second}; {first_s:.1f} s and {second_s:.1f} s; "
        f"{applied} migrations recorded, 0 duplicates",
    )


def test_an_import_uploaded_on_web_1_runs_on_worker_2_and_the_session_works_on_web_2(
    cluster, alice
):
    control = Celery(broker=cluster.env()["CELERY_BROKER_URL"])
    # worker 1 stops taking jobs of the default queue: only worker 2 can run the import
    control.control.cancel_consumer("default", destination=["w1@scale"], reply=True, timeout=5)
    try:
        items = "\n".join(
            f'<DT><A HREF="https://import-{n}.scale.invalid/" ADD_DATE="1700000000">Import {n}</A>'
            for n in range(25)
        )
        alice.get(f"{web(1)}/import/")
        response = alice.post(
            f"{web(1)}/import/",
            data={"csrfmiddlewaretoken": alice.cookies["csrftoken"], "destination": ""},
            files={"file": ("bookmarks.html", NETSCAPE.format(items=items).encode(), "text/html")},
        )
        assert response.status_code == 302, response.text[:500]
        job_id = int(re.search(r"/import/(\d+)/", response.headers["location"]).group(1))
        # the upload shows a preview first; Confirm queues the job
        response = alice.post(
            f"{web(1)}/import/{job_id}/confirm",
            data={"csrfmiddlewaretoken": alice.cookies["csrftoken"]},
        )
        assert response.status_code == 302, response.text[:500]
        job_path = response.headers["location"]

        def finished():
            rows = primary(
                "SELECT status, created FROM bookmarks_importjob WHERE id = %s", [job_id]
            )
            return rows and rows[0][0] in ("done", "failed") and rows[0]

        status, created = wait_for(finished, "the import job", timeout=60)
        page = alice.get(f"{web(2)}{job_path}")  # the same session, the other web server
    finally:
        control.control.add_consumer("default", destination=["w1@scale"], reply=True, timeout=5)
    assert (status, created) == ("done", 25)
    assert page.status_code == 200 and "bookmarks.html" in page.text
    ran_on = [
        name
        for name in ("worker1", "worker2")
        if re.search(r"Task transfer\.tasks\.run_import\[.*\] succeeded", cluster.log_of(name))
    ]
    assert ran_on == ["worker2"]
    report(
        "import across hosts",
        f"uploaded on web1, run on {ran_on[0]} ({created} bookmarks), job page on web2: "
        f"HTTP {page.status_code}",
    )


def test_reads_go_to_the_replica_and_a_writer_reads_its_own_write(cluster, alice):
    before = replica_scans()
    with httpx.Client(timeout=30) as anonymous:
        for number in (1, 2):
            assert anonymous.get(f"{web(number)}/g/bigco/").status_code == 200
            assert (
                anonymous.get(f"{web(number)}/search/", params={"q": "travail"}).status_code == 200
            )
    served = wait_for(lambda: replica_scans() - before or None, "replica statistics", timeout=10)

    # Freeze the replica: what is saved now is on the primary only.
    with pg(REPLICA) as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
    try:
        alice.get(f"{web(1)}/save")
        response = alice.post(
            f"{web(1)}/save",
            data={
                "csrfmiddlewaretoken": alice.cookies["csrftoken"],
                "url": "https://fresh.scale.invalid/",
                "title": "Freshly saved zorglub",
                "destination": "me",
            },
        )
        assert response.status_code in (200, 302), response.text[:500]
        assert "cp_primary" in alice.cookies
        mine = alice.get(f"{web(2)}/u/alice/")  # pinned: read from the primary
        with httpx.Client(timeout=30) as anonymous:
            theirs = anonymous.get(f"{web(2)}/u/alice/")  # not pinned: the (frozen) replica
    finally:
        with pg(REPLICA) as conn:
            conn.execute("SELECT pg_wal_replay_resume()")
    assert "Freshly saved zorglub" in mine.text
    assert "Freshly saved zorglub" not in theirs.text
    with httpx.Client(timeout=30) as anonymous:
        caught_up = wait_for(
            lambda: "Freshly saved zorglub" in anonymous.get(f"{web(1)}/u/alice/").text,
            "the replica to catch up",
            timeout=20,
        )
    assert caught_up
    report(
        "replica reads",
        f"{served} scans of bookmarks on the replica for 4 anonymous pages; after a save the "
        "writer saw it on web2 (pinned), an anonymous reader did not until replay resumed",
    )


def test_six_parallel_exports_through_pgbouncer_are_complete_and_identical(cluster):
    def export(number):
        with httpx.Client(timeout=120) as client:
            login(client, server=1 + number % 2)
            started = time.monotonic()
            response = client.get(
                f"{web(1 + number % 2)}/export/download",
                params={"format": "json", "group": "bigco"},
            )
            return response.status_code, response.text, time.monotonic() - started

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(export, range(6)))
    counts, urls = [], []
    for status, body, _seconds in results:
        assert status == 200, body[:300]
        items = json.loads(body)["bookmarks"]
        counts.append(len(items))
        urls.append(sorted(item["url"] for item in items))
    assert counts == [BOOKMARKS] * 6
    assert all(u == urls[0] for u in urls) and len(set(urls[0])) == BOOKMARKS
    # pgbouncer's admin console speaks the simple query protocol only: ask through psql
    shown = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(BOUNCER), "-U", "postgres", "-d", "pgbouncer"]
        + ["--csv", "-c", "SHOW POOLS"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pools = {row["database"]: row for row in csv.DictReader(io.StringIO(shown))}
    # many clients shared few server connections: the exports really went through the pooler
    assert "commonplace_replica" in pools
    slowest = max(seconds for *_, seconds in results)
    report(
        "six exports through pgbouncer",
        f"{counts} bookmarks, identical; slowest {slowest:.2f} s; pgbouncer pool_mode "
        f"{pools['commonplace_replica'].get('pool_mode', '?')}, 4 server connections a database",
    )


class _Site(BaseHTTPRequestHandler):
    hits: dict

    def do_GET(self):
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        alive = self.path.startswith("/alive/")
        self.send_response(200 if alive else 404)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<title>Alive</title>" if alive else b"gone")

    def log_message(self, *args):
        pass


def test_two_beats_queue_each_periodic_job_once(cluster):
    hits = {}
    _Site.hits = hits
    site = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{site.server_port}"
    pending, dead = 30, 20
    primary(
        "INSERT INTO bookmarks_page (url, url_hash, title, description, site_name, language,"
        " favicon_url, canonical_url, content_type, text, fetch_status, fetch_error,"
        " final_url, link_failures, created_at) SELECT %s || '/alive/' || n, md5('alive' || n),"
        " '', '', '', '', '', '', '', '', 'pending', '', '', 0, now() - interval '1 hour'"
        " FROM generate_series(1, %s) n"
        " UNION ALL SELECT %s || '/dead/' || n, md5('dead' || n), '', '', '', '', '', '', '', '',"
        " 'ok', '', '', 0, now() FROM generate_series(1, %s) n RETURNING id",
        [base, pending, base, dead],
    )
    # the seeded pages' links were "checked" already: only the 20 dead ones are due
    primary("UPDATE bookmarks_page SET link_checked_at = now() WHERE url LIKE 'https://%%'")
    try:
        for number in (1, 2):
            cluster.spawn(
                f"beat{number}",
                [BIN / "celery", "-A", "config", "beat", "-l", "INFO"]
                + ["-s", str(VAR / f"beat{number}-schedule")],
            )

        def done():
            rows = primary(
                "SELECT count(*) FILTER (WHERE url LIKE '%%/alive/%%' AND fetch_status = 'ok'),"
                " count(*) FILTER (WHERE url LIKE '%%/dead/%%' AND link_checked_at IS NOT NULL)"
                " FROM bookmarks_page"
            )
            return rows[0] == (pending, dead)

        wait_for(done, "the first periodic slot's work", timeout=60)
        time.sleep(2)  # anything queued twice would arrive now
    finally:
        for number in (1, 2):
            cluster.stop_process(f"beat{number}")
        site.shutdown()
    logs = [cluster.log_of(f"beat{number}") for number in (1, 2)]
    sent = [log.count("Sending due task") for log in logs]
    skipped = [log.count("already sent by another beat") for log in logs]
    alive_hits = [hits.get(f"/alive/{n}", 0) for n in range(1, pending + 1)]
    dead_hits = [hits.get(f"/dead/{n}", 0) for n in range(1, dead + 1)]
    failures = primary(
        "SELECT link_failures, count(*) FROM bookmarks_page WHERE url LIKE '%%/dead/%%' GROUP BY 1"
    )
    assert set(alive_hits) == {1}, alive_hits
    assert set(dead_hits) == {1}, dead_hits
    assert failures == [(1, dead)]
    assert sum(skipped) >= 1 and sum(sent) >= 4
    report(
        "two beats",
        f"sends per beat {sent}, slots left to the other beat {skipped}; {pending} pending pages "
        f"fetched once each, {dead} dead links checked once and counted once",
    )


def test_two_index_builds_at_once_leave_exactly_one_valid_index(cluster):
    group_id = primary("SELECT id FROM groups_group WHERE slug = 'bigco'")[0][0]
    started = time.monotonic()
    with pg(PRIMARY) as writer:
        # A writer's open transaction holds the first build (CREATE INDEX CONCURRENTLY waits
        # for it) while the second one starts, so the two really overlap.
        writer.execute("BEGIN")
        writer.execute(
            "UPDATE bookmarks_bookmark SET view_count = view_count WHERE id = "
            "(SELECT min(id) FROM bookmarks_bookmark)"
        )
        builds = [cluster.manage("search_group_indexes", "--min", "1000") for _ in range(2)]
        wait_for(
            lambda: any(b.poll() is not None for b in builds), "one build to give way", timeout=60
        )
        waiting = primary(
            "SELECT count(*) FROM pg_stat_activity WHERE query LIKE "
            "'CREATE INDEX CONCURRENTLY%%' AND wait_event_type = 'Lock'"
        )[0][0]
        writer.execute("COMMIT")
    outputs = [build.communicate(timeout=120)[0] for build in builds]
    seconds = time.monotonic() - started
    assert waiting == 1
    assert [build.returncode for build in builds] == [0, 0], outputs
    indexes = primary(
        "SELECT c.relname, i.indisvalid FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid"
        " WHERE i.indrelid = 'bookmarks_bookmark'::regclass"
        " AND c.relname LIKE 'bookmark_search_g%%'"
    )
    assert indexes == [(f"bookmark_search_g{group_id}", True)]
    skipped = sum("another process" in output for output in outputs)
    assert skipped == 1, outputs
    report(
        "two index builds at once",
        f"both exit 0 in {seconds:.1f} s, {skipped} skipped by the lock; indexes: {indexes}",
    )
