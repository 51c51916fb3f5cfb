"""URL normalization: one Page per URL whatever tracking junk, case or default port it came with."""

import hashlib
import ipaddress
import re
import unicodedata
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from django.utils.translation import gettext as _

TRACKING_PARAMS = {
    "gclid",
    "gclsrc",
    "dclid",
    "fbclid",
    "msclkid",
    "mc_cid",
    "mc_eid",
    "yclid",
    "igshid",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "wickedid",
    "twclid",
    "ttclid",
    "li_fat_id",
    "ref_src",
    "s_cid",
    "spm",
    "_openstat",
    "cmpid",
    "ncid",
    "sr_share",
    "wt_mc",
    "at_medium",
    "at_campaign",
    "rb_clickid",
    "srsltid",
    "gbraid",
    "wbraid",
    "epik",
    "soc_src",
    "soc_trk",
    "__s",
}
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}
# "javascript:…", "mailto:…": a scheme without "//" (but not "host:8080", a port)
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)


class InvalidURL(ValueError):
    pass


def _is_tracking(name):
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


_LINE_SEPARATORS = {"Zl", "Zp"}
# an ASCII address (nearly all) has no other invisible characters than these (a fast path)
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _has_invisible(url):
    """A control, format, private-use or unassigned character, or a line/paragraph separator."""
    return any(
        unicodedata.category(c)[0] == "C" or unicodedata.category(c) in _LINE_SEPARATORS
        for c in url
    )


_HOST_LABEL = re.compile(r"^[\w-]{1,63}$")


def _valid_host(host):
    """A DNS name (letters of any script, digits, hyphens) or an IP literal."""
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return False
        return True
    return all(_HOST_LABEL.match(label) for label in host.split("."))


def normalize_url(url):
    """Canonical form of an http(s) URL; raises InvalidURL for anything else.

    http and https are kept as written here (the link must still work); `url_key` folds them
    together so both find the same Page.
    """
    if not isinstance(url, str):
        raise InvalidURL(_("URL must be text."))
    url = url.strip()
    if not url or len(url) > 2048:
        raise InvalidURL(_("Enter a URL of at most 2048 characters."))
    # control, format, private-use and line-separator characters have no place in a URL
    if _ASCII_CONTROL.search(url) if url.isascii() else _has_invisible(url):
        raise InvalidURL(_("The URL contains invisible or control characters."))
    if "://" not in url:
        if _OTHER_SCHEME.match(url):
            raise InvalidURL(_("Only http and https URLs can be saved."))
        url = "http://" + url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL(_("Not a valid URL: %(error)s") % {"error": exc}) from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidURL(_("Only http and https URLs can be saved."))
    host = (parts.hostname or "").rstrip(".")
    if not host or not _valid_host(host):
        raise InvalidURL(_("The URL has no valid host name."))
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        host = host.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _normalize_path(parts.path)
    query_items = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    query = urlencode(sorted(query_items), doseq=True)
    return urlunsplit((scheme, netloc, path, query, route_fragment(parts.fragment)))


def route_fragment(fragment: str) -> str:
    """The fragment when it is a single-page app's route (`#/item/42`, `#!/item/42`), else "".

    `#top` or `#section-2` is a place on the same page: every such address is one Page. A
    fragment that starts with `/` or `!` is where a single-page app keeps its routes: each is a
    different page. The bare root route (`#/`, `#!`, `#!/`) is the page itself.
    """
    if not fragment.startswith(("/", "!")) or fragment in ("/", "!", "!/"):
        return ""
    return _escape(fragment, safe="/?#%:@!$&'()*+,;=-._~")


_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _normalize_path(path):
    """RFC 3986 §6.2.2: escapes of unreserved characters decoded, other escapes upper-cased
    and kept (%2F stays an escaped slash, %25 a percent sign), a lone % escaped, anything
    else that may not appear in a path (spaces, non-ASCII) percent-encoded. Decoding every
    escape made normalizing twice differ from once (%2521 → %21 → !)."""

    return _escape(path, safe="/%:@!$&'()*+,;=-._~") or "/"


def _escape(text, *, safe):
    """Escapes of unreserved characters decoded, the others upper-cased, a lone % escaped,
    then whatever is not in `safe` percent-encoded: the same text normalizes the same way
    once or twice."""

    def unescape(match):
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return quote(_LONE_PERCENT.sub("%25", _ESCAPE.sub(unescape, text)), safe=safe)


def url_key(normalized_url):
    """Hash that identifies a Page: http and https of the same address are one page."""
    scheme, rest = normalized_url.split("://", 1)
    return hashlib.sha256(rest.encode("utf-8")).hexdigest()


_PAGE_SUFFIX = re.compile(r"\.(html?|php\d?|aspx?|jsp|cgi|shtml)$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[-_+.\s]+")


def title_from_url(url: str) -> str:
    """A readable title for a page we could not (yet) fetch: the last meaningful path segment
    as words ("…/2026/why-we-work-less.html" → "Why we work less"), else the host.

    A bare URL as link text reads badly and screen readers spell it out; an empty one leaves
    the link with no name at all, so this never returns "" for a URL with a host.
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    for segment in reversed([s for s in parts.path.split("/") if s]):
        words = _SEPARATORS.sub(" ", _PAGE_SUFFIX.sub("", unquote(segment))).strip()
        # dates, ids and "index" say nothing about the page: try the segment before
        if words and not words.replace(" ", "").isdigit() and words.lower() not in _EMPTY_NAMES:
            return f"{words[0].upper()}{words[1:]}"[:200]
    return host or url


_EMPTY_NAMES = {"index", "default", "home", "main"}
