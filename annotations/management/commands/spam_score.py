"""Score comments read from a file, one a line, as the first post of a new member."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotations import spam
from annotations.services import current_spam_model


class Command(BaseCommand):
    help = (
        "Print one JSON object a line ({text, score, held, reasons}) for each line of FILE, "
        "judged as the first post of a new member of a public group ('-' reads stdin)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                lines = sys.stdin.read().splitlines()
            else:
                lines = Path(file).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        model = current_spam_model()
        for line in lines:
            text = line.strip()
            if not text:
                continue
            verdict = spam.judge(text, context=spam.NEW_MEMBER, model=model)
            record = {
                "text": text,
                "score": verdict.score,
                "held": verdict.is_spam,
                "reasons": verdict.reasons,
            }
            self.stdout.write(json.dumps(record, ensure_ascii=False))
