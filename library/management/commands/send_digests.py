"""manage.py send_digests --period daily|weekly [--dry-run]: the digests beat also sends."""

from django.core.management.base import BaseCommand

from library.digests import send_digests


class Command(BaseCommand):
    help = "Send the group digests of the last day or week (each member once per period)."

    def add_arguments(self, parser):
        parser.add_argument("--period", choices=["daily", "weekly"], required=True)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the digests, send nothing."
        )

    def handle(self, *args, period, dry_run, **options):
        result = send_digests(period, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"{period} {result['start']:%Y-%m-%d} → {result['end']:%Y-%m-%d}: {verb} "
            f"{result['groups']} group digests and {result['people']} people digests"
        )
