"""Spam scoring of every new post: named signals that explain a hold, plus a learned text model.

A verdict adds the points of transparent signals (links and where they point, the vocabulary of
gambling, loans, crypto and pharma spam in French and English, lures; and, when the caller
knows them, the author and context: a new account, a first post, a burst, the same text on
many items, links to domains moderators marked spam) to the points of a small logistic
regression over word and character n-grams, trained by `manage.py spam_train` from the
labelled comments shipped in annotations/spam_data/ and the labels moderators gave. A score at
or over the group's threshold holds the post. Pure: values in, values out; the database reads
behind a Context live in selectors.py, the training data is gathered by services.py.
"""

import csv
import html
import json
import math
import os
import random
import re
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

THRESHOLD = 1.0
# A group's moderators pick how eager the holding is (Group.spam_sensitivity).
THRESHOLDS = {"stricter": 0.75, "default": THRESHOLD, "looser": 1.4}
# A moderator's "spam" verdict stamps this score, so the same text posted again is held.
MARKED_SPAM_SCORE = 10.0


@dataclass
class Verdict:
    score: float = 0.0
    reasons: list = field(default_factory=list)
    model_score: float | None = None  # the text model's spam probability, when it ran
    threshold: float = THRESHOLD

    @property
    def is_spam(self):
        return self.score >= self.threshold

    def explain(self):
        """One line for the moderation log: the signals that fired, then the model's score."""
        return f"score {self.score:.2f}: " + ", ".join(self.reasons)

    def add(self, points, reason):
        if points:
            self.score = round(self.score + points, 3)
            self.reasons.append(reason)


# Characters seen by _fold, and those of them that are combining marks. Both only grow, to
# the characters texts actually hold.
_SEEN_CHARACTERS = set()
_COMBINING = set()


def _fold(text):
    """Lower-case without accents, so "vérifié" and "verifie" match the same word list."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    if decomposed.isascii():
        return decomposed  # no combining mark, no curly apostrophe
    # each distinct character tested once, each mark removed by one replace
    characters = set(decomposed)
    for c in characters - _SEEN_CHARACTERS:
        if unicodedata.combining(c):
            _COMBINING.add(c)
        _SEEN_CHARACTERS.add(c)
    for mark in characters & _COMBINING:
        decomposed = decomposed.replace(mark, "")
    return decomposed.replace("’", "'")


# --- links -------------------------------------------------------------------------------
URL_RE = re.compile(
    r"""(?:https?://|www\.)[^\s<>"')\]]+"""
    r"""|\b[a-z0-9][a-z0-9-]{1,62}\.(?:com|net|org|info|biz|fr|xyz|top|club|win|bet|casino|"""
    r"""loan|click|icu|buzz|vip|online|site|live|shop|store|io|co|me|ru|cn|pro|fun|games?)"""
    r"""(?:/[^\s<>"')\]]*)?\b""",
    re.IGNORECASE,
)
SUSPICIOUS_TLDS = {
    "xyz", "top", "club", "win", "bet", "casino", "loan", "click", "icu", "buzz", "vip",
    "online", "site", "live", "shop", "fun", "game", "games", "ru", "cn", "pro",
}  # fmt: skip
SHORTENERS = {
    "bit.ly", "tinyurl.com", "t.co", "goo.gl", "cutt.ly", "is.gd", "ow.ly", "rebrand.ly",
    "shorturl.at", "rb.gy", "t.me", "wa.me", "linktr.ee",
}  # fmt: skip
SPAMMY_DOMAIN_WORDS = (
    "casino", "betting", "poker", "slots", "loan", "cash", "pharma", "pills", "viagra",
    "cialis", "crypto", "bitcoin", "forex", "jackpot", "roulette",
)  # fmt: skip


LINK_POINTS = {1: 0.1, 2: 0.4}  # three and more: 1.0 (one link is what honest comments cite)


def find_links(text):
    if "." not in text and "://" not in text:
        return []  # every link has one or the other (most notes have neither): no regex
    return [link.rstrip(".,;:!?") for link in URL_RE.findall(text)]


def link_domain(link):
    target = link if "://" in link else f"http://{link}"
    try:
        host = (urlsplit(target).hostname or "").lower()
    except ValueError:  # a malformed URL ("http://[x") is still a link, to no known domain
        return ""
    return host.removeprefix("www.")


