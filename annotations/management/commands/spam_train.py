"""Train the spam text model from the shipped examples and the moderators' labels."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from annotations import spam
from annotations.services import train_spam_model


class Command(BaseCommand):
    help = (
        "Train the spam text model (annotations/spam_data/*.csv plus every moderator's spam / "
        "not spam label) and write it where posting reads it. Deterministic."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help=f"model file (default: SPAM_MODEL_PATH, {settings.SPAM_MODEL_PATH})",
        )
        parser.add_argument(
            "--shipped",
            action="store_true",
            help=f"the model committed with the code ({spam.DEFAULT_MODEL_PATH}): no labels",
        )

    def handle(self, *args, output=None, shipped=False, **options):
        if output is None:
            output = spam.DEFAULT_MODEL_PATH if shipped else settings.SPAM_MODEL_PATH
        started = time.perf_counter()
        model = train_spam_model(output=output, include_labels=not shipped)
        self.stdout.write(
            f"{output}: {model.examples} examples ({model.labels} moderators' labels), "
            f"{len(model.weights)} weights, {output.stat().st_size // 1024} KiB, "
            f"{time.perf_counter() - started:.1f} s"
        )
