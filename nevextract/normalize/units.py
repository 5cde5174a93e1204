"""Units, currencies and counted nouns: the vocabulary of `patterns/units.yaml`, looked up.

`load_vocabulary(dirs)` reads every `units.yaml` in the pattern folders (shipped first,
then the user's), validates each entry, and compiles the regular expressions the quantity
finder anchors at a number's edges. Nothing here searches whole texts except the
`exclude` expressions, which run with a timeout.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Union

import regex
from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator

from nevextract.iso4217 import ISO_4217
from nevextract.patterns import check_regex, load_all, pattern_dirs

UNITS_FILE = "units.yaml"
DATES_FILE = "dates.yaml"

PhysicalKind = Literal["length", "duration", "energy", "power", "mass", "speed", "other"]


# ------------------------------------------------------------------ pattern entries


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Forms(_Entry):
    forms: list[str] = Field(min_length=1, description="spellings")

    @field_validator("forms")
    @classmethod
    def _non_blank(cls, v: list[str]) -> list[str]:
        if any(not f.strip() for f in v):
            raise ValueError("a form is blank")
        return v


class UnitEntry(_Forms):
    type: Literal["unit"]
    unit: str = Field(min_length=1)
    kind: PhysicalKind
    case_sensitive: bool = False
    per_ok: bool = False
    rate_forms: list[str] = Field(default_factory=list)


class CurrencyEntry(_Entry):
    type: Literal["currency"]
    code: str
    prefixes: list[str] = Field(default_factory=list)
    words: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    default: bool = False
    scale: float = Field(default=1.0, gt=0)  # a subunit's share of the currency: 0.01 for cents and pence

    @field_validator("code")
    @classmethod
    def _iso(cls, v: str) -> str:
        if v not in ISO_4217:
            raise ValueError(f"{v!r} is not an ISO 4217 currency code")
        return v


class PercentEntry(_Forms):
    type: Literal["percent"]
    unit: Literal["percent", "percentage point"]


class NounEntry(_Forms):
    type: Literal["noun"]
    unit: str = Field(min_length=1)


class QualifierEntry(_Forms):
    type: Literal["qualifier"]
    qualifier: str = Field(min_length=1)


class ParticleEntry(_Forms):
    type: Literal["particle"]


class MultiplierEntry(_Forms):
    type: Literal["multiplier"]
    value: float


class ChangeEntry(_Forms):
    type: Literal["change"]
    direction: Literal["up", "down"]
    position: Literal["before", "after"]


class BasisEntry(_Forms):
    type: Literal["basis"]
    basis: Literal["year-on-year", "month-on-month", "quarter-on-quarter"]


class ExcludeEntry(_Entry):
    type: Literal["exclude"]
    name: str = Field(min_length=1)
    pattern: str = Field(min_length=1)

    @field_validator("pattern")
    @classmethod
    def _usable(cls, v: str) -> str:
        # Checked here, with a stand-in for the month names, so a bad expression is
        # reported as file:line by the pattern loader.
        check_regex(v.replace("{MONTH}", "(?:January|Jan)"))
        return v


AnyEntry = Annotated[
    Union[UnitEntry, CurrencyEntry, PercentEntry, NounEntry, QualifierEntry, ParticleEntry, MultiplierEntry,
          ChangeEntry, BasisEntry, ExcludeEntry],
    Field(discriminator="type"),
]


class UnitsFileEntry(RootModel[AnyEntry]):
    """One entry of `units.yaml`; its `type` says which of the models above applies."""


class _MonthWords(BaseModel):
    """The part of a `dates.yaml` entry this module reads: month names."""

    model_config = ConfigDict(extra="ignore")
    kind: str
    words: list[str] = Field(default_factory=list)


# ------------------------------------------------------------------ helpers


def alternation(forms: Iterable[str]) -> str:
    """A regex alternation of literal forms, longest first so the longest spelling wins."""
    unique = sorted(set(forms), key=lambda f: (-len(f), f))
    # A space in a form also matches a hyphen or several spaces ("square-meter").
    return "|".join(regex.escape(f).replace(r"\ ", r"(?:\s{1,3}|-)") for f in unique)


def _squash(text: str) -> str:
    """Lowercase, hyphens as spaces, whitespace runs as one space: the key forms are
    looked up by, so "square-meter" finds "square meter"."""
    return " ".join(text.lower().replace("-", " ").split())


_SIBILANT_ES = regex.compile(r"(?:ss|sh|ch|x|z|[^aeiou]us)es$")  # "buses", "bonuses" as well
_NOT_PLURAL = regex.compile(r"(?:ss|us|is|ous)$")


def is_plural(word: str) -> bool:
    """A plain English plural ("engines", "EVs", "SU7s") by its ending; closed-class
    words ("is", "its", "this") are filtered by the caller's stop list."""
    w = word.lower()
    return len(w) > 2 and w.endswith("s") and not _NOT_PLURAL.search(w) and w[-2] != "'"


def singularise(word: str) -> str:
    """The singular of a regular English plural noun, lowercased."""
    w = word.lower()
    if not is_plural(w):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if _SIBILANT_ES.search(w):
        return w[:-2]
    return w[:-1]


# ------------------------------------------------------------------ the vocabulary


