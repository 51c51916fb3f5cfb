"""Tag normalization: trimmed, inner spaces folded, lower-cased, accents kept, deduplicated."""

import re

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
