"""Every change to an account: sign-up and its confirmation, password reset mail, profile,
API and feed tokens."""

import base64
import hashlib
import re
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.models import Token

from config.outbox import enqueue_durably

from . import limits
from .models import ExtensionToken, SignupInvitation, User


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens of sign-up confirmation links: their own salt, so a confirmation link is no
    password reset link. Logging in changes last_login, which ends the token: it works once."""

    key_salt = "accounts.services.EmailConfirmationTokenGenerator"


email_confirmation_token = EmailConfirmationTokenGenerator()


def _email_taken(email: str, *, exclude: User | None = None) -> bool:
    users = get_user_model().objects.filter(email__iexact=email.strip())
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return bool(email.strip()) and users.exists()


EMAIL_TAKEN = gettext_lazy("Another account already uses this e-mail address.")


def signup_policy() -> str:
    return settings.SIGNUP_POLICY


@transaction.atomic
def sign_up(
    *,
    username: str,
    email: str,
    password: str,
    display_name: str = "",
    invite_code: str = "",
    client_ip: str = "",
) -> User:
    """Create an account if the sign-up policy allows it; an invite code is used up.

    With `client_ip`, at most SIGNUPS_PER_IP_PER_HOUR accounts a client address an hour
    (limits.TooManyAttempts; limits.LimitsUnavailable while Redis is down). With
    SIGNUP_CONFIRM_EMAIL the account stays inactive until the link mailed to it is followed.
    """
    User = get_user_model()
    policy = signup_policy()
    if policy == "closed":
        raise PermissionDenied(_("Sign-up is closed on this site."))
    if client_ip:
        limits.check_signup(client_ip)
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
    if _email_taken(email):
        raise ValidationError({"email": EMAIL_TAKEN})
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        is_active=not settings.SIGNUP_CONFIRM_EMAIL,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same address signed up at this very moment
        raise ValidationError({"email": EMAIL_TAKEN}) from None
    if client_ip:
        limits.count_signup(client_ip)
    if not user.is_active:
        enqueue_durably("accounts.tasks.send_signup_confirmation", user.pk)
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


def confirmation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    return reverse("accounts:confirm_email", args=[uid, token])


def send_signup_confirmation(user_id: int) -> bool:
    """Mail the confirmation link to an account that waits for it (the task's work)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=False).first()
    if user is None or not user.email:
        return False
    context = {"user": user, "link": settings.SITE_URL + confirmation_path(user)}
    send_mail(
        render_to_string("accounts/confirm_email_subject.txt", context).strip(),
        render_to_string("accounts/confirm_email_email.txt", context),
        None,
        [user.email],
    )
    return True


def unconfirmed_user(uidb64: str, token: str) -> User | None:
    """The inactive account this confirmation link is for, if the link is still good."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, OverflowError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=False).first()
    if user is None or not email_confirmation_token.check_token(user, token):
        return None
    return user


@transaction.atomic
def confirm_email(user: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def request_password_reset(email: str) -> None:
    """Queue the reset mail: the request does the same work whether or not an account has
    this address (the lookup and the sending are the task's), so its timing tells nothing."""
    enqueue_durably("accounts.tasks.send_password_reset", email)


def send_password_reset(email: str) -> None:
    """Mail a reset link to every active account with this address (the task's work)."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        subject_template_name="accounts/password_reset_subject.txt",
        email_template_name="accounts/password_reset_email.txt",
    )


@transaction.atomic
def update_profile(user: User, *, display_name: str, email: str, bio: str) -> User:
    if _email_taken(email, exclude=user):
        raise ValidationError({"email": EMAIL_TAKEN})
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
