"""Django admin for highlights, comments, flags and the moderation log."""

from django.contrib import admin

from .models import Comment, Flag, Highlight, ModerationLog, SpamLabel


@admin.register(Highlight)
class HighlightAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "bookmark", "color", "anchor_status", "status"]
    list_filter = ["status", "anchor_status", "color", "created_at"]
    search_fields = ["exact", "note", "author__username"]
    list_select_related = ["author", "bookmark__page"]
    raw_id_fields = ["bookmark", "author"]
    readonly_fields = ["created_at", "updated_at", "anchored_at"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "status", "spam_score", "is_deleted", "created_at"]
    list_filter = ["status", "is_deleted", "created_at"]
    search_fields = ["body", "author__username"]
    list_select_related = ["author"]
    raw_id_fields = ["bookmark", "highlight", "topic", "parent", "author"]
    readonly_fields = ["body_html", "created_at", "edited_at"]
    date_hierarchy = "created_at"


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["reason", "flagged_by", "group", "created_at", "resolved_at", "resolved_by"]
    list_filter = ["reason", "resolved_at", "created_at"]
    search_fields = ["detail", "flagged_by__username", "group__name"]
    list_select_related = ["flagged_by", "group", "resolved_by"]
    raw_id_fields = [
        "group",
        "comment",
        "highlight",
        "topic",
        "bookmark",
        "flagged_by",
        "resolved_by",
    ]


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "group", "actor", "action", "target_type", "target_repr"]
    list_filter = ["action", "target_type", "created_at"]
    search_fields = ["target_repr", "detail", "actor__username", "group__name"]
    list_select_related = ["group", "actor"]
    raw_id_fields = ["group", "actor"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False  # the history is append-only


@admin.register(SpamLabel)
class SpamLabelAdmin(admin.ModelAdmin):
    list_display = ["created_at", "is_spam", "action", "group", "labelled_by", "target_type"]
    list_filter = ["is_spam", "action", "created_at"]
    search_fields = ["text", "labelled_by__username", "group__name"]
    list_select_related = ["group", "labelled_by"]
    raw_id_fields = ["group", "labelled_by"]
    date_hierarchy = "created_at"
