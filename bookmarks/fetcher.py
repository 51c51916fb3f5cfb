"""Download one URL through the guard: manual redirects, size and time caps, a clear outcome."""

import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings

from .netguard import BlockedAddress, guarded_client

REDIRECT_CODES = {301, 302, 303, 307, 308}


@dataclass
class FetchResult:
    url: str  # the final URL, after redirects
    status: int
    content_type: str
    charset: str
    body: bytes
    headers: dict = field(default_factory=dict)


class FetchError(Exception):
    """A fetch that did not give a usable page. `retryable` says whether trying later may help
    (timeouts, connection errors, 5xx, 429), `http_status` is the last status seen."""

    def __init__(self, reason, *, retryable=False, http_status=None, final_url=""):
        super().__init__(reason)
        self.reason = reason
        self.retryable = retryable
        self.http_status = http_status
        self.final_url = final_url


def parse_content_type(value):
    value = value or ""
    media, _, params = value.partition(";")
    charset = ""
    for param in params.split(";"):
        key, _, val = param.strip().partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def fetch(url, *, client=None, max_bytes=None, max_redirects=None, deadline=None):
    """GET `url`, following at most `max_redirects` redirects, reading at most `max_bytes`.

    Raises FetchError with the reason; never raises anything else for network trouble.
    """
    max_bytes = settings.FETCH_MAX_BYTES if max_bytes is None else max_bytes
    max_redirects = settings.FETCH_MAX_REDIRECTS if max_redirects is None else max_redirects
    # A slow-drip server can keep every single read under the read timeout: cap the total.
    deadline = time.monotonic() + (deadline or settings.FETCH_TIMEOUT * 3)
    own_client = client is None
    client = client or guarded_client()
    current = url
    try:
        for _hop in range(max_redirects + 1):
            try:
                with client.stream("GET", current) as response:
                    status = response.status_code
                    if status in REDIRECT_CODES:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(
                                f"HTTP {status} without a Location", http_status=status
                            )
                        current = urljoin(current, location)
                        continue
                    if status >= 400:
                        raise FetchError(
                            f"HTTP {status}",
                            retryable=status >= 500 or status in (408, 429),
                            http_status=status,
                            final_url=current,
                        )
                    media, charset = parse_content_type(response.headers.get("content-type"))
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise too_large(max_bytes, status, current)
                    chunks, size = [], 0
                    for chunk in response.iter_raw():
                        size += len(chunk)
                        if size > max_bytes:
                            raise too_large(max_bytes, status, current)
                        if time.monotonic() > deadline:
                            raise FetchError("timed out while reading the page", retryable=True)
                        chunks.append(chunk)
                    body = decode_content(b"".join(chunks), response.headers)
                    return FetchResult(
                        url=current,
                        status=status,
                        content_type=media,
                        charset=charset,
                        body=body,
                        headers=dict(response.headers),
                    )
            except BlockedAddress as exc:
                raise FetchError(f"blocked: {exc}", final_url=current) from None
            except httpx.TimeoutException:
                raise FetchError("timed out", retryable=True, final_url=current) from None
            except httpx.UnsupportedProtocol as exc:
                raise FetchError(f"unsupported URL: {exc}", final_url=current) from None
            except httpx.InvalidURL as exc:
                raise FetchError(f"invalid URL: {exc}", final_url=current) from None
            except (httpx.TransportError, httpx.DecodingError) as exc:
                raise FetchError(
                    f"connection failed: {exc or type(exc).__name__}",
                    retryable=True,
                    final_url=current,
                ) from None
        raise FetchError(f"more than {max_redirects} redirects", final_url=current)
    finally:
        if own_client:
            client.close()


def too_large(max_bytes, status, url):
    return FetchError(
        f"page is larger than {max_bytes // (1024 * 1024) or max_bytes} "
        f"{'MB' if max_bytes >= 1024 * 1024 else 'bytes'}",
        http_status=status,
        final_url=url,
    )


def decode_content(raw, headers):
    """Undo Content-Encoding ourselves: iter_raw counted compressed bytes against the cap, and
    the decoded size is capped here too (a small gzip bomb must not become gigabytes)."""
    encoding = (headers.get("content-encoding") or "").strip().lower()
    if encoding in ("", "identity"):
        return raw
    if encoding in ("gzip", "x-gzip", "deflate"):
        import zlib

        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        decompressor = zlib.decompressobj(wbits)
        try:
            out = decompressor.decompress(raw, settings.FETCH_MAX_BYTES + 1)
        except zlib.error:
            if encoding != "deflate":
                raise FetchError("could not decompress the page") from None
            try:  # some servers send raw deflate
                out = zlib.decompressobj(-zlib.MAX_WBITS).decompress(
                    raw, settings.FETCH_MAX_BYTES + 1
                )
            except zlib.error:
                raise FetchError("could not decompress the page") from None
        if len(out) > settings.FETCH_MAX_BYTES:
            raise FetchError("page is larger than the size limit once decompressed")
        return out
    raise FetchError(f"unsupported content encoding {encoding}")


# --- storing the outcome on the Page ---------------------------------------------------------


def record_success(page_id, result):
    """Store what was fetched on the Page; fill empty bookmark titles. Returns the fields.

    A bookmark saved without a title takes the fetched one (Bookmark.title is filled, not only
    displayed through the page), so that search, exports and the API see it too; a title the
    saver wrote is never replaced.
    """
    from django.db import transaction
    from django.utils import timezone

    from .extract import extract
    from .models import Bookmark, Page

    data = extract(
        result.body, url=result.url, content_type=result.content_type, charset=result.charset
    )
    now = timezone.now()
    fields = {
        "title": data.title[:500],
        "description": data.description,
        "site_name": data.site_name[:200] or (urlsplit(result.url).hostname or "")[:200],
        "language": data.language[:20],
        "canonical_url": data.canonical_url[:2048],
        "favicon_url": data.favicon_url[:2048],
        "published_at": data.published_at,
        "content_type": result.content_type[:100],
        "text": data.text,
        "fetch_status": Page.FetchStatus.OK,
        "fetch_error": "",
        "http_status": result.status,
        "final_url": result.url[:2048],
        "fetched_at": now,
        "link_failures": 0,
        "link_checked_at": now,
    }
    # Two UPDATEs in one transaction (the search vectors follow through database triggers).
    with transaction.atomic():
        text_changed = not Page.objects.filter(pk=page_id, text=data.text).exists()
        Page.objects.filter(pk=page_id).update(**fields)
        if fields["title"]:
            Bookmark.objects.filter(page_id=page_id, title="").update(
                title=fields["title"], updated_at=now
            )
    return {**fields, "text_changed": text_changed}


def record_failure(page_id, error, *, final):
    """Remember why the fetch failed; `final` marks the page failed (no more retries).

    A page that was fetched before keeps its status and text (a re-fetch that fails does not
    erase what readers and highlights rely on); the failure counts towards the dead-link badge.
    """
    from django.db.models import F
    from django.utils import timezone

    from .models import Page

    fields = {"fetch_error": error.reason[:2000], "http_status": error.http_status}
    if final:
        page = Page.objects.filter(pk=page_id).only("fetch_status").first()
        if page is not None and page.fetch_status == Page.FetchStatus.OK:
            fields.update(link_failures=F("link_failures") + 1, link_checked_at=timezone.now())
        else:
            fields.update(fetch_status=Page.FetchStatus.FAILED, fetched_at=timezone.now())
            if error.final_url:
                fields["final_url"] = error.final_url[:2048]
    Page.objects.filter(pk=page_id).update(**fields)
