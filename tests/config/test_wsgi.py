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
from django.template import engines
from django.utils.translation import trans_real
compiled = engines["django"].engine.template_loaders[0].get_template_cache
print(frozen, "library.views" in sys.modules, "library/group_library.html" in compiled,
      sorted(trans_real._translations))
"""


def test_a_worker_is_ready_and_what_it_loaded_is_kept_out_of_the_garbage_collectors_walks():
    """Everything loaded at start (views, templates, catalogues) is frozen, so a full
    collection during a request does not walk the whole application: without it, a request
    that builds thousands of rows paid 60–90 ms every few requests (bench/api.py's p95)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1"}
    out = (
        subprocess.run(
            [sys.executable, "-c", PROBE],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .split(maxsplit=3)
    )
    frozen, views_loaded, templates_compiled, languages = out
    assert views_loaded == "True"  # a new worker's first request imports nothing
    assert templates_compiled == "True"  # nor compiles the pages' templates
    assert languages == "['en', 'fr']"  # nor reads the catalogues
    assert int(frozen) > 100_000  # without the freeze: 0
