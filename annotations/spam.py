"""Spam scoring of every new comment, note and topic: a transparent sum of named signals.

A score at or over THRESHOLD holds the post for a moderator. The signals are deliberately
simple and explainable (the moderation queue shows the reasons): links and where they point,
the vocabulary of gambling, loans, crypto and pharma spam in French and English, lures and
calls to action, and — when the author is known — a new account posting links, the same text
posted on many items, and a burst of posts.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.utils import timezone

THRESHOLD = 1.0
# A moderator's "spam" verdict stamps this score, so the same text posted again is held.
MARKED_SPAM_SCORE = 10.0


@dataclass
class Verdict:
    score: float = 0.0
    reasons: list = field(default_factory=list)

    @property
    def is_spam(self):
        return self.score >= THRESHOLD

    def add(self, points, reason):
        if points:
            self.score = round(self.score + points, 3)
            self.reasons.append(reason)


def _fold(text):
    """Lower-case without accents, so "vérifié" and "verifie" match the same word list."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


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


def find_links(text):
    return [link.rstrip(".,;:!?") for link in URL_RE.findall(text)]


def link_domain(link):
    target = link if "://" in link else f"http://{link}"
    host = (urlsplit(target).hostname or "").lower()
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
        verdict.add({1: 0.2, 2: 0.5}.get(len(links), 1.0), f"{len(links)} link(s)")
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


# Below this many characters, the same text on many items is ordinary ("Thanks!", "+1").
DUPLICATE_MIN_LENGTH = 20
NEW_ACCOUNT_AGE = timedelta(days=3)
BURST_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class AuthorContext:
    """What the database knows of a post's author and text (annotations.selectors reads it)."""

    joined: datetime | None = None
    copies: int = 0  # the same text in the last 7 days
    copies_marked_spam: bool = False
    recent_posts: int = 0  # comments and topics in the last BURST_WINDOW


def score(text: str, context: AuthorContext | None = None, *, now: datetime | None = None):
    """The verdict on `text`, with what is known of its author (None: judge the text alone)."""
    verdict = text_signals(text)
    if context is None:
        return verdict
    now = now or timezone.now()
    has_links = bool(find_links(text))
    if has_links and context.joined and now - context.joined < NEW_ACCOUNT_AGE:
        verdict.add(0.5, "new account posting links")

    if len((text or "").strip()) >= DUPLICATE_MIN_LENGTH:
        if context.copies_marked_spam:
            verdict.add(2.0, "same text as a post marked spam")
        elif context.copies >= 2:
            verdict.add(1.0, f"same text already posted on {context.copies} items")
        elif context.copies == 1 and has_links:
            verdict.add(0.5, "same text with links posted twice")

    recent = context.recent_posts
    # A burst alone never holds a post (an active member catching up on a library posts
    # fast); it only tips over posts that already look like spam.
    if recent >= 20:
        verdict.add(0.6, f"{recent} posts in ten minutes")
    elif recent >= 10:
        verdict.add(0.3, f"{recent} posts in ten minutes")
    return verdict
