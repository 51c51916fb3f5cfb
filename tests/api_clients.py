"""An API client sending a user's personal token, as the API's users do."""

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.authentication import CachedTokenAuthentication


def token_client(user):
    """An APIClient sending `user`'s token (None: anonymous).

    The token is already in the cache, as on a running site after its first request, so query
    counts measured with it are the steady ones (tests/api/test_token_cache.py measures the
    first request).
    """
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        CachedTokenAuthentication().authenticate_credentials(token.key)
    return client
