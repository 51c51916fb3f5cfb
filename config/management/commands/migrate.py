"""manage.py migrate, one at a time: under a PostgreSQL advisory lock, past the pooler.

Two releases' migrate jobs, or two hosts started together, run one after the other; the second
finds everything applied and exits 0. With DATABASE_DIRECT_URL the migrations themselves also
run on the direct connection (schema changes and long statements have no business in a
transaction pooler).
"""

from django.core.management.commands.migrate import Command as DjangoMigrate

from config.dbrouting import direct_alias
from config.locks import advisory_lock


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " Waits for any other migrate of this database to finish."

    def handle(self, *args, **options):
        if options.get("database") == "default":
            options["database"] = direct_alias()
        with advisory_lock("commonplace:migrate", wait=True):
            return super().handle(*args, **options)
