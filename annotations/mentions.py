"""@username in comments, notes and topics: find the names, and turn them into profile links
in the rendered HTML. Pure: the callers decide who may be linked (who may read the item)."""

import re

from django.urls import reverse

# A mention starts a word (not the middle of an e-mail address) and ends before a trailing
# full stop or comma: "thanks @ana." mentions "ana".
MENTION = re.compile(r"(?<![\w@.+-])@([\w][\w.+-]{0,149})")
MAX_MENTIONS = 20
# Text between tags, and the tags themselves, of the sanitized HTML markdown produced.
_PARTS = re.compile(r"(<[^>]*>)")
_SKIP_INSIDE = {"a", "code", "pre"}


def _name(match):
    return match.group(1).rstrip(".-+")


def find_mentions(text: str) -> list[str]:
    """The usernames mentioned in the text, in order, each once (at most MAX_MENTIONS)."""
    seen = []
    for match in MENTION.finditer(text or ""):
        name = _name(match)
        if name and name.lower() not in (s.lower() for s in seen):
            seen.append(name)
    return seen[:MAX_MENTIONS]


def link_mentions(html: str, usernames: set[str]) -> str:
    """The HTML with each @name of `usernames` (case-insensitive) a link to the profile;
    nothing inside links and code changes."""
    if not html or not usernames:
        return html
    wanted = {name.lower(): name for name in usernames}
    depth = 0
    out = []
    for part in _PARTS.split(html):
        if part.startswith("<"):
            tag = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if tag and tag.group(1).lower() in _SKIP_INSIDE:
                depth += -1 if part.startswith("</") else 1
            out.append(part)
            continue
        if depth > 0:
            out.append(part)
            continue

        def replace(match):
            name = _name(match)
            real = wanted.get(name.lower())
            if real is None:
                return match.group(0)
            rest = match.group(1)[len(name) :]
            url = reverse("library:user", args=[real])
            return f'<a class="mention" href="{url}">@{name}</a>{rest}'

        out.append(MENTION.sub(replace, part))
    return "".join(out)
