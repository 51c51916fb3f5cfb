"""Bookmark files in, common items out: format detection, Netscape / Diigo / Pinboard parsers.

Parsers never touch the database. They turn a file into `ImportItem`s and collect every broken
row as a problem (where, reason): by default those rows are skipped and reported, in strict
mode they refuse the whole file (`ImportFileError`). What is clearly repairable (a title and an
address swapped, NUL and other control bytes, markup in a highlight) is repaired and reported.
"""

import csv
import html
import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bookmarks.urlnorm import InvalidURL, normalize_url

from .readers import hypothesis, jsonld, karakeep, linkwarden, pocket, raindrop, sniff, wallabag
from .readers.base import (
    Errors,
    ImportFileError,
    ImportHighlight,
    ImportItem,
    JSONTooDeep,
    ParseResult,
    csv_rows,
    flag,
    iso_date,
    load_json,
    refusal,
    timestamp,
    web_url_or_reason,
)

__all__ = ["ImportFileError", "ImportHighlight", "ImportItem", "ParseResult", "refusal", "parse"]

NETSCAPE = "netscape"
DIIGO = "diigo"
PINBOARD = "pinboard"
COMMONPLACE = "commonplace"  # our own JSON export, so everything round-trips
RAINDROP = raindrop.RAINDROP
POCKET_HTML = pocket.POCKET_HTML
POCKET_CSV = pocket.POCKET_CSV
HYPOTHESIS = hypothesis.HYPOTHESIS
WALLABAG = wallabag.WALLABAG
KARAKEEP = karakeep.KARAKEEP
LINKWARDEN = linkwarden.LINKWARDEN
JSONLD = jsonld.FORMAT  # our own Web Annotation export (and files in the same model)
FORMAT_LABELS = {
    NETSCAPE: gettext_lazy("Netscape bookmark HTML"),
    DIIGO: gettext_lazy("Diigo CSV"),
    PINBOARD: gettext_lazy("Pinboard JSON"),
    COMMONPLACE: gettext_lazy("Commonplace JSON"),
    RAINDROP: gettext_lazy("Raindrop CSV"),
    POCKET_HTML: gettext_lazy("Pocket HTML"),
    POCKET_CSV: gettext_lazy("Pocket CSV"),
    HYPOTHESIS: gettext_lazy("Hypothesis JSON"),
    WALLABAG: gettext_lazy("wallabag JSON"),
    KARAKEEP: gettext_lazy("Karakeep JSON"),
    LINKWARDEN: gettext_lazy("Linkwarden JSON"),
    JSONLD: gettext_lazy("W3C Web Annotation (JSON-LD)"),
}
DIIGO_COLUMNS = ["title", "url", "tags", "description", "comments", "annotations", "created_at"]
# Ours, after Diigo's columns (its CSV has no privacy, no update date, no colours).
DIIGO_EXTRA_COLUMNS = ["private", "unread", "updated_at", "highlight_colors"]
DIIGO_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
DIIGO_NO_TAG = "no_tag"
# Browser folders that say where a bookmark sat, not what it is about.
_ROOT_FOLDER_ATTRS = {"personal_toolbar_folder", "unfiled_bookmarks_folder"}


def max_import_bytes():
    return getattr(settings, "IMPORT_MAX_BYTES", 50 * 1024 * 1024)


def too_large_message(size):
    return _("The file is too large (%(size)s): the limit is %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(max_import_bytes()),
    }


def max_import_items():
    return getattr(settings, "IMPORT_MAX_ITEMS", 100_000)


def decode(data):
    """Text of an uploaded file: UTF-8 (with or without BOM), else Windows-1252."""
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def detect_format(text):
    """Which format this text is in, from its content (never from the file name)."""
    head = text.lstrip()[:4096]
    lowered = head.lower()
    if head.startswith(("[", "{")):
        return _detect_json(text)
    columns = sniff.csv_columns(head)
    refused = sniff.unsupported(head, lowered, columns)
    if refused is not None:
        raise ImportFileError([refused])
    if pocket.looks_like_html(lowered):
        return POCKET_HTML
    if "netscape-bookmark-file" in lowered or (
        head.startswith("<") and re.search(r"<a\s[^>]*href\s*=", lowered)
    ):
        return NETSCAPE
    if raindrop.looks_like(columns):
        return RAINDROP
    if pocket.looks_like_csv(columns):
        return POCKET_CSV
    if {"url", "title"} <= columns and ("annotations" in columns or "created_at" in columns):
        return DIIGO
    raise ImportFileError(
        [
            _(
                "This is not a file we can import. We read Netscape bookmark HTML (exported by "
                "browsers, Pinboard, linkding, Diigo), Diigo CSV, Pinboard JSON, Raindrop CSV, "
                "Pocket HTML and CSV, Hypothesis, wallabag, Karakeep and Linkwarden JSON, and "
                "Commonplace's own JSON export."
            )
        ]
    )


