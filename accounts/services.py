"""Every change to an account: sign-up, profile, API and feed tokens."""

import base64
import hashlib
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .models import ExtensionToken, SignupInvitation, User


def signup_policy() -> str:
    return settings.SIGNUP_POLICY


@transaction.atomic
def sign_up(
    *, username: str, email: str, password: str, display_name: str = "", invite_code: str = ""
) -> User:
    """Create an account if the sign-up policy allows it; an invite code is used up."""
    User = get_user_model()
    policy = signup_policy()
    if policy == "closed":
        raise PermissionDenied(_("Sign-up is closed on this site."))
    invitation = None
    if policy == "invite":
        invitation = (
            SignupInvitation.objects.select_for_update()
            .filter(code=(invite_code or "").strip(), used_by__isnull=True, used_at__isnull=True)
            .first()
        )
        if invitation is None:
            raise ValidationError({"invite_code": _("This invitation code is not valid.")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    user = User(username=username, email=email, display_name=display_name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    user.set_password(password)
    user.save()
    if invitation is not None:
        invitation.used_by = user
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_by", "used_at"])
    return user


@transaction.atomic
def create_signup_invitation(created_by: User | None = None, *, email: str = ""):
    return SignupInvitation.objects.create(
        code=secrets.token_urlsafe(16), email=email, created_by=created_by
    )


@transaction.atomic
def update_profile(user: User, *, display_name: str, email: str, bio: str) -> User:
    user.display_name = display_name
    user.email = email
    user.bio = bio
    user.save(update_fields=["display_name", "email", "bio"])
    return user


def api_token_of(user: User):
    """The user's API token, or None if they never made one."""
    return Token.objects.filter(user=user).first()


@transaction.atomic
def regenerate_api_token(user: User):
    """A new personal API token; the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def regenerate_feed_token(user: User) -> str:
    """A new secret for the user's private feed URLs; old feed links stop working."""
    user.feed_token = secrets.token_urlsafe(32)
    user.save(update_fields=["feed_token"])
    return user.feed_token


# --- the browser extension's tokens (approve on /extension/connect/, claim from the API) ---

CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}\Z")  # base64url of a SHA-256, unpadded
CLAIM_WITHIN = timedelta(minutes=10)
EXTENSION_KEY_PREFIX = "cpx_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def challenge_of(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def is_valid_challenge(challenge: str) -> bool:
    return bool(CHALLENGE.match(challenge or ""))


@transaction.atomic
def approve_extension(user: User, *, challenge: str, label: str = "") -> ExtensionToken:
    """The user said yes: the extension holding the challenge's verifier may claim a token."""
    if not is_valid_challenge(challenge):
        raise ValidationError(
            _("This connection request is not valid; start again from the extension.")
        )
    if ExtensionToken.objects.filter(challenge=challenge).exists():
        raise ValidationError(_("This connection request was already answered."))
    return ExtensionToken.objects.create(user=user, challenge=challenge, label=label[:100])


@transaction.atomic
def claim_extension_token(*, verifier: str) -> str | None:
    """The key for an approved, unclaimed request of this verifier (once), else None."""
    grant = (
        ExtensionToken.objects.select_for_update()
        .filter(
            challenge=challenge_of(verifier),
            claimed_at__isnull=True,
            revoked_at__isnull=True,
            created_at__gte=timezone.now() - CLAIM_WITHIN,
        )
        .first()
    )
    if grant is None:
        return None
    key = EXTENSION_KEY_PREFIX + secrets.token_urlsafe(32)
    grant.key_hash = hash_key(key)
    grant.key_prefix = key[:12]
    grant.challenge = None
    grant.claimed_at = timezone.now()
    grant.save(update_fields=["key_hash", "key_prefix", "challenge", "claimed_at"])
    return key


@transaction.atomic
def revoke_extension_token(user: User, token_id: int) -> bool:
    """Revoke one of the user's extension tokens; False when there is no such token."""
    return bool(
        ExtensionToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


def note_extension_token_use(token: ExtensionToken) -> None:
    """Last used, to the minute (one write a minute at most, not one per request)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ExtensionToken.objects.filter(pk=token.pk).update(last_used_at=now)
