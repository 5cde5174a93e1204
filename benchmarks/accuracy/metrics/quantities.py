"""Value matching for quantities: the metric of the Recognizers-Text spec corpora.

Recognizers-Text's own test runners compare a model's results with the spec's exactly
(text, type, span, resolution). A different system segments text differently ("$ 20"
vs "20 dollars", "more than 40" vs "40"), so the harness scores what a reader of the
record needs — the number and its unit — on overlapping spans:

- a prediction MATCHES a gold result when their spans overlap and their values are
  equal (relative tolerance 1e-6): a point equals a prediction whose `value` is it (and
  whose `value_max`, if any, is it too); a two-sided range needs `value` = lower and
  `value_max` = upper; a one-sided interval ("more than 30" = (30,)) needs `value` = the
  bound, no `value_max`, and a prediction bounded the same way (`bound`, from the
  prediction's qualifier). Open/closed brackets are not compared.
- matching is one-to-one and maximal (a bipartite matching, so the order of mentions
  cannot cost a match);
- value+unit matching also needs the units to agree after mapping the gold unit into
  nevextract's vocabulary (`GoldQuantity.unit`); a gold unit that could not be mapped
  (None) never agrees, so it is a unit miss, and the task reports how many there were;
- tp = matches; fn = gold results left; fp = predictions left whose `scored` is true.
  A spec file annotates one type (currencies, dimensions …); the task marks as `scored`
  only the predictions of that type, so a stray count in a currency sentence is not a
  false positive, while a prediction of another type that matches a gold result still
  counts as found (value recall does not depend on the unit);
- a case PASSES when nothing is missed and nothing spurious is left (value+unit when
  the spec has units): the spec's own notion of a passing test, on our matching.

Gold results without a number ("convert 10 celsius to fahrenheit": "fahrenheit") are
not quantities in nevextract's sense and are left out by the task before scoring.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from nevextract.evaluate import max_matching

from accuracy.core import Counts

REL_TOL = 1e-6
Shape = Literal["point", "range", "lower", "upper"]
Bound = Literal["lower", "upper"]


@dataclass(frozen=True)
class GoldQuantity:
    start: int
    end: int
    value: float
    value_max: float | None = None
    shape: Shape = "point"
    unit: str | None = None  # mapped into nevextract's vocabulary; None: unmapped or none given


@dataclass(frozen=True)
class PredQuantity:
    start: int
    end: int
    value: float
    value_max: float | None = None
    unit: str | None = None
    bound: Bound | None = None  # "lower" for "more than 30", "upper" for "up to 30"
    scored: bool = True  # an unmatched prediction counts as a false positive


@dataclass
class CorpusScore:
    """A corpus's totals: value and value+unit counts, and cases passed."""

    value: Counts = field(default_factory=Counts)
    value_unit: Counts = field(default_factory=Counts)
    cases: int = 0
    passed: int = 0

    @property
    def pass_rate(self) -> float:
        return self.passed / self.cases if self.cases else 0.0


def values_equal(a: float, b: float, rel_tol: float = REL_TOL) -> bool:
    """Equal up to a relative tolerance (and exactly at zero)."""
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=0.0)


def _optional_equal(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return values_equal(a, b)


def overlaps(gold: GoldQuantity, pred: PredQuantity) -> bool:
    return gold.start < pred.end and pred.start < gold.end


def value_matches(gold: GoldQuantity, pred: PredQuantity) -> bool:
    """The values agree in the sense of the module docstring."""
    if not values_equal(gold.value, pred.value):
        return False
    if gold.shape == "range":
        return _optional_equal(gold.value_max, pred.value_max)
    if gold.shape == "point":
        return pred.value_max is None or values_equal(gold.value, pred.value_max)
    return pred.value_max is None and pred.bound == gold.shape


def unit_matches(gold: GoldQuantity, pred: PredQuantity) -> bool:
    """An unmapped gold unit (None) agrees with nothing."""
    return gold.unit is not None and gold.unit == pred.unit


def match(
    gold: Sequence[GoldQuantity], preds: Sequence[PredQuantity], with_unit: bool = False
) -> list[tuple[int, int]]:
    """A maximum one-to-one matching as (gold index, prediction index) pairs, sorted."""

    def ok(g: GoldQuantity, p: PredQuantity) -> bool:
        return overlaps(g, p) and value_matches(g, p) and (not with_unit or unit_matches(g, p))

    # nevextract's own scorer has the maximum matching (augmenting paths): gold on its left
    return sorted(max_matching(len(gold), len(preds), lambda i, j: ok(gold[i], preds[j])))


def case_counts(gold: Sequence[GoldQuantity], preds: Sequence[PredQuantity], with_unit: bool = False) -> Counts:
    """tp, fp, fn of one case."""
    pairs = match(gold, preds, with_unit)
    matched = {j for _, j in pairs}
    fp = sum(1 for j, p in enumerate(preds) if p.scored and j not in matched)
    return Counts(tp=len(pairs), fp=fp, fn=len(gold) - len(pairs))


def case_passes(gold: Sequence[GoldQuantity], preds: Sequence[PredQuantity], with_unit: bool = False) -> bool:
    """Every gold result matched and no scored prediction left over."""
    c = case_counts(gold, preds, with_unit)
    return c.fp == 0 and c.fn == 0


def score_corpus(
    cases: Sequence[tuple[Sequence[GoldQuantity], Sequence[PredQuantity]]], has_units: bool
) -> CorpusScore:
    """Totals over a corpus's cases (micro counts); the pass test uses units when the spec has them."""
    out = CorpusScore()
    for gold, preds in cases:
        value = case_counts(gold, preds)
        out.value += value
        unit = case_counts(gold, preds, with_unit=True) if has_units else value
        out.value_unit += unit
        out.cases += 1
        out.passed += int(unit.fp == 0 and unit.fn == 0)
    return out


def unmatched(
    gold: Sequence[GoldQuantity], preds: Sequence[PredQuantity], with_unit: bool = False
) -> tuple[list[int], list[int]]:
    """Indexes of the gold results and of the scored predictions left by the matching
    (for error analysis)."""
    pairs = match(gold, preds, with_unit)
    g_done = {i for i, _ in pairs}
    p_done = {j for _, j in pairs}
    return (
        [i for i in range(len(gold)) if i not in g_done],
        [j for j, p in enumerate(preds) if p.scored and j not in p_done],
    )

