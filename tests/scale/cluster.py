"""A throwaway several-machine Commonplace on this one machine, for `make scale-test`.

PostgreSQL primary (5541) and a streaming replica (5542) made by initdb and pg_basebackup under
var/scale, run as the `postgres` system user when we are root; pgbouncer in transaction mode
(6441) in front of both; a Redis of its own (6401) with one database per role; two gunicorn
web servers (8441, 8442), two Celery workers with their own host names; beats on demand. The
app is configured exactly as a deployment would be: DATABASE_POOL=pgbouncer,
DATABASE_DIRECT_URL, DATABASE_REPLICA_URLS, CELERY_BROKER_URL / CELERY_RESULT_BACKEND /
CACHE_URL. Everything is stopped and var/scale removed afterwards.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "scale"
BIN = Path(sys.executable).parent
PG_BIN = Path(
    os.environ.get(
        "PG_BIN",
        sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)[-1]
        if Path("/usr/lib/postgresql").exists()
        else "/usr/bin",
    )
)
PRIMARY, REPLICA, BOUNCER, REDIS = 5541, 5542, 6441, 6401
WEB = (8441, 8442)
DB = "commonplace"
BOOKMARKS = 3020  # in the seeded group (tests/scale/seed.py)
AS_ROOT = os.geteuid() == 0
SYSTEM_USER = "postgres"


def log(message):
    print(f"[scale] {message}", flush=True)


def answers(port, timeout=0.3):
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout):
        return True
    return False


def wait_for(predicate, what, timeout=60.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise RuntimeError(f"{what}: not within {timeout}s")


def as_system_user(argv):
    """argv run as the postgres system user when we are root (the servers refuse root)."""
    return ["runuser", "-u", SYSTEM_USER, "--", *map(str, argv)] if AS_ROOT else list(argv)


def run(argv, **kwargs):
    result = subprocess.run(as_system_user(argv), capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed: {result.stdout}{result.stderr}")
    return result


def pg(port, dbname=DB):
    return psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname=dbname, autocommit=True
    )


class Cluster:
    def __init__(self):
        self.processes = {}
        self.servers = []  # data directories started with pg_ctl
        self.migrations = []  # (exit code, seconds, output) of the two migrates at once

    # --- infrastructure -------------------------------------------------------------------

    def env(self, **extra):
        bouncer = f"postgres://postgres@127.0.0.1:{BOUNCER}"
        redis = f"redis://127.0.0.1:{REDIS}"
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_"))},
            "DEBUG": "1",
            "DATABASE_URL": f"{bouncer}/{DB}",
            "DATABASE_POOL": "pgbouncer",
            "DATABASE_DIRECT_URL": f"postgres://postgres@127.0.0.1:{PRIMARY}/{DB}",
            "DATABASE_REPLICA_URLS": f"{bouncer}/{DB}_replica",
            "REDIS_URL": f"{redis}/0",
            "CELERY_BROKER_URL": f"{redis}/1",
            "CELERY_RESULT_BACKEND": f"{redis}/2",
            "CACHE_URL": f"{redis}/3",
            "FETCH_ALLOWED_NETWORKS": "127.0.0.1/32",
            "FETCH_TIMEOUT": "2",
            "FETCH_SITE_BURST": "1000",
            "PERIODIC_SECONDS": "20",
            "SEARCH_GROUP_INDEX_MIN": "1000000",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    def start(self):
        for port in (PRIMARY, REPLICA, BOUNCER, REDIS, *WEB):
            if answers(port):
                raise RuntimeError(f"port {port} is taken: is another scale test running?")
        shutil.rmtree(VAR, ignore_errors=True)
        VAR.mkdir(parents=True)
        if AS_ROOT:
            shutil.chown(VAR, SYSTEM_USER, SYSTEM_USER)
        started = time.monotonic()
        self._start_postgres()
        self._start_pgbouncer()
        self.spawn(
            "redis",
            ["redis-server", "--port", REDIS, "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
        )
        wait_for(lambda: answers(REDIS), "redis")
        self._migrate_twice_at_once()
        for number, port in enumerate(WEB, start=1):
            self.spawn(
                f"web{number}",
                [BIN / "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"]
                + ["--timeout", "60", "--access-logfile", "-"],
            )
        for number in (1, 2):
            self.spawn(
                f"worker{number}",
                [BIN / "celery", "-A", "config", "worker", "-n", f"w{number}@scale"]
                + ["-Q", "default,fetch", "--pool=threads", "-c", "4", "-l", "INFO"]
                + ["--without-gossip", "--without-mingle"],
            )
        for port in WEB:
            wait_for(lambda port=port: answers(port), f"web on {port}")
        wait_for(
            lambda: self.log_has("worker1", "ready") and self.log_has("worker2", "ready"), "workers"
        )
        log(f"cluster up in {time.monotonic() - started:.1f} s")

    def _start_postgres(self):
        primary, replica = VAR / "primary", VAR / "replica"
        run(
            [PG_BIN / "initdb", "-D", primary, "-A", "trust", "-U", "postgres", "--no-sync"]
            + ["-E", "UTF8", "--locale=C.UTF-8"]
        )
        settings = ["-c listen_addresses=127.0.0.1", f"-k {VAR}", "-c wal_level=replica"]
        settings += ["-c max_wal_senders=5", "-c fsync=off", "-c timezone=UTC"]
        settings += ["-c shared_buffers=64MB", "-c max_connections=100"]
        self._pg_ctl_start(primary, PRIMARY, settings)
        run(
            [PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", PRIMARY, "-U", "postgres"]
            + ["-D", replica, "-R", "-X", "stream"]
        )
        self._pg_ctl_start(replica, REPLICA, [*settings, "-c hot_standby=on"])
        with pg(PRIMARY, "postgres") as conn:
            conn.execute(f"CREATE DATABASE {DB}")
        wait_for(lambda: self._replica_has_database(), "the replica to receive the database")

    def _pg_ctl_start(self, data, port, settings):
        options = " ".join([f"-p {port}", *settings])
        run(
            [PG_BIN / "pg_ctl", "-D", data, "-o", options, "-l", VAR / f"{data.name}.log"]
            + ["-w", "start"]
        )
        self.servers.append(data)

    def _replica_has_database(self):
        with contextlib.suppress(psycopg.Error), pg(REPLICA, DB) as conn:
            return conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]
        return False

    def _start_pgbouncer(self):
        (VAR / "userlist.txt").write_text('"postgres" ""\n')
        (VAR / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"{DB} = host=127.0.0.1 port={PRIMARY} dbname={DB}\n"
            f"{DB}_replica = host=127.0.0.1 port={REPLICA} dbname={DB}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {BOUNCER}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {VAR}/userlist.txt\n"
            "pool_mode = transaction\nmax_client_conn = 400\nadmin_users = postgres\n"
            # few server connections for many clients: sessions really are shared
            "default_pool_size = 4\nreserve_pool_size = 0\n"
            "ignore_startup_parameters = extra_float_digits,options\n"
        )
        if AS_ROOT:
            for name in ("userlist.txt", "pgbouncer.ini"):
                shutil.chown(VAR / name, SYSTEM_USER, SYSTEM_USER)
        pgbouncer = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        self.spawn("pgbouncer", as_system_user([pgbouncer, VAR / "pgbouncer.ini"]))
        wait_for(lambda: answers(BOUNCER), "pgbouncer")

    def _migrate_twice_at_once(self):
        """The first scenario happens while setting up: two releases' migrate jobs at once."""
        started = time.monotonic()
        runs = [
            subprocess.Popen(
                [sys.executable, "manage.py", "migrate", "--noinput"],
                cwd=ROOT,
                env=self.env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        ended = {}
        while len(ended) < len(runs):
            for number, process in enumerate(runs):
                if number not in ended and process.poll() is not None:
                    ended[number] = time.monotonic() - started
            time.sleep(0.05)
            if time.monotonic() - started > 300:
                raise RuntimeError("the migrates did not end within 300 s")
        for number, process in enumerate(runs):
            output = process.stdout.read()
            process.stdout.close()
            self.migrations.append((process.returncode, ended[number], output))
        log(
            "two migrates: " + ", ".join(f"exit {c} after {s:.1f} s" for c, s, _ in self.migrations)
        )

    # --- processes ------------------------------------------------------------------------

    def spawn(self, name, argv, **env):
        out = open(VAR / f"{name}.log", "w")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(
            [str(a) for a in argv],
            cwd=ROOT,
            env=self.env(**env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = (process, out)
        return process

    def stop_process(self, name):
        process, out = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)
        out.close()

    def log_of(self, name):
        return (VAR / f"{name}.log").read_text(errors="replace")

    def log_has(self, name, text):
        return text in self.log_of(name)

    def manage(self, *args, **env):
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def stop(self):
        for name in list(self.processes)[::-1]:
            self.stop_process(name)
        for data in self.servers[::-1]:
            with contextlib.suppress(RuntimeError):
                run([PG_BIN / "pg_ctl", "-D", data, "stop", "-m", "fast", "-w"])
        self.servers.clear()
        if not os.environ.get("SCALE_KEEP"):
            shutil.rmtree(VAR, ignore_errors=True)
