"""The faster spam scoring (an import judges tens of thousands of notes) gives the verdicts the
straightforward definitions give: the same folding, the same buckets as hashing every feature
string of `features`, the same model probability to the last bit, the same score and reasons.

The reference below is the code as it was before it was made faster; the texts are the
labelled comments shipped for training, the test set, import-like notes and awkward shapes.
"""

import math
import random
import unicodedata
import zlib

import pytest

from annotations import spam

from .spam_set import SPAM_SET


def reference_fold(text):
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def reference_find_links(text):
    return [link.rstrip(".,;:!?") for link in spam.URL_RE.findall(text)]


def reference_hashed(text):
    return sorted({zlib.crc32(f.encode()) % spam.BUCKETS for f in spam.features(text)})


def reference_probability(model, text):
    buckets = reference_hashed(text)
    z = sum(model.weights.get(b, 0.0) for b in buckets) / math.sqrt(len(buckets))
    return spam._sigmoid(model.bias + z)


AWKWARD = [
    "",
    " ",
    "!!!!",
    "ÉNORME PROMO CASINO EN LIGNE, CLIQUEZ ICI !!!",
    "VERY LOUD BUT SHORT",
    "Ⓐⓑⓒ ⅯⅭⅯ ǅungla ﬁnance ﬂow — ligatures et lettres cerclées ÀÉÎÕÜ",
    "l’économie « des plateformes » — c’est déjà ça",
    "Gagnez de l’argent facilement: https://bit.ly/xyz et www.casino-gratuit.xyz !",
    "voir http://[malformed et https://exemple.fr/a.b?c=d.",
    "&lt;b&gt;gras&lt;/b&gt; &amp; &eacute;t&eacute; &nbsp;avec entités",
    "e\u0301te\u0301 de\u0301compose\u0301 (NFD), 한국어 텍스트, 中文, ελληνικά, русский",
    "prêt entre particuliers sans justificatif, taux de 2% — contactez-moi +33 6 12 34 56 78",
    "mail: spam@example.com, 100 € gagnés, 50$ offerts",
    "no.dot.links but a.b c.d e.com f.io",
    "URL://odd scheme and ftp://files.example.org/x",
    "x" * 3000,
    "mot " * 400,
]


def _texts():
    rng = random.Random(13)
    words = [
        "travail",
        "plateformes",
        "numérique",
        "économie",
        "micro-travail",
        "clic",
        "tâches",
        "algorithme",
        "livreurs",
        "chauffeurs",
        "«»",
        "données",
        "enquête",
        "société",
        "work",
        "platform",
        "gig",
        "workers",
        "research",
        "data",
        "union",
    ]
    notes = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 20))) for _ in range(300)]
    shipped = [text for text, _ in spam.shipped_examples()]
    return shipped + [text for text, _ in SPAM_SET] + notes + AWKWARD


TEXTS = _texts()


def test_folding_is_unchanged():
    for text in TEXTS:
        assert spam._fold(text) == reference_fold(text), text
    # characters seen before are folded the same way the second time
    assert [spam._fold(t) for t in TEXTS] == [reference_fold(t) for t in TEXTS]


def test_links_are_found_as_before():
    for text in TEXTS:
        assert spam.find_links(text) == reference_find_links(text), text


def test_buckets_are_those_of_every_feature(monkeypatch):
    for text in TEXTS:
        assert spam.hashed(text) == reference_hashed(text), text
    monkeypatch.setattr(spam, "_fold", reference_fold)  # features() as it was, fold included
    for text in TEXTS:
        assert spam.hashed(text) == reference_hashed(text), text


def test_model_probability_is_the_same_number():
    model = spam.load_model()
    assert model is not None
    for text in TEXTS:
        assert model.probability(text) == reference_probability(model, text), text


@pytest.mark.parametrize("context", [None, spam.NEW_MEMBER, spam.Context(copies=3)])
def test_verdicts_are_unchanged(monkeypatch, context):
    model = spam.load_model()
    now = [spam.judge(t, context=context, model=model, threshold=0.75) for t in TEXTS]
    with monkeypatch.context() as m:
        m.setattr(spam, "_fold", reference_fold)
        m.setattr(spam, "find_links", reference_find_links)
        m.setattr(spam, "hashed", reference_hashed)
        m.setattr(spam.TextModel, "probability", reference_probability)
        before = [spam.judge(t, context=context, model=model, threshold=0.75) for t in TEXTS]
    assert [(v.score, v.reasons, v.model_score, v.is_spam) for v in now] == [
        (v.score, v.reasons, v.model_score, v.is_spam) for v in before
    ]
    assert any(v.is_spam for v in now)
    if context is None or not context.copies:  # three copies elsewhere hold every text
        assert not all(v.is_spam for v in now)
