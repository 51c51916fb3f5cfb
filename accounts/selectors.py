"""Reads of accounts: the user's extension tokens."""

from django.db.models import QuerySet

from .models import ExtensionToken, User


def extension_tokens(user: User) -> QuerySet[ExtensionToken]:
    """The user's connected extensions (claimed and not revoked), newest first."""
    return ExtensionToken.objects.filter(
        user=user, claimed_at__isnull=False, revoked_at__isnull=True
    )


def active_extension_token(key_hash: str) -> ExtensionToken | None:
    return (
        ExtensionToken.objects.select_related("user")
        .filter(key_hash=key_hash, claimed_at__isnull=False, revoked_at__isnull=True)
        .first()
    )
