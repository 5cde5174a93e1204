"""Quantities: numbers, percentages, money, dimensions, temperatures and ages from the
English specification files of Microsoft Recognizers-Text, scored by value (spans overlap,
values equal) and by value+unit, with the share of test cases passed exactly.

Each spec file is one corpus of short cases (a sentence or a phrase, often lower-cased
news text) and the results its Recognizers model should return (`readers/recognizers.py`).
Every case goes through nevextract as one body with `clean=False` (the inputs are bodies,
not pages); each `Quantity` becomes a prediction (value, value_max, unit, and a bound from
its qualifier). Gold units are mapped into nevextract's vocabulary through
`unit_map.yaml`; the metric is `metrics/quantities.py`. A spec file annotates one type
only, so only predictions of that type count as false positives (a count in a currency
sentence is not an error of the currency model's task); any prediction may still match.

Choices, stated in each row's note where they matter:
- Cases flagged `NotSupported` / `NotSupportedByDesign` are kept: the flags say which
  Recognizers ports skip the case, not that its expected answer is doubtful; nevextract
  is none of those ports. Their counts are given per corpus.
- Gold results without a number ("dollar", "fahrenheit") are not scored: nevextract
  reports quantities, and a unit word alone is not one.
- Ages: nevextract does not report an age as a quantity, by design ("29 years old" is
  excluded by a pattern); the Age spec is scored anyway, for the record.
- No published figures exist for these spec files; there is no published row.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from accuracy.core import (
    Corpus,
    Options,
    Published,
    Row,
    SweepError,
    TaskResult,
    limited,
    present_corpora,
    rate,
    run_nevextract,
    timed,
    words_in,
)
from accuracy.metrics.quantities import Bound, CorpusScore, GoldQuantity, PredQuantity, score_corpus
from accuracy.readers.recognizers import Case, GoldResult, count_flagged, read_spec

FIELD = "quantities"
UNIT_MAP_PATH = Path(__file__).resolve().parent.parent / "unit_map.yaml"
REPOSITORY = "https://github.com/microsoft/Recognizers-Text"

# nevextract qualifiers that make a quantity a one-sided interval ("more than 30" = (30,)).
BOUNDS: dict[str, Bound] = {
    "over": "lower", "more than": "lower", "at least": "lower", "just over": "lower",
    "less than": "upper", "up to": "upper",
}
TEMPERATURE_UNITS = frozenset({"°C", "°F"})
PHYSICAL_KINDS = frozenset({"length", "mass", "speed", "energy", "power", "other"})


@dataclass(frozen=True, kw_only=True)
class SpecCorpus(Corpus):
    """One spec file, and which predictions it judges."""

    scope: str  # number, range, percent, money, dimension, temperature, age: see `in_scope`
    has_units: bool  # the spec gives a unit (or implies one) for each result


def spec(name: str, path: str, scope: str, has_units: bool, note: str | None = None) -> SpecCorpus:
    """A spec file under the data folder (`path`), a dev set under the repository's MIT licence."""
    return SpecCorpus(name, path, "dev (whole spec file)", "MIT",
                      f"{REPOSITORY} ({path.removeprefix('recognizers-text/')})", note,
                      scope=scope, has_units=has_units)


_NUMBER = "recognizers-text/Specs/Number/English"
_UNIT = "recognizers-text/Specs/NumberWithUnit/English"
CORPORA: list[SpecCorpus] = [
    spec("recognizers-number", f"{_NUMBER}/NumberModel.json", "number", False,
         "the spec gives no units: value+unit not applicable"),
    spec("recognizers-percent", f"{_NUMBER}/PercentModel.json", "percent", True),
    spec("recognizers-numberrange", f"{_NUMBER}/NumberRangeModel.json", "range", False,
         "ranges and one-sided bounds ('more than 30'); brackets (open/closed) not compared"),
    spec("recognizers-currency", f"{_UNIT}/CurrencyModel.json", "money", True),
    spec("recognizers-dimension", f"{_UNIT}/DimensionModel.json", "dimension", True),
    spec("recognizers-temperature", f"{_UNIT}/TemperatureModel.json", "temperature", True),
    spec("recognizers-age", f"{_UNIT}/AgeModel.json", "age", True,
         "nevextract does not treat an age as a quantity, by design: scored for the record"),
]

