#!/usr/bin/env python
"""Import at scale: a 100,000-item Netscape bookmark file and a 20,000-row Diigo CSV with
highlights, timed end to end through the code the import job runs (detect, parse, validate,
merge, write, job bookkeeping). Goals on this machine: under 60 s and under 15 s.

    python bench/import.py                  # into cp_bench_import (created, migrated)
    python bench/import.py --items 10000    # a quick run (re-runs itself in .venv)
    python bench/import.py --items 0        # the Diigo file only (2 swapped rows, a NUL byte)
    python bench/import.py --drop           # drop the bench database at the end

Also times a second import of the same Netscape file (everything merges, nothing changes) and
parsing alone; --without-search-triggers shows what the search triggers cost. Figures only, no
assertions. The database is emptied (flush) before each run. Each line prints wall time, this
process's CPU time, its database session's CPU time (a server on this machine) and the load
average: on a shared machine, wall time is mostly waiting.
"""

import argparse
import csv
import io
import os
import random
import time
from datetime import UTC, datetime
from html import escape

import _setup

_setup.bootstrap()

WORDS = [
    "travail",
    "plateformes",
    "numérique",
    "économie",
    "micro-travail",
    "clic",
    "tâches",
    "algorithme",
    "livreurs",
    "chauffeurs",
    "indépendants",
    "salariés",
    "droit",
    "syndicat",
    "précarité",
    "«",
    "enquête",
    "»",
    "société",
    "données",
    "intelligence",
    "artificielle",
    "modération",
    "contenus",
    "recherche",
    "histoire",
    "politique",
    "coopérative",
    "work",
    "platform",
    "digital",
    "economy",
    "labor",
    "gig",
    "workers",
    "research",
    "data",
    "union",
    "strike",
    "law",
    "court",
]
TAGS = [
    "travail",
    "gig",
    "économie",
    "numérique",
    "uber",
    "plateformes",
    "droit",
    "syndicat",
    "algorithme",
    "sociologie",
    "data",
    "ia",
    "modération",
    "livraison",
    "europe",
    "histoire",
    "recherche",
    "politique",
    "capitalisme",
    "communs",
]
START = datetime(2005, 1, 1, tzinfo=UTC).timestamp()
END = datetime(2025, 1, 1, tzinfo=UTC).timestamp()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000, help="Netscape bookmarks")
    parser.add_argument("--rows", type=int, default=20_000, help="Diigo CSV rows")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", _setup.local_url("cp_bench_import")),
    )
    parser.add_argument("--drop", action="store_true", help="drop the bench database at the end")
    parser.add_argument(
        "--without-search-triggers",
        action="store_true",
        help="also time the Diigo import with triggers off (superuser; shows the triggers' "
        "share: new bookmarks get their search vectors from the INSERT itself, merged ones "
        "are left without)",
    )
    return parser.parse_args()


