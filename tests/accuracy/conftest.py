"""The accuracy harness lives outside the package (benchmarks/accuracy): make it importable
as `accuracy` for its tests, which read only the small fixtures under tests/fixtures/accuracy."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

FIXTURES = ROOT / "tests" / "fixtures" / "accuracy"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
