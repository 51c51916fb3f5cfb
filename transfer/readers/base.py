"""What every reader shares: the item every format is read into, and how problems are kept."""

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


def load_json(text):
    try:
        return json.loads(text)
    except RecursionError:
        raise ImportFileError(
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
