"""API authentication with an extension token ("Authorization: Bearer cpx_…"), and its scope.

The scope is decided here, once, by the route: any read (what the user may see is still decided
by the selectors), and writes only to bookmarks, highlights and comments. Group administration,
joining, flagging, topics and the account stay with the session or the personal token.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from .selectors import active_extension_token
from .services import EXTENSION_KEY_PREFIX, hash_key, note_extension_token_use

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