# --- vocabulary ----------------------------------------------------------------------------
# (folded phrase, points). Strong words are rarely innocent in a comment; weak ones only count
# next to others.
VOCABULARY = {
    "gambling": [
        ("casino", 0.6), ("roulette", 0.6), ("jackpot", 0.6), ("machines a sous", 0.6),
        ("machine a sous", 0.6), ("slot machine", 0.6), ("free spins", 0.6),
        ("tours gratuits", 0.6), ("paris sportifs", 0.6), ("sports betting", 0.6),
        ("bookmaker", 0.5), ("poker en ligne", 0.6), ("online poker", 0.6), ("blackjack", 0.5),
        ("betting", 0.4), ("gambling", 0.3), ("bonus de bienvenue", 0.6),
        ("welcome bonus", 0.6), ("deposit bonus", 0.6), ("bonus sans depot", 0.6),
    ],
    "loans": [
        ("payday loan", 0.7), ("quick loan", 0.6), ("fast loan", 0.6), ("loan offer", 0.6),
        ("pret rapide", 0.6), ("pret personnel", 0.4), ("pret entre particuliers", 0.8),
        ("offre de pret", 0.7), ("credit rapide", 0.6), ("sans justificatif", 0.5),
        ("bad credit", 0.5), ("no credit check", 0.7), ("rachat de credit", 0.5),
        ("financement rapide", 0.5), ("taux de 2%", 0.5), ("interest rate of", 0.4),
    ],
    "crypto": [
        ("bitcoin", 0.4), ("crypto", 0.3), ("forex", 0.5), ("binary options", 0.7),
        ("options binaires", 0.7), ("trading bot", 0.6), ("robot de trading", 0.6),
        ("double your", 0.6), ("doublez votre", 0.6), ("investment platform", 0.5),
        ("plateforme d'investissement", 0.5), ("passive income", 0.5), ("revenu passif", 0.5),
        ("nft drop", 0.5), ("airdrop", 0.5), ("usdt", 0.4),
    ],
    "pharma": [
        ("viagra", 0.8), ("cialis", 0.8), ("levitra", 0.8), ("pharmacie en ligne", 0.6),
        ("online pharmacy", 0.6), ("sans ordonnance", 0.6), ("without prescription", 0.6),
        ("no prescription", 0.6), ("weight loss pills", 0.7), ("pilules", 0.4), ("pills", 0.3),
        ("perte de poids", 0.3), ("tramadol", 0.7), ("xanax", 0.6), ("cbd oil", 0.4),
    ],
    "lure": [
        ("gagner ici", 0.5), ("gagnez", 0.3), ("gagner de l'argent", 0.5),
        ("gagner facilement", 0.5), ("argent facile", 0.6), ("earn money", 0.5),
        ("make money", 0.5), ("easy money", 0.6), ("from home", 0.2), ("depuis chez vous", 0.2),
        ("click here", 0.4), ("cliquez ici", 0.4), ("visit my", 0.3), ("visitez", 0.2),
        ("check out my", 0.3), ("buy now", 0.5), ("achetez", 0.3), ("order now", 0.4),
        ("limited offer", 0.4), ("offre limitee", 0.4), ("100% garanti", 0.5),
        ("guaranteed", 0.3), ("garanti", 0.2), ("verifie par moi", 0.4), ("contact me on", 0.4),
        ("contactez-moi", 0.3), ("whatsapp", 0.5), ("telegram", 0.4), ("code promo", 0.4),
        ("promo code", 0.4), ("inscrivez-vous", 0.3), ("sign up now", 0.4), ("best price", 0.3),
        ("meilleur prix", 0.3), ("cheap", 0.3), ("pas cher", 0.3), ("discount", 0.2),
        ("dm me", 0.4), ("recovery expert", 0.7), ("recuperer vos fonds", 0.7),
        ("recover your funds", 0.7), ("hacker", 0.3), ("en quelques clics", 0.3),
        ("in a few clicks", 0.3), ("vous pouvez toujours gagner", 0.4), ("you can win", 0.4),
    ],
}  # fmt: skip

_TERM_RES = {
    category: [(re.compile(rf"(?<![a-z0-9]){re.escape(p)}(?![a-z0-9])"), pts) for p, pts in terms]
    for category, terms in VOCABULARY.items()
}
# A term matches only where its phrase is a substring: plain `in` checks (fast) say whether a
# category can score before its regexes run (most texts have none of the words; an import
# judges tens of thousands of texts).
_TERM_PHRASES = {category: tuple(p for p, _pts in terms) for category, terms in VOCABULARY.items()}
MONEY_RE = re.compile(
    r"(?:[$€£]\s?\d|\d\s?[$€£]|\d[\d\s.,]*\s?(?:euros?|dollars?|usd)\b)", re.IGNORECASE
)
CONTACT_RE = re.compile(r"(?:\+\d[\d\s().-]{7,}\d|[\w.+-]+@[\w-]+\.[\w.]+)")


