from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = "Library"

    def ready(self):
        from . import hooks  # noqa: F401 - connects the reactions to lower apps events
