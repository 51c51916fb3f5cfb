"""The set-up a newcomer meets: the README stays true, the demo loads once, dev.py works."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from annotations.models import Comment, Highlight
from bookmarks.models import Bookmark, Page
from groups.models import Group, Membership
from groups.permissions import permission_table

ROOT = Path(__file__).resolve().parent.parent


def render_permission_table():
    rows = permission_table()
    roles = list(rows[0][1])
    lines = [
        "| action | " + " | ".join(str(r) for r in roles) + " |",
        "| --- |" + " --- |" * len(roles),
    ]
    for label, allowed in rows:
        cells = " | ".join("yes" if allowed[r] else "no" for r in roles)
        lines.append(f"| {label} | {cells} |")
    return "\n".join(lines)


def test_readme_role_table_matches_the_permission_module():
    readme = (ROOT / "README.md").read_text()
    found = re.search(
        r"<!-- permission-table[^>]*-->\n(.*?)\n<!-- /permission-table -->", readme, re.S
    )
    assert found, "README.md lost its <!-- permission-table --> block"
    expected = render_permission_table()
    assert found.group(1).strip() == expected, f"Paste this table into README.md:\n{expected}"


def test_readme_documents_every_environment_variable_the_settings_read():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    names = set(
        re.findall(
            r'(?:environ\.get|environ\[|env_bool|env_list)\(?\s*"([A-Z_]+)"', settings_source
        )
    )
    names -= {"ALLOW_DEV_SECRET_KEY"}  # an escape hatch for tooling, not a deployment knob
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f"document these in the README configuration table: {missing}"


def test_readme_gives_exactly_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_demo_has_a_public_open_group_with_every_role(demo):
    group = Group.objects.get(slug="tictravail")
    assert group.name == "Tic&Travail"
    assert group.visibility == "public" and group.join_policy == "open"
    roles = set(Membership.objects.filter(group=group).values_list("role", flat=True))
    assert roles == {"owner", "admin", "moderator", "member"}
    assert Bookmark.objects.filter(group=group).count() >= 20


def test_demo_pages_are_already_fetched_so_it_needs_no_internet(demo):
    assert not Page.objects.exclude(fetch_status=Page.FetchStatus.OK).exists()
    assert all(page.text and page.title for page in Page.objects.all())


def test_demo_holds_the_spam_comment_and_shows_the_others(demo):
    held = Comment.objects.filter(status="held")
    assert held.count() == 1 and "casino" in held.get().body.lower()
    assert Comment.objects.filter(status="visible").count() >= 3
    assert Highlight.objects.count() >= 3


def test_demo_private_group_has_a_member_and_stays_hidden_from_visitors(demo, client):
    private = Group.objects.get(visibility="private")
    assert private.memberships.exclude(role="owner").exists()
    home = client.get("/")
    assert "Tic&amp;Travail" in home.text
    assert private.name not in home.text
    assert client.get(f"/g/{private.slug}/").status_code == 404


def test_loading_the_demo_twice_adds_nothing(demo):
    counts = [m.objects.count() for m in (Group, Membership, Bookmark, Page, Comment, Highlight)]
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    again = [m.objects.count() for m in (Group, Membership, Bookmark, Page, Comment, Highlight)]
    assert again == counts


def test_demo_accounts_log_in_with_the_printed_password(demo, client):
    from library.management.commands.load_demo import DEMO_PASSWORD

    assert client.login(username="camille", password=DEMO_PASSWORD)


def run_dev(*args, **env):
    return subprocess.run(
        [sys.executable, "scripts/dev.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_dev_services_prefers_the_urls_from_the_environment():
    result = run_dev(
        "services",
        DATABASE_URL="postgres://someone@db.example:5433/x",
        REDIS_URL="redis://cache.example:6380/3",
    )
    assert result.returncode == 0, result.stderr
    assert "DATABASE_URL=postgres://someone@db.example:5433/x" in result.stdout
    assert "REDIS_URL=redis://cache.example:6380/3" in result.stdout


def test_dev_without_a_command_prints_its_usage():
    result = run_dev()
    assert result.returncode == 2
    assert "dev.py run" in result.stdout


@pytest.fixture
def dev(monkeypatch):
    """scripts/dev.py as a module, with services and pytest replaced by recorders."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("dev", ROOT / "scripts" / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    class FakeServices:
        def __init__(self, *args):
            pass

        def close(self):
            pass

    module.calls = []
    module.exit_code = 0

    def fake_pytest(services, argv):
        module.calls.append(argv)
        return module.exit_code

    monkeypatch.setattr(module, "Services", FakeServices)
    monkeypatch.setattr(module, "run_pytest", fake_pytest)
    return module


