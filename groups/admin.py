"""Django admin for groups, memberships, the ways in (requests, invitations), bans and topics."""

from django.contrib import admin

from .models import Ban, Group, Invitation, JoinRequest, Membership, Topic


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "joined_at", "post_count"]
    readonly_fields = ["joined_at", "post_count"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "visibility", "join_policy", "created_by", "created_at"]
    list_filter = ["visibility", "join_policy", "hold_first_posts", "created_at"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["created_by"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "joined_at", "post_count"]
    list_filter = ["role", "group__visibility", "joined_at"]
    search_fields = ["user__username", "user__display_name", "group__name", "group__slug"]
    list_select_related = ["user", "group"]
    raw_id_fields = ["user", "group"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["user__username", "group__name", "message"]
    list_select_related = ["user", "group", "decided_by"]
    raw_id_fields = ["user", "group", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["group", "created_by", "created_at", "expires_at", "use_count", "revoked"]
    list_filter = ["revoked", "created_at", "expires_at"]
    search_fields = ["group__name", "token", "created_by__username"]
    list_select_related = ["group", "created_by"]
    raw_id_fields = ["group", "created_by"]


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "banned_by", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__username", "group__name", "reason"]
    list_select_related = ["user", "group", "banned_by"]
    raw_id_fields = ["user", "group", "banned_by"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "author", "status", "spam_score", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["title", "body", "author__username", "group__name"]
    list_select_related = ["group", "author"]
    raw_id_fields = ["group", "author"]
    readonly_fields = ["body_html", "edited_at"]
    date_hierarchy = "created_at"
