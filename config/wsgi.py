"""WSGI entry point for gunicorn.

Once the application is loaded (its URLconf imports every view, serializer and selector), the
objects that live as long as the process are moved out of the garbage collector's reach
(gc.freeze). Without it, every full collection walks those hundreds of thousands of objects:
a request that builds many rows (a page number walked from the start) paid 60–90 ms for it
every few requests, the p95 of bench/api.py's cold cells.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (imports the views now, before the freeze)
gc.collect()
gc.freeze()
