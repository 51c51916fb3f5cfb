"""Data: the bell now counts unread rows without checking groups (notifications.hooks keeps
every unread row readable by its recipient); mark read the unread rows of private groups
their recipient already left before that rule."""

from django.db import migrations
from django.db.models import Exists, OuterRef
from django.utils import timezone


def mark_unreadable_rows_read(apps, schema_editor):
    Notification = apps.get_model("notifications", "Notification")
    Membership = apps.get_model("groups", "Membership")
    Notification.objects.filter(read_at__isnull=True, group__visibility="private").exclude(
        Exists(
            Membership.objects.filter(
                group_id=OuterRef("group_id"), user_id=OuterRef("recipient_id")
            )
        )
    ).update(read_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(mark_unreadable_rows_read, migrations.RunPython.noop)]
