"""The cluster of tests/scale/cluster.py, started once for the scale scenarios (make scale-test)."""

import subprocess
import sys

import httpx
import pytest

from .cluster import ROOT, WEB, Cluster

PASSWORD = "correct horse battery"  # tests.factories.UserFactory's


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/scale/" in str(item.fspath):
            item.add_marker(pytest.mark.scale)


@pytest.fixture(scope="session")
def cluster():
    cluster = Cluster()
    try:
        cluster.start()
        seed = subprocess.run(
            [sys.executable, "-m", "tests.scale.seed"],
            cwd=ROOT,
            env=cluster.env(DATABASE_URL=cluster.env()["DATABASE_DIRECT_URL"]),
            capture_output=True,
            text=True,
        )
        assert seed.returncode == 0, seed.stdout + seed.stderr
        yield cluster
    finally:
        cluster.stop()


def web(number):
    return f"http://127.0.0.1:{WEB[number - 1]}"


def login(client, *, username="alice", server=1):
    client.get(f"{web(server)}/accounts/login/")
    response = client.post(
        f"{web(server)}/accounts/login/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"],
        },
    )
    assert response.status_code == 302, response.text[:500]
    return client


@pytest.fixture
def alice(cluster):
    with httpx.Client(timeout=60) as client:
        yield login(client)
