"""Reader for the Microsoft Recognizers-Text specification files (Specs/<Model>/<Language>/*.json).

A spec file is a JSON array of test cases (often written with a UTF-8 byte-order mark, so
it is read as `utf-8-sig`):

    {"Input": "it costs $ 20 and 5 km",
     "NotSupported": "javascript, python",            optional
     "Results": [{"Text": "$ 20", "TypeName": "currency", "Start": 9, "End": 12,
                  "Resolution": {"value": "20", "unit": "Dollar", "isoCurrency": "USD"}}]}

- `Start` and `End` are character offsets into `Input` with `End` INCLUSIVE
  (`Input[Start:End + 1]` is the text, up to letter case: `Text` is written lower-case
  where the input is capitalised). They are turned into Python half-open spans here.
- `Resolution.value` is a string: a plain number ("75000000", "-1.2732E+15"), a
  percentage ("20%"), an interval for the NumberRange model ("[20,30)", "(30,)",
  "(,100]"), or null / the string "null" for a mention without a number ("dollar",
  "fahrenheit", "percent"). Interval brackets (open / closed) are not kept: nevextract's
  record has no inclusive/exclusive bound, only `value`, `value_max` and a qualifier.
- `Resolution.unit` (NumberWithUnit models) is Recognizers' unit name ("Dollar",
  "Square meter", "C"); `isoCurrency` is given for some currencies.
- Case-level keys: `NotSupported` / `NotSupportedByDesign` list the Recognizers-Text
  ports (dotnet, javascript, python, java) whose test runners skip the case: a known
  failure of that port, or one it will never fix. They say nothing about the expected
  answer, which stays the spec's intended result; the reader keeps them (lower-cased
  platform names) so a task can count them. `Comment` is free text. `Context` (used by
  the DateTime specs, e.g. a reference time) is kept as given and unused here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

# What a gold value is: one number, a two-sided interval, or a one-sided one.
Shape = Literal["point", "range", "lower", "upper"]


@dataclass(frozen=True)
class GoldResult:
    """One expected result of a case, with a Python span and a parsed value."""

    text: str
    type_name: str  # number, percentage, numberrange, currency, dimension, temperature, age
    start: int
    end: int  # exclusive
    value: float | None  # the number; a range's lower bound; a one-sided interval's bound; None: no number
    value_max: float | None  # a two-sided range's upper bound
    shape: Shape | None  # None when there is no number
    unit: str | None  # Recognizers' unit name as written, None when the spec gives none
    iso_currency: str | None = None
    subtype: str | None = None  # integer, decimal, Length, Weight ... as given


@dataclass(frozen=True)
class Case:
    """One test case of a spec file."""

    id: str  # "<file stem>-<index in the file>"
    input: str
    results: tuple[GoldResult, ...]
    not_supported: tuple[str, ...] = ()
    not_supported_by_design: tuple[str, ...] = ()
    comment: str | None = None
    context: Mapping[str, Any] | None = field(default=None, compare=False)


def read_spec(path: Path) -> list[Case]:
    """Every case of one spec file, in file order."""
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: a spec file is a JSON array of cases")
    return [parse_case(obj, f"{path.stem}-{i}") for i, obj in enumerate(data)]


def parse_case(obj: Mapping[str, Any], case_id: str) -> Case:
    """One case object of a spec file."""
    return Case(
        id=case_id,
        input=str(obj["Input"]),
        results=tuple(parse_result(r) for r in obj.get("Results") or ()),
        not_supported=platforms(obj.get("NotSupported")),
        not_supported_by_design=platforms(obj.get("NotSupportedByDesign")),
        comment=obj.get("Comment"),
        context=obj.get("Context"),
    )


def platforms(raw: str | None) -> tuple[str, ...]:
    """'javascript, Python,java' -> ('javascript', 'python', 'java')."""
    if not raw:
        return ()
    return tuple(p.strip().lower() for p in raw.split(",") if p.strip())


def parse_result(obj: Mapping[str, Any]) -> GoldResult:
    """One result object: the span made half-open, the value parsed."""
    resolution: Mapping[str, Any] = obj.get("Resolution") or {}
    value, value_max, shape = parse_value(resolution.get("value"))
    start = int(obj["Start"])
    return GoldResult(
        text=str(obj["Text"]),
        type_name=str(obj["TypeName"]),
        start=start,
        end=int(obj["End"]) + 1,  # the spec's End is inclusive
        value=value,
        value_max=value_max,
        shape=shape,
        unit=resolution.get("unit"),
        iso_currency=resolution.get("isoCurrency"),
        subtype=resolution.get("subtype"),
    )


def parse_value(raw: str | None) -> tuple[float | None, float | None, Shape | None]:
    """A resolution value as (value, value_max, shape).

    "192" -> (192, None, point); "20%" -> (20, None, point); "[20,30)" -> (20, 30, range);
    "(30,)" -> (30, None, lower); "(,100]" -> (100, None, upper); "[170,170]" -> (170,
    None, point); None or "null" -> (None, None, None)."""
    if raw is None:
        return None, None, None
    text = str(raw).strip()
    if not text or text.lower() == "null":
        return None, None, None
    if text[0] in "[(" and text[-1] in "])":
        return _interval(text)
    return float(text.rstrip("%")), None, "point"


def _interval(text: str) -> tuple[float | None, float | None, Shape | None]:
    lo_text, sep, hi_text = text[1:-1].partition(",")
    if not sep:
        raise ValueError(f"interval {text!r} has no comma")
    lo = float(lo_text) if lo_text.strip() else None
    hi = float(hi_text) if hi_text.strip() else None
    if lo is not None and hi is not None:
        return (lo, None, "point") if lo == hi else (lo, hi, "range")
    if lo is not None:
        return lo, None, "lower"
    if hi is not None:
        return hi, None, "upper"
    return None, None, None


def count_flagged(cases: Sequence[Case]) -> dict[str, int]:
    """How many cases carry each case-level key: for the report's note."""
    return {
        "NotSupported": sum(1 for c in cases if c.not_supported),
        "NotSupportedByDesign": sum(1 for c in cases if c.not_supported_by_design),
        "NotSupported by dotnet": sum(1 for c in cases if "dotnet" in c.not_supported),
    }
