"""What a file's first bytes say about its format: JSON keys, CSV columns, and the formats we
recognise but do not read (so the refusal can name them)."""

import csv
import re

from django.utils.translation import gettext as _

# How much of a JSON file is scanned for key names: a Hypothesis note or a wallabag title can
# be long, and the import job detects from the first 64 KB.
JSON_HEAD = 65536
_KEY = re.compile(r'"([^"\\]{1,40})"\s*:')


def json_keys(text):
    """The key names in the first JSON_HEAD characters (a quoted name followed by a colon:
    text inside a value has its quotes escaped, so it does not count)."""
    return set(_KEY.findall(text[:JSON_HEAD]))


def csv_columns(head):
    first_line = head.splitlines()[0] if head else ""
    try:
        cells = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        cells = first_line.split(",")
    return {c.strip().strip('"').lower() for c in cells}


def unsupported(head, lowered, columns):
    """A message naming a format we recognise but do not read, or None."""
    if head.startswith("bplist") or "<!doctype plist" in lowered or "<plist" in lowered:
        return _(
            "This is a Safari property list (Bookmarks.plist), which we cannot read. In "
            "Safari, choose File → Export → Bookmarks… and import the HTML file it writes."
        )
    if "<opml" in lowered:
        return _(
            "This is an OPML file (a list of feeds or an outline), which we cannot import: "
            "it holds no bookmarks. Export your bookmarks as HTML instead."
        )
    if {"url", "title", "selection", "folder"} <= columns:
        return _(
            "This is an Instapaper CSV export, which we cannot read yet. Export from "
            "Instapaper as HTML instead: that file can be imported."
        )
    return None
