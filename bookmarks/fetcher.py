"""Download one URL through the guard: manual redirects, size and time caps, a clear outcome."""

import logging
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx
from django.conf import settings

from .netguard import BlockedAddress, InternalAddress, guarded_client

REDIRECT_CODES = {301, 302, 303, 307, 308}


@dataclass
class FetchResult:
    url: str  # the final URL, after redirects
    status: int
    content_type: str
    charset: str
    body: bytes
    headers: dict = field(default_factory=dict)


logger = logging.getLogger(__name__)
# What readers see when a URL leads inside a private network (the addresses go to the logs).
PRIVATE_NETWORK = "blocked: the address points inside a private network"


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
            except InternalAddress as exc:
                logger.info("fetch of %s refused: %s", current, exc)
                raise FetchError(PRIVATE_NETWORK, final_url=current) from None
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