def _detect_json(text):
    """Which JSON export this is, from the key names near its start."""
    first = _json_head(text)
    if isinstance(first, dict) and first.get("format") == COMMONPLACE:
        return COMMONPLACE
    stripped = text.lstrip()
    if jsonld.looks_like_web_annotation(stripped[:4096]):
        return JSONLD
    keys = sniff.json_keys(stripped)
    if hypothesis.looks_like(keys, stripped[: sniff.JSON_HEAD]):
        return HYPOTHESIS
    if stripped.startswith("{"):
        if linkwarden.looks_like(keys):
            return LINKWARDEN
        if karakeep.looks_like(keys):
            return KARAKEEP
    else:
        if wallabag.looks_like(keys):
            return WALLABAG
        if "href" in keys or re.fullmatch(r"\[\s*\]\s*", stripped):
            return PINBOARD
    try:
        # nested too deeply, or broken within what was read: that is the message
        load_json(stripped[: sniff.JSON_HEAD])
    except JSONTooDeep:
        raise
    except ImportFileError:
        if len(stripped) <= sniff.JSON_HEAD:
            raise
    raise ImportFileError(
        [
            _(
                "This JSON file is not an export we know. We read the JSON exports of Pinboard "
                "(a list of bookmarks with href), Hypothesis (annotations), wallabag (entries), "
                "Karakeep (bookmarks), Linkwarden (collections) and Commonplace (JSON and "
                "JSON-LD)."
            )
        ]
    )


def _json_head(text):
    stripped = text.lstrip()
    if stripped.startswith("{"):
        # Our export starts with {"format": "commonplace", ...}: no need to parse 50 MB to know.
        match = re.match(r'\{\s*"format"\s*:\s*"([^"]*)"', stripped)
        if match:
            return {"format": match.group(1)}
    return None


def parse(data, *, folders_as_tags=True, strict=False):
    """Detect the format of `data` (bytes or text) and parse it; raises ImportFileError.

    Broken rows are in `problems` (skipped); `strict` refuses the whole file for any of them.
    """
    if len(data) > max_import_bytes():
        raise ImportFileError([too_large_message(len(data))])
    text = decode(data)
    if not text.strip():
        raise ImportFileError([_("The file is empty.")])
    file_format = detect_format(text)
    parser = {
        NETSCAPE: lambda t: parse_netscape(t, folders_as_tags=folders_as_tags),
        DIIGO: parse_diigo,
        PINBOARD: parse_pinboard,
        COMMONPLACE: parse_commonplace,
        RAINDROP: lambda t: raindrop.parse_raindrop(t, folders_as_tags=folders_as_tags),
        POCKET_HTML: pocket.parse_pocket_html,
        POCKET_CSV: pocket.parse_pocket_csv,
        HYPOTHESIS: hypothesis.parse_hypothesis,
        WALLABAG: wallabag.parse_wallabag,
        KARAKEEP: lambda t: karakeep.parse_karakeep(t, folders_as_tags=folders_as_tags),
        LINKWARDEN: lambda t: linkwarden.parse_linkwarden(t, folders_as_tags=folders_as_tags),
        JSONLD: jsonld.parse_jsonld,
    }[file_format]
    result = parser(text)
    repair_items(result)
    # reasons quote the file (a title, an author): the report is JSON in PostgreSQL, no NULs
    result.skipped = _clean_reports(result.skipped)
    result.problems = _clean_reports(result.problems)
    if strict and result.problems:
        raise refusal(result.problems)
    if len(result.items) > max_import_items():
        raise ImportFileError(
            [
                _("The file holds %(n)s bookmarks; at most %(limit)s can be imported at once.")
                % {"n": f"{len(result.items):,}", "limit": f"{max_import_items():,}"}
            ]
        )
    return result


