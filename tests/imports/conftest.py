"""Fixtures for import/export/feed tests: the sample files written in each exporter's shape."""

from pathlib import Path

import pytest

SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture
def sample():
    """sample(name) → the bytes of tests/imports/samples/<name>."""

    def _read(name):
        return (SAMPLES / name).read_bytes()

    return _read
