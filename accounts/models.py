"""People: the custom User model (there from the first migration) and sign-up invitations."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    bio = models.TextField(_("bio"), max_length=2000, blank=True)
    # secret part of this user's private feed URLs; regenerating it revokes old links
    feed_token = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["username"]
        constraints = [
            # One account per address, whatever its case; accounts without one are many.
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                condition=~models.Q(email=""),
                violation_error_message=_("Another account already uses this e-mail address."),
            )
        ]

    def __str__(self):
        return self.username

    @property
    def name(self):
        return self.display_name or self.username

    def get_absolute_url(self):
        return reverse("library:user", args=[self.username])


class SignupInvitation(models.Model):
    """A code that lets one person sign up while SIGNUP_POLICY is "invite"."""

    code = models.CharField(max_length=64, unique=True)
    email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    used_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.code


class ExtensionToken(models.Model):
    """The browser extension's access, approved by the user on /extension/connect/.

    Separate from the personal API token: it may read what the user may see and write
    bookmarks, highlights and comments, nothing else (accounts.authentication), and each one is
    revoked on its own from the settings page. The extension proves it is the one that asked
    with a PKCE-style pair: the connect page gets sha256(verifier), the claim sends the verifier.
    Only a hash of the key is stored.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="extension_tokens")
    label = models.CharField(max_length=100, blank=True)
    challenge = models.CharField(max_length=64, unique=True, null=True, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    key_prefix = models.CharField(max_length=12, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} · {self.label or self.key_prefix}"