# Control characters PostgreSQL refuses (NUL) or that no title means (the rest, bar tab/newline).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKUP = re.compile(r"<[A-Za-z/!][^>]*>")
_LOOKS_LIKE_URL = re.compile(r"^https?://\S+$", re.I)


def _clean_reports(rows):
    return [(_CONTROL.sub("", where), _CONTROL.sub("", reason)) for where, reason in rows]


def _clean(text, repaired):
    if text and _CONTROL.search(text):
        repaired.add(_("control characters removed"))
        return _CONTROL.sub("", text)
    return text


def _plain_highlight(text, repaired):
    """A highlight is text: markup (Diigo keeps <b>, <a href>) stripped, entities decoded."""
    if "<" in text or "&" in text:
        plain = _MARKUP.sub("", text) if "<" in text else text
        plain = html.unescape(plain).replace("\xa0", " ")
        if plain != text:
            repaired.add(_("markup removed from a highlight"))
            return plain
    return text


def repair_items(result):
    """Repair what is clearly repairable, in place, and record each repair in `result.repairs`."""
    for item in result.items:
        repaired = set()
        item.url = _clean(item.url, repaired)
        item.title = _clean(item.title, repaired)
        item.description = _clean(item.description, repaired)
        item.tags = [_clean(t, repaired) for t in item.tags]
        item.comments = [_clean(c, repaired) for c in item.comments]
        for h in item.highlights:
            h.exact = _plain_highlight(_clean(h.exact, repaired), repaired).strip()
            h.note = _clean(h.note, repaired)
            h.prefix = _clean(h.prefix, repaired)
            h.suffix = _clean(h.suffix, repaired)
        item.highlights = [h for h in item.highlights if h.exact]
        if _LOOKS_LIKE_URL.match(item.title.strip()) and not _is_url(item.url):
            # Diigo writes a few rows with the title in the url cell and the address in the title
            item.url, item.title = item.title.strip(), item.url.strip()
            repaired.add(_("title and address were swapped"))
        if repaired:
            result.repairs.append((item.where, ", ".join(sorted(repaired))))


def _is_url(value):
    try:
        normalize_url(value)
    except InvalidURL:
        return False
    return True


# Bookmark files are tag soup (<DT> and <p> never closed) but simple: a regex tokenizer reads
# them about ten times faster than html.parser, which matters for 100,000-line files.
_TOKEN = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?[^>]*>"
    r"|<(/?)([A-Za-z][A-Za-z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
# A tag opened and never closed before the end of the file.
_UNFINISHED_TAG = re.compile(r"<[A-Za-z!/]")
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


def _unescape(text):
    return html.unescape(text) if "&" in text else text