# Published figures of peers on these spec files: none known, so no published rows.
PUBLISHED: list[Published] = []


# ----------------------------------------------------------------------------- units


@dataclass(frozen=True)
class UnitMap:
    """`unit_map.yaml`: Recognizers unit names per result type, and quantulum3's names."""

    recognizers: Mapping[str, Mapping[str, str | None]]
    implicit: Mapping[str, str]
    quantulum: Mapping[str, str]
    subunits: Mapping[str, float] = field(default_factory=dict)  # "Cent": 0.01


def load_unit_map(path: Path = UNIT_MAP_PATH) -> UnitMap:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rec = dict(data["recognizers"])
    implicit = rec.pop("implicit", {}) or {}
    subunits = rec.pop("subunits", {}) or {}
    return UnitMap(recognizers=rec, implicit=implicit, quantulum=data.get("quantulum3") or {}, subunits=subunits)


def gold_unit(result: GoldResult, units: UnitMap) -> tuple[str | None, bool]:
    """(nevextract's unit string or None when unmapped, whether the spec gives a unit)."""
    if result.unit is None:
        implied = units.implicit.get(result.type_name)
        return implied, implied is not None
    return units.recognizers.get(result.type_name, {}).get(result.unit), True


@dataclass
class GoldSet:
    """A corpus's gold, ready for the metric, with what was left out or not mapped."""

    cases: list[list[GoldQuantity]]
    results: int = 0
    without_value: int = 0
    with_unit: int = 0
    unmapped: Counter[str] = field(default_factory=Counter)


def gold_set(cases: Sequence[Case], units: UnitMap) -> GoldSet:
    out = GoldSet(cases=[])
    for case in cases:
        gold: list[GoldQuantity] = []
        for r in case.results:
            out.results += 1
            if r.value is None or r.shape is None:
                out.without_value += 1
                continue
            unit, given = gold_unit(r, units)
            if given:
                out.with_unit += 1
                if unit is None:
                    out.unmapped[f"{r.type_name}:{r.unit}"] += 1
            scale = units.subunits.get(r.unit or "", 1.0) if unit is not None else 1.0
            value_max = r.value_max * scale if r.value_max is not None else None
            gold.append(GoldQuantity(r.start, r.end, r.value * scale, value_max, r.shape, unit))
        out.cases.append(gold)
    return out


# ----------------------------------------------------------------------------- predictions


def in_scope(scope: str, kind: str, unit: str | None, bound: Bound | None, value_max: float | None) -> bool:
    """Whether a prediction is of the type a spec file annotates (so may be a false positive)."""
    if scope == "number":
        return True
    if scope == "range":
        return value_max is not None or bound is not None
    if scope == "percent":
        return kind == "percent"
    if scope == "money":
        return kind == "money"
    if scope == "dimension":
        return kind in PHYSICAL_KINDS and unit not in TEMPERATURE_UNITS
    if scope == "temperature":
        return unit in TEMPERATURE_UNITS
    if scope == "age":
        return kind == "duration"
    raise ValueError(f"unknown scope {scope!r}")


def from_nevextract(q: Any, scope: str, offset: int = 0) -> PredQuantity:
    """A nevextract `Quantity` as a prediction; `offset` shifts body offsets to the input's."""
    bound = BOUNDS.get(q.qualifier) if q.qualifier else None
    return PredQuantity(
        start=q.start + offset, end=q.end + offset, value=q.value, value_max=q.value_max,
        unit=q.unit, bound=bound, scored=in_scope(scope, q.kind, q.unit, bound, q.value_max),
    )


def nevextract_predictions(record: Any, text: str, scope: str) -> list[PredQuantity]:
    """The predictions of one record. With clean=False the body is the input; should it
    ever be trimmed, its offsets are shifted to where it sits in the input."""
    offset = 0 if record.body == text else text.find(record.body)
    if offset < 0:
        raise ValueError("the record's body is not part of the input")
    return [from_nevextract(q, scope, offset) for q in record.quantities]


