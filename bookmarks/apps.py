from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "bookmarks"
    verbose_name = "Bookmarks"

    def ready(self):
        from . import signals  # noqa: F401 - connects the cached-count receivers
