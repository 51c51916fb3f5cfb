"""The search query language: parse what a reader typed into a structured query.

    travail "conditions de travail" -uber livreurs OR coursiers tag:gig user:ana
    site:lemonde.fr type:bookmark is:unread has:highlights has:comments
    after:2018-01-01 before:2019-01-01

Words must all match (AND); `a OR b` matches either; every word of three letters or more
also matches as a prefix (travail → travailleurs). `AND` and `NOT x` (upper case, as people
type them elsewhere) mean what they say: no word "and" is required. Nothing here ever raises:
whatever is not understood degrades to plain words, and only letters and digits ever reach a
tsquery, so the text search syntax (& | ! : * ' ( )) cannot be injected.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from bookmarks.tags import normalize_tag

MAX_INPUT = 500  # characters read from the query; the rest is ignored
MAX_TERMS = 12  # text terms (words and phrases) kept
MAX_PHRASE_WORDS = 8
MIN_PREFIX_LENGTH = 3  # "de:*" would match half the dictionary and read a huge index range

_WORD = re.compile(r"\w+")
_OPEN_QUOTES = '"«“„'
_CLOSE_QUOTES = {'"': '"', "«": "»", "“": "”", "„": "“"}
_OPERATORS = {"tag", "user", "site", "type", "is", "has", "before", "after"}
_DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$")


@dataclass(frozen=True)
class Term:
    """A word (matched as a prefix too) or a phrase (its words in this order)."""

    words: tuple[str, ...]
    phrase: bool = False

    @property
    def text(self):
        return " ".join(self.words)

    @property
    def prefix(self):
        return not self.phrase and len(self.words[0]) >= MIN_PREFIX_LENGTH


@dataclass
class ParsedQuery:
    clauses: list = field(default_factory=list)  # AND of clauses; a clause is a list of Terms (OR)
    excluded: list = field(default_factory=list)  # Terms that must not match
    tags: list = field(default_factory=list)
    excluded_tags: list = field(default_factory=list)
    users: list = field(default_factory=list)
    sites: list = field(default_factory=list)
    types: set = field(default_factory=set)  # {"bookmark", "topic"}; empty = both
    is_unread: bool = False
    has_highlights: bool = False
    has_comments: bool = False
    after: date | None = None
    before: date | None = None

    @property
    def has_text(self):
        return bool(self.clauses)

    @property
    def is_empty(self):
        return not (
            self.clauses
            or self.excluded
            or self.tags
            or self.excluded_tags
            or self.users
            or self.sites
            or self.types
            or self.is_unread
            or self.has_highlights
            or self.has_comments
            or self.after
            or self.before
        )

    @property
    def words(self):
        """Every positive word, for marking matches."""
        return [w for clause in self.clauses for term in clause for w in term.words]

    def wants(self, kind):
        return not self.types or kind in self.types


def words_of(text):
    """Letters-and-digits words, lower-cased, NFC (so a decomposed é stays one letter)."""
    text = unicodedata.normalize("NFC", text or "")
    return [w.lower() for w in _WORD.findall(text) if w.strip("_")]


def _tokens(q):
    """Split into (negated, raw text, is_quoted) tokens; an unbalanced quote is ignored."""
    i, n = 0, len(q)
    while i < n:
        ch = q[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch == "-" and i + 1 < n and not q[i + 1].isspace():
            negated, i = True, i + 1
            ch = q[i]
        if ch in _OPEN_QUOTES:
            close = q.find(_CLOSE_QUOTES[ch], i + 1)
            if close != -1:
                yield negated, q[i + 1 : close], True
                i = close + 1
                continue
            i += 1  # unbalanced: drop the quote, read on as words
            continue
        start = i
        while i < n and not q[i].isspace():
            # operator values may be quoted: tag:"mot clé"
            if q[i] == ":" and i + 1 < n and q[i + 1] in _OPEN_QUOTES:
                close = q.find(_CLOSE_QUOTES[q[i + 1]], i + 2)
                if close != -1:
                    i = close + 1
                    break
            i += 1
        yield negated, q[start:i], False


def _parse_date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _apply_operator(parsed, negated, key, value):
    """Apply key:value; False when it is not a valid operator (then it is read as words)."""
    value = value.strip().strip('"«»“”„').strip()
    if not value:
        return False
    low = value.lower()
    if key == "tag":
        tag = normalize_tag(value)
        if not tag:
            return False
        (parsed.excluded_tags if negated else parsed.tags).append(tag)
        return True
    if key == "type":
        kind = low.removesuffix("s")
        if kind not in ("bookmark", "topic"):
            return False
        if negated:
            kind = "topic" if kind == "bookmark" else "bookmark"
        parsed.types.add(kind)
        return True
    if negated:
        # -site:, -user:, -is:... have no meaning yet: dropped, never read as excluded words
        # ("-site:lemonde.fr" would otherwise exclude every page with "fr" in its address)
        return key in _OPERATORS
    if key == "user":
        if not re.fullmatch(r"[\w.@+-]{1,150}", value):
            return False
        parsed.users.append(value)
    elif key == "site":
        domain = re.sub(r"^[a-z]+://", "", low).split("/")[0].split(":")[0].removeprefix("www.")
        if not _DOMAIN.match(domain) or len(domain) > 253:
            return False
        parsed.sites.append(domain)
    elif key == "is" and low == "unread":
        parsed.is_unread = True
    elif key == "has" and low in ("highlights", "highlight", "annotations"):
        parsed.has_highlights = True
    elif key == "has" and low in ("comments", "comment"):
        parsed.has_comments = True
    elif key in ("before", "after"):
        day = _parse_date(value)
        if day is None:
            return False
        setattr(parsed, key, day)
    else:
        return False
    return True


def _drop_short_words(words):
    """French elisions (l', d', qu') leave one-letter words: noise unless alone."""
    kept = [w for w in words if len(w) > 1 or w.isdigit()]
    return kept or words


def parse(q):
    """Parse a query string into a ParsedQuery. Never raises."""
    parsed = ParsedQuery()
    q = unicodedata.normalize("NFC", str(q or ""))[:MAX_INPUT]
    pending_or = pending_not = False
    term_count = 0
    for negated, raw, quoted in _tokens(q):
        if not quoted and raw in ("OR", "|", "||"):
            pending_or = bool(parsed.clauses)
            continue
        if not quoted and raw in ("AND", "&", "&&"):
            continue
        if not quoted and raw == "NOT":
            pending_not = True
            continue
        negated, pending_not = negated or pending_not, False
        if not quoted and ":" in raw:
            key, _, value = raw.partition(":")
            if key.lower() in _OPERATORS and _apply_operator(parsed, negated, key.lower(), value):
                pending_or = False
                continue
        words = words_of(raw)
        if not words:
            continue
        if quoted:
            terms = [Term(tuple(words[:MAX_PHRASE_WORDS]), phrase=len(words) > 1)]
        else:
            terms = [Term((w,)) for w in _drop_short_words(words)]
        for term in terms:
            if term_count >= MAX_TERMS:
                break
            term_count += 1
            if negated:
                parsed.excluded.append(term)
            elif pending_or:
                parsed.clauses[-1].append(term)
                pending_or = False
            else:
                parsed.clauses.append([term])
        pending_or = False
    return parsed


def unparse(parsed):
    """A canonical query string for a ParsedQuery (used by facet links)."""
    parts = []

    def show(term):
        return f'"{term.text}"' if term.phrase else term.text

    for clause in parsed.clauses:
        parts.append(" OR ".join(show(t) for t in clause))
    parts += [f"-{show(t)}" for t in parsed.excluded]
    parts += [f'tag:"{t}"' if " " in t else f"tag:{t}" for t in parsed.tags]
    parts += [f'-tag:"{t}"' if " " in t else f"-tag:{t}" for t in parsed.excluded_tags]
    parts += [f"user:{u}" for u in parsed.users]
    parts += [f"site:{s}" for s in parsed.sites]
    parts += [f"type:{t}" for t in sorted(parsed.types)]
    if parsed.is_unread:
        parts.append("is:unread")
    if parsed.has_highlights:
        parts.append("has:highlights")
    if parsed.has_comments:
        parts.append("has:comments")
    if parsed.after:
        parts.append(f"after:{parsed.after.isoformat()}")
    if parsed.before:
        parts.append(f"before:{parsed.before.isoformat()}")
    return " ".join(parts)


# ä ö ü ß as ae oe ue ss: what search_fold (search/migrations/0012) does to page texts.
GERMAN_FOLDS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def fold_german(text: str) -> str:
    """The spelling the search vectors hold for German umlauts (Überwachung → Ueberwachung)."""
    return text.translate(GERMAN_FOLDS)
