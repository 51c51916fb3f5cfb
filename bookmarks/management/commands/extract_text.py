"""`manage.py extract_text FILE...`: the title and main text of saved HTML files, one JSON
object a line, through the same decoding and extraction as a fetch (no network)."""

import gzip
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bookmarks.extract import extract


class Command(BaseCommand):
    help = 'Print {"file", "title", "text"} for each .html or .html.gz file, one JSON line each.'

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--url", default="", help="the address the files were saved from")

    def handle(self, *args, files: list[Path], url: str, **options):
        for path in files:
            try:
                body = path.read_bytes()
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from error
            if path.suffix == ".gz":
                try:
                    body = gzip.decompress(body)
                except (OSError, EOFError) as error:
                    raise CommandError(f"{path}: not a gzip file ({error})") from error
            page = extract(body, url=url or path.resolve().as_uri(), content_type="text/html")
            line = {"file": str(path), "title": page.title, "text": page.text}
            self.stdout.write(json.dumps(line, ensure_ascii=False))