_QUANTULUM_KINDS = {
    "currency": "money", "dimensionless": "count", "time": "duration", "length": "length",
    "mass": "mass", "speed": "speed", "energy": "energy", "power": "power",
}


def quantulum_unit(q: Any, units: UnitMap) -> tuple[str, str]:
    """(kind, unit string) of a quantulum3 quantity, in nevextract's terms."""
    unit = q.unit
    if unit.name == "percentage":
        return "percent", "percent"
    entity = unit.entity.name
    code = getattr(unit, "currency_code", None)
    if entity == "currency" and code:
        return "money", str(code)
    return _QUANTULUM_KINDS.get(entity, "other"), units.quantulum.get(unit.name, unit.name)


def from_quantulum(q: Any, units: UnitMap, scope: str) -> PredQuantity:
    """A quantulum3 `Quantity` as a prediction: a range ("20 to 30") is its value ± its
    uncertainty; quantulum3 has no qualifier, so no bound."""
    kind, unit = quantulum_unit(q, units)
    value, value_max = float(q.value), None
    spread = getattr(q, "uncertainty", None)
    if spread:
        value, value_max = value - spread, value + spread
    start, end = q.span
    return PredQuantity(
        start=start, end=end, value=value, value_max=value_max, unit=unit,
        scored=in_scope(scope, kind, unit, None, value_max),
    )


# ----------------------------------------------------------------------------- rows


def metrics_of(score: CorpusScore, has_units: bool) -> dict[str, float]:
    m = {
        "value P": round(100 * score.value.precision, 1),
        "value R": round(100 * score.value.recall, 1),
        "value F1": round(100 * score.value.f1, 1),
    }
    if has_units:
        m["value+unit F1"] = round(100 * score.value_unit.f1, 1)
    m["pass %"] = round(100 * score.pass_rate, 1)
    return m


def corpus_note(corpus: SpecCorpus, gold: GoldSet, cases: Sequence[Case]) -> str:
    parts = [corpus.note] if corpus.note else []
    if corpus.has_units:
        unmapped = sum(gold.unmapped.values())
        names = ", ".join(f"{k.split(':', 1)[1]} ×{n}" for k, n in gold.unmapped.most_common(6))
        parts.append(f"gold units unmapped: {unmapped} of {gold.with_unit}" + (f" ({names})" if names else ""))
    if gold.without_value:
        parts.append(f"{gold.without_value} gold results without a number not scored")
    flagged = count_flagged(cases)
    if flagged["NotSupported"] or flagged["NotSupportedByDesign"]:
        parts.append(
            f"kept: {flagged['NotSupported']} cases flagged NotSupported by a Recognizers port "
            f"({flagged['NotSupported by dotnet']} by dotnet), {flagged['NotSupportedByDesign']} NotSupportedByDesign"
        )
    return "; ".join(parts)


def _size(cases: Sequence[Case], gold: GoldSet) -> str:
    return f"{len(cases):,} cases, {gold.results:,} results"


def _row(corpus: SpecCorpus, cases: Sequence[Case], gold: GoldSet, system: str,
         metrics: dict[str, float], words_per_s: float | None, note: str) -> Row:
    return Row(FIELD, corpus.name, corpus.split, _size(cases, gold), corpus.licence, system,
               metrics, words_per_s, None, note)


# ----------------------------------------------------------------------------- systems


@dataclass
class NevRun:
    """nevextract's predictions on one corpus, with what the row's note reports."""

    preds: list[list[PredQuantity]]
    seconds: float
    errors: list[SweepError]
    outputs: int = 0  # quantities in the records
    inferred: int = 0  # of them, with a unit taken from a neighbour (`unit_inferred`)


