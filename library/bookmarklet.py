"""The annotate bookmarklet's access to the API: a short-lived token bound to one site's origin.

The bookmarklet runs the in-page annotator inside someone else's page, where our session cookie
must never be readable (CORS with credentials for arbitrary origins would hand the user's data
to any site). Instead the bookmarklet opens our own page in a popup (first-party: the session
works there); the user approves "annotate <origin>", and the popup posts the page a token that

- is signed (no table, nothing to clean up) and lasts an hour; changing the password ends it;
- works only from that origin (the browser's Origin header, which page scripts cannot forge)
  and only on that origin's pages: the page's annotations, the user's bookmarks of a URL of
  that origin, their highlights and comments, and the user's name and groups (the destination
  picker). Every other route, and any URL of another site, is refused.

Responses to these calls are the only cross-origin ones a page may read (config.middleware).
"""

import json
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth import get_user_model
from django.core import signing
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from accounts.authentication import WRITABLE_ROUTES
from annotations.models import Highlight
from bookmarks.models import Bookmark

SALT = "commonplace.bookmarklet-annotate"
MAX_AGE_SECONDS = 3600
KEYWORD = "Bookmarklet"
# route → the query parameter that must name a page of the token's origin
LISTS = {"annotations": "uri", "bookmarks": "url"}
ON_A_BOOKMARK = {"bookmark-highlights", "bookmark-comments"}
ROUTES = {"me", "highlight", *LISTS, *ON_A_BOOKMARK}


def origin_of(address: str) -> str | None:
    """scheme://host[:port] of an http(s) address, lower-cased; None for anything else."""
    try:
        parts = urlsplit(address.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    port = parts.port if parts.port not in (None, 80 if parts.scheme == "http" else 443) else None
    return f"{parts.scheme}://{parts.hostname.lower()}" + (f":{port}" if port else "")


def _stamp(user) -> str:
    return user.get_session_auth_hash()[:16]  # a new password ends every token


def mint_token(user, origin: str) -> str:
    return signing.dumps({"u": user.pk, "o": origin, "s": _stamp(user)}, salt=SALT, compress=True)


def _on_origin(address: str, origin: str) -> bool:
    return origin_of(address or "") == origin


def _page_route_allowed(request, route: str, kwargs: dict, origin: str) -> bool:
    if route == "me":
        return request.method in SAFE_METHODS
    if route in LISTS:
        if request.method in SAFE_METHODS:
            query = parse_qs(request.META.get("QUERY_STRING", ""))
            return _on_origin((query.get(LISTS[route]) or [""])[0], origin)
        return route == "bookmarks" and _on_origin(_posted_url(request), origin)
    if route in ON_A_BOOKMARK:
        bookmark = Bookmark.objects.filter(pk=kwargs.get("pk")).select_related("page").first()
        return bookmark is None or _on_origin(bookmark.page.url, origin)
    if route == "highlight":
        found = Highlight.objects.filter(pk=kwargs.get("pk")).select_related("bookmark__page")
        highlight = found.first()
        return highlight is None or _on_origin(highlight.bookmark.page.url, origin)
    return False


def _posted_url(request) -> str:
    try:
        data = json.loads(request._request.body or b"{}")
    except (ValueError, UnicodeError):
        return ""
    return (
        data.get("url", "") if isinstance(data, dict) and isinstance(data.get("url"), str) else ""
    )


class BookmarkletTokenAuthentication(authentication.BaseAuthentication):
    keyword = KEYWORD

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if len(header) != 2 or header[0].lower() != self.keyword.lower().encode():
            return None
        try:
            claims = signing.loads(header[1].decode(), salt=SALT, max_age=MAX_AGE_SECONDS)
            user = get_user_model().objects.get(pk=claims["u"], is_active=True)
        except (signing.BadSignature, UnicodeError, KeyError, TypeError, ValueError):
            raise exceptions.AuthenticationFailed("Invalid or expired bookmarklet token.") from None
        except get_user_model().DoesNotExist:
            raise exceptions.AuthenticationFailed("Invalid or expired bookmarklet token.") from None
        origin = claims.get("o")
        if claims.get("s") != _stamp(user) or request.headers.get("Origin") != origin:
            raise exceptions.AuthenticationFailed("Invalid or expired bookmarklet token.")
        match = getattr(request, "resolver_match", None)
        route = match.url_name if match else None
        allowed = route in ROUTES and (request.method in SAFE_METHODS or route in WRITABLE_ROUTES)
        if not (allowed and _page_route_allowed(request, route, match.kwargs, origin)):
            raise exceptions.PermissionDenied(
                "The bookmarklet's token only reaches the annotations of the page it runs on."
            )
        return (user, None)

    def authenticate_header(self, request):
        return self.keyword


class BookmarkletTokenScheme(OpenApiAuthenticationExtension):
    target_class = "library.bookmarklet.BookmarkletTokenAuthentication"
    name = "bookmarkletToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=KEYWORD
        )
