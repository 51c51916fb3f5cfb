"""Tag normalization: trimmed, inner spaces folded, lower-cased, accents kept, deduplicated."""

import re
import unicodedata

MAX_TAG_LENGTH = 100
MAX_TAGS = 50
_SPACES = re.compile(r"\s+")


def normalize_tag(tag):
    tag = _SPACES.sub(" ", str(tag)).strip().strip(",").strip().lower()
    return tag[:MAX_TAG_LENGTH]


def parse_tags(value):
    """Tags from a list or from text separated by commas (or spaces when there is no comma)."""
    if value is None:
        return []
    if isinstance(value, str):
        pieces = value.split(",") if "," in value else value.split()
    else:
        pieces = list(value)
    seen = []
    for piece in pieces:
        tag = normalize_tag(piece)
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def tag_sort_key(tag: str) -> tuple[str, str]:
    """Alphabetical order as a reader expects it: accents do not count ("écrans" among the
    e's, "télétravail" before "travail-gratuit"); the accented form breaks ties."""
    letters = unicodedata.normalize("NFKD", tag)
    bare = "".join(c for c in letters if not unicodedata.combining(c)).casefold()
    return bare, tag
