"""What every reader shares: the item every format is read into, and how problems are kept."""

import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

MAX_REPORTED_ERRORS = 50
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


@dataclass
class ImportHighlight:
    exact: str
    note: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    color: str = "yellow"
    created_at: datetime | None = None  # when the file says it was made (else: the import)


@dataclass
class ImportItem:
    """One bookmark as every format can describe it; `where` says where it was in the file."""

    url: str
    where: str
    title: str = ""
    description: str = ""
    tags: list = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    private: bool = False
    unread: bool = False
    highlights: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    folders: list = field(default_factory=list)
    comment_dates: dict = field(default_factory=dict)  # comment text -> its date in the file
    # comment text -> (text of the comment it answers, quote of the highlight it is on), or None
    comment_threads: dict = field(default_factory=dict)


@dataclass
class ParseResult:
    file_format: str
    items: list
    skipped: list  # [(where, reason)] for entries that are fine but not importable (javascript:)
    problems: list = field(default_factory=list)  # [(where, reason)]: broken rows
    repairs: list = field(default_factory=list)  # [(where, message)]: kept, repaired


class ImportFileError(ValueError):
    """The file (or some rows) cannot be read: `errors` lists every problem, by position."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(self.errors[:5]))


def refusal(problems):
    """The messages of a file refused for its broken rows: the first ones, and how many more."""
    errors = [f"{where}: {reason}" for where, reason in problems[:MAX_REPORTED_ERRORS]]
    if len(problems) > MAX_REPORTED_ERRORS:
        errors.append(_("…and %(n)d more problems.") % {"n": len(problems) - MAX_REPORTED_ERRORS})
    return ImportFileError(errors)


class Errors:
    """Broken rows of a file, by position: skipped and reported (or refusing it, strict)."""

    def __init__(self):
        self.items = []

    @property
    def count(self):
        return len(self.items)

    def add(self, where, message):
        self.items.append((where, message))


def web_url_or_reason(url):
    """(url, None) for something that may be a web address; (None, reason) for other schemes."""
    url = (url or "").strip()
    if not url:
        return None, _("no address")
    match = _SCHEME.match(url)
    if match and match.group(1).lower() not in ("http", "https"):
        return None, _("not a web address (%(scheme)s:)") % {"scheme": match.group(1).lower()}
    return url, None


def timestamp(value):
    """Unix time as exporters write it: seconds, or milli-/microseconds (Chrome, Firefox)."""
    number = int(str(value).strip())
    if number > 10**14:
        number //= 1_000_000
    elif number > 10**11:
        number //= 1000
    return datetime.fromtimestamp(number, tz=UTC)


def flag(value):
    return str(value or "").strip().lower() in {"1", "true", "yes", "on"}


class JSONTooDeep(ImportFileError):
    """JSON nested deeper than any export: refused before anything else is said about it."""


def load_json(text):
    try:
        return json.loads(text)
    except RecursionError:
        raise JSONTooDeep(
            [_("The JSON is nested too deeply to be a bookmark export: nothing can be read.")]
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            [
                _("The JSON is broken at line %(line)d, column %(col)d: %(msg)s")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ]
        ) from None


def iso_date(value, where, errors, name="time"):
    if value in (None, ""):
        return None
    parsed = parse_datetime(str(value)) if isinstance(value, str) else None
    if parsed is None:
        errors.add(
            where, _("the %(name)s %(value)r is not a date") % {"name": name, "value": value}
        )
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


# --- Shared by the readers of JSON entries and CSV rows ------------------------------------


class BadEntry(ValueError):
    """One entry of a file cannot be read: it is skipped whole, with this reason."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__(reason)


class NotImportable(ValueError):
    """One entry is fine but is not a web page (a note, an uploaded file, a `urn:` address)."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__(reason)


def text_of(entry, name):
    """The text in `entry[name]`: "" when missing or null; a number as written; else BadEntry."""
    value = entry.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise BadEntry(_("the field %(name)s is not text") % {"name": name})


def list_of(entry, name):
    """The list in `entry[name]`: [] when missing or null, else BadEntry when not a list."""
    value = entry.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadEntry(_("the field %(name)s is not a list") % {"name": name})
    return value


def strings(values, name):
    """A list of texts (tags): each must be text or a number."""
    found = []
    for value in values:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            found.append(str(value))
        else:
            raise BadEntry(
                _("the field %(name)s holds something that is not text") % {"name": name}
            )
    return found


def tag_names(values, key):
    """Tags written as names or as objects with the name under `key` ({"label": …})."""
    names = strings([v.get(key) if isinstance(v, dict) else v for v in values], "tags")
    return [n.strip() for n in names if n.strip()]


def entry_url(value, name="url"):
    """The web address of an entry; BadEntry when missing, NotImportable for other schemes."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise BadEntry(_("has no address (%(name)s)") % {"name": name})
    if not isinstance(value, str):
        raise BadEntry(_("the field %(name)s is not text") % {"name": name})
    url, reason = web_url_or_reason(value)
    if url is None:
        raise NotImportable(reason)
    return url


