"""{% bookmarklet_href %}: the "Save to Commonplace" bookmarklet as a javascript: URL.

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

register = template.Library()

_BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SPACES_AROUND = re.compile(r"\s*([{}()\[\];,=+:<>!?&|])\s*")


@functools.cache
def _source():
    with open(finders.find("js/bookmarklet.js"), encoding="utf-8") as handle:
        code = _BLOCK_COMMENT.sub("", handle.read())
    lines = (line.strip() for line in code.splitlines())
    return " ".join(line for line in lines if line)


def bookmarklet_code(site_url=None):
    site = (site_url or settings.SITE_URL).rstrip("/")
    code = _source().replace('"__SITE_URL__"', json.dumps(site))
    # Fold spaces next to punctuation, outside string literals only ("…" and '…').
    parts = re.split(r"(\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'|/(?:\\.|[^/\\\n])+/g)", code)
    return "".join(p if i % 2 else _SPACES_AROUND.sub(r"\1", p) for i, p in enumerate(parts))


@register.simple_tag
def bookmarklet_href():
    return "javascript:" + quote(bookmarklet_code(), safe="(){}[];,=+:<>!?&|'*.\"/_-~$")
