"""Benchmark of spam holding: precision, recall and F1 on real labelled comments, time per comment.

    python bench/spam.py

Judges every comment as `manage.py spam_score` does (the first post of a new member of a public
group: named signals, context signals, text model, default threshold), and, for comparison,
the named text signals alone (the scorer before the model). Figures only, no assertions; no
database needed.

- Each CSV file (class,content) in ../shared/data/spam relative to the repository: a 5-fold
  split. Each fold's model is trained on the shipped data minus every comment of that file,
  plus the file's four other folds, so no comment is scored by a model trained on it. A file
  whose comments are not among the shipped data is also scored by the committed model.
- Our own set (annotations/spam_data/commonplace.csv and written.csv): a 5-fold split the
  same way.
"""

import random
import statistics
import sys
import time

import _setup

_setup.bootstrap()

from annotations import spam  # noqa: E402 - after bootstrap put the repository on sys.path

SHARED = _setup.ROOT.parent / "shared" / "data" / "spam"
OWN = ("commonplace.csv", "written.csv")
FOLDS = 5


def figures(pairs):
    """(precision, recall, F1, held honest comments) of (held, is_spam) pairs."""
    tp = sum(held and is_spam for held, is_spam in pairs)
    fp = sum(held and not is_spam for held, is_spam in pairs)
    fn = sum(not held and is_spam for held, is_spam in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, fp


def line(name, pairs):
    precision, recall, f1, fp = figures(pairs)
    spam_count = sum(is_spam for _, is_spam in pairs)
    print(
        f"  {name:<34} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}  "
        f"({len(pairs)} comments, {spam_count} spam, {fp} honest held)"
    )


def held(text, model):
    return spam.judge(text, context=spam.NEW_MEMBER, model=model).is_spam


def cross_validate(examples, others):
    """(held, is_spam) of each example, by a model trained on `others` and the other folds."""
    order = list(range(len(examples)))
    random.Random(5).shuffle(order)
    pairs = []
    for fold in range(FOLDS):
        test = set(order[fold::FOLDS])
        train = others + [examples[i] for i in order if i not in test]
        model = spam.train(train)
        pairs += [(held(examples[i][0], model), examples[i][1]) for i in sorted(test)]
    return pairs


def report(name, examples, shipped, committed):
    texts = {text for text, _ in examples}
    others = [(text, is_spam) for text, is_spam in shipped if text not in texts]
    print(f"\n{name}")
    line(
        "text signals alone (old scorer)", [(spam.text_signals(t).is_spam, s) for t, s in examples]
    )
    line(f"signals + model, {FOLDS}-fold", cross_validate(examples, others))
    if committed is not None and len(others) == len(shipped):
        line("committed model (never trained on)", [(held(t, committed), s) for t, s in examples])


def main():
    shipped = spam.shipped_examples()
    committed = spam.load_model()
    if committed is None:
        print(
            "no committed model (annotations/spam_model.json): run manage.py spam_train --shipped"
        )
    files = sorted(SHARED.glob("*.csv")) if SHARED.is_dir() else []
    if not files:
        print(
            f"shared real set not found in {SHARED}: only our own set is measured", file=sys.stderr
        )
    for path in files:
        report(f"{path.name} (real comments)", spam.read_examples(path), shipped, committed)
    own = [e for name in OWN for e in spam.read_examples(spam.SPAM_DATA / name)]
    report("our own set (" + " + ".join(OWN) + ")", own, shipped, None)

    texts = [text for text, _ in shipped]
    started = time.perf_counter()
    spam.train(shipped)
    print(
        f"\ntraining on the {len(shipped)} shipped comments: {time.perf_counter() - started:.2f} s"
    )
    if committed is not None:
        rounds = []
        for _ in range(5):
            started = time.perf_counter()
            for text in texts:
                spam.judge(text, context=spam.NEW_MEMBER, model=committed)
            rounds.append((time.perf_counter() - started) / len(texts) * 1e6)
        print(f"scoring: {statistics.median(rounds):.0f} µs per comment (median of 5 rounds)")
        size = spam.DEFAULT_MODEL_PATH.stat().st_size
        print(f"committed model: {len(committed.weights)} weights, {size // 1024} KiB")


if __name__ == "__main__":
    main()
