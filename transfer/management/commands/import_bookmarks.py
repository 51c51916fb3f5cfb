"""manage.py import_bookmarks FILE --user U [--group G] [--private] [--strict] [--dry-run]."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from groups.models import Group
from transfer.importers import FORMAT_LABELS
from transfer.services import preview_import, start_import


class Command(BaseCommand):
    help = (
        "Import a bookmark file (Netscape HTML, Diigo CSV, Pinboard JSON, Raindrop CSV, "
        "Pocket HTML or CSV, Hypothesis, wallabag, Karakeep or Linkwarden JSON; format read "
        "from the content) into a user's library or a group they may post to. Broken rows "
        "are skipped and reported (--strict: all or nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the bookmark file")
        parser.add_argument("--user", required=True, help="username of the importer")
        parser.add_argument("--group", help="slug of the destination group (default: library)")
        parser.add_argument(
            "--no-folder-tags",
            action="store_true",
            help="do not turn bookmark-file folder names into tags",
        )
        parser.add_argument(
            "--private", action="store_true", help="make every bookmark private (library only)"
        )
        parser.add_argument(
            "--strict", action="store_true", help="refuse the whole file if any row is broken"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be imported, write nothing"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user named {options['user']!r}.")
        group = None
        if options["group"]:
            group = Group.objects.filter(slug=options["group"]).first()
            if group is None:
                raise CommandError(f"No group with slug {options['group']!r}.")
        if options["dry_run"]:
            self._preview(user, group, path.read_bytes(), options)
            return
        try:
            job = start_import(
                user,
                filename=path.name,
                data=path.read_bytes(),
                group=group,
                folders_as_tags=not options["no_folder_tags"],
                strict=options["strict"],
                private=options["private"],
                run_now=True,
            )
        except (PermissionDenied, ValidationError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(message) from None
        report = job.report if isinstance(job.report, dict) else {}
        if job.status != job.Status.DONE:
            problems = "\n".join(f"  {e}" for e in report.get("errors", []))
            raise CommandError(f"{job.error}\n{problems}")
        for row in report.get("skipped", []):
            self.stdout.write(f"skipped {row['where']}: {row['reason']}")
        for row in report.get("notes", []):
            self.stdout.write(f"adjusted {row['where']}: {row['message']}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{FORMAT_LABELS.get(job.file_format, job.file_format)}: {job.total} items, "
                f"{job.created} new, {job.merged} merged, {report.get('repaired', 0)} repaired, "
                f"{job.skipped} skipped, "
                f"{report.get('highlights', 0)} highlights, {report.get('comments', 0)} comments."
            )
        )

    def _preview(self, user, group, data, options):
        try:
            preview = preview_import(
                user,
                data,
                group=group,
                folders_as_tags=not options["no_folder_tags"],
                strict=options["strict"],
            )
        except (PermissionDenied, ValidationError) as exc:
            message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            raise CommandError(message) from None
        for where, reason in preview.skipped:
            self.stdout.write(f"would skip {where}: {reason}")
        self.stdout.write(
            f"{preview.rows:,} rows: {preview.imported:,} will be imported "
            f"({preview.merged:,} merge with existing), {preview.repaired:,} repaired, "
            f"{len(preview.skipped):,} skipped. Nothing was written (--dry-run)."
        )