@dataclass
class Vocabulary:
    """Compiled lookups over every `units.yaml` entry."""

    units: dict[str, UnitEntry] = field(default_factory=dict)  # squashed form -> entry
    units_exact: dict[str, UnitEntry] = field(default_factory=dict)  # case-sensitive forms
    rates: dict[str, str] = field(default_factory=dict)  # "annually" -> "year"
    currencies: list[CurrencyEntry] = field(default_factory=list)
    currency_prefixes: dict[str, list[CurrencyEntry]] = field(default_factory=dict)
    currency_words: dict[str, CurrencyEntry] = field(default_factory=dict)
    percents: dict[str, str] = field(default_factory=dict)
    nouns: dict[str, str] = field(default_factory=dict)
    qualifiers: dict[str, str] = field(default_factory=dict)
    particles: set[str] = field(default_factory=set)
    multipliers: dict[str, float] = field(default_factory=dict)
    change_before: dict[str, str] = field(default_factory=dict)
    change_after: dict[str, str] = field(default_factory=dict)
    bases: dict[str, str] = field(default_factory=dict)
    excludes: list[tuple[str, regex.Pattern[str]]] = field(default_factory=list)
    months: list[str] = field(default_factory=list)

    # ---- lookups
    def unit(self, written: str) -> UnitEntry | None:
        """The unit a written form names: exact spelling first, then case-insensitively."""
        return self.units_exact.get(written) or self.units.get(_squash(written))

    def currency_for_word(self, written: str) -> CurrencyEntry | None:
        return self.currency_words.get(_squash(written))

    def currency_for_prefix(self, written: str, page_text: str, china: bool | None) -> CurrencyEntry | None:
        """The currency a prefix means. A shared prefix (¥) is settled by the site's profile
        when it says the site is Chinese, else by which candidate's context words the page
        uses more, else by the candidate marked `default`."""
        candidates = self.currency_prefixes.get(written) or self.currency_prefixes.get(written.upper())
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        if china:
            cny = [c for c in candidates if c.code == "CNY"]
            if cny:
                return cny[0]
        scores = [(_context_score(c, page_text), c.default, -i) for i, c in enumerate(candidates)]
        best = max(range(len(candidates)), key=lambda i: scores[i])
        return candidates[best]

    def noun_unit(self, phrase: str, head: str) -> str:
        """The unit of a counted noun phrase: the longest listed form the phrase ends with
        ("more charging piles" -> pile), else the head noun singularised."""
        words = _squash(phrase).split()
        for cut in range(len(words)):
            tail = " ".join(words[cut:])
            if tail in self.nouns:
                return self.nouns[tail]
        return self.nouns.get(_squash(head), singularise(head))


def _context_score(entry: CurrencyEntry, page_text: str) -> int:
    if not entry.context:
        return 0
    pattern = regex.compile(r"\b(?:" + alternation(entry.context) + r")\b")
    return len(pattern.findall(page_text, timeout=1.0))


def _month_alternation(dirs: Sequence[Path]) -> str | None:
    words: list[str] = []
    for entry in load_all(DATES_FILE, _MonthWords, dirs):
        if entry.kind == "month":
            words.extend(entry.words)
    return alternation(words) if words else None


def _compile_exclude(entry: ExcludeEntry, months: str | None) -> regex.Pattern[str] | None:
    pattern = entry.pattern
    if "{MONTH}" in pattern:
        if months is None:
            return None
        pattern = pattern.replace("{MONTH}", f"(?:{months})")
    return regex.compile(pattern, regex.VERSION0)


def build_vocabulary(entries: Sequence[AnyEntry], months: str | None) -> Vocabulary:
    """Index validated entries; later entries (a user's folder) override earlier spellings."""
    vocab = Vocabulary()
    for e in entries:
        if isinstance(e, UnitEntry):
            vocab.rates.update({_squash(f): e.unit for f in e.rate_forms})
            for f in e.forms:
                (vocab.units_exact if e.case_sensitive else vocab.units)[f if e.case_sensitive else _squash(f)] = e
        elif isinstance(e, CurrencyEntry):
            vocab.currencies.append(e)
            for p in e.prefixes:
                vocab.currency_prefixes.setdefault(p, []).append(e)
            for w in e.words:
                vocab.currency_words[_squash(w)] = e
        elif isinstance(e, PercentEntry):
            vocab.percents.update({_squash(f): e.unit for f in e.forms})
        elif isinstance(e, NounEntry):
            vocab.nouns.update({_squash(f): e.unit for f in e.forms})
        elif isinstance(e, QualifierEntry):
            vocab.qualifiers.update({_squash(f): e.qualifier for f in e.forms})
        elif isinstance(e, ParticleEntry):
            vocab.particles.update(_squash(f) for f in e.forms)
        elif isinstance(e, MultiplierEntry):
            vocab.multipliers.update({_squash(f): e.value for f in e.forms})
        elif isinstance(e, ChangeEntry):
            target = vocab.change_before if e.position == "before" else vocab.change_after
            target.update({_squash(f): e.direction for f in e.forms})
        elif isinstance(e, BasisEntry):
            vocab.bases.update({_squash(f): e.basis for f in e.forms})
        elif isinstance(e, ExcludeEntry):
            compiled = _compile_exclude(e, months)
            if compiled is not None:
                vocab.excludes.append((e.name, compiled))
    return vocab


@lru_cache(maxsize=16)
def _load_cached(dirs: tuple[Path, ...]) -> Vocabulary:
    entries = [e.root for e in load_all(UNITS_FILE, UnitsFileEntry, dirs)]
    return build_vocabulary(entries, _month_alternation(dirs))


def load_vocabulary(dirs: Sequence[Path] | None = None) -> Vocabulary:
    """The vocabulary of every `units.yaml` in `dirs` (default: the shipped folder and
    $NEVEXTRACT_PATTERNS); cached, since pattern files do not change while running."""
    return _load_cached(tuple(dirs if dirs is not None else pattern_dirs()))
