"""Find a highlight's quote in a page's text again: exact first, then approximate.

The approach is the one of Hypothesis's client (`anchoring/match-quote`): every place where
the quote occurs with at most a quarter of its length in edit errors is a candidate; each
candidate is scored by how close the quote is, how similar the text before and after it is to
the stored prefix and suffix, and how near it is to the old offset. Candidates come from
Myers' bit-parallel approximate search (one pass over the text); distances and similarities
come from rapidfuzz.

Matching compares folded forms, as the W3C TextQuoteSelector allows: every run of Unicode
whitespace (no-break spaces of French typography included) is one space, and typographic
apostrophes and quotes are the ASCII ones; offsets are mapped back to the original text.
"""

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

ANCHORED = "anchored"
FUZZY = "fuzzy"
ORPHANED = "orphaned"

CONTEXT_CHARS = 200
MAX_CANDIDATES = 50

# Weights from Hypothesis's match-quote.
QUOTE_WEIGHT = 50
PREFIX_WEIGHT = 20
SUFFIX_WEIGHT = 20
POSITION_WEIGHT = 2


@dataclass(frozen=True)
class Anchor:
    start: int | None
    end: int | None
    status: str
    score: float = 0.0

    @property
    def found(self):
        return self.status != ORPHANED


def snapshot_of(text, start, end, context=CONTEXT_CHARS):
    """The passage with about `context` characters either side, cut at word boundaries."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    return ("…" if left > 0 else "") + text[left:right] + ("…" if right < len(text) else "")


# Folded one character to one character, so offsets do not move.
QUOTE_FOLDS = str.maketrans(
    {
        "\u2019": "'",  # ’
        "\u2018": "'",  # ‘
        "\u201b": "'",  # ‛
        "\u02bc": "'",  # ʼ modifier letter apostrophe
        "\u2032": "'",  # ′
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u201f": '"',  # ‟
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u2033": '"',  # ″
    }
)
SPACES = re.compile(r"\s+")  # str patterns: \s is every Unicode space (U+00A0, U+202F, ...)


def fold(value: str) -> str:
    """The form quotes and texts are compared in."""
    return SPACES.sub(" ", value.translate(QUOTE_FOLDS))


@dataclass(frozen=True)
class Folded:
    """A folded text and the way back: piece k of the folded text starts at norm_starts[k]
    and comes from original[orig_starts[k]:orig_ends[k]] (a whitespace run folded to one
    space when is_space[k], else the same characters)."""

    text: str
    norm_starts: tuple[int, ...]
    orig_starts: tuple[int, ...]
    orig_ends: tuple[int, ...]
    is_space: tuple[bool, ...]

    def start_in_original(self, position: int) -> int:
        if position >= len(self.text):
            return self.orig_ends[-1] if self.orig_ends else 0
        k = bisect_right(self.norm_starts, position) - 1
        if self.is_space[k]:
            return self.orig_starts[k]
        return self.orig_starts[k] + position - self.norm_starts[k]

    def end_in_original(self, position: int) -> int:
        if position <= 0:
            return 0
        k = bisect_right(self.norm_starts, position - 1) - 1
        if self.is_space[k]:
            return self.orig_ends[k]
        return self.orig_starts[k] + position - self.norm_starts[k]

    def from_original(self, offset: int) -> int:
        k = bisect_right(self.orig_starts, offset) - 1
        if k < 0:
            return 0
        if offset >= self.orig_ends[k]:  # past the end of the text
            return len(self.text)
        if self.is_space[k]:
            return self.norm_starts[k]
        return self.norm_starts[k] + offset - self.orig_starts[k]


@lru_cache(maxsize=8)  # re-anchoring a page folds its text once for all its highlights
def folded(text: str) -> Folded:
    translated = text.translate(QUOTE_FOLDS)
    parts, norm_starts, orig_starts, orig_ends, is_space = [], [], [], [], []
    position = folded_length = 0

    def piece(start: int, end: int, space: bool) -> None:
        nonlocal folded_length
        chunk = " " if space else translated[start:end]
        parts.append(chunk)
        norm_starts.append(folded_length)
        orig_starts.append(start)
        orig_ends.append(end)
        is_space.append(space)
        folded_length += len(chunk)

    for match in SPACES.finditer(translated):
        start, end = match.span()
        if start > position:
            piece(position, start, False)
        piece(start, end, True)
        position = end
    if position < len(text):
        piece(position, len(text), False)
    return Folded(
        "".join(parts), tuple(norm_starts), tuple(orig_starts), tuple(orig_ends), tuple(is_space)
    )


def anchor(
    text: str, exact: str, prefix: str = "", suffix: str = "", old_start: int | None = None
) -> Anchor:
    """Where `exact` is in `text` now: Anchor(start, end, status, score), offsets in `text`.

    The quote's own leading and trailing whitespace is matched against the text's whitespace
    next to the passage (as many characters as the quote has), so a verbatim quote gets its
    verbatim offsets even when it starts or ends inside a run of spaces."""
    core = exact.strip()
    if not core or not text:
        return Anchor(None, None, ORPHANED)
    lead = len(exact) - len(exact.lstrip())
    trail = len(exact) - len(exact.rstrip())
    page = folded(text)
    found = anchor_folded(
        page.text,
        fold(core),
        prefix=fold(prefix + exact[:lead]),
        suffix=fold(exact[len(exact) - trail :] + suffix),
        old_start=page.from_original(old_start) if old_start is not None else None,
    )
    if not found.found:
        return found
    start = page.start_in_original(found.start)
    end = page.end_in_original(found.end)
    while lead and start > 0 and text[start - 1].isspace():
        start, lead = start - 1, lead - 1
    while trail and end < len(text) and text[end].isspace():
        end, trail = end + 1, trail - 1
    return Anchor(start, end, found.status, found.score)


def anchor_folded(
    text: str, exact: str, *, prefix: str, suffix: str, old_start: int | None
) -> Anchor:
    """anchor() on texts already folded: offsets in the folded text."""
    if not exact or not text:
        return Anchor(None, None, ORPHANED)
    exact_hits = list(find_all(text, exact))
    if exact_hits:
        (start, end), score = best(text, exact, prefix, suffix, old_start, exact_hits)
        return Anchor(start, end, ANCHORED, score)
    max_errors = len(exact) // 4
    if max_errors == 0:
        return Anchor(None, None, ORPHANED)
    # Cheap C-speed rejection: an alignment within k edits has an Indel ratio ≥ 1 - k/m.
    cutoff = 100 * (1 - max_errors / len(exact)) - 0.01
    if fuzz.partial_ratio(exact, text, score_cutoff=cutoff) == 0:
        return Anchor(None, None, ORPHANED)
    candidates = []
    for left, right in search_windows(text, exact, max_errors, old_start):
        candidates += [
            (start + left, end + left, errors)
            for start, end, errors in approximate_matches(text[left:right], exact, max_errors)
        ]
    if not candidates:
        return Anchor(None, None, ORPHANED)
    (start, end), score = best(text, exact, prefix, suffix, old_start, candidates)
    return Anchor(start, end, FUZZY, score)


FULL_SCAN_CHARS = 5000


def search_windows(text, exact, max_errors, old_start):
    """Where to run the (pure Python) approximate search. Short texts are scanned whole; in a
    long one, around rapidfuzz's best alignment (found in C over the whole text) and around
    the old offset, which is where a lightly edited quote is in practice."""
    if len(text) <= FULL_SCAN_CHARS:
        return [(0, len(text))]
    margin = len(exact) + max_errors
    alignment = fuzz.partial_ratio_alignment(exact, text)
    windows = [(alignment.dest_start - margin, alignment.dest_end + margin)]
    if old_start is not None:
        windows.append((old_start - 2 * margin, old_start + 2 * margin))
    merged = []
    for left, right in sorted((max(0, a), min(len(text), b)) for a, b in windows):
        if merged and left <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], right))
        else:
            merged.append((left, right))
    return merged


def find_all(text, exact):
    start = text.find(exact)
    while start != -1:
        yield (start, start + len(exact), 0)
        start = text.find(exact, start + 1)


def best(text, exact, prefix, suffix, old_start, candidates):
    """The best-scoring candidate ((start, end), score) as Hypothesis scores them."""
    scored = []
    for start, end, errors in candidates:
        quote_score = 1 - errors / len(exact)
        prefix_score = (
            Levenshtein.normalized_similarity(prefix, text[max(0, start - len(prefix)) : start])
            if prefix
            else 1.0
        )
        suffix_score = (
            Levenshtein.normalized_similarity(suffix, text[end : end + len(suffix)])
            if suffix
            else 1.0
        )
        position_score = 1 - abs(start - old_start) / len(text) if old_start is not None else 1.0
        raw = (
            QUOTE_WEIGHT * quote_score
            + PREFIX_WEIGHT * prefix_score
            + SUFFIX_WEIGHT * suffix_score
            + POSITION_WEIGHT * position_score
        )
        scored.append(
            (raw / (QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT), start, end)
        )
    score, start, end = max(scored, key=lambda item: (item[0], -item[1]))
    return (start, end), score


def approximate_matches(text, pattern, max_errors):
    """(start, end, errors) of the places where `pattern` occurs in `text` with at most
    `max_errors` edits; one per run of neighbouring end positions (its best)."""
    ends = myers_match_ends(text, pattern, max_errors)
    if not ends:
        return []
    # Keep the local minima: a run of adjacent end positions is one occurrence.
    runs, run = [], [ends[0]]
    for item in ends[1:]:
        if item[0] - run[-1][0] <= 1:
            run.append(item)
        else:
            runs.append(min(run, key=lambda e: e[1]))
            run = [item]
    runs.append(min(run, key=lambda e: e[1]))
    runs.sort(key=lambda e: e[1])
    matches = []
    m = len(pattern)
    for end, _errors in runs[:MAX_CANDIDATES]:
        best_start, best_errors = None, max_errors + 1
        for start in range(max(0, end - m - max_errors), max(0, end - m + max_errors) + 1):
            errors = Levenshtein.distance(pattern, text[start:end], score_cutoff=max_errors)
            if errors < best_errors or (errors == best_errors and best_start is None):
                best_start, best_errors = start, errors
        if best_start is not None and best_errors <= max_errors:
            matches.append((best_start, end, best_errors))
    return matches


def myers_match_ends(text, pattern, max_errors):
    """Myers (1999) bit-parallel search: [(end, errors)] for every end position in `text` at
    which some substring ending there is within `max_errors` edits of `pattern`."""
    m = len(pattern)
    full = (1 << m) - 1
    last = 1 << (m - 1)
    peq = {}
    for i, char in enumerate(pattern):
        peq[char] = peq.get(char, 0) | (1 << i)
    pv, mv, score = full, 0, m
    found = []
    for j, char in enumerate(text):
        eq = peq.get(char, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & last:
            score += 1
        elif mh & last:
            score -= 1
        # Search, not global distance: the first row is all zeros, so nothing is shifted in.
        ph = (ph << 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        if score <= max_errors:
            found.append((j + 1, score))
    return found


# --- placing a highlight (any object with exact/prefix/suffix/start/end/snapshot) -----------


def apply_anchor(highlight, text, now):
    """Locate one highlight in `text` and set its offsets, status, snapshot and time.

    An orphan keeps its last offsets and snapshot (the passage as it was when last found):
    the UI shows it as "no longer on the page" with that snapshot.
    """
    found = anchor(text, highlight.exact, highlight.prefix, highlight.suffix, highlight.start)
    if found.found:
        highlight.start, highlight.end = found.start, found.end
        highlight.snapshot = snapshot_of(text, found.start, found.end)
    elif not highlight.snapshot:
        highlight.snapshot = f"{highlight.prefix}{highlight.exact}{highlight.suffix}"
    highlight.anchor_status = found.status
    highlight.anchored_at = now
    return highlight


def anchor_state(highlight):
    return (
        highlight.start,
        highlight.end,
        highlight.anchor_status,
        highlight.snapshot,
        highlight.anchored_at is None,
    )