def text_signals(text):
    """The verdict from the text alone (no author, no history): what the labelled set measures."""
    verdict = Verdict()
    if not text:
        return verdict
    folded = _fold(text)

    links = find_links(text)
    if links:
        verdict.add(LINK_POINTS.get(len(links), 1.0), f"{len(links)} link(s)")
        domains = {link_domain(link) for link in links}
        for domain in sorted(domains):
            tld = domain.rsplit(".", 1)[-1]
            if domain in SHORTENERS:
                verdict.add(0.5, f"link shortener {domain}")
            elif any(word in domain for word in SPAMMY_DOMAIN_WORDS):
                verdict.add(0.8, f"spammy domain {domain}")
            elif tld in SUSPICIOUS_TLDS:
                verdict.add(0.4, f"suspicious domain {domain}")

    for category, terms in _TERM_RES.items():
        if not any(map(folded.__contains__, _TERM_PHRASES[category])):
            continue
        points = sum(pts for term_re, pts in terms if term_re.search(folded))
        if points:
            verdict.add(min(points, 1.5), f"{category} vocabulary")

    if MONEY_RE.search(text):
        verdict.add(0.25, "money amounts")
    if CONTACT_RE.search(text):
        verdict.add(0.3, "phone number or e-mail")
    if text.count("!") >= 4:
        verdict.add(0.2, "many exclamation marks")
    words = re.findall(r"[A-Za-zÀ-ÿ]{4,}", text)
    if len(words) >= 4 and sum(w.isupper() for w in words) / len(words) > 0.5:
        verdict.add(0.3, "shouting")
    return verdict


# --- the learned text model --------------------------------------------------------------
# Features are hashed into this many buckets (crc32: the same on every machine and Python),
# so the model file holds numbers only, no vocabulary.
BUCKETS = 1 << 18
WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
DEFAULT_MODEL_PATH = Path(__file__).with_name("spam_model.json")
# The labelled comments the model is trained on (README.md there says where each comes from).
SPAM_DATA = Path(__file__).with_name("spam_data")


def read_examples(path) -> list[tuple[str, bool]]:
    """(text, is_spam) from a CSV file with the columns class (spam / ham) and content."""
    with open(path, encoding="utf-8", newline="") as f:
        return [(row["content"], row["class"].strip() == "spam") for row in csv.DictReader(f)]


def shipped_examples() -> list[tuple[str, bool]]:
    return [example for path in sorted(SPAM_DATA.glob("*.csv")) for example in read_examples(path)]


def features(text):
    """The set of features of a text: link domains and counts, words, word pairs, the 3- to
    5-letter pieces of each word (they see "subscribe" in "subscrib" and "sub"), shouting."""
    text = html.unescape(text or "")
    feats = set()
    links = find_links(text)
    for link in links:
        domain = link_domain(link)
        feats.add("L:" + domain)
        feats.add("T:" + domain.rsplit(".", 1)[-1])
    if links:
        # one feature says "has links" (many would make every link weigh like a word list)
        feats.add(f"M:links{min(len(links), 3)}")
    words = WORD_RE.findall(_fold(URL_RE.sub(" zlinkz ", text)))
    feats.update("w:" + word for word in words if word != "zlinkz")
    feats.update(f"b:{a} {b}" for a, b in zip(words, words[1:], strict=False))
    for word in words:
        if word == "zlinkz":
            continue
        padded = f" {word} "
        for n in (3, 4, 5):
            feats.update("c:" + padded[i : i + n] for i in range(len(padded) - n + 1))
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 12 and sum(c.isupper() for c in letters) / len(letters) > 0.6:
        feats.add("M:upper")
    if text.count("!") >= 3:
        feats.add("M:exclamations")
    feats.add(f"M:length{min(len(words) // 5, 6)}")
    return feats


def _bucket(feature):
    return zlib.crc32(feature.encode()) % BUCKETS


@lru_cache(maxsize=1 << 16)
def _word_buckets(word):
    """The buckets of one word's features in `features`: the word and its 3- to 5-letter pieces."""
    padded = f" {word} "
    pieces = {"w:" + word}
    for n in (3, 4, 5):
        pieces.update("c:" + padded[i : i + n] for i in range(len(padded) - n + 1))
    return frozenset(map(_bucket, pieces))