def sentence(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


def netscape_file(count, rng):
    """Folders of 500 bookmarks, two levels deep, as a browser writes them."""
    out = io.StringIO()
    out.write(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n"
        '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">\n'
        "<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n"
    )
    per_folder = 500
    for n in range(count):
        if n % per_folder == 0:
            if n:
                out.write("    </DL><p>\n")
            out.write(
                f"    <DT><H3>Dossier {n // per_folder} — {rng.choice(WORDS)}</H3>\n    <DL><p>\n"
            )
        tags = ",".join(rng.sample(TAGS, rng.randint(0, 4)))
        added = int(rng.uniform(START, END))
        private = ' PRIVATE="1"' if rng.random() < 0.2 else ""
        toread = ' TOREAD="1"' if rng.random() < 0.1 else ""
        out.write(
            f'        <DT><A HREF="https://site{n % 997}.example.org/articles/{n}/'
            f'{rng.choice(WORDS).strip("«»")}?id={n}&amp;utm_source=feed" ADD_DATE="{added}" '
            f'LAST_MODIFIED="{added + 3600}"{private}{toread} TAGS="{escape(tags)}">'
            f"{escape(sentence(rng, 8))}</A>\n"
        )
        if n % 2:
            out.write(f"        <DD>{escape(sentence(rng, 25))}\n")
    out.write("    </DL><p>\n</DL><p>\n")
    return out.getvalue().encode("utf-8")


def diigo_file(count, rng):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["title", "url", "tags", "description", "comments", "annotations", "created_at"]
    )
    for n in range(count):
        lines = []
        for h in range(rng.randint(1, 3)):
            lines.append(f"Highlight:{sentence(rng, 15)}")
            if h % 2 == 0:
                lines.append(f"Sticky notes:{sentence(rng, 6)}")
                if rng.random() < 0.3:
                    lines.append(sentence(rng, 5))  # a note on two lines
        created = datetime.fromtimestamp(int(rng.uniform(START, END)), tz=UTC)
        if n == count // 2:
            lines[0] += "\x00 (from a PDF)"  # a NUL byte inside a highlight
        title = f"{sentence(rng, 6)}, « {rng.choice(WORDS)} »"
        url = f"https://diigo{n % 499}.example.net/page/{n}"
        if n in (count // 3, 2 * count // 3):
            title, url = url, title  # as Diigo writes a few rows: title and address swapped
        writer.writerow(
            [
                title,
                url,
                ",".join(rng.sample(TAGS, rng.randint(1, 3))) if n % 10 else "no_tag",
                f'{sentence(rng, 12)}, "{rng.choice(WORDS)}"',
                sentence(rng, 8) if n % 5 == 0 else "",
                "\n".join(lines),
                created.strftime("%Y-%m-%d %H:%M:%S"),
            ]
        )
    return out.getvalue().encode("utf-8")


def database_cpu():
    """CPU seconds of this process's database session so far, when the server runs on this
    machine (read from /proc); None otherwise."""
    from django.db import connection

    connection.ensure_connection()
    try:
        with open(f"/proc/{connection.connection.info.backend_pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label, func):
    """Wall time, this process's CPU time and its database session's (on a shared machine the
    rest is waiting for a CPU: the load average is printed too)."""
    started, cpu, db_cpu = time.perf_counter(), time.process_time(), database_cpu()
    result = func()
    elapsed = time.perf_counter() - started
    db_now = database_cpu()
    db = f", {db_now - db_cpu:6.2f} s database CPU" if db_now is not None else ""
    print(
        f"{label:<50} {elapsed:7.2f} s wall, {time.process_time() - cpu:6.2f} s Python CPU"
        f"{db}, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    return result, elapsed


def main():
    args = parse_args()
    # no query log: bulk INSERTs of 2,000 rows would pile up in memory
    _setup.prepare(args.database_url, debug_queries=False)
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    from accounts.models import User
    from annotations.models import Highlight
    from bookmarks.models import Bookmark, Page
    from transfer import importers
    from transfer.services import start_import

    rng = random.Random(42)
    if not args.items:
        diigo, _ = timed(
            f"build Diigo CSV ({args.rows:,} rows, 2 swapped, a NUL byte)",
            lambda: diigo_file(args.rows, rng),
        )
        user = User.objects.create_user("bench-diigo")
        job, diigo_s = timed(
            "Diigo import, end to end",
            lambda: start_import(user, filename="diigo.csv", data=diigo, run_now=True),
        )
        print(
            f"  {job.status}: {job.total:,} rows, {job.created:,} new, {job.merged:,} merged, "
            f"{job.report.get('repaired', 0):,} repaired, {job.skipped:,} skipped, "
            f"{job.report.get('highlights', 0):,} highlights"
        )
        print(f"Diigo {args.rows:,} rows: {diigo_s:.1f} s (goal < 15 s for 20,000)")
        return
    netscape, _ = timed(
        f"build Netscape file ({args.items:,} items)", lambda: netscape_file(args.items, rng)
    )
    diigo, _ = timed(
        f"build Diigo CSV ({args.rows:,} rows with highlights)", lambda: diigo_file(args.rows, rng)
    )
    print(f"  sizes: Netscape {len(netscape) / 1e6:.1f} MB, Diigo {len(diigo) / 1e6:.1f} MB")
    timed("  parse Netscape only", lambda: importers.parse(netscape))
    timed("  parse Diigo only", lambda: importers.parse(diigo))

    alice = User.objects.create_user("bench-alice")
    bob = User.objects.create_user("bench-bob")

    def run(user, name, data):
        return lambda: start_import(user, filename=name, data=data, run_now=True)

    job, netscape_s = timed("Netscape import, end to end", run(alice, "bookmarks.html", netscape))
    print(f"  {job.status}: {job.created:,} new, {job.merged:,} merged, {job.skipped:,} skipped")
    job, again_s = timed(
        "Netscape import again (everything merges)", run(alice, "b.html", netscape)
    )
    print(
        f"  {job.status}: {job.created:,} new, {job.merged:,} merged, unchanged {job.report.get('unchanged', 0):,}"
    )
    job, diigo_s = timed("Diigo import, end to end", run(bob, "diigo.csv", diigo))
    print(
        f"  {job.status}: {job.created:,} new, {job.report.get('highlights', 0):,} highlights, "
        f"{job.report.get('comments', 0):,} comments"
    )
    if args.without_search_triggers:
        from django.db import connection

        carol = User.objects.create_user("bench-carol")
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            _job, bare_s = timed("Diigo import, search triggers off", run(carol, "d.csv", diigo))
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = origin")
        print(f"  search index maintenance: about {diigo_s - bare_s:.1f} s of {diigo_s:.1f} s")
    print(
        f"rows now: {Bookmark.objects.count():,} bookmarks, {Page.objects.count():,} pages, "
        f"{Highlight.objects.count():,} highlights"
    )
    print()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()}")
    print(f"Netscape {args.items:,} items: {netscape_s:.1f} s (goal < 60 s for 100,000)")
    print(f"Diigo {args.rows:,} rows:      {diigo_s:.1f} s (goal < 15 s for 20,000)")
    print(f"re-import (idempotent):   {again_s:.1f} s")
    if args.drop:
        _setup.drop_database(args.database_url)


if __name__ == "__main__":
    main()
