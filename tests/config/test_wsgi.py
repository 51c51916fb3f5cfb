"""The web process as gunicorn loads it (config.wsgi)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, sys
import config.wsgi
frozen = gc.get_freeze_count()
# the views are imported before the freeze: resolving a URL later adds none of them
import library.views, library.api, search.api
print(frozen, "library.views" in sys.modules)
"""


def test_the_loaded_application_is_kept_out_of_the_garbage_collectors_walks():
    """Everything loaded at start (views, serializers, selectors) is frozen, so a full
    collection during a request does not walk the whole application: without it, a request
    that builds thousands of rows paid 60–90 ms every few requests (bench/api.py's p95)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    frozen, views_loaded = int(out[0]), out[1] == "True"
    assert views_loaded
    assert frozen > 100_000  # without the freeze: 0
