"""Mutated exports of every new reader's shape, imported end to end: each one finishes as done
(bad entries skipped with a reason) or refused with a message about the file, never an
exception or "a problem on our side"."""

import json
import random

import pytest
from django.core.exceptions import ValidationError

from tests.factories import UserFactory
from tests.imports.readers_support import fixture
from transfer.models import ImportJob
from transfer.services import start_import

pytestmark = pytest.mark.fuzz

NAMES = [
    "raindrop.csv",
    "pocket.html",
    "pocket.csv",
    "hypothesis.json",
    "wallabag.json",
    "linkding.html",
    "karakeep.json",
    "linkwarden.json",
]
# Values a broken exporter writes where something else belongs.
JUNK = [
    None,
    0,
    -1,
    1.5,
    1e300,
    True,
    "",
    "x",
    [],
    {},
    [[[]]],
    {"a": {"b": []}},
    "\u0000",
    "9999-99-99",
    "javascript:x",
    10**30,
    2**40,
    "x" * 20_000,
]
EXAMPLES = 60


def mutate_json(value, rnd):
    if isinstance(value, dict):
        if value and rnd.random() < 0.3:
            value[rnd.choice(list(value))] = rnd.choice(JUNK)
        for key in list(value):
            mutate_json(value[key], rnd)
    elif isinstance(value, list):
        if value and rnd.random() < 0.2:
            value[rnd.randrange(len(value))] = rnd.choice(JUNK)
        for item in value:
            mutate_json(item, rnd)


def mutate_bytes(data, rnd):
    out = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        i = rnd.randrange(len(out))
        roll = rnd.random()
        if roll < 0.4:
            out[i] = rnd.randrange(256)
        elif roll < 0.7:
            del out[i : i + rnd.randint(1, 40)]
        else:
            out[i:i] = rnd.choice([b'"', b",", b"<", b"\x00", b"\n", b'">', b"{", b"]"])
    return bytes(out)


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_mutated_exports_import_or_are_refused_with_a_message(name):
    rnd = random.Random(name)
    user = UserFactory()
    for _ in range(EXAMPLES):
        data = fixture(name)
        if name.endswith(".json") and rnd.random() < 0.7:
            parsed = json.loads(data)
            mutate_json(parsed, rnd)
            data = json.dumps(parsed).encode()
        else:
            data = mutate_bytes(data, rnd)
        try:
            job = start_import(user, filename=name, data=data, run_now=True)
        except ValidationError as exc:
            assert exc.messages and all(exc.messages)
            continue
        text = json.dumps(job.report) + job.error
        assert "problem on our side" not in text and "cannot be stored" not in text, text
        if job.status == ImportJob.Status.FAILED:
            assert job.report["errors"], job.report
        else:
            assert job.status == ImportJob.Status.DONE
