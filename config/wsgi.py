"""WSGI entry point for gunicorn.

Once the application is loaded, each worker gets ready before its first request: the URLconf
imports every view, serializer and selector, the project's templates are compiled, and the
translation catalogues are read (otherwise the first requests a new worker answers, after
every deployment, pay for all of it). Then the objects that live as long as the process are
moved out of the garbage collector's reach (gc.freeze): without it, every full collection
walks those hundreds of thousands of objects, and a request that builds many rows (a page
number walked from the start) paid 60–90 ms for it every few requests, the p95 of
bench/api.py's cold cells.
"""

import gc
import os
from pathlib import Path

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _ready():
    get_resolver().url_patterns  # noqa: B018 (imports the views)
    for engine in engines.all():
        for folder in map(Path, engine.dirs):
            for path in sorted(folder.rglob("*.html")):
                engine.get_template(str(path.relative_to(folder)))
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Library")


_ready()
gc.collect()
gc.freeze()