def any_date(value, name):
    """A date as JSON exports write it: ISO 8601 text, or Unix time (s, ms or µs) as a number
    or as digits; None when empty. BadEntry for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadEntry(_("the %(name)s %(value)r is not a date") % {"name": name, "value": value})
    raw = str(value).strip()
    try:
        if isinstance(value, int | float) or raw.isdigit():
            return timestamp(int(float(raw)))
        parsed = parse_datetime(raw)
    except (ValueError, OverflowError, OSError):
        parsed = None
    if parsed is None:
        raise BadEntry(
            _("the %(name)s %(value)r is not a date") % {"name": name, "value": raw[:40]}
        )
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def csv_rows(text, errors):
    """(where, row as {column: cell}) for each data row of a CSV file with a header.

    A row with the wrong number of cells, or CSV that cannot be read from some point on, is
    recorded in `errors` (by line) and left out; blank rows are left out silently.
    """
    # some exports put a whole article or every highlight of a page in one cell
    csv.field_size_limit(max(csv.field_size_limit(), 32 * 1024 * 1024))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [c.strip().lower() for c in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise ImportFileError([_("The CSV header cannot be read: %(e)s") % {"e": exc}]) from None
    if "url" not in header:
        raise ImportFileError([_("The CSV header has no url column.")])
    line_label = _("line %(line)d")
    start_line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.add(line_label % {"line": start_line}, _("unreadable CSV: %(e)s") % {"e": exc})
            return
        where = line_label % {"line": start_line}
        start_line = reader.line_num + 1
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(header):
            errors.add(
                where,
                _(
                    "expected %(expected)d fields, found %(found)d (is a quote or comma "
                    "out of place?)"
                )
                % {"expected": len(header), "found": len(row)},
            )
            continue
        yield where, dict(zip(header, row, strict=True))


def csv_bookmark_rows(text, errors, skipped, *, created="created"):
    """(where, row, url, created_at) for each CSV row with a usable address and date: an empty
    url or a bad `created` date is recorded in `errors`, an address we do not save in
    `skipped` (both by line), and the row left out."""
    for where, row in csv_rows(text, errors):
        raw_url = row.get("url", "")
        if not raw_url.strip():
            errors.add(where, _("the url is empty"))
            continue
        url, reason = web_url_or_reason(raw_url)
        if url is None:
            skipped.append((where, reason))
            continue
        try:
            created_at = any_date(row.get(created, "").strip(), created)
        except BadEntry as exc:
            errors.add(where, exc.reason)
            continue
        yield where, row, url, created_at


def read_entries(entries, label, errors, skipped, read_one):
    """Items from a list of JSON entries: `read_one(entry, where)` returns an ImportItem (or
    None to leave it out); a BadEntry skips that entry whole and is reported."""
    items = []
    for number, entry in enumerate(entries, start=1):
        where = label % {"n": number}
        if not isinstance(entry, dict):
            errors.add(where, _("is not an object"))
            continue
        try:
            item = read_one(entry, where)
        except BadEntry as exc:
            errors.add(where, exc.reason)
            continue
        except NotImportable as exc:
            skipped.append((where, exc.reason))
            continue
        if item is not None:
            items.append(item)
    return items


_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"</?(?:p|div|br|li|h[1-6]|blockquote|pre|tr|section|article)\b[^>]*>", re.I)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)


def html_text(markup):
    """Rough text of an HTML fragment (the article an export keeps), to find a quote's context."""
    text = _SCRIPT.sub(" ", markup or "")
    text = _BLOCK.sub("\n", text)
    return html.unescape(_TAG.sub("", text))


def join_notes(*notes):
    return "\n\n".join(n.strip() for n in notes if n and n.strip())