def test_make_test_deselects_fuzz_and_scale_tests_but_keeps_an_explicit_marker(dev):
    dev.cmd_test(["tests/groups", "-x"])
    dev.cmd_test(["-m", "e2e"])
    assert dev.calls == [["-m", "not fuzz and not scale", "tests/groups", "-x"], ["-m", "e2e"]]


def test_make_fuzz_succeeds_with_no_fuzz_tests(dev, tmp_path, monkeypatch):
    monkeypatch.setattr(dev, "ROOT", tmp_path)
    assert dev.cmd_fuzz([]) == 0
    assert dev.calls == []  # no tests/fuzz folder: pytest is not even started
    (tmp_path / "tests" / "fuzz").mkdir(parents=True)
    (tmp_path / "tests" / "fuzz" / "test_x.py").write_text("")
    dev.exit_code = 5  # pytest: no tests collected (none marked fuzz)
    assert dev.cmd_fuzz([]) == 0
    dev.exit_code = 1
    assert dev.cmd_fuzz([]) == 1
    assert dev.calls[0][:3] == ["-m", "fuzz", "tests/fuzz"]


def test_the_lockfiles_pin_every_dependency_pyproject_names():
    """uv.lock (uv sync --frozen) and requirements.lock (pip's fallback) agree with
    pyproject.toml: a dependency changed without `make lock` fails here, not on a new machine."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted += extra
    lock = tomllib.loads((root / "uv.lock").read_text())
    locked = {p["name"]: p.get("version") for p in lock["package"]}
    exported = dict(
        re.findall(
            r"^([A-Za-z0-9_.-]+)==([^ \\\n]+)", (root / "requirements.lock").read_text(), re.M
        )
    )
    normalize = lambda name: re.sub(r"[-_.]+", "-", name).lower()  # noqa: E731
    locked = {normalize(k): v for k, v in locked.items()}
    exported = {normalize(k): v for k, v in exported.items()}
    for requirement in wanted:
        name, version = re.match(
            r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;]+)", requirement
        ).groups()
        assert locked.get(normalize(name)) == version, f"uv.lock: {name} is not {version}"
        assert exported.get(normalize(name)) == version, (
            f"requirements.lock: {name} is not {version}"
        )
    assert len(exported) >= len(wanted) + 20, "requirements.lock should hold transitive pins too"


def test_make_run_points_site_url_at_the_served_port(dev, monkeypatch):
    environ = {"PORT": "8101"}
    assert dev.run_defaults(environ)[1:] == ("127.0.0.1", 8101)
    assert environ["SITE_URL"] == "http://127.0.0.1:8101"
    # the settings, the bookmarklet and the Atom ids read it
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from accounts.templatetags.bookmarklet import bookmarklet_code; "
        "from library.feeds import absolute; "
        "print(settings.SITE_URL); print('8101' in bookmarklet_code()); print(absolute('/b/1/'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:8101", "True", "http://127.0.0.1:8101/b/1/"]
    explicit = {"PORT": "8101", "SITE_URL": "https://bookmarks.example"}
    dev.run_defaults(explicit)
    assert explicit["SITE_URL"] == "https://bookmarks.example"


def test_make_run_restarts_a_killed_worker_and_keeps_the_web_server(dev):
    import signal

    env = dict(os.environ)
    sleeper = ["sleep", "60"]
    processes = [dev.start("worker", sleeper, env), dev.start("web", sleeper, env)]
    try:
        worker, web = processes[0][1], processes[1][1]
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(5)
        dev.supervise(processes, {"worker": sleeper}, env)
        names = {name: process for name, process in processes}
        assert names["web"] is web and web.poll() is None
        assert names["worker"] is not worker and names["worker"].poll() is None
        os.kill(web.pid, signal.SIGKILL)
        web.wait(5)
        with pytest.raises(SystemExit, match="web exited"):
            dev.supervise(processes, {"worker": sleeper}, env)
    finally:
        dev.stop_all(processes, grace=2)
