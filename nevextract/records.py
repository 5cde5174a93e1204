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

SCHEMA_VERSION = "1.1"

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


class Timex(_Model):
    """The TimeML (TIMEX3) reading of a date or a duration, for temporal tools."""

    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str | None = Field(description='TIMEX3 value: "2025-03", "2025-Q1", "P5Y", "PT3H" ...; null when unresolved')


# TIMEX3 duration letters of the units a duration quantity can carry (TimeML: P<n>Y, PT<n>H
# ...), with the factor TimeBank's annotators use: decades in years, quarters in months
_DURATION_CODES: dict[str, tuple[str, int]] = {
    "year": ("Y", 1), "month": ("M", 1), "week": ("W", 1), "day": ("D", 1), "decade": ("Y", 10),
    "quarter": ("M", 3), "h": ("TH", 1), "min": ("TM", 1), "s": ("TS", 1),
}


def duration_timex(value: float, unit: str) -> Timex | None:
    """A duration's TIMEX3: 5 years -> P5Y, 1.5 hours -> PT1.5H, two decades -> P20Y;
    None for other units."""
    if unit not in _DURATION_CODES:
        return None
    code, factor = _DURATION_CODES[unit]
    value *= factor
    number = str(int(value)) if value == int(value) else f"{value:g}"
    return Timex(type="DURATION", value=f"PT{number}{code[1]}" if code.startswith("T") else f"P{number}{code}")


class Quantity(Span):
    """A number the text means, normalised."""

    value: float = Field(description="the plain number: '9.625 million' is 9625000; a range's lower bound")
    unit: str = Field(min_length=1, description="ISO 4217 for money, 'percent' or 'percentage point', a singular noun for counts, a symbol otherwise")
    kind: QuantityKind = Field(description="what is measured")
    qualifier: str | None = Field(default=None, description="over, nearly, about, up to ...")
    value_max: float | None = Field(default=None, description="a range's upper bound")
    per: str | None = Field(default=None, description="the rate's denominator: 'year' in 'per year'")
    change: Change | None = Field(default=None, description="for a change: up or down, and against what")
    timex: Timex | None = Field(default=None, description="for a duration, its TimeML reading (P5Y): filled in")
    unit_inferred: bool = Field(
        default=False,
        description="the unit is not written beside the number but taken from the count or sum of money before it",
    )

    @model_validator(mode="after")
    def _money_is_iso(self) -> Quantity:
        if self.kind == "money" and self.unit not in ISO_4217:
            raise ValueError(f"money unit {self.unit!r} is not an ISO 4217 currency code")
        if self.kind == "percent" and self.unit not in ("percent", "percentage point"):
            raise ValueError(f"percent unit must be 'percent' or 'percentage point', not {self.unit!r}")
        if self.value_max is not None and self.value_max < self.value:
            raise ValueError(f"value_max {self.value_max} is below value {self.value}")
        if self.timex is None and self.kind == "duration":
            self.timex = duration_timex(self.value, self.unit)
        return self


class DateMention(Span):
    value: str | None = Field(description="ISO value at its granularity; null when unresolvable")
    granularity: Granularity | None = None
    value_end: str | None = None
    anchor: Literal["absolute", "published", "context"] = "absolute"
    note: str | None = Field(default=None, description="why a value is missing or uncertain")
    timex: Timex | None = Field(default=None, description="its TimeML reading (a DATE with the ISO value): filled in")

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
        if self.timex is None:
            # TimeML writes a date at its granularity as ISO does (2025-03, 2025-Q1, 2025-H1);
            # a period keeps its start, as a TIMEX3 has one value
            self.timex = Timex(type="DATE", value=self.value)
        return self


class TimeReference(Span):
    """A word that places the text in time without naming a date ("now", "recently", "the
    future": TimeML's PRESENT_REF, PAST_REF or FUTURE_REF), or that names a recurrence
    ("daily", "every year", "each Monday": a TimeML SET). Not a date: it has no ISO value."""

    timex: Timex = Field(description='its TimeML reading: a DATE whose value is "PRESENT_REF", "PAST_REF" or '
                         '"FUTURE_REF", or a SET ("P1D", "P1Y", "XXXX-WXX-1")')


class ClaimLinks(_Model):
    organisations: list[str] = Field(default_factory=list, description="names of organisations in the content")
    quantities: list[int] = Field(default_factory=list, description="indexes into `quantities`")
    dates: list[int] = Field(default_factory=list, description="indexes into `dates`")


# What a claim's cue reports (PolNeAR's attribution types): words said or written, a view
# held ("expects", "believes"), a commitment ("promised"), or what data or a study shows.
AttributionKind = Literal["speech", "belief", "intention", "evidence"]


class Claim(_Model):
    """An attributed statement: who said what."""

    speaker: str = Field(min_length=1, description="a named person, else a named organisation, else as written")
    speaker_named: bool = Field(default=True, description="false for unnamed speakers ('industry analysts')")
    role: str | None = Field(default=None, description="the speaker's title or role")
    organisation: str | None = Field(default=None, description="the organisation the speaker speaks for")
    cue: str = Field(description="the reporting verb or phrase")
    kind: ClaimKind = Field(description="direct (in quotation marks) or indirect")
    attribution: AttributionKind = Field(
        default="speech", description="what the cue reports: speech, belief, intention or evidence",
    )
    content: str = Field(min_length=1, description="what was claimed: body[start:end]")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    continued: list[Span] = Field(
        default_factory=list,
        description="the rest of a quotation that goes on past its attribution, as sentences of its own "
                    "('\"A,\" she said. \"B.\"': B); one claim, as a reader counts it",
    )
    links: ClaimLinks = Field(default_factory=ClaimLinks, description="what the content and its continuation name")


class ArticleRecord(_Model):
    """One article: its clean body and everything found in it."""

    schema_version: str = Field(default=SCHEMA_VERSION, description="version of this contract")
    id: str = Field(description="the caller's id, else the input file's stem")
    source: str | None = Field(default=None, description="the publisher as a reader would name it")
    url: str | None = Field(default=None, description="the page's address, when known")
    title: str | None = Field(default=None, description="the headline")
    published: str | None = Field(default=None, description="ISO date of publication: the caller's, else the page's")
    body: str = Field(description="the article text; paragraphs separated by a blank line")
    removed: list[Removed] = Field(default_factory=list, description="what cleaning dropped, and why")
    organisations: list[Organisation] = Field(default_factory=list, description="one entry per organisation")
    quantities: list[Quantity] = Field(default_factory=list, description="every quantity, once per mention")
    dates: list[DateMention] = Field(default_factory=list, description="every date or period, once per mention")
    time_references: list[TimeReference] = Field(
        default_factory=list, description="words that place the text in time without a date (now, recently, the future) "
        "or name a recurrence (daily, every year)",
    )
    claims: list[Claim] = Field(default_factory=list, description="every attributed statement")
    warnings: list[str] = Field(default_factory=list, description="what the reader should know (no date, bad bytes)")

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
        for i, r in enumerate(self.time_references):
            check(f"time_references[{i}]", r.start, r.end, r.text)
        for i, c in enumerate(self.claims):
            check(f"claims[{i}]", c.start, c.end, c.content)
            for j, part in enumerate(c.continued):
                check(f"claims[{i}].continued[{j}]", part.start, part.end, part.text)
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