class _NetscapeParser:
    """A state machine over the loose <DL><DT><A>… markup every browser writes (never closed)."""

    def __init__(self, folders_as_tags, tags_by_comma=True):
        self.line = 1
        self.tags_by_comma = tags_by_comma
        self.line_label = _("line %(line)d")  # translated once, not once per bookmark
        self.folders_as_tags = folders_as_tags
        self.folder_stack = []  # one entry per open <DL>: the folder name or None
        self.pending_folder = None
        self.items = []
        self.skipped = []
        self.errors = Errors()
        self.anchor = None  # (attrs, line) of the <A> being read
        self.text = []
        self.mode = None  # "a", "h3", "dd"
        self.h3_attrs = {}
        self.last_item = None
        self.count = 0

    def getpos(self):
        return (self.line, 0)

    def feed(self, text):
        position = 0
        for match in _TOKEN.finditer(text):
            start = match.start()
            if start > position:
                self.handle_data(_unescape(text[position:start]))
                self.line += text.count("\n", position, start)
            name = match.group(2)
            if name is not None:
                name = name.lower()
                if match.group(1):
                    self.handle_endtag(name)
                else:
                    attrs = (
                        [
                            (
                                k.lower(),
                                _unescape(a if a is not None else b if b is not None else c or ""),
                            )
                            for k, a, b, c in _ATTR.findall(match.group(3))
                        ]
                        if match.group(3).strip()
                        else []
                    )
                    self.handle_starttag(name, attrs)
            self.line += text.count("\n", start, match.end())
            position = match.end()
        if position < len(text):
            tail = text[position:]
            cut = _UNFINISHED_TAG.search(tail)
            if cut is not None:
                # a download cut short: the last bookmarks would silently go missing
                line = self.line + tail.count("\n", 0, cut.start())
                self.errors.add(
                    self.line_label % {"line": line},
                    _("the file ends inside a tag (%(tag)s…): it looks cut short")
                    % {"tag": tail[cut.start() : cut.start() + 20].strip()},
                )
                tail = tail[: cut.start()]
            self.handle_data(_unescape(tail))

    def _finish_dd(self):
        if self.mode == "dd":
            if self.last_item is not None:
                item = self.last_item
                description, item.highlights = _dd_block("".join(self.text))
                item.description = _linkding_notes(description).strip()
            self.mode = None
            self.text = []

    def handle_starttag(self, tag, attrs):
        if tag in ("dt", "dl", "a", "h3", "hr") or tag == "dd":
            self._finish_dd()
        if tag == "dl":
            self.folder_stack.append(self.pending_folder)
            self.pending_folder = None
        elif tag == "h3":
            self.mode = "h3"
            self.text = []
            self.h3_attrs = {k.lower(): v for k, v in attrs}
        elif tag == "a":
            self.anchor = ({k.lower(): (v or "") for k, v in attrs}, self.getpos()[0])
            self.mode = "a"
            self.text = []
        elif tag == "dd":
            self.mode = "dd"
            self.text = []
        elif tag == "br" and self.mode == "dd":
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag == "dl":
            self._finish_dd()
            if self.folder_stack:
                self.folder_stack.pop()
        elif tag == "h3" and self.mode == "h3":
            name = " ".join("".join(self.text).split())
            root = any(self.h3_attrs.get(a, "").lower() == "true" for a in _ROOT_FOLDER_ATTRS)
            self.pending_folder = None if root else name
            self.mode = None
            self.text = []
        elif tag == "a" and self.mode == "a":
            self._finish_anchor()

    def handle_data(self, data):
        if self.mode in ("a", "h3", "dd"):
            self.text.append(data)

    def _finish_anchor(self):
        attrs, line = self.anchor
        self.mode = None
        title = " ".join("".join(self.text).split())
        self.text = []
        self.anchor = None
        self.count += 1
        where = self.line_label % {"line": line}
        if "href" not in attrs and attrs.get("feedurl"):
            attrs["href"] = attrs["feedurl"]
        url, reason = web_url_or_reason(attrs.get("href"))
        self.last_item = None
        if url is None:
            self.skipped.append((f"{where} ({title[:60]})", reason))
            return
        item = ImportItem(url=url, where=where, title=title)
        try:
            if attrs.get("add_date", "").strip():
                item.created_at = timestamp(attrs["add_date"])
            if attrs.get("last_modified", "").strip():
                item.updated_at = timestamp(attrs["last_modified"])
        except (ValueError, OverflowError, OSError):
            self.errors.add(
                where,
                _("the date %(value)r is not a Unix timestamp")
                % {"value": attrs.get("add_date") or attrs.get("last_modified")},
            )
            return
        item.tags = _split_tags(attrs.get("tags", ""), by_comma=self.tags_by_comma)
        item.private = flag(attrs.get("private"))
        item.unread = flag(attrs.get("toread"))
        item.folders = [f for f in self.folder_stack if f]
        if self.folders_as_tags:
            item.tags = item.tags + [f for f in item.folders if f not in item.tags]
        self.items.append(item)
        self.last_item = item

    def close(self):
        if self.mode == "a" and self.anchor is not None:
            self._finish_anchor()
        self._finish_dd()


_LINKDING_NOTES = re.compile(r"\[linkding-notes\](.*?)(?:\[/linkding-notes\]|$)", re.S)


def _linkding_notes(text):
    """linkding writes its notes inside the description: [linkding-notes]…[/linkding-notes].
    The note follows the description, as one text, without the markers."""
    if "[linkding-notes]" not in text:
        return text
    notes = [m.strip() for m in _LINKDING_NOTES.findall(text)]
    description = _LINKDING_NOTES.sub("", text).strip()
    return "\n\n".join(part for part in (description, *notes) if part)


def _split_tags(value, *, by_comma=True):
    """TAGS as exporters write them: commas (browsers, Pinboard, linkding, us) or spaces (older
    tools). In a file that separates by commas, a value without one is a single tag, spaces and
    all ("red team stuff")."""
    value = (value or "").strip()
    if not value:
        return []
    pieces = value.split(",") if by_comma or "," in value else value.split()
    return [p.strip() for p in pieces if p.strip()]


