"""{% bookmarklet_href %} and {% annotate_bookmarklet_href %}: the "Save to Commonplace" and
"Annotate with Commonplace" bookmarklets as javascript: URLs.

The readable source is static/js/bookmarklet.js; here its comments and line breaks go, and
the site's address (settings.SITE_URL) goes in, so the bookmarklet opens this installation.
"""

import functools
import json
import re
from urllib.parse import quote

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.translation import gettext

register = template.Library()

_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SPACES_AROUND = re.compile(r"\s*([{}()\[\];,=+:<>!?&|])\s*")


@functools.cache
def _source(name="js/bookmarklet.js"):
    with open(finders.find(name), encoding="utf-8") as handle:
        code = _BLOCK_COMMENT.sub("", handle.read())
    lines = (line.strip() for line in code.splitlines())
    return " ".join(line for line in lines if line)


def bookmarklet_code(site_url=None, name="js/bookmarklet.js", values=None):
    """The source `name` on one line, with "__SITE_URL__" (and each "__KEY__" of `values`)
    replaced by a JSON literal."""
    site = (site_url or settings.SITE_URL).rstrip("/")
    code = _source(name).replace('"__SITE_URL__"', json.dumps(site))
    for key, value in (values or {}).items():
        code = code.replace(f'"__{key}__"', json.dumps(value))
    # Fold spaces next to punctuation, outside string literals only ("…" and '…').
    parts = re.split(r"(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|/(?:\\.|[^/\\\n])+/g)", code)
    return "".join(p if i % 2 else _SPACES_AROUND.sub(r"\1", p) for i, p in enumerate(parts))


def _href(code):
    return "javascript:" + quote(code, safe="(){}[];,=+:<>!?&|'*.\"/_-~$")


@register.simple_tag
def bookmarklet_href():
    return _href(bookmarklet_code())


def annotate_bookmarklet_code(site_url=None):
    site = (site_url or settings.SITE_URL).rstrip("/")
    # one stable address (library.bookmarklet_views.annotator_script), not hashed static names
    files = [site + reverse("library:bookmarklet_annotator_script")]
    blocked = gettext(
        "This page does not let the Commonplace annotator in (its Content-Security-Policy "
        "blocks scripts from other sites). Use the Commonplace browser extension to annotate it."
    )
    return bookmarklet_code(
        site, "js/bookmarklet-annotate.js", {"FILES": files, "BLOCKED_MESSAGE": blocked}
    )


@register.simple_tag
def annotate_bookmarklet_href():
    return _href(annotate_bookmarklet_code())
