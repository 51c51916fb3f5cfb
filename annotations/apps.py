from django.apps import AppConfig


class AnnotationsConfig(AppConfig):
    name = "annotations"
    verbose_name = "Annotations"

    def ready(self):
        from groups.templatetags.navigation import TAB_COUNTS

        from .selectors import moderation_count

        # the Moderation tab shows how many items wait (groups sits below annotations)
        TAB_COUNTS["moderation"] = moderation_count