# A TAGS value holding a comma anywhere in the file, or a writer known to separate by commas:
# our export (its header says so) and the browsers (Firefox joins its tags with ",", Chrome
# writes none); both mark their root folders, which no other tool does.
_TAGS_WITH_COMMA = re.compile(r"""\sTAGS\s*=\s*(?:"[^"]*,|'[^']*,)""", re.I)
_COMMA_WRITER = re.compile(
    r"Exported by Commonplace|PERSONAL_TOOLBAR_FOLDER|UNFILED_BOOKMARKS_FOLDER", re.I
)


def _tags_by_comma(text):
    """Does this file separate TAGS by commas (True) or by spaces (no comma anywhere)?"""
    return bool(_COMMA_WRITER.search(text[:65536]) or _TAGS_WITH_COMMA.search(text))


_DD_HIGHLIGHT = re.compile(r"^[ \t]*Highlight:", re.M)


def _dd_block(text):
    """(description, highlights) of a <DD>: Diigo (and our export) write the highlights and
    their sticky notes after the description as `Highlight:` / `Sticky notes:` lines. A sticky
    note on no highlight joins the description, as in the Diigo CSV."""
    match = _DD_HIGHLIGHT.search(text)
    if match is None:
        return text.strip(), []
    description = text[: match.start()].strip()
    lines = [line.lstrip() for line in text[match.start() :].split("\n")]
    highlights, page_notes = parse_diigo_annotations("\n".join(lines))
    if page_notes:
        extra = "\n\n".join(page_notes)
        description = f"{description}\n\n{extra}" if description else extra
    return description, highlights


def parse_netscape(text, *, folders_as_tags=True):
    parser = _NetscapeParser(folders_as_tags, tags_by_comma=_tags_by_comma(text))
    parser.feed(text)
    parser.close()
    if not parser.items and not parser.skipped and not parser.errors.count:
        raise ImportFileError([_("The bookmark file holds no bookmarks (no <A HREF=…> links).")])
    return ParseResult(NETSCAPE, parser.items, parser.skipped, parser.errors.items)


# --- Diigo CSV -----------------------------------------------------------------------------


def parse_diigo_annotations(text, colors=()):
    """Diigo's annotations cell → highlights with notes, plus sticky notes on the page itself.

    `Highlight:<text>` starts a highlight; the `Sticky notes:<text>` lines after it are its
    notes. A line starting with neither continues the previous entry (multi-line quotes).
    `colors` (our highlight_colors column) gives the n-th `Highlight:` its colour.
    """
    highlights = []
    page_notes = []
    current = None  # ("highlight", ImportHighlight) or ("note", list_of_lines)
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.startswith("Highlight:"):
            current = ("highlight", ImportHighlight(exact=line[len("Highlight:") :].strip()))
            if len(highlights) < len(colors) and colors[len(highlights)]:
                current[1].color = colors[len(highlights)]
            highlights.append(current[1])
        elif line.startswith("Sticky notes:") or line.startswith("Sticky note:"):
            note = line.split(":", 1)[1].strip()
            target = highlights[-1] if highlights and current is not None else None
            if target is not None:
                target.note = f"{target.note}\n\n{note}" if target.note else note
                current = ("note", target)
            else:
                page_notes.append(note)
                current = ("page_note", None)
        elif current is not None:
            kind, target = current
            if kind == "highlight":
                target.exact = f"{target.exact}\n{line}"
            elif kind == "note":
                target.note = f"{target.note}\n{line}"
            else:
                page_notes[-1] = f"{page_notes[-1]}\n{line}"
        elif line.strip():
            page_notes.append(line.strip())
    for highlight in highlights:
        highlight.exact = highlight.exact.strip()
        highlight.note = highlight.note.strip()
        if not highlight.exact and highlight.note:
            # an empty `Highlight:` then `Sticky notes:`: a note on the page, not on a quote
            page_notes.append(highlight.note)
    return [h for h in highlights if h.exact], [n.strip() for n in page_notes if n.strip()]


_LOOSE_DIIGO_DATE = re.compile(
    r"(\d{4})[-/](\d{2})[-/](\d{2})[ T](\d{2}):(\d{2}):(\d{2})\s*(Z|UTC|[+-]\d{2}:?\d{2})?"
)


