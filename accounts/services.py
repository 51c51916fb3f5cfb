"""Every change to an account: sign-up, profile, API and feed tokens."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .models import SignupInvitation, User


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
