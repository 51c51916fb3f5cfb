"""Django admin for people and sign-up invitations."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ExtensionToken, SignupInvitation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "email", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser", "date_joined"]
    search_fields = ["username", "display_name", "email"]
    ordering = ["username"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Profile"), {"fields": ["display_name", "bio"]}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Profile"), {"fields": ["display_name", "email"]}),
    )


@admin.register(SignupInvitation)
class SignupInvitationAdmin(admin.ModelAdmin):
    list_display = ["code", "email", "created_by", "created_at", "used_by", "used_at"]
    list_filter = ["created_at", "used_at"]
    search_fields = ["code", "email", "created_by__username", "used_by__username"]
    raw_id_fields = ["created_by", "used_by"]
    date_hierarchy = "created_at"


@admin.register(ExtensionToken)
class ExtensionTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "label", "key_prefix", "claimed_at", "last_used_at", "revoked_at"]
    list_filter = ["claimed_at", "revoked_at"]
    search_fields = ["user__username", "label", "key_prefix"]
    raw_id_fields = ["user"]
    readonly_fields = ["challenge", "key_hash", "key_prefix"]