def _mostly_upper(text):
    """At least 12 letters, more than 60 % of them capitals (as in `features`)."""
    if sum(map(str.isupper, text)) <= 7:
        return False  # fewer than 8 capitals: not 60 % of 12 letters or more (most texts)
    letters = sum(map(str.isalpha, text))
    return letters >= 12 and sum(c.isupper() for c in text if c.isalpha()) / letters > 0.6


@lru_cache(maxsize=1 << 16)
def _pair_bucket(first, second):
    return _bucket(f"b:{first} {second}")


def _buckets(text):
    """The set of buckets of `features(text)`, computed without building every feature string:
    the buckets of a word and of a word pair are kept from one text to the next (an import
    judges tens of thousands of texts made of the same words)."""
    text = html.unescape(text or "")
    buckets = set()
    links = find_links(text)
    for link in links:
        domain = link_domain(link)
        buckets.add(_bucket("L:" + domain))
        buckets.add(_bucket("T:" + domain.rsplit(".", 1)[-1]))
    if links:
        buckets.add(_bucket(f"M:links{min(len(links), 3)}"))
    words = WORD_RE.findall(_fold(URL_RE.sub(" zlinkz ", text) if links else text))
    buckets.update(*map(_word_buckets, set(words) - {"zlinkz"}))
    buckets.update(map(_pair_bucket, words, words[1:]))
    if _mostly_upper(text):
        buckets.add(_bucket("M:upper"))
    if text.count("!") >= 3:
        buckets.add(_bucket("M:exclamations"))
    buckets.add(_bucket(f"M:length{min(len(words) // 5, 6)}"))
    return buckets


def hashed(text):
    """The sorted buckets of `features(text)` (tests check that they are the same)."""
    return sorted(_buckets(text))


def _sigmoid(z):
    return 1 / (1 + math.exp(-max(min(z, 30.0), -30.0)))


