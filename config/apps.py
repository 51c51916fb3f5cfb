from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Commonplace"

    def ready(self):
        from . import positions

        positions.connect()  # remembered page positions go stale on any change to lists
