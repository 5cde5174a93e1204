"""Shared fixtures: extractors are loaded once per test session (model and patterns)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

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


@pytest.fixture(scope="session")
def training_script() -> Callable[[str], ModuleType]:
    """A script of training/ as a module (it puts benchmarks/ on the path); skips the test
    where scikit-learn, a dev and train extra, is not installed."""

    def load(name: str) -> ModuleType:
        pytest.importorskip("sklearn", reason="scikit-learn is in the dev and train extras")
        if name in sys.modules:
            return sys.modules[name]
        spec = importlib.util.spec_from_file_location(name, ROOT / "training" / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look their module up there
        spec.loader.exec_module(module)
        return module

    return load
