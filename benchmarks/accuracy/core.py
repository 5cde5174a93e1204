"""What every field task of the accuracy harness shares: counts and scores, result rows,
timing of a system, and nevextract run over a corpus through `Extractor.pipe`.

The flow of one run (`run.py`): for each field task (`tasks/<field>.py`), for each of its
corpora found under the data folder, read the documents (`readers/`), run each system
(nevextract in each mode, the field's peers) over the same text, score with the corpus's
standard metric (`metrics/`), and hand back `Row`s for the report (`report.py`) plus any
error record or exception met on the way (the sweep).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

MODES: tuple[str, ...] = ("hybrid", "rules", "statistical")
T = TypeVar("T")


# ----------------------------------------------------------------------------- scores


@dataclass
class Counts:
    """True positives, false positives and false negatives, summed over documents (micro)."""

    tp: float = 0
    fp: float = 0
    fn: float = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def __iadd__(self, other: Counts) -> Counts:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def prf(self) -> dict[str, float]:
        """P, R and F1 in percent, rounded for a table."""
        return {"P": round(100 * self.precision, 1), "R": round(100 * self.recall, 1), "F1": round(100 * self.f1, 1)}


def words_in(texts: Iterable[str]) -> int:
    """Words as the speed figures count them: white-space separated tokens."""
    return sum(len(t.split()) for t in texts)


# ----------------------------------------------------------------------------- results


@dataclass
class Row:
    """One line of the report: one system on one corpus, with its metrics."""

    field: str  # boilerplate, organisations, quantities, dates, claims
    corpus: str
    split: str
    size: str  # "183 documents, 1,243 TIMEX3"
    licence: str
    system: str  # "nevextract hybrid", "dateparser 1.2", "HeidelTime (published)"
    metrics: dict[str, float]  # metric name -> value (percent unless the name says otherwise)
    words_per_s: float | None = None  # None for published figures
    source: str | None = None  # where a published figure comes from
    note: str | None = None


@dataclass
class SweepError:
    """A document that gave an error record or raised: the sweep's goal is none."""

    corpus: str
    document: str
    error: str


@dataclass
class TaskResult:
    rows: list[Row] = field(default_factory=list)
    errors: list[SweepError] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # corpora not found under the data folder


@dataclass(frozen=True)
class Corpus:
    """One corpus of a field task. A task needing more per corpus subclasses this."""

    name: str
    path: str  # relative to the data folder
    split: str
    licence: str
    source: str  # where to get it (the report's "where" column)
    note: str | None = None


@dataclass(frozen=True)
class Published:
    """A peer's published figures, shown beside a corpus for scale (measured elsewhere)."""

    system: str
    metrics: dict[str, float]
    source: str
    note: str | None = None


C = TypeVar("C", bound=Corpus)


def published_rows(fld: str, corpus: Corpus, split: str, size: str, published: Iterable[Published]) -> list[Row]:
    """Rows of published figures under `corpus`, with the `split` and `size` they were
    measured on (metrics rounded to one decimal, as the report shows them)."""
    return [
        Row(fld, corpus.name, split, size, corpus.licence, p.system, {k: round(v, 1) for k, v in p.metrics.items()},
            None, p.source, p.note)
        for p in published
    ]


@dataclass
class Options:
    """What the command line asked for, handed to every task."""

    data: Path
    modes: Sequence[str] = MODES
    peers: bool = True
    limit: int | None = None  # at most this many documents per corpus (quick runs)
    corpora: Sequence[str] = ()  # only these corpus names; empty = all


def present_corpora(
    corpora: Iterable[C], opts: Options, result: TaskResult, present: Callable[[Path], bool] = Path.is_file
) -> Iterator[tuple[C, Path]]:
    """Each corpus asked for (`opts.corpora`; empty = all) with its path under the data
    folder, when `present(path)`; the others asked for go to `result.missing`."""
    for corpus in corpora:
        if opts.corpora and corpus.name not in opts.corpora:
            continue
        path = opts.data / corpus.path
        if not present(path):
            result.missing.append(corpus.name)
            continue
        yield corpus, path


class Task(Protocol):
    """A field task module (`tasks/<field>.py`) exposes these."""

    FIELD: str

    def run(self, opts: Options) -> TaskResult: ...


# ----------------------------------------------------------------------------- timing


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    """`fn()` and the seconds it took."""
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def rate(words: int, seconds: float) -> float:
    return words / seconds if seconds > 0 else float("inf")


def limited(items: Sequence[T], limit: int | None) -> Sequence[T]:
    return items if limit is None else items[:limit]


# ----------------------------------------------------------------------------- nevextract


@lru_cache(maxsize=6)
def extractor(mode: str, gazetteer: bool = True) -> Any:
    """One loaded `Extractor` per mode (and gazetteer setting) for the whole run; loading is
    not timed."""
    from nevextract import Extractor

    ex = Extractor(mode=mode, gazetteer=gazetteer)  # type: ignore[arg-type]
    ex.extract("Warm-up: BYD sold 10 cars on Monday, it said.", clean=False)
    return ex


@dataclass
class NevRun:
    """nevextract's records for a corpus, in input order (None where it gave an error)."""

    records: list[Any]  # ArticleRecord | None
    seconds: float
    errors: list[SweepError]


def run_nevextract(mode: str, corpus: str, items: Sequence[dict[str, Any]], *, gazetteer: bool = True) -> NevRun:
    """Every item (a mapping for `Extractor.pipe`: id, text or html, published, clean …)
    through nevextract in `mode`. Error records and exceptions become `SweepError`s and a
    None record, so one bad document costs only itself."""
    ex = extractor(mode, gazetteer)
    records: list[Any] = []
    errors: list[SweepError] = []

    def go() -> None:
        it: Iterator[Any] = ex.pipe(items)
        for item in items:
            try:
                rec = next(it)
            except Exception as exc:  # noqa: BLE001 - the sweep lists it; the run goes on
                errors.append(SweepError(corpus, str(item.get("id")), f"{type(exc).__name__}: {exc}"))
                records.append(None)
                it = ex.pipe(items[len(records):])
                continue
            if getattr(rec, "error", None) is not None:
                errors.append(SweepError(corpus, rec.id, f"{rec.error.type}: {rec.error.message}"))
                records.append(None)
            else:
                records.append(rec)

    _, seconds = timed(go)
    return NevRun(records, seconds, errors)
