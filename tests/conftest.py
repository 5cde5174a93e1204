"""Shared fixtures: extractors are loaded once per test session (model and patterns)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nevextract import ArticleRecord, Extractor

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def rules_extractor() -> Extractor:
    return Extractor(mode="rules")


@pytest.fixture(scope="session")
def hybrid_extractor() -> Extractor:
    return Extractor(mode="hybrid")


@pytest.fixture(scope="session")
def seed_records(hybrid_extractor: Extractor) -> dict[str, ArticleRecord]:
    """Every seed page through the default (hybrid) extractor, by file stem."""
    return {p.stem: hybrid_extractor.extract(p.read_text(encoding="utf-8"), id=p.stem) for p in sorted(SEEDS.glob("*.txt"))}
