"""TempEval-3 scoring of temporal expressions (TIMEX3): spans, then value and type.

TempEval-3 (UzZaman et al., SemEval-2013 task 1) scores time expressions in two steps:

* **Extent**: a system TIMEX3 matches a gold one under the *relaxed* match when their
  character spans overlap, under the *strict* match when the spans are identical. Matching
  is one-to-one: a gold expression is matched at most once and so is a system one.
  P = matched / system, R = matched / gold, F1 their harmonic mean.
* **Attributes** (value, type): judged only over the relaxed-matched pairs. TE3's attribute
  figures are P = correct / system, R = correct / gold, so the attribute F1 is
  F1(relaxed) × accuracy over matched pairs. A `Counts` with tp = correct attributes,
  fp = system − correct and fn = gold − correct yields exactly those figures, and, being
  plain sums, stays right when documents are added up (micro-average, as TE3 does).

Per type ("DATE F1" and so on), gold is restricted to expressions of that type and the
system's output to what the system labels that type, then scored as above.

Values are compared as strings, exactly (TE3's scorer does the same): "1998-01" is not
"1998-01-08". A missing value is never correct.

Matching: strict pairs are identical spans. Relaxed pairs are found greedily, gold in
text order, each taking the unused overlapping system expression that starts first; with
gold spans that do not overlap each other (as in TimeML) this pairs neighbours the way a
reader would and gives the largest number of pairs in all but contrived cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from accuracy.core import Counts

TIMEX_TYPES: tuple[str, ...] = ("DATE", "TIME", "DURATION", "SET")


class TimexLike(Protocol):
    """What scoring needs of an expression, gold or system."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def type(self) -> str | None: ...
    @property
    def value(self) -> str | None: ...


def _overlap(a: TimexLike, b: TimexLike) -> bool:
    """Spans share at least one character, or are the same span. The second case is for
    empty TIMEX3s (TimeML allows them for implied times): no span shares a character with
    them, so only an identical empty span matches one."""
    return max(a.start, b.start) < min(a.end, b.end) or (a.start, a.end) == (b.start, b.end)


def strict_pairs(gold: Sequence[TimexLike], pred: Sequence[TimexLike]) -> list[tuple[int, int]]:
    """(gold index, system index) for identical spans, each used at most once."""
    free: dict[tuple[int, int], list[int]] = {}
    for j, p in enumerate(pred):
        free.setdefault((p.start, p.end), []).append(j)
    pairs: list[tuple[int, int]] = []
    for i, g in enumerate(gold):
        candidates = free.get((g.start, g.end))
        if candidates:
            pairs.append((i, candidates.pop(0)))
    return pairs


def relaxed_pairs(gold: Sequence[TimexLike], pred: Sequence[TimexLike]) -> list[tuple[int, int]]:
    """(gold index, system index) for overlapping spans, one-to-one, greedy in text order."""
    order = sorted(range(len(pred)), key=lambda j: (pred[j].start, pred[j].end))
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for i in sorted(range(len(gold)), key=lambda k: (gold[k].start, gold[k].end)):
        for j in order:
            if j not in used and _overlap(gold[i], pred[j]):
                used.add(j)
                pairs.append((i, j))
                break
    return sorted(pairs)


@dataclass
class TimexCounts:
    """The four TE3 figures' counts for a document or a corpus (add them up)."""

    relaxed: Counts = field(default_factory=Counts)
    strict: Counts = field(default_factory=Counts)
    value: Counts = field(default_factory=Counts)
    type: Counts = field(default_factory=Counts)

    def __add__(self, other: TimexCounts) -> TimexCounts:
        return TimexCounts(
            self.relaxed + other.relaxed, self.strict + other.strict,
            self.value + other.value, self.type + other.type,
        )

    def figures(self, prefix: str = "") -> dict[str, float]:
        """Percentages rounded to one decimal, named as the report shows them."""
        return {
            f"{prefix}relaxed P": round(100 * self.relaxed.precision, 1),
            f"{prefix}relaxed R": round(100 * self.relaxed.recall, 1),
            f"{prefix}relaxed F1": round(100 * self.relaxed.f1, 1),
            f"{prefix}strict F1": round(100 * self.strict.f1, 1),
            f"{prefix}value F1": round(100 * self.value.f1, 1),
            f"{prefix}type F1": round(100 * self.type.f1, 1),
        }


def _attribute(correct: int, n_gold: int, n_pred: int) -> Counts:
    """TE3 attribute counts: P = correct / system, R = correct / gold."""
    return Counts(correct, n_pred - correct, n_gold - correct)


def _span(pairs: int, n_gold: int, n_pred: int) -> Counts:
    return Counts(pairs, n_pred - pairs, n_gold - pairs)


def score_document(
    gold: Sequence[TimexLike], pred: Sequence[TimexLike], timex_type: str | None = None
) -> TimexCounts:
    """TE3 counts for one document; with `timex_type`, for that type alone (gold of that
    type against system output labelled that type)."""
    if timex_type is not None:
        gold = [g for g in gold if g.type == timex_type]
        pred = [p for p in pred if p.type == timex_type]
    relaxed = relaxed_pairs(gold, pred)
    strict = strict_pairs(gold, pred)
    n_gold, n_pred = len(gold), len(pred)
    values = sum(1 for i, j in relaxed if gold[i].value is not None and gold[i].value == pred[j].value)
    types = sum(1 for i, j in relaxed if gold[i].type is not None and gold[i].type == pred[j].type)
    return TimexCounts(
        relaxed=_span(len(relaxed), n_gold, n_pred),
        strict=_span(len(strict), n_gold, n_pred),
        value=_attribute(values, n_gold, n_pred),
        type=_attribute(types, n_gold, n_pred),
    )


def score_corpus(
    docs: Sequence[tuple[Sequence[TimexLike], Sequence[TimexLike]]], timex_type: str | None = None
) -> TimexCounts:
    """Micro-summed counts over (gold, system) pairs of documents."""
    total = TimexCounts()
    for gold, pred in docs:
        total = total + score_document(gold, pred, timex_type)
    return total


def score_by_type(
    docs: Sequence[tuple[Sequence[TimexLike], Sequence[TimexLike]]]
) -> dict[str, TimexCounts]:
    """`score_corpus` for each TIMEX3 type (DATE, TIME, DURATION, SET)."""
    return {t: score_corpus(docs, timex_type=t) for t in TIMEX_TYPES}
