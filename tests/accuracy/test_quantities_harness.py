"""The quantities task of the accuracy harness: the Recognizers-Text spec reader, the value
metric, the unit map, the adapters, and `run()` on a small invented spec folder
(tests/fixtures/accuracy/quantities, laid out like the real data folder)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from accuracy.core import Counts, Options, TaskResult
from accuracy.metrics.quantities import (
    GoldQuantity,
    PredQuantity,
    case_counts,
    case_passes,
    match,
    score_corpus,
    unit_matches,
    unmatched,
    value_matches,
    values_equal,
)
from accuracy.readers.recognizers import count_flagged, parse_value, read_spec
from accuracy.tasks import quantities as task

ROOT = Path(__file__).resolve().parents[2]
SPECS = "recognizers-text/Specs"


@pytest.fixture
def data(fixtures: Path) -> Path:
    return fixtures / "quantities"


@pytest.fixture(scope="session")
def rules_run() -> TaskResult:
    """`run()` once in rules mode on the fixture folder (the rules Extractor loads in ~2 s)."""
    folder = Path(__file__).resolve().parents[1] / "fixtures" / "accuracy" / "quantities"
    return task.run(Options(data=folder, modes=("rules",), peers=False))


# ----------------------------------------------------------------------------- reader


def test_reader_strips_bom_and_makes_spans_half_open(data: Path) -> None:
    cases = read_spec(data / SPECS / "Number/English/NumberModel.json")  # written with a BOM
    assert [c.id for c in cases] == ["NumberModel-0", "NumberModel-1", "NumberModel-2", "NumberModel-3"]
    first = cases[0].results[0]
    assert (first.text, first.type_name, first.start, first.end) == ("12", "number", 11, 13)
    assert (first.value, first.value_max, first.shape, first.unit, first.subtype) == (12.0, None, "point", None, "integer")
    assert cases[0].input[first.start:first.end] == "12"
    # the spec writes Text lower-case where the input is capitalised
    second = cases[1].results[0]
    assert (second.text, cases[1].input[second.start:second.end]) == ("twenty two", "Twenty two")
    assert cases[2].not_supported == ("javascript", "python")
    assert cases[3].results == ()


def test_reader_units_iso_and_flags(data: Path) -> None:
    cases = read_spec(data / SPECS / "NumberWithUnit/English/CurrencyModel.json")
    euros = cases[2].results[1]
    assert (euros.text, euros.value, euros.shape, euros.unit, euros.iso_currency) == ("euros", None, None, "Euro", "EUR")
    assert (euros.start, euros.end) == (19, 24)
    assert cases[3].not_supported == ("dotnet", "java")
    assert count_flagged(cases) == {"NotSupported": 1, "NotSupportedByDesign": 0, "NotSupported by dotnet": 1}
    ranges = read_spec(data / SPECS / "Number/English/NumberRangeModel.json")
    assert ranges[1].comment == "an invented upper bound"
    assert ranges[2].not_supported_by_design == ("java",)


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ("192", (192.0, None, "point")),
        ("20%", (20.0, None, "point")),
        ("-5%", (-5.0, None, "point")),
        ("-1.2732E+15", (-1.2732e15, None, "point")),
        ("[20,30)", (20.0, 30.0, "range")),
        ("(0.25,0.5)", (0.25, 0.5, "range")),
        ("(30,)", (30.0, None, "lower")),
        ("[3965,)", (3965.0, None, "lower")),
        ("(,100]", (100.0, None, "upper")),
        ("[170,170]", (170.0, None, "point")),
        ("null", (None, None, None)),
        (None, (None, None, None)),
    ],
)
def test_parse_value(raw: str | None, parsed: tuple[float | None, float | None, str | None]) -> None:
    assert parse_value(raw) == parsed


# ----------------------------------------------------------------------------- metric


def test_values_equal_is_relative() -> None:
    assert values_equal(16400000.0, 16399999.999999998)
    assert values_equal(1e6, 1e6 * (1 + 1e-7))
    assert not values_equal(1.0, 1.00001)
    assert values_equal(0.0, 0.0)
    assert not values_equal(0.0, 1e-12)


def test_value_matches_by_shape() -> None:
    point = GoldQuantity(0, 5, 10.0)
    assert value_matches(point, PredQuantity(0, 5, 10.0))
    assert value_matches(point, PredQuantity(0, 5, 10.0, value_max=10.0))
    assert not value_matches(point, PredQuantity(0, 5, 10.0, value_max=20.0))  # a range is not a point
    rng = GoldQuantity(0, 9, 20.0, 30.0, "range")
    assert value_matches(rng, PredQuantity(0, 9, 20.0, value_max=30.0))
    assert not value_matches(rng, PredQuantity(0, 9, 20.0))  # one bound only
    lower = GoldQuantity(0, 9, 30.0, shape="lower")
    assert value_matches(lower, PredQuantity(0, 9, 30.0, bound="lower"))
    assert not value_matches(lower, PredQuantity(0, 9, 30.0))  # "30" alone is not "more than 30"
    assert not value_matches(lower, PredQuantity(0, 9, 30.0, bound="upper"))


def test_units_must_be_mapped_to_agree() -> None:
    assert unit_matches(GoldQuantity(0, 1, 1.0, unit="km"), PredQuantity(0, 1, 1.0, unit="km"))
    assert not unit_matches(GoldQuantity(0, 1, 1.0, unit=None), PredQuantity(0, 1, 1.0, unit="cent"))


def test_matching_is_maximal_not_greedy() -> None:
    # gold 0 overlaps both predictions, gold 1 only prediction 0: taking the first
    # candidate for gold 0 would leave gold 1 unmatched
    gold = [GoldQuantity(0, 10, 5.0), GoldQuantity(12, 20, 5.0)]
    preds = [PredQuantity(8, 14, 5.0), PredQuantity(2, 4, 5.0)]
    assert match(gold, preds) == [(0, 1), (1, 0)]
    assert case_counts(gold, preds) == Counts(tp=2, fp=0, fn=0)


def test_unscored_predictions_are_not_false_positives() -> None:
    gold = [GoldQuantity(0, 4, 20.0, unit="USD")]
    preds = [
        PredQuantity(0, 4, 20.0, unit="USD"),
        PredQuantity(10, 12, 3.0, unit="friend", scored=False),  # another type: ignored
        PredQuantity(20, 22, 7.0, unit="USD"),  # same type, no gold: a false positive
    ]
    assert case_counts(gold, preds) == Counts(tp=1, fp=1, fn=0)
    assert unmatched(gold, preds) == ([], [2])
    assert not case_passes(gold, preds)
    assert case_passes(gold, preds[:2], with_unit=True)


def test_score_corpus_counts_value_unit_and_passes() -> None:
    cases = [
        ([GoldQuantity(0, 4, 5.0, unit="km")], [PredQuantity(0, 4, 5.0, unit="km")]),  # passes
        ([GoldQuantity(0, 8, 3.0, unit="lb")], [PredQuantity(0, 8, 3.0, unit="GBP", scored=False)]),  # unit wrong
        ([GoldQuantity(0, 3, 9.0, unit=None)], [PredQuantity(0, 3, 8.0, unit="unit")]),  # value wrong
        ([], []),  # nothing to find, nothing found: passes
    ]
    score = score_corpus(cases, has_units=True)
    assert score.value == Counts(tp=2, fp=1, fn=1)
    assert score.value_unit == Counts(tp=1, fp=1, fn=2)
    assert (score.cases, score.passed, score.pass_rate) == (4, 2, 0.5)
    # without units the pass test is the value test
    assert score_corpus(cases, has_units=False).passed == 3


# ----------------------------------------------------------------------------- unit map


def test_gold_units_map_per_type() -> None:
    units = task.load_unit_map()
    r = SimpleNamespace
    assert task.gold_unit(r(type_name="currency", unit="Dollar"), units) == ("USD", True)  # type: ignore[arg-type]
    assert task.gold_unit(r(type_name="currency", unit="Pound"), units) == ("GBP", True)  # type: ignore[arg-type]
    assert task.gold_unit(r(type_name="dimension", unit="Pound"), units) == ("lb", True)  # type: ignore[arg-type]
    assert task.gold_unit(r(type_name="currency", unit="Franc"), units) == (None, True)  # type: ignore[arg-type]
    assert task.gold_unit(r(type_name="temperature", unit="F"), units) == ("°F", True)  # type: ignore[arg-type]
    assert task.gold_unit(r(type_name="dimension", unit="Zorkmid"), units) == (None, True)  # type: ignore[arg-type]
    assert task.gold_unit(r(type_name="percentage", unit=None), units) == ("percent", True)  # type: ignore[arg-type]
    assert task.gold_unit(r(type_name="number", unit=None), units) == (None, False)  # type: ignore[arg-type]


def test_gold_in_a_sub_unit_is_scaled_to_its_currency() -> None:
    from accuracy.readers.recognizers import Case, GoldResult

    cents = GoldResult("50 cents", "currency", 10, 18, 50.0, None, "number", "Cent")
    gold = task.gold_set([Case("c-0", "It costs 50 cents.", (cents,))], task.load_unit_map())
    [[q]] = gold.cases
    assert (q.value, q.unit) == (pytest.approx(0.5), "USD")
    assert gold.unmapped == {}


def test_unit_map_targets_are_nevextract_units() -> None:
    """Every mapped target is a string nevextract can emit: an ISO 4217 code in its list
    for money, else a unit of patterns/units.yaml (or 'percent' / 'unit')."""
    from nevextract.iso4217 import ISO_4217

    entries = yaml.safe_load((ROOT / "patterns" / "units.yaml").read_text(encoding="utf-8"))
    known = {e["unit"] for e in entries if e["type"] in ("unit", "percent")} | {"unit"}
    units = task.load_unit_map()
    assert {v for v in units.recognizers["currency"].values() if v} <= set(ISO_4217)
    for kind in ("dimension", "temperature", "age"):
        assert {v for v in units.recognizers[kind].values() if v} <= known, kind
    assert set(units.implicit.values()) <= known
    assert set(units.quantulum.values()) <= known


# ----------------------------------------------------------------------------- adapters


@pytest.mark.parametrize(
    ("scope", "kind", "unit", "bound", "value_max", "expected"),
    [
        ("number", "count", "unit", None, None, True),
        ("money", "money", "USD", None, None, True),
        ("money", "count", "cent", None, None, False),
        ("percent", "percent", "percent", None, None, True),
        ("dimension", "length", "km", None, None, True),
        ("dimension", "other", "°C", None, None, False),
        ("dimension", "count", "friend", None, None, False),
        ("temperature", "other", "°F", None, None, True),
        ("age", "duration", "year", None, None, True),
        ("range", "count", "unit", None, None, False),
        ("range", "count", "unit", "upper", None, True),
        ("range", "count", "unit", None, 30.0, True),
    ],
)
def test_in_scope(scope: str, kind: str, unit: str, bound: str | None, value_max: float | None, expected: bool) -> None:
    assert task.in_scope(scope, kind, unit, bound, value_max) is expected  # type: ignore[arg-type]


def _quantity(**kw: object) -> SimpleNamespace:
    base = {"start": 0, "end": 4, "value": 1.0, "value_max": None, "unit": "unit", "kind": "count", "qualifier": None}
    return SimpleNamespace(**(base | kw))


def test_from_nevextract_bound_scope_and_offset() -> None:
    q = _quantity(start=0, end=12, value=40.0, unit="person", qualifier="more than")
    p = task.from_nevextract(q, "range", offset=3)
    assert p == PredQuantity(3, 15, 40.0, None, "person", "lower", True)
    money = task.from_nevextract(_quantity(unit="USD", kind="money", qualifier="about"), "money")
    assert (money.bound, money.scored) == (None, True)
    record = SimpleNamespace(body="5 km", quantities=[_quantity(start=0, end=4, value=5.0, unit="km", kind="length")])
    assert task.nevextract_predictions(record, " 5 km ", "dimension") == [PredQuantity(1, 5, 5.0, None, "km", None, True)]
    with pytest.raises(ValueError):
        task.nevextract_predictions(record, "nothing alike", "dimension")


def _qunit(name: str, entity: str, code: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(name=name, entity=SimpleNamespace(name=entity), currency_code=code)


def test_from_quantulum_units_and_ranges() -> None:
    units = task.load_unit_map()
    rng = SimpleNamespace(unit=_qunit("kilometre", "length"), value=25.0, uncertainty=5.0, span=(0, 11))
    assert task.from_quantulum(rng, units, "dimension") == PredQuantity(0, 11, 20.0, 30.0, "km", None, True)
    money = SimpleNamespace(unit=_qunit("euro", "currency", "EUR"), value=9.0, uncertainty=None, span=(3, 6))
    assert task.from_quantulum(money, units, "money") == PredQuantity(3, 6, 9.0, None, "EUR", None, True)
    pct = SimpleNamespace(unit=_qunit("percentage", "dimensionless"), value=5.0, uncertainty=None, span=(0, 2))
    assert task.from_quantulum(pct, units, "percent").unit == "percent"
    odd = SimpleNamespace(unit=_qunit("cubit", "length"), value=2.0, uncertainty=None, span=(0, 7))
    assert task.from_quantulum(odd, units, "money") == PredQuantity(0, 7, 2.0, None, "cubit", None, False)


def test_quantulum_on_the_dimension_fixture(data: Path) -> None:
    pytest.importorskip("quantulum3")
    corpus = next(c for c in task.CORPORA if c.name == "recognizers-dimension")
    cases = read_spec(data / corpus.path)
    preds, _, failures = task.run_quantulum(corpus, cases, task.load_unit_map())
    assert preds == [
        [PredQuantity(2, 6, 5.0, None, "km", None, True), PredQuantity(17, 18, 3.0, None, "unit", None, False)],
        [PredQuantity(10, 18, 3.0, None, "lb", None, True)],
    ]
    assert not failures


# ----------------------------------------------------------------------------- run()


def test_run_rules_on_fixture_folder(rules_run: TaskResult) -> None:
    assert rules_run.errors == []
    assert rules_run.missing == ["recognizers-temperature", "recognizers-age"]
    rows = {r.corpus: r for r in rules_run.rows}
    assert list(rows) == [
        "recognizers-number", "recognizers-percent", "recognizers-numberrange",
        "recognizers-currency", "recognizers-dimension",
    ]
    assert all(r.system == "nevextract rules" and r.field == "quantities" and r.licence == "MIT" for r in rows.values())
    assert all(r.words_per_s is not None and r.words_per_s > 0 and r.source is None for r in rows.values())
    # number: 12 and 22 found; 3/4 missed; "2m" is a spurious number
    assert rows["recognizers-number"].metrics == {"value P": 66.7, "value R": 66.7, "value F1": 66.7, "pass %": 50.0}
    assert rows["recognizers-number"].size == "4 cases, 3 results"
    # percent: "percent of 10" read as a bare 10 (value found, unit missed); "percent" alone not scored
    assert rows["recognizers-percent"].metrics == {
        "value P": 100.0, "value R": 100.0, "value F1": 100.0, "value+unit F1": 66.7, "pass %": 66.7}
    # ranges: 20-30 and "less than 7" and "at least 9" found; "at most 4" read without its bound
    assert rows["recognizers-numberrange"].metrics == {"value P": 100.0, "value R": 75.0, "value F1": 85.7, "pass %": 66.7}
    # currency: $ 20 and "9 €" (a trailing symbol) right; zorkmids unmapped; two unit-only results not scored
    assert rows["recognizers-currency"].metrics == {
        "value P": 100.0, "value R": 100.0, "value F1": 100.0, "value+unit F1": 80.0, "pass %": 75.0}
    assert rows["recognizers-currency"].note == (
        "gold units unmapped: 1 of 3 (Zorkmid ×1); 2 gold results without a number not scored; "
        "kept: 1 cases flagged NotSupported by a Recognizers port (1 by dotnet), 0 NotSupportedByDesign; "
        "units inferred from a neighbour: 0 of 3 outputs")
    # dimension: 5 km right ("3 friends" is not a dimension: not a false positive); 3 pounds read as GBP
    assert rows["recognizers-dimension"].metrics == {
        "value P": 100.0, "value R": 100.0, "value F1": 100.0, "value+unit F1": 66.7, "pass %": 50.0}
    assert rows["recognizers-dimension"].note == "gold units unmapped: 0 of 2; units inferred from a neighbour: 0 of 3 outputs"


def test_run_filters_corpora_and_reports_missing_peer(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert task.run(Options(data=data, modes=(), peers=False, corpora=("no-such",))) == TaskResult()
    monkeypatch.setattr(task, "_quantulum_installed", lambda: None)
    res = task.run(Options(data=data, modes=(), peers=True, corpora=("recognizers-dimension",)))
    assert [(r.system, r.metrics, r.words_per_s, r.note) for r in res.rows] == [
        ("quantulum3", {}, None, "not installed: pip install quantulum3")]