def _loose_diigo_date(value):
    """Other spellings of the same date seen in Diigo files: slashes, a T, a UTC offset."""
    match = _LOOSE_DIIGO_DATE.fullmatch(value)
    if match is None:
        return None
    *parts, offset = match.groups()
    try:
        result = datetime(*map(int, parts), tzinfo=UTC)
    except ValueError:
        return None
    if offset and offset not in ("Z", "UTC"):
        sign = 1 if offset[0] == "+" else -1
        hours, minutes = int(offset[1:3]), int(offset[-2:])
        result -= sign * timedelta(hours=hours, minutes=minutes)
    return result


_DIIGO_TAG = re.compile(r'"([^"]*)"|([^\s"]+)')
# OWASP's CSV injection defence: a cell a spreadsheet would run as a formula gets a leading '.
FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")


def diigo_tags(value):
    """Diigo's tags cell: comma-separated, or space-separated with "quoted multi-word" tags."""
    if "," in value:
        pieces = next(csv.reader([value], skipinitialspace=True))
    else:
        pieces = [quoted or bare for quoted, bare in _DIIGO_TAG.findall(value)]
    return [p.strip().strip('"').strip() for p in pieces if p.strip().strip('"').strip()]


_DIIGO_DATE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def _diigo_date(value, where, errors):
    value = value.strip()
    if not value:
        return None
    try:
        if _DIIGO_DATE.fullmatch(value):  # DIIGO_DATE_FORMAT, read in C (strptime is slow)
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        return datetime.strptime(value, DIIGO_DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        parsed = _loose_diigo_date(value)
        if parsed is None:
            errors.add(where, _("the date %(value)r is not YYYY-MM-DD HH:MM:SS") % {"value": value})
        return parsed


def unneutralize_cell(value):
    """The reverse of exporters.neutralize_cell, so a Diigo CSV round trip is exact."""
    return value[1:] if value.startswith("'") and FORMULA_START.match(value) else value


def parse_diigo(text):
    errors = Errors()
    items = []
    skipped = []
    for where, record in csv_rows(text, errors):

        def cell(name, record=record):
            return unneutralize_cell(record.get(name, ""))

        url, reason = web_url_or_reason(cell("url"))
        if url is None:
            if not cell("url").strip():
                errors.add(where, _("the url is empty"))
            else:
                skipped.append((where, reason))
            continue
        item = ImportItem(
            url=url, where=where, title=cell("title").strip(), description=cell("description")
        )
        tags = cell("tags").strip()
        item.tags = [] if tags in ("", DIIGO_NO_TAG) else diigo_tags(tags)
        broken = errors.count
        item.created_at = _diigo_date(cell("created_at"), where, errors)
        item.updated_at = _diigo_date(cell("updated_at"), where, errors)
        if errors.count != broken:  # never half an item: a bad date skips it whole
            continue
        colors = [c.strip() for c in cell("highlight_colors").split(",")]
        item.highlights, page_notes = parse_diigo_annotations(cell("annotations"), colors)
        if page_notes:
            extra = "\n\n".join(page_notes)
            item.description = f"{item.description}\n\n{extra}" if item.description else extra
        item.description = item.description.strip()
        item.comments = [c.strip() for c in cell("comments").split("\n") if c.strip()]
        # our own columns at the end (Diigo's CSV has no privacy): readers ignore them elsewhere
        item.private = flag(cell("private"))
        item.unread = flag(cell("unread"))
        items.append(item)
    return ParseResult(DIIGO, items, skipped, errors.items)


# --- Pinboard JSON and our own JSON --------------------------------------------------------


def parse_pinboard(text):
    data = load_json(text)
    if not isinstance(data, list):
        raise ImportFileError([_("A Pinboard export is a JSON list of bookmarks.")])
    errors = Errors()
    items = []
    skipped = []
    bookmark_label = _("bookmark %(n)d")
    for number, entry in enumerate(data, start=1):
        where = bookmark_label % {"n": number}
        if not isinstance(entry, dict):
            errors.add(where, _("is not an object"))
            continue
        raw = entry.get("href")
        if not isinstance(raw, str) or not raw.strip():
            errors.add(where, _("has no href"))
            continue
        url, reason = web_url_or_reason(raw)
        if url is None:
            skipped.append((where, reason))
            continue
        tags = entry.get("tags") or ""
        if isinstance(tags, list):
            tags = " ".join(str(t) for t in tags)
        item = ImportItem(
            url=url,
            where=where,
            title=str(entry.get("description") or "").strip(),
            description=str(entry.get("extended") or "").strip(),
            tags=str(tags).split(),
            private=str(entry.get("shared", "yes")).lower() == "no",
            unread=str(entry.get("toread", "no")).lower() == "yes",
        )
        broken = errors.count
        item.created_at = iso_date(entry.get("time"), where, errors)
        if errors.count == broken:  # never half an item: a bad date skips it whole
            items.append(item)
    return ParseResult(PINBOARD, items, skipped, errors.items)


def _by_id(entries, name):
    """{id: stripped text} of our export's highlights or comments (for replies and notes)."""
    found = {}
    for e in entries if isinstance(entries, list) else []:
        if isinstance(e, dict) and isinstance(e.get("id"), int) and isinstance(e.get(name), str):
            found[e["id"]] = e[name].strip()
    return found


def _id_lookup(texts, key):
    return texts.get(key) or None if isinstance(key, int) else None


def parse_commonplace(text):
    """Our JSON export: bookmarks with highlights (selectors, notes) and comments."""
    data = load_json(text)
    bookmarks = data.get("bookmarks") if isinstance(data, dict) else None
    if not isinstance(bookmarks, list):
        raise ImportFileError([_("The JSON export has no list of bookmarks.")])
    errors = Errors()
    items = []
    skipped = []
    bookmark_label = _("bookmark %(n)d")
    for number, entry in enumerate(bookmarks, start=1):
        where = bookmark_label % {"n": number}
        broken = errors.count
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            errors.add(where, _("has no url"))
            continue
        url, reason = web_url_or_reason(entry["url"])
        if url is None:
            skipped.append((where, reason))
            continue
        for name in ("tags", "highlights", "comments"):
            if not isinstance(entry.get(name) or [], list):
                errors.add(where, _("%(name)s is not a list") % {"name": name})
                entry[name] = []
        item = ImportItem(
            url=url,
            where=where,
            title=str(entry.get("title") or ""),
            description=str(entry.get("description") or ""),
            tags=[str(t) for t in entry.get("tags") or []],
            private=bool(entry.get("private")),
            unread=bool(entry.get("unread")),
        )
        item.created_at = iso_date(entry.get("created_at"), where, errors, "created_at")
        item.updated_at = iso_date(entry.get("updated_at"), where, errors, "updated_at")
        for h in entry.get("highlights") or []:
            if not isinstance(h, dict) or not str(h.get("exact") or "").strip():
                errors.add(where, _("has a highlight without a quote"))
                continue
            created_at = iso_date(h.get("created_at"), where, errors, "created_at")
            item.highlights.append(
                ImportHighlight(
                    exact=str(h["exact"]),
                    note=str(h.get("note") or ""),
                    prefix=str(h.get("prefix") or ""),
                    suffix=str(h.get("suffix") or ""),
                    start=h.get("start") if isinstance(h.get("start"), int) else None,
                    end=h.get("end") if isinstance(h.get("end"), int) else None,
                    color=str(h.get("color") or "yellow"),
                    created_at=created_at,
                )
            )
        # what a reply answers and which highlight a comment is on, by their ids in the file
        quotes = _by_id(entry.get("highlights"), "exact")
        bodies = _by_id(entry.get("comments"), "body")
        for c in entry.get("comments") or []:
            # Only the saver's own comments become the importer's; others' stay with them.
            if isinstance(c, dict) and c.get("author") not in (None, entry.get("saver")):
                continue
            body = c.get("body") if isinstance(c, dict) else c
            if isinstance(body, str) and body.strip():
                item.comments.append(body.strip())
                if not isinstance(c, dict):
                    continue
                if c.get("created_at"):
                    date = iso_date(c["created_at"], where, errors, "created_at")
                    item.comment_dates[body.strip()] = date
                parent, quote = (
                    _id_lookup(bodies, c.get("parent")),
                    _id_lookup(quotes, c.get("highlight")),
                )
                if parent or quote:
                    item.comment_threads[body.strip()] = (parent, quote)
        if errors.count == broken:  # never half an item
            items.append(item)
    return ParseResult(COMMONPLACE, items, skipped, errors.items)