def run_nevextract_on(corpus: SpecCorpus, cases: Sequence[Case], mode: str) -> NevRun:
    """nevextract in `mode` over every case (one pipe item per case, clean=False)."""
    items = [{"id": c.id, "text": c.input, "clean": False} for c in cases]
    run = run_nevextract(mode, corpus.name, items)
    errors = list(run.errors)
    preds: list[list[PredQuantity]] = []
    outputs = inferred = 0
    for case, rec in zip(cases, run.records, strict=True):
        if rec is None:
            preds.append([])
            continue
        outputs += len(rec.quantities)
        inferred += sum(q.unit_inferred for q in rec.quantities)
        try:
            preds.append(nevextract_predictions(rec, case.input, corpus.scope))
        except ValueError as exc:  # recorded in the sweep; the case scores as empty
            errors.append(SweepError(corpus.name, case.id, f"ValueError: {exc}"))
            preds.append([])
    return NevRun(preds, run.seconds, errors, outputs, inferred)


def run_quantulum(corpus: SpecCorpus, cases: Sequence[Case], units: UnitMap) -> tuple[list[list[PredQuantity]], float, Counter[str]]:
    """quantulum3 over every case, with its rule-based disambiguation: its pickled
    classifier does not load with current scikit-learn (as in benchmarks/peers.py). A case
    it raises on gets no predictions; the failures are counted for the row's note."""
    classifier = importlib.import_module("quantulum3.classifier")
    parser = importlib.import_module("quantulum3.parser")
    classifier.USE_CLF = False
    parser.parse("Warm-up: 10 km for $5.")  # loads its unit tables: loading is not timed
    failures: Counter[str] = Counter()

    def go() -> list[list[PredQuantity]]:
        out: list[list[PredQuantity]] = []
        for case in cases:
            try:
                found = parser.parse(case.input)
            except Exception as exc:  # noqa: BLE001 - a peer's crash costs that case; counted in the note
                failures[type(exc).__name__] += 1
                found = []
            out.append([from_quantulum(q, units, corpus.scope) for q in found])
        return out

    preds, seconds = timed(go)
    return preds, seconds, failures


def _quantulum_installed() -> str | None:
    """quantulum3's version, or None when it is not installed (or does not import)."""
    try:
        importlib.import_module("quantulum3")
        return metadata.version("quantulum3")
    except (ImportError, metadata.PackageNotFoundError):
        return None


def corpus_metrics(corpus: SpecCorpus, gold: GoldSet, preds: Sequence[Sequence[PredQuantity]]) -> dict[str, float]:
    score = score_corpus(list(zip(gold.cases, preds, strict=True)), corpus.has_units)
    return metrics_of(score, corpus.has_units)


def run_corpus(corpus: SpecCorpus, cases: Sequence[Case], opts: Options, units: UnitMap, result: TaskResult) -> None:
    """Every system on one corpus: rows and sweep errors appended to `result`."""
    gold = gold_set(cases, units)
    note = corpus_note(corpus, gold, cases)
    words = words_in(c.input for c in cases)
    for mode in opts.modes:
        nev = run_nevextract_on(corpus, cases, mode)
        result.errors += nev.errors
        inferred = f"; units inferred from a neighbour: {nev.inferred} of {nev.outputs} outputs"
        result.rows.append(_row(corpus, cases, gold, f"nevextract {mode}", corpus_metrics(corpus, gold, nev.preds),
                                rate(words, nev.seconds), note + inferred))
    if not opts.peers:
        return
    version = _quantulum_installed()
    if version is None:
        result.rows.append(_row(corpus, cases, gold, "quantulum3", {}, None, "not installed: pip install quantulum3"))
        return
    preds, seconds, failures = run_quantulum(corpus, cases, units)
    peer_note = note + (f"; quantulum3 raised on {sum(failures.values())} cases ({dict(failures)})" if failures else "")
    result.rows.append(_row(corpus, cases, gold, f"quantulum3 {version}", corpus_metrics(corpus, gold, preds),
                            rate(words, seconds), peer_note))


def run(opts: Options) -> TaskResult:
    result = TaskResult()
    units = load_unit_map()
    for corpus, path in present_corpora(CORPORA, opts, result):
        cases = list(limited(read_spec(path), opts.limit))
        run_corpus(corpus, cases, opts, units, result)
    return result