@dataclass(frozen=True)
class TextModel:
    """A logistic regression over hashed features; probability() is the spam probability."""

    bias: float
    weights: dict  # bucket → weight
    examples: int = 0
    labels: int = 0  # how many moderators' labels were in the training data

    def probability(self, text):
        buckets = _buckets(text)
        if not buckets:
            return _sigmoid(self.bias)
        # The weights of hashed(text) in its order, without the buckets the model does not
        # weigh (most of them): adding 0.0 changes no sum, so this is the same number.
        weighed = sorted(self._weighed.intersection(buckets))
        z = sum(map(self.weights.__getitem__, weighed)) / math.sqrt(len(buckets))
        return _sigmoid(self.bias + z)

    @cached_property
    def _weighed(self):
        return frozenset(self.weights)

    def to_json(self):
        return json.dumps(
            {
                "format": 1,
                "buckets": BUCKETS,
                "examples": self.examples,
                "labels": self.labels,
                "bias": round(self.bias, 4),
                "weights": {str(b): w for b, w in sorted(self.weights.items())},
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, data):
        raw = json.loads(data)
        if raw.get("format") != 1 or raw.get("buckets") != BUCKETS:
            raise ValueError("spam model file of another format: run manage.py spam_train")
        weights = {int(b): float(w) for b, w in raw["weights"].items()}
        return cls(raw["bias"], weights, raw.get("examples", 0), raw.get("labels", 0))


# A moderator's label counts as this many shipped examples: a group's own verdicts should move
# the model more than one comment under a music video.
LABEL_WEIGHT = 3.0
LEARNING_RATE = 0.5
L2 = 1e-4


def train(
    examples: Iterable[tuple[str, bool]],
    *,
    labels: Iterable[tuple[str, bool]] = (),
    epochs: int = 12,
):
    """A TextModel from (text, is_spam) examples and moderators' labels (which win over an
    example of the same text). Deterministic: the same data in any order gives the same model
    (it is sorted, then shuffled with a fixed seed)."""
    weighted = {text: (bool(is_spam), 1.0) for text, is_spam in examples if text}
    labels = [(text, bool(is_spam)) for text, is_spam in labels if text]
    weighted.update((text, (is_spam, LABEL_WEIGHT)) for text, is_spam in labels)
    rows = [
        (hashed(text), float(is_spam), weight)
        for text, (is_spam, weight) in sorted(weighted.items())
    ]
    weights, squares = {}, {}
    bias, bias_square = 0.0, 1e-8
    rate, l2 = LEARNING_RATE, L2
    order = list(range(len(rows)))
    shuffle = random.Random(20).shuffle
    # AdaGrad: each weight's step shrinks with the gradients it has seen, so rare n-grams
    # still learn from their few examples.
    for _ in range(epochs):
        shuffle(order)
        for i in order:
            buckets, target, weight = rows[i]
            if not buckets:
                continue
            scale = 1 / math.sqrt(len(buckets))
            z = bias + sum(weights.get(b, 0.0) for b in buckets) * scale
            gradient = (_sigmoid(z) - target) * weight
            bias_square += gradient * gradient
            bias -= rate * gradient / math.sqrt(bias_square)
            for b in buckets:
                g = gradient * scale + l2 * weights.get(b, 0.0)
                squares[b] = squares.get(b, 1e-8) + g * g
                weights[b] = weights.get(b, 0.0) - rate * g / math.sqrt(squares[b])
    kept = {b: round(w, 3) for b, w in weights.items() if abs(w) >= 0.01}
    return TextModel(bias, kept, examples=len(rows), labels=len(labels))


@lru_cache(maxsize=4)
def _load(path, mtime):
    return TextModel.from_json(Path(path).read_text(encoding="utf-8"))


def load_model(path=DEFAULT_MODEL_PATH):
    """The model in `path` (re-read when the file changes: a retraining reaches every
    process), or None when there is none yet."""
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        return None
    return _load(str(path), mtime)


# --- author and context ------------------------------------------------------------------
# Below this many characters, the same text on many items is ordinary ("Thanks!", "+1").
DUPLICATE_MIN_LENGTH = 20
NEW_ACCOUNT_AGE = timedelta(days=3)
BURST_WINDOW = timedelta(minutes=10)
# The model's probability counts this many points: 0.85 and over holds a post on its own; a
# lower one needs a named signal beside it. A new member's link weighs little on top: honest
# comments in a library cite sources (bench/spam.py measured 0.3 + 0.2 holding one honest
# comment in six of ours, 0.15 + 0.05 one in forty).
MODEL_POINTS = 1.18
NEW_ACCOUNT_LINK_POINTS = 0.15
FIRST_POST_LINK_POINTS = 0.05


@dataclass(frozen=True)
class Context:
    """What the database knows around a post (selectors.spam_context gathers it)."""

    account_age: timedelta | None = None
    first_post: bool = False  # no approved post in this group yet
    recent_posts: int = 0  # by the author in the last BURST_WINDOW
    copies: int = 0  # the same text posted on other items lately
    copy_marked_spam: bool = False
    spam_domains: frozenset = frozenset()  # linked domains that moderators marked spam


# How spam_score and the benchmark judge a line: the first post of a new member.
NEW_MEMBER = Context(account_age=timedelta(0), first_post=True)


def judge(
    text: str,
    *,
    context: Context | None = None,
    model: TextModel | None = None,
    threshold: float = THRESHOLD,
) -> Verdict:
    """The verdict on `text`: its signals, the context's (None: the text alone) and the model's
    probability (None: no model)."""
    verdict = text_signals(text)
    verdict.threshold = threshold
    if model is not None:
        verdict.model_score = round(model.probability(text), 3)
        verdict.score = round(verdict.score + MODEL_POINTS * verdict.model_score, 3)
        verdict.reasons.append(f"text model {verdict.model_score:.2f}")
    if context is None:
        return verdict
    links = find_links(text or "")
    if links and context.account_age is not None and context.account_age < NEW_ACCOUNT_AGE:
        verdict.add(NEW_ACCOUNT_LINK_POINTS, "new account posting links")
    if links and context.first_post:
        verdict.add(FIRST_POST_LINK_POINTS, "first post with links")
    for domain in sorted(context.spam_domains):
        verdict.add(1.0, f"link to {domain}, marked spam before")
    if context.copy_marked_spam:
        verdict.add(2.0, "same text as a post marked spam")
    elif context.copies >= 2:
        verdict.add(1.0, f"same text already posted on {context.copies} items")
    elif context.copies == 1 and links:
        verdict.add(0.5, "same text with links posted twice")
    # A burst alone never holds a post (an active member catching up on a library posts
    # fast); it only tips over posts where a named signal fired (the model's score alone does
    # not count: a short honest comment scores 0.3 or 0.4).
    named = len(verdict.reasons) > (verdict.model_score is not None)
    if context.recent_posts >= 10:
        points = (0.6 if context.recent_posts >= 20 else 0.3) if named else 0.0
        verdict.add(points, f"{context.recent_posts} posts in ten minutes")
    return verdict
