"""Account forms: sign-up and profile. Services do the writing."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UsernameField
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .limits import TooManyAttempts


class LoginForm(AuthenticationForm):
    """Django's log-in form that says why accounts.backends refused an attempt."""

    def get_invalid_login_error(self):
        refusal = getattr(self.request, "login_refused", None)
        if isinstance(refusal, TooManyAttempts):
            return ValidationError(
                _(
                    "Too many failed log-in attempts. Please wait %(minutes)s minutes and try "
                    "again, or reset your password."
                ),
                code="throttled",
                params={"minutes": refusal.minutes},
            )
        if refusal is not None:
            return ValidationError(
                _("Logging in is unavailable for a moment. Please try again in a minute."),
                code="unavailable",
            )
        if getattr(self.request, "login_unconfirmed", False):
            return ValidationError(
                _("Confirm your e-mail address first: follow the link in the mail we sent you."),
                code="inactive",
            )
        return super().get_invalid_login_error()


class QueuedPasswordResetForm(PasswordResetForm):
    """The reset form whose save() only queues the mail (services.request_password_reset)."""

    def save(self, **kwargs):
        services.request_password_reset(self.cleaned_data["email"])


class SignupForm(forms.Form):
    username = UsernameField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only. It appears in your profile address."),
    )
    display_name = forms.CharField(label=_("Display name"), max_length=80, required=False)
    email = forms.EmailField(label=_("Email"), help_text=_("For password resets."))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, needs_invite=False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_invite:
            self.fields["invite_code"] = forms.CharField(label=_("Invitation code"), max_length=64)

    def clean_username(self):
        username = self.cleaned_data["username"]
        get_user_model().username_validator(username)
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80, required=False)
    email = forms.EmailField(label=_("Email"))
    bio = forms.CharField(
        label=_("Bio"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
