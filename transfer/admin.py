from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["filename", "owner", "group", "file_format", "status", "done", "total"]
    list_filter = ["status", "file_format", "created_at"]
    search_fields = ["filename", "owner__username", "error"]
    list_select_related = ["owner", "group"]
    raw_id_fields = ["owner", "group"]
    exclude = ["data"]  # the uploaded file: binary, possibly megabytes
    readonly_fields = ["created_at", "finished_at"]
