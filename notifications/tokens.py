"""Signed one-click unsubscribe tokens: whoever holds the link of a mail may stop that mail,
without logging in (RFC 8058), and nothing else."""

from django.core import signing

SALT = "notifications.unsubscribe"


def unsubscribe_token(user_id: int, scope: str) -> str:
    """scope: "all", "kind:<kind>", "group:<id>" (that group's digest) or "people"."""
    return signing.dumps({"u": user_id, "s": scope}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    scope = data.get("s")
    if not isinstance(scope, str):
        return None
    return data["u"], scope
