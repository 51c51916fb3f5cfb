"""The one outgoing-request guard: every fetch the project makes goes through `guarded_client`.

A URL is allowed only if its host resolves exclusively to public unicast addresses. The
check happens in the transport, so it runs again on every redirect hop, and the connection
goes to the very address that was checked (no second DNS lookup a rebinding server could
answer differently): the request URL is rewritten to the IP while the Host header and the TLS
SNI/certificate check keep the name.
"""

import ipaddress
import socket
import ssl
from functools import lru_cache

import certifi
import httpx
from django.conf import settings

ALLOWED_SCHEMES = {"http", "https"}

# NAT64 (RFC 6052) embeds an IPv4 address in the low 32 bits.
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class BlockedAddress(httpx.RequestError):
    """The URL points somewhere the server must never reach (private, loopback, ...)."""

    def __init__(self, message, request=None):
        super().__init__(message, request=request)


class InternalAddress(BlockedAddress):
    """The host name resolved to an address inside a private network. The message (which
    addresses it resolved to) is for the logs only: shown to readers it would map internal
    DNS for anyone who can save a URL."""


@lru_cache(maxsize=8)
def _allowed_networks(cidrs):
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def allowed_networks():
    return _allowed_networks(tuple(getattr(settings, "FETCH_ALLOWED_NETWORKS", ()) or ()))


def embedded_ipv4(ip):
    """The IPv4 address hidden in an IPv6 one (mapped, 6to4, Teredo, NAT64), or None."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    # IPv4-compatible (deprecated ::a.b.c.d) addresses.
    if int(ip) >> 32 == 0 and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip))
    return None


def refusal_reason(ip):
    """Why the server must not connect to `ip`, or None when it may."""
    if isinstance(ip, str):
        ip = ipaddress.ip_address(ip.split("%", 1)[0])
    inner = embedded_ipv4(ip)
    for network in allowed_networks():
        if ip in network or (inner is not None and inner in network):
            return None
    if inner is not None:
        reason = refusal_reason_strict(inner)
        if reason:
            return f"{reason} (inside {ip})"
    return refusal_reason_strict(ip)


def refusal_reason_strict(ip):
    if ip.is_unspecified:
        return f"unspecified address {ip}"
    if ip.is_loopback:
        return f"loopback address {ip}"
    if ip.is_link_local:
        return f"link-local address {ip}"
    if ip.is_multicast:
        return f"multicast address {ip}"
    if ip.is_private:
        return f"private address {ip}"
    if ip.is_reserved:
        return f"reserved address {ip}"
    if not ip.is_global:
        return f"non-public address {ip}"
    return None


def resolve(host, port):
    """All addresses of `host`, each checked; raises BlockedAddress if any is refused.

    Refusing when *any* answer is private (not only all of them) keeps a name that mixes a
    public and a private answer from being used to reach the private one.
    """
    if not host:
        raise BlockedAddress("URL has no host")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpx.ConnectError(f"cannot resolve {host}: {exc}") from None
    addresses = []
    for *_, sockaddr in infos:
        address = sockaddr[0]
        reason = refusal_reason(address)
        if reason:
            raise InternalAddress(f"refused to connect to {host}: {reason}")
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise httpx.ConnectError(f"cannot resolve {host}")
    return addresses


def check_url(url):
    """Raise BlockedAddress unless `url` is http(s) to a public host; returns the checked IP."""
    try:
        url = httpx.URL(str(url))
    except httpx.InvalidURL as exc:
        raise BlockedAddress(f"invalid URL: {exc}") from None
    if url.scheme not in ALLOWED_SCHEMES:
        raise BlockedAddress(f"scheme {url.scheme or '(none)'} is not allowed")
    port = url.port or (443 if url.scheme == "https" else 80)
    return resolve(url.host, port)[0]


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport that checks the destination and connects to the checked IP."""

    def handle_request(self, request):
        url = request.url
        try:
            address = check_url(url)
        except BlockedAddress as exc:
            raise type(exc)(str(exc), request=request) from None
        # httpx already set the Host header from the name; keep it, and keep the name for
        # SNI and certificate verification.
        request.url = url.copy_with(host=address)
        if url.scheme == "https":
            request.extensions = {**request.extensions, "sni_hostname": url.host}
        return super().handle_request(request)


@lru_cache(maxsize=1)
def tls_context():
    """One verifying TLS context per process: building it (loading the CA bundle) costs tens
    of milliseconds, far more than a local fetch."""
    return ssl.create_default_context(cafile=certifi.where())


def guarded_client(*, timeout=None, **kwargs):
    """An httpx.Client whose every request (and redirect hop) passes the guard.

    Redirects are not followed automatically: callers follow them hop by hop (each hop goes
    through the transport again). Proxies from the environment are ignored (trust_env=False)
    so that nothing bypasses the check.
    """
    if timeout is None:
        total = settings.FETCH_TIMEOUT
        timeout = httpx.Timeout(total, connect=min(total, 5.0))
    headers = {
        "User-Agent": settings.FETCH_USER_AGENT,
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
        # The fetcher decodes these itself, so that the size cap counts what is on the wire.
        "Accept-Encoding": "gzip, deflate",
        **kwargs.pop("headers", {}),
    }
    return httpx.Client(
        transport=GuardedTransport(retries=0, verify=tls_context()),
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        headers=headers,
        **kwargs,
    )
