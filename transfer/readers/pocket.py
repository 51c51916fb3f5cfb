"""Pocket's exports: the HTML file (ril_export.html) and the CSV that replaced it.

HTML: `<h1>Unread</h1>` and `<h1>Read Archive</h1>`, each followed by a list of
`<a href="…" time_added="…" tags="a,b">title</a>`; what sits under "Read Archive" is read,
everything else unread. CSV: `title,url,time_added,tags,status` with `|` between tags and
status `unread` or `archive`. Pocket keeps no notes, highlights or privacy in either.
"""

from html.parser import HTMLParser

from django.utils.translation import gettext as _

from .base import (
    BadEntry,
    Errors,
    ImportFileError,
    ImportItem,
    ParseResult,
    any_date,
    csv_bookmark_rows,
    web_url_or_reason,
)

POCKET_HTML = "pocket_html"
POCKET_CSV = "pocket_csv"
READ_HEADING = "read archive"
ARCHIVE_STATUS = "archive"


def looks_like_csv(columns):
    return {"url", "time_added"} <= columns and bool({"status", "tags"} & columns)


def looks_like_html(lowered_head):
    return "<title>pocket export</title>" in lowered_head or (
        "time_added=" in lowered_head and "<h1>unread</h1>" in lowered_head
    )


class _PocketParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.line_label = _("line %(line)d")
        self.heading = None  # text of the <h1> being read, then of the last one
        self.in_heading = False
        self.anchor = None  # (attrs, line, [text])
        self.items, self.skipped, self.errors = [], [], Errors()

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self.in_heading, self.heading = True, ""
        elif tag == "a":
            self.anchor = (dict(attrs), self.getpos()[0], [])

    def handle_endtag(self, tag):
        if tag == "h1":
            self.in_heading = False
        elif tag == "a" and self.anchor is not None:
            self._finish()

    def handle_data(self, data):
        if self.in_heading:
            self.heading += data
        elif self.anchor is not None:
            self.anchor[2].append(data)

    def _finish(self):
        attrs, line, text = self.anchor
        self.anchor = None
        where = self.line_label % {"line": line}
        title = " ".join("".join(text).split())
        if not (attrs.get("href") or "").strip():
            self.errors.add(where, _("the link has no address"))
            return
        url, reason = web_url_or_reason(attrs.get("href"))
        if url is None:
            self.skipped.append((where, reason))
            return
        try:
            created = any_date((attrs.get("time_added") or "").strip(), "time_added")
        except BadEntry as exc:
            self.errors.add(where, exc.reason)
            return
        section = " ".join((self.heading or "").split()).lower()
        self.items.append(
            ImportItem(
                url=url,
                where=where,
                title=title,
                tags=[t.strip() for t in (attrs.get("tags") or "").split(",") if t.strip()],
                created_at=created,
                unread=section != READ_HEADING,
            )
        )


def parse_pocket_html(text):
    parser = _PocketParser()
    parser.feed(text)
    parser.close()
    if parser.anchor is not None:
        parser._finish()
    if not (parser.items or parser.skipped or parser.errors.count):
        raise ImportFileError([_("The Pocket export holds no links.")])
    return ParseResult(POCKET_HTML, parser.items, parser.skipped, parser.errors.items)


def parse_pocket_csv(text):
    errors = Errors()
    items, skipped = [], []
    for where, row, url, created in csv_bookmark_rows(text, errors, skipped, created="time_added"):
        items.append(
            ImportItem(
                url=url,
                where=where,
                title=row.get("title", "").strip(),
                tags=[t.strip() for t in row.get("tags", "").split("|") if t.strip()],
                created_at=created,
                unread=row.get("status", "").strip().lower() != ARCHIVE_STATUS,
            )
        )
    return ParseResult(POCKET_CSV, items, skipped, errors.items)
