"""unaccent (accent-insensitive search) and pg_trgm (similarity, fuzzy prefix) for every database."""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [UnaccentExtension(), TrigramExtension()]
