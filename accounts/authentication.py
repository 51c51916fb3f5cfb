"""API authentication: the personal token, cached, and the extension token and its scope.

The personal token ("Authorization: Token …") costs one query the first time a key is seen and
none after: the token and its user are cached for TOKEN_CACHE_SECONDS, and dropped from the
cache when the token is deleted (regenerated) or the user is saved (accounts.signals). A cache
that is down answers misses (config.cache), so the database decides.

The extension token's scope ("Authorization: Bearer cpx_…") is decided here, once, by the
route: any read (what the user may see is still decided by the selectors), and writes only to
bookmarks, highlights and comments. Group administration, joining, flagging, topics and the
account stay with the session or the personal token.
"""

import hashlib

from django.core.cache import cache
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token
from rest_framework.permissions import SAFE_METHODS

from .selectors import active_extension_token
from .services import EXTENSION_KEY_PREFIX, hash_key, note_extension_token_use

TOKEN_CACHE_SECONDS = 300


def token_cache_key(key: str) -> str:
    """Where a personal token and its user are cached: a digest, never the key itself."""
    return "api-token:" + hashlib.sha256(key.encode()).hexdigest()


def user_cache_key(user_id: int) -> str:
    return f"api-token-user:{user_id}"


class CachedTokenAuthentication(authentication.TokenAuthentication):
    """DRF's token check with the token and its user kept in the cache between requests."""

    def authenticate_credentials(self, key):
        token = cache.get(token_cache_key(key))
        user = cache.get(user_cache_key(token.user_id)) if token is not None else None
        if user is None or not user.is_active:  # the database decides, and says why
            user, token = super().authenticate_credentials(key)
            # the token alone (its user is cached on its own, so saving the user forgets it)
            bare = Token(key=token.key, user_id=token.user_id, created=token.created)
            cache.set(token_cache_key(key), bare, TOKEN_CACHE_SECONDS)
            cache.set(user_cache_key(user.pk), user, TOKEN_CACHE_SECONDS)
        return (user, token)


WRITABLE_ROUTES = {
    "bookmarks",
    "bookmark",
    "bookmark-highlights",
    "highlight",
    "bookmark-comments",
    "comment",
    "topic-comments",
}


class ExtensionTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if len(header) != 2 or header[0].lower() != self.keyword.lower().encode():
            return None
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid extension token.") from None
        token = (
            active_extension_token(hash_key(key)) if key.startswith(EXTENSION_KEY_PREFIX) else None
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid or revoked extension token.")
        match = getattr(request, "resolver_match", None)
        if request.method not in SAFE_METHODS and (
            match is None or match.url_name not in WRITABLE_ROUTES
        ):
            raise exceptions.PermissionDenied(
                "The extension's token may only save bookmarks, highlights and comments."
            )
        note_extension_token_use(token)
        return (token.user, token)

    def authenticate_header(self, request):
        return self.keyword


class ExtensionTokenScheme(OpenApiAuthenticationExtension):
    """The scheme in the OpenAPI document (beside Token and the session)."""

    target_class = "accounts.authentication.ExtensionTokenAuthentication"
    name = "extensionToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=ExtensionTokenAuthentication.keyword
        )
