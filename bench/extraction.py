"""Score the main-text extractor on pages with hand-marked article text.

    python bench/extraction.py [--data DIR] [--worst 5]

DIR defaults to ../shared/data/extraction beside the repository (html/<key>.html.gz and
ground-truth.json, see its README). The scoring is the Article Extraction Benchmark's: 4-token
shingles counted with multiplicity, tp/fp/fn normalised per page, precision and recall averaged
over the pages, F1 from the two means. Prints F1, precision, recall, the pages that came out
empty and the milliseconds per page (decoding + metadata + text, as a fetch does them).
No database.
"""

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import _setup
from _setup import ROOT

_setup.bootstrap()

from bookmarks.extract import extract  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction"
TOKEN = re.compile(r"\w+")
GOAL_F1 = 0.95


def shingles(text: str, *, size: int = 4) -> Counter:
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_scores(predicted: str, truth: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page; None where the benchmark leaves the page out."""
    got, want = shingles(predicted), shingles(truth)
    tp = sum((got & want).values())
    fp = sum(got.values()) - tp
    fn = sum(want.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return 1.0, 1.0
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = (1.0 if fp == fn == 0 else tp / (tp + fp)) if got else None
    recall = tp / (tp + fn) if want else None
    return precision, recall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--worst", type=int, default=5, help="list the N lowest-F1 pages")
    args = parser.parse_args()
    truth_file = args.data / "ground-truth.json"
    if not truth_file.exists():
        print(
            f"no extraction data at {args.data} (expected ground-truth.json and html/): "
            "put the shared data beside the repository (../shared/data/extraction) or pass --data",
            file=sys.stderr,
        )
        return 2
    truth = json.loads(truth_file.read_text())
    precisions, recalls, empty, per_page = [], [], [], []
    elapsed = 0.0
    for key, item in sorted(truth.items()):
        body = gzip.decompress((args.data / "html" / f"{key}.html.gz").read_bytes())
        started = time.perf_counter()
        text = extract(body, url=item.get("url", ""), content_type="text/html").text
        elapsed += time.perf_counter() - started
        precision, recall = page_scores(text, item["articleBody"])
        if precision is None:
            empty.append(key)
        else:
            precisions.append(precision)
        if recall is not None:
            recalls.append(recall)
        p, r = precision or 0.0, recall or 0.0
        per_page.append((2 * p * r / (p + r) if p + r else 0.0, key))
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"pages: {len(truth)}")
    print(f"F1: {f1:.3f}  precision: {precision:.3f}  recall: {recall:.3f}  (goal F1 ≥ {GOAL_F1})")
    print(f"empty pages: {len(empty)}")
    print(f"ms per page: {1000 * elapsed / len(truth):.1f}")
    for score, key in sorted(per_page)[: args.worst]:
        print(f"  low: {score:.3f} {key} {truth[key].get('url', '')[:80]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
