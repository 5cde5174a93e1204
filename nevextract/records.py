"""The record contract: pydantic models for everything nevextract returns.

Offsets (`start`, `end`) always index `ArticleRecord.body` as Python string indices, and
`body[start:end] == text` is checked when a record is built, so a record that validates is
a record whose spans can be trusted.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from nevextract.iso4217 import ISO_4217

SCHEMA_VERSION = "1.0"

QuantityKind = Literal[
    "money", "percent", "count", "length", "duration", "energy", "power", "mass", "speed", "other"
]
Granularity = Literal["year", "half", "quarter", "month", "day"]
FoundBy = Literal["model", "rules", "both"]
ClaimKind = Literal["direct", "indirect"]

_DATE_FORMS: dict[str, regex.Pattern[str]] = {
    "year": regex.compile(r"\d{4}"),
    "half": regex.compile(r"\d{4}-H[12]"),
    "quarter": regex.compile(r"\d{4}-Q[1-4]"),
    "month": regex.compile(r"\d{4}-(0[1-9]|1[0-2])"),
    "day": regex.compile(r"\d{4}-\d{2}-\d{2}"),
}


def granularity_of(value: str) -> Granularity | None:
    """The granularity an ISO value is written at, or None if it is not one of ours."""
    for gran, pattern in _DATE_FORMS.items():
        if pattern.fullmatch(value):
            if gran == "day":
                try:
                    _dt.date.fromisoformat(value)
                except ValueError:
                    return None
            return gran  # type: ignore[return-value]
    return None


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Span(_Model):
    """A stretch of the body: `body[start:end] == text`."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        if self.end - self.start != len(self.text):
            raise ValueError(
                f"span {self.start}:{self.end} has length {self.end - self.start} "
                f"but its text {self.text!r} has length {len(self.text)}"
            )
        return self


class Removed(_Model):
    """A part of the page that cleaning dropped, and why."""

    text: str
    reason: str


class Organisation(_Model):
    name: str = Field(min_length=1, description="canonical name")
    aliases: list[str] = Field(default_factory=list, description="other names used in the body")
    type: str | None = Field(default=None, description="carmaker, supplier, association, ...")
    found_by: FoundBy = "rules"
    mentions: list[Span] = Field(default_factory=list)


class Change(_Model):
    direction: Literal["up", "down"]
    basis: Literal["year-on-year", "month-on-month", "quarter-on-quarter"] | None = None


class Quantity(Span):
    value: float
    unit: str = Field(min_length=1)
    kind: QuantityKind
    qualifier: str | None = None
    value_max: float | None = None
    per: str | None = None
    change: Change | None = None

    @model_validator(mode="after")
    def _money_is_iso(self) -> Quantity:
        if self.kind == "money" and self.unit not in ISO_4217:
            raise ValueError(f"money unit {self.unit!r} is not an ISO 4217 currency code")
        if self.kind == "percent" and self.unit not in ("percent", "percentage point"):
            raise ValueError(f"percent unit must be 'percent' or 'percentage point', not {self.unit!r}")
        if self.value_max is not None and self.value_max < self.value:
            raise ValueError(f"value_max {self.value_max} is below value {self.value}")
        return self


class DateMention(Span):
    value: str | None = Field(description="ISO value at its granularity; null when unresolvable")
    granularity: Granularity | None = None
    value_end: str | None = None
    anchor: Literal["absolute", "published", "context"] = "absolute"
    note: str | None = Field(default=None, description="why a value is missing or uncertain")

    @model_validator(mode="after")
    def _iso(self) -> DateMention:
        for name in ("value", "value_end"):
            v = getattr(self, name)
            if v is None:
                continue
            gran = granularity_of(v)
            if gran is None:
                raise ValueError(f"date {name} {v!r} is not ISO YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn or YYYY-Hn")
            if name == "value" and self.granularity is not None and gran != self.granularity:
                raise ValueError(f"date value {v!r} is not at granularity {self.granularity!r}")
        if self.value is not None and self.granularity is None:
            raise ValueError("a resolved date needs its granularity")
        return self


class ClaimLinks(_Model):
    organisations: list[str] = Field(default_factory=list, description="names of organisations in the content")
    quantities: list[int] = Field(default_factory=list, description="indexes into `quantities`")
    dates: list[int] = Field(default_factory=list, description="indexes into `dates`")


class Claim(_Model):
    speaker: str = Field(min_length=1)
    speaker_named: bool = True
    role: str | None = None
    organisation: str | None = None
    cue: str
    kind: ClaimKind
    content: str = Field(min_length=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    links: ClaimLinks = Field(default_factory=ClaimLinks)


class ArticleRecord(_Model):
    schema_version: str = SCHEMA_VERSION
    id: str
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    body: str
    removed: list[Removed] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @field_validator("published")
    @classmethod
    def _published_is_day(cls, v: str | None) -> str | None:
        if v is not None and granularity_of(v) != "day":
            raise ValueError(f"published {v!r} is not an ISO date YYYY-MM-DD")
        return v

    @model_validator(mode="after")
    def _spans_match_body(self) -> ArticleRecord:
        def check(where: str, start: int, end: int, text: str) -> None:
            if end > len(self.body) or self.body[start:end] != text:
                raise ValueError(
                    f"{where}: body[{start}:{end}] is {self.body[start:end]!r}, not {text!r}"
                )

        for i, org in enumerate(self.organisations):
            for j, m in enumerate(org.mentions):
                check(f"organisations[{i}].mentions[{j}]", m.start, m.end, m.text)
        for i, q in enumerate(self.quantities):
            check(f"quantities[{i}]", q.start, q.end, q.text)
        for i, d in enumerate(self.dates):
            check(f"dates[{i}]", d.start, d.end, d.text)
        for i, c in enumerate(self.claims):
            check(f"claims[{i}]", c.start, c.end, c.content)
            for k in c.links.quantities:
                if not 0 <= k < len(self.quantities):
                    raise ValueError(f"claims[{i}].links.quantities: no quantity {k}")
            for k in c.links.dates:
                if not 0 <= k < len(self.dates):
                    raise ValueError(f"claims[{i}].links.dates: no date {k}")
        return self


class ErrorInfo(_Model):
    type: str
    message: str


class ErrorRecord(_Model):
    """What a batch writes for an input it could not turn into an article."""

    schema_version: str = SCHEMA_VERSION
    id: str
    path: str | None = None
    error: ErrorInfo
