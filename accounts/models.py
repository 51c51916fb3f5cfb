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
