"""Django admin for pages (with their fetch state), bookmarks, views and import jobs."""

from django.contrib import admin

from .models import Bookmark, BookmarkView, Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["url", "title", "fetch_status", "http_status", "language", "fetched_at"]
    list_filter = ["fetch_status", "language", "fetched_at"]
    search_fields = ["url", "title", "site_name"]
    readonly_fields = ["url_hash", "created_at"]
    date_hierarchy = "created_at"


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "group", "private", "unread", "view_count", "created_at"]
    list_filter = ["private", "unread", "comments_enabled", "created_at"]
    search_fields = ["title", "description", "page__url", "owner__username", "group__name"]
    list_select_related = ["page", "owner", "group"]
    raw_id_fields = ["page", "owner", "group"]
    readonly_fields = ["view_count", "updated_at"]
    date_hierarchy = "created_at"


@admin.register(BookmarkView)
class BookmarkViewAdmin(admin.ModelAdmin):
    list_display = ["bookmark", "viewer_key", "day"]
    list_filter = ["day"]
    search_fields = ["viewer_key"]
    raw_id_fields = ["bookmark"]
