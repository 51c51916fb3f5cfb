"""Before e-mail addresses become unique (case-insensitively, 0003): each address shared by
several accounts stays with the account that had it first (earliest date_joined); the others
lose it and can set an address of their own on their settings page. Nothing else changes."""

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Lower


def clear_duplicates(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    shared = (
        User.objects.exclude(email="")
        .annotate(address=Lower("email"))
        .values("address")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("address", flat=True)
    )
    for address in list(shared):
        holders = User.objects.filter(email__iexact=address).order_by("date_joined", "pk")
        later = list(holders.values_list("pk", "username")[1:])
        User.objects.filter(pk__in=[pk for pk, _name in later]).update(email="")
        print(f"\n  {address}: kept by the first account, cleared on {[n for _pk, n in later]}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(clear_duplicates, migrations.RunPython.noop)]
