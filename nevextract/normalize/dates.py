"""Dates and periods: find date expressions in a text and resolve them to ISO values.

Two entry points:

- `parse_timestamp(line, order)`: the full calendar date in one metadata line of a page
  ("Published: 2025-01-14 10:32", "Updated: Jan 14, 2025 09:23 PM", "14/01/2025"). The
  cleaner uses it to find the publication date.
- `find_dates(text, published, vocabulary)`: every date or period in a body, each resolved
  at its granularity (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn, YYYY-Hn), relative expressions
  against the publication date ("last year", "on Wednesday") or against the date the text
  was just talking about ("the previous year").

Candidates are found by a small grammar of linear regular expressions (one per form, see
`_FORMS`) built from the vocabulary in `patterns/dates.yaml`; full calendar dates are read by
`dateparser` on the small matched span only, never on whole texts. Overlapping candidates
are resolved longest first, then each kept one is resolved in text order, so a later
expression can lean on an earlier one.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import dateparser
import regex
from pydantic import BaseModel, ConfigDict, Field, model_validator

from nevextract.normalize.numbers import ORDINALS, UNITS_WORDS, ordinal_number, word_number
from nevextract.normalize.sentences import split_sentences
from nevextract.patterns import load_all, pattern_dirs
from nevextract.records import DateMention, Granularity, TimeReference, Timex

Order = Literal["DMY", "MDY"]
# The tense of the clause a date sits in, where a parse says it (see `Context.tense`).
Tense = Literal["past", "present", "future"]
TenseReader = Callable[[int], "Tense | None"]
Anchor = Literal["absolute", "published", "context"]

# Whole-text searches give up after this many seconds (the patterns are linear; this is a
# guard against pathological input, not a budget ordinary pages come near).
SEARCH_TIMEOUT = 2.0
_DATEPARSER_LANGUAGES = ["en"]
_FULL_DATE_PARTS = ["day", "month", "year"]
# A yearless month or day this far after the publication date, in a sentence with no word of
# the future, is still read as this year's (a page may mention the coming weeks in the present
# tense); further ahead it is last year's.
_AHEAD_DAYS_WITHOUT_CUE = 62
# ... and in a clause in the past tense, only this far (a dateline may lag the events by days).
_AHEAD_DAYS_IN_PAST = 7
# How many earlier dates a context lookup reads at most (bounds the work on freak input).
_CONTEXT_LOOKBACK = 30
# How far before a date (in characters, within its sentence) a future word still governs it.
_FUTURE_REACH = 80
# A future word in an earlier clause does not govern the date ("..., the company said on Monday").
_CLAUSE_BREAK = regex.compile(r"[,;:()\[\]—–]", regex.REVERSE)
# With a future word, a yearless date this far before publication is still this year's.
_BEHIND_DAYS_WITH_CUE = 31
# ... and a quarter or half that ended this recently is the one just reported on.
_BEHIND_DAYS_PERIOD_WITH_CUE = 92


# --------------------------------------------------------------------------- vocabulary

_REFERENCE_VALUES = {-1: "PAST_REF", 0: "PRESENT_REF", 1: "FUTURE_REF"}
WordKind = Literal["month", "weekday", "named_day", "season", "part", "shift", "shift_context", "recent", "future", "fiscal", "reference",
                   "set"]


class DateWord(BaseModel):
    """One entry of `patterns/dates.yaml` (the file's header documents the fields)."""

    model_config = ConfigDict(extra="forbid")
    kind: WordKind
    value: int = Field(default=0, ge=-1, le=12)
    timex: str | None = Field(default=None, pattern=r"^PT?\d+[YMWDHQ]$")
    words: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _timex_for_sets(self) -> DateWord:
        if (self.kind == "set") != (self.timex is not None):
            raise ValueError("a set needs its timex (P1D, P1Y ...), and only a set has one")
        return self


def _alternation(words: Iterable[str], *, fixed_case: bool = False, boundary: bool = True) -> str:
    """A regex alternation of literal words, longest first, each ending at a word boundary.

    `fixed_case` words match only as written or in capitals ("May", "MAY", never "may");
    without `boundary` a word may run straight into what follows ("FY25")."""
    forms: set[str] = set()
    for word in words:
        forms.add(word)
        if fixed_case:
            forms.add(word.upper())
    parts = []
    for form in sorted(forms, key=lambda w: (-len(w), w)):
        body = regex.escape(form).replace(r"\ ", r"\s+")
        tail = r"\b" if boundary and form[-1].isalnum() else ""
        parts.append(body + tail)
    inner = "|".join(parts) or r"(?!x)x"
    return f"(?-i:{inner})" if fixed_case else f"(?:{inner})"


@dataclass(frozen=True, eq=False)  # hashed by identity: compiled forms are cached per vocabulary
class DateVocabulary:
    """The words of `patterns/dates.yaml`, indexed for lookup and compiled into regex pieces."""

    months: dict[str, int]  # every spelling (and its capitals) → month number
    full_months: frozenset[str]  # the spellings read on their own
    weekdays: dict[str, int]
    named_days: frozenset[str]  # lower-cased, spaces collapsed: "black friday"
    seasons: dict[str, int]  # lower-cased → first month
    parts: dict[str, int]  # lower-cased, spaces collapsed
    shifts: dict[str, tuple[int, bool]]  # lower-cased → (step, counted from context)
    recent: frozenset[str]
    fiscal: frozenset[str]
    fiscal_start: int  # the month a fiscal year written over two years begins ("2025-26")
    future_re: regex.Pattern[str]
    future_words: frozenset[str]  # the one-word future words, lower-cased ("will", "plans")
    future_before_to: frozenset[str]  # the first words of "set to", "going to", "is to"
    references: dict[str, Timex]  # lower-cased, spaces collapsed → PRESENT_REF ..., or a SET's P1D ...
    reference_re: regex.Pattern[str]
    recurrence_re: regex.Pattern[str]  # "every Monday", "each July": TimeML SETs of a day or month
    pieces: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_entries(cls, entries: Sequence[DateWord]) -> DateVocabulary:
        by_kind: dict[str, list[DateWord]] = {}
        for entry in entries:
            by_kind.setdefault(entry.kind, []).append(entry)
        months: dict[str, int] = {}
        full: set[str] = set()
        for e in by_kind.get("month", []):
            for w in e.words:
                months[w] = months[w.upper()] = e.value
            full.update((e.words[0], e.words[0].upper()))
        weekdays = {w: e.value for e in by_kind.get("weekday", []) for w in e.words}
        weekdays.update({w.upper(): v for w, v in list(weekdays.items())})
        parts = {_key(w): e.value for e in by_kind.get("part", []) for w in e.words}
        shifts = {_key(w): (e.value, False) for e in by_kind.get("shift", []) for w in e.words}
        shifts.update({_key(w): (e.value, True) for e in by_kind.get("shift_context", []) for w in e.words})
        recent = frozenset(_key(w) for e in by_kind.get("recent", []) for w in e.words)
        fiscal = frozenset(_key(w) for e in by_kind.get("fiscal", []) for w in e.words)
        future = [w for e in by_kind.get("future", []) for w in e.words]
        references = {_key(w): Timex(type="DATE", value=_REFERENCE_VALUES[e.value])
                      for e in by_kind.get("reference", []) for w in e.words}
        references.update({_key(w): Timex(type="SET", value=e.timex) for e in by_kind.get("set", []) for w in e.words})
        vocab = cls(
            months=months, full_months=frozenset(full), weekdays=weekdays,
            named_days=frozenset(_key(w) for e in by_kind.get("named_day", []) for w in e.words),
            seasons={w.lower(): e.value for e in by_kind.get("season", []) for w in e.words}, parts=parts, shifts=shifts,
            recent=recent, fiscal=fiscal,
            fiscal_start=max((e.value for e in by_kind.get("fiscal", [])), default=0) or 4,
            # not inside a hyphenated adjective: "lower-than-expected earnings" is no plan
            future_words=frozenset(w.lower() for w in future if " " not in w),
            future_before_to=frozenset(w.split()[0].lower() for w in future if w.endswith(" to")),
            future_re=regex.compile(r"(?<![\p{L}'-])" + _alternation(future) + r"(?!-)", regex.IGNORECASE),
            references=references,
            recurrence_re=regex.compile(_recurrence(weekdays, full), regex.IGNORECASE),
            reference_re=regex.compile(r"(?<![\p{L}'-])(?:" + (_alternation(references) or "(?!)") + r")(?!-)", regex.IGNORECASE),
        )
        vocab.pieces.update(
            MONTH=_alternation(months, fixed_case=True),
            MONTH_FULL=_alternation(full, fixed_case=True),
            WEEKDAY=_alternation(weekdays, fixed_case=True),
            SEASON=_alternation(vocab.seasons),
            RECURRENCE=vocab.recurrence_re.pattern,
            PART=_alternation(parts),
            SHIFT=_alternation(shifts),
            RECENT=_alternation(recent),
            FISCAL=_alternation(fiscal, boundary=False),  # "FY25" runs into its year
        )
        return vocab

    @classmethod
    def load(cls, extra: Sequence[str | Path] = ()) -> DateVocabulary:
        """The shipped vocabulary plus the `dates.yaml` of every extra pattern folder."""
        return cls.from_entries(load_all("dates.yaml", DateWord, pattern_dirs(extra)))

    def month(self, word: str) -> int:
        return self.months[regex.sub(r"\s+", " ", word)]

    def weekday(self, word: str) -> int:
        return self.weekdays[word]


def _recurrence(weekdays: Iterable[str], months: Iterable[str]) -> str:
    """"every Monday", "each Tuesday night", "every July": a recurring day or month."""
    return (
        rf"\b(?:every|each)\s+(?:(?P<wd>{_alternation(weekdays, fixed_case=True)})s?"
        rf"(?:\s+(?P<pod>{_DAY_PART_WORDS})s?\b)?|(?P<m>{_alternation(months, fixed_case=True)}))"
    )


def _key(phrase: str) -> str:
    """A phrase as looked up: lower case, single spaces, hyphens as spaces."""
    return " ".join(phrase.lower().replace("-", " ").split())


@functools.lru_cache(maxsize=1)
def shipped_vocabulary() -> DateVocabulary:
    """The vocabulary of the shipped patterns (and $NEVEXTRACT_PATTERNS), loaded once."""
    return DateVocabulary.load()


# --------------------------------------------------------------------------- dateparser

def _dateparse(span: str, order: Order | None) -> dt.date | None:
    """A full calendar date read by dateparser from a small span, or None."""
    settings: dict[str, object] = {"REQUIRE_PARTS": _FULL_DATE_PARTS, "PREFER_DAY_OF_MONTH": "first"}
    if order:
        settings["DATE_ORDER"] = order
    try:
        parsed = dateparser.parse(span, languages=_DATEPARSER_LANGUAGES, settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed.date() if parsed is not None else None


# --------------------------------------------------------------------------- grammar pieces

_YEAR = r"(?:19|20)\d{2}"
# A year standing alone: not part of a longer number, a decimal, an amount or a code.
_NOT_AFTER_YEAR = r"(?![\p{L}\p{N}%/]|[.,:]\d|\s*(?:%|per\s?cent\b|percent\b))"
_LONE_YEAR = r"(?<![\p{L}\p{N}$€£¥.,:/#-])" + _YEAR + r"(?!-\d)" + _NOT_AFTER_YEAR
# A year that may follow a hyphen ("mid-2026") or start a range ("2024-25").
_HYPHEN_YEAR = r"(?<![\p{L}\p{N}$€£¥.,:/#])" + _YEAR + _NOT_AFTER_YEAR
_DAY = r"(?<!\d)(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_TIME = (
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?\b)?"
    r"(?:\s*(?:GMT|UTC|[A-Z]{2,4}T)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?)?)?"
)
_MONTH_DAY = r"(?:0?[1-9]|1[0-2]){sep}(?:0?[1-9]|[12]\d|3[01])"
# year first: ISO's 2025-03-04 (with its time), and 2025/3/4 or 2025.03.04 as East Asian
# and some European sites write it (year first is never day-month ambiguous)
_ISO = (
    r"(?<![\p{L}\d\-/.])" + _YEAR + r"(?:-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])|/" + _MONTH_DAY.format(sep="/")
    + r"|\." + _MONTH_DAY.format(sep=r"\.") + r")"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d])"
)
_NUMERIC = r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d{2}|\d{2})(?![\d/]|\.\d)"
_CJK = r"(?P<y>" + _YEAR + r")\s*年\s*(?P<m>1[0-2]|0?[1-9])\s*月\s*(?P<d>3[01]|[12]\d|0?[1-9])\s*日"
_CONNECT = r"\s*(?P<conn>-|–|—|to|through|until|till|and)\s*"
# Parts of a day and their TimeML codes: "Tuesday morning" is 2025-03-04TMO.
_DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_DAY_PART_WORDS = "|".join(_DAY_PARTS)
_DAY_PART = rf"(?:{_DAY_PART_WORDS})\b(?!\s+(?:of|before|after)\b)"
# Words before a weekday that decide which one it is ("last Monday") or are trimmed ("on").
_WEEKDAY_PREPOSITIONS = "on|last|next|this|since|by|until|from|before|after"
_QUARTER_ORD = "|".join(sorted((w for w, v in ORDINALS.items() if v <= 4), key=len, reverse=True))
_HALF_ORD = "|".join(w for w, v in ORDINALS.items() if v <= 2)
_CENTURY_ORD = "|".join(sorted(ORDINALS, key=len, reverse=True))
_COUNT_WORDS = "|".join(sorted((w for w, v in UNITS_WORDS.items() if 2 <= v <= 12), key=len, reverse=True))


def _year_ref(p: dict[str, str]) -> str:
    """A year named directly or relative to the anchor: "2025", "this year", "the year"."""
    return rf"(?:(?P<ry>{_YEAR})|(?P<rshift>{p['SHIFT']})\s+year|(?P<rthe>the\s+year))\b"


def _openings(p: dict[str, str]) -> dict[str, str]:
    """The optional words that open some forms, one definition each: the forms' patterns
    read them (`_form_patterns`), and so does the finder that looks for them before a
    form's core (`_finder_patterns`)."""
    return {
        # a weekday before a date is part of it: "Saturday, April 25" is one date
        "weekday_of_date": rf"{p['WEEKDAY']},?\s+",
        "weekday": rf"\b(?P<prep>{_WEEKDAY_PREPOSITIONS})\s+",
        "range": r"(?P<lead>from|between)\s+",
        "shift": rf"(?<![\p{{L}}-])(?P<shift>{p['SHIFT']})\s+",
        "season": rf"\b(?P<shift>{p['SHIFT']})\s+|\b(?P<the>the)\s+(?:(?P<part>early|late)\s+)?",
        # the year of a period, written before it: "the 1988 third quarter", "this year's first
        # half", "the year-ago third quarter"
        "period": (
            rf"(?:\bthe\s+)?(?:(?<![\p{{L}}\p{{N}}])(?P<ly>{_YEAR})\s+|(?P<lshift>{p['SHIFT']})\s+year['’]s\s+"
            rf"|(?P<lago>(?:comparable\s+)?year-(?:ago|earlier))\s+)?(?:fiscal\s+)?"
        ),
    }


def _form_patterns(p: dict[str, str]) -> dict[str, str]:
    """Each date form's regex, keyed by the name of its reader in `_READERS`."""
    yref = _year_ref(p)
    o = _openings(p)
    lead = o["period"]
    month, full = p["MONTH"], p["MONTH_FULL"]
    wd, wd_date = p["WEEKDAY"], o["weekday_of_date"]
    return {
        "iso": rf"(?P<span>{_ISO})",
        "numeric": _NUMERIC,
        "cjk": _CJK,
        "mdy": rf"(?:{wd_date})?(?P<m>{month})\s*(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})(?!\d){_TIME}",
        "dmy": rf"(?:{wd_date})?(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{month}),?\s+(?P<y>{_YEAR})(?!\d){_TIME}",
        "month_year": rf"(?P<m>{month}),?\s+(?:of\s+)?(?:(?P<y>{_YEAR})(?!\d)|(?P<rshift>{p['SHIFT']})\s+year\b)",
        "month_day": rf"(?:{wd_date})?(?P<m>{month})\s*(?P<d>{_DAY})(?![:.,]\d|\s*%)",
        "day_month": rf"(?<![\d.,])(?:{wd_date})?(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{month})",
        "month_range": (
            rf"(?:{o['range']})?(?P<m1>{full})(?:\s+(?P<y1>{_YEAR}))?{_CONNECT}(?P<m2>{full})"
            rf"(?:,?\s+(?P<y2>{_YEAR}))?(?!\d)(?P<q>\s+(?:quarter|period)\b(?:\s+of\s+(?P<qy>{_YEAR})(?!\d))?)?"
        ),
        "year_range": (
            rf"(?:{o['range']})?(?P<y1>{_HYPHEN_YEAR}){_CONNECT}(?P<y2>{_YEAR}|\d{{2}})(?![\p{{N}}%]|[.,]\d)"
        ),
        # "Q3 2025", "2025Q3", and the number first as analysts write it: "3Q25", "3Q 2025"
        "quarter_code": (
            rf"\b(?:Q(?P<n>[1-4])(?:\s*'?(?P<y>{_YEAR}|\d{{2}}))?|(?P<y2>{_YEAR})\s*-?\s*Q(?P<n2>[1-4])"
            rf"|(?P<n3>[1-4])Q\s*'?(?P<y3>{_YEAR}|\d{{2}}))(?![\p{{L}}\p{{N}}])"
        ),
        "quarter_words": (
            rf"{lead}(?P<ord>{_QUARTER_ORD}|[1-4](?:st|nd|rd|th)|final)[\s-]+quarters?\b(?:\s+(?:of|in)\s+{yref})?"
        ),
        "half_code": (
            rf"\b(?:H(?P<n>[12])(?:\s*'?(?P<y>{_YEAR}|\d{{2}}))?|(?P<y2>{_YEAR})\s*-?\s*H(?P<n2>[12])"
            rf"|(?P<n3>[12])H\s*'?(?P<y3>{_YEAR}|\d{{2}}))(?![\p{{L}}\p{{N}}])"
        ),
        "half_words": (
            rf"{lead}(?P<ord>{_HALF_ORD}|1st|2nd)[\s-]+half(?:[\s-]+year)?\b(?:\s+of\s+{yref})?"
        ),
        "first_months": (
            rf"(?:the\s+)?(?P<which>first|last)\s+(?P<n>{_COUNT_WORDS}|\d{{1,2}})\s+months\b(?:\s+of\s+{yref})?"
        ),
        "part": (
            rf"(?P<part>{p['PART']})(?:\s*-\s*|\s+)(?:(?P<y>{_HYPHEN_YEAR})(?!-\d)|(?P<m>{full})(?:,?\s+(?P<my>{_YEAR}))?(?!\d)"
            rf"|(?P<rshift>{p['SHIFT']})\s+(?P<unit>year|month)\b|(?P<rthe>the\s+year)\b)"
        ),
        "relative": rf"(?<![\p{{L}}-])(?P<shift>{p['SHIFT']})\s+(?P<unit>year|month|quarter|week)\b(?!-)",
        "year_earlier": (
            r"\b(?:a|one)\s+year\s+(?:earlier|before|previously|ago)\b"
            # "the year-ago quarter", but "the" is the noun's in "the year-ago results"
            r"|\b(?:the\s+)?(?:comparable\s+)?year-(?:ago|earlier)\s+(?P<unit>quarter|month|period|year)\b"
            r"|\byear-(?:ago|earlier)\b"
            r"|\b(?:the\s+)?year\s+ago\s+(?P<unit3>quarter|month|period|year)\b"
            r"|\b(?:the\s+)?(?:same|corresponding)\s+(?P<unit2>quarter|month|period)\s+(?:a|one|of\s+the\s+previous)\s+year(?:\s+(?:earlier|before|ago))?\b"
        ),
        # the quarter a financial report is about: "the quarter", "the latest period"
        "reported_quarter": (
            r"\b(?:(?P<that>that)|the)\s+(?:(?P<latest>latest|most\s+recent|just[\s-]ended|recent)\s+)?(?:fiscal\s+)?quarter\b(?!-)"
            r"(?P<ago>\s+(?:a|one)\s+year\s+(?:ago|earlier|before)\b)?"
            r"|\bthe\s+(?P<latest2>latest|most\s+recent|just[\s-]ended)\s+(?:fiscal\s+)?period\b"
            rf"|\bthe\s+(?P<ry>{_YEAR})\s+(?:fiscal\s+)?(?:quarter|period)\b"
        ),
        "recent_decade": rf"(?P<recent>{p['RECENT']})\s+decade\b",
        "ago": rf"\b(?P<n>{_COUNT_WORDS}|\d{{1,3}}|a|an|one)\s+(?P<unit>year|month|week|day)s?\s+ago\b",
        "shift_month": rf"{o['shift']}(?P<m>{full})",
        # "every Monday", "each July" recur: no date (`find_time_references` reads them as
        # SETs, with the same pattern); matched here so the weekday or month alone is no date
        "recurrence": p["RECURRENCE"],
        "weekday": rf"(?:{o['weekday']})?(?P<wd>{wd})(?!-)(?:\s+(?P<pod>{_DAY_PART}))?",
        "weekend": rf"\b(?:(?P<shift>{p['SHIFT']})|(?P<the>the))\s+weekend\b(?!-)",
        # "today" is the day of publication ("said today", "In Washington today, the FAA"),
        # not the "today" of nowadays that opens a sentence ("Today, buyers want range") or
        # owns something ("today's cars")
        "day_word": (
            rf"\b(?:(?P<word>yesterday|tomorrow|tonight|(?<![.!?]\s{{0,3}}|^\s{{0,3}})today(?![’']))"
            rf"(?:\s+(?P<pod>{_DAY_PART}))?|(?P<this>this)\s+(?P<pod2>morning|afternoon|evening)"  # not "this night"
            rf"|(?P<last>last)\s+(?P<pod3>night))\b"
        ),
        "fiscal_span": (
            rf"(?:the\s+)?(?:(?P<fy>{p['FISCAL']})\s*'?(?P<y1>{_YEAR})|(?P<y1>{_HYPHEN_YEAR}))\s*[-–/]\s*(?P<y2>{_YEAR}|\d{{2}})"
            rf"(?![\p{{N}}%]|[.,]\d)(?:\s+(?P<fy2>{p['FISCAL']}))?"
        ),
        "fiscal": rf"(?P<fiscal>{p['FISCAL']})\s*'?(?P<y>{_YEAR}|\d{{2}})(?![\p{{N}}%])",
        "fiscal_relative": (
            rf"\b(?:(?P<shift>{p['SHIFT']})|the\s+(?P<latest>latest|most\s+recent)|(?P<the>the))\s+"
            rf"(?:fiscal|financial)\s+year\b(?!-)"
        ),
        "decade": r"(?<![\p{L}\p{N}])(?P<y>(?:19|20)\d0)'?s\b",
        "century": (
            rf"\b(?:(?P<shift>{p['SHIFT']})\s+|(?:the\s+)?(?P<ord>(?:1\d|2[01]|[1-9])(?:st|nd|rd|th)|{_CENTURY_ORD})[\s-]+)century\b"
        ),
        "season": (
            rf"(?:{o['season']})(?P<s>{p['SEASON']})(?![\p{{L}}-])"
            rf"(?:\s+(?:of\s+)?(?P<y>{_YEAR})(?!\d))?(?!\s+(?:in|of)\b)"
            rf"|(?<![\p{{L}}-])(?P<s2>{p['SEASON']})\s+(?:of\s+)?(?P<y2>{_YEAR})(?!\d)"
        ),
        "year": rf"(?:\bby\s+)?(?P<y>{_LONE_YEAR})",
        "bare_month": rf"(?<![\p{{L}}-])(?P<m>{full})(?![\p{{L}}-])",
    }


def _finder_patterns(p: dict[str, str]) -> dict[str, tuple[str, str]]:
    """For forms that open with an optional word ("on Monday", "Saturday, 25 April", "from
    March to May", "the 1988 third quarter"): a pattern that finds their fixed core, and one
    for the optional words right before it. Scanning a pattern whose first part is optional
    means trying it at every position of the text; the core starts with a word or a digit,
    which the engine finds fast. The form's full pattern is then matched at the place found."""
    o = _openings(p)
    # day first: the month is the core, the day (and a weekday) before it the opening words
    day_before = rf"(?:{o['weekday_of_date']})?(?<![\d.,]){_DAY}\s+(?:of\s+)?$"
    return {
        "weekday": (p["WEEKDAY"], rf"{o['weekday']}$"),
        "dmy": (p["MONTH"], day_before),
        "day_month": (p["MONTH"], day_before),
        "shift_month": (p["MONTH_FULL"], rf"{o['shift']}$"),
        "season": (p["SEASON"], rf"(?:{o['season']})$"),
        "month_range": (rf"{p['MONTH_FULL']}(?:\s+{_YEAR})?{_CONNECT}", rf"{o['range']}$"),
        "quarter_words": (rf"(?:{_QUARTER_ORD}|[1-4](?:st|nd|rd|th)|final)[\s-]+quarters?\b", rf"{o['period']}$"),
    }


# How far before a form's core its optional opening words may start.
_PREFIX_REACH = 40


@dataclass(frozen=True)
class _Form:
    name: str
    pattern: regex.Pattern[str]
    core: regex.Pattern[str] | None = None  # see `_finder_patterns`
    prefix: regex.Pattern[str] | None = None

    def finditer(self, text: str, start: int, end: int) -> Iterator[regex.Match[str]]:
        if self.core is None or self.prefix is None:
            yield from self.pattern.finditer(text, start, end, timeout=SEARCH_TIMEOUT)
            return
        after = start  # matches do not overlap, as finditer's would not
        for core in self.core.finditer(text, start, end, timeout=SEARCH_TIMEOUT):
            if core.start() < after:
                continue
            lead = self.prefix.search(text, max(after, core.start() - _PREFIX_REACH), core.start(), timeout=SEARCH_TIMEOUT)
            full = self.pattern.match(text, lead.start(), end, timeout=SEARCH_TIMEOUT) if lead is not None else None
            if full is None or full.end() <= core.start():
                full = self.pattern.match(text, core.start(), end, timeout=SEARCH_TIMEOUT)
            if full is not None and full.end() > full.start():
                after = full.end()
                yield full


@functools.lru_cache(maxsize=8)
def _compiled(vocab: DateVocabulary) -> tuple[_Form, ...]:
    flags = regex.IGNORECASE | regex.V0
    pats = _form_patterns(vocab.pieces)
    finders = _finder_patterns(vocab.pieces)
    forms = []
    for name, rx in pats.items():
        core, prefix = finders.get(name, (None, None))
        forms.append(_Form(name, regex.compile(rx, flags), regex.compile(core, flags) if core else None,
                           regex.compile(prefix, flags) if prefix else None))
    return tuple(forms)


# --------------------------------------------------------------------------- resolution context

@dataclass(frozen=True)
class FiscalYear:
    """How a site counts fiscal years (a profile's `dates.fiscal_year`): the month they begin
    and whether a label names the year they end in (India: FY24 is April 2023 - March 2024)
    or begin in (Japan: FY2024 is April 2024 - March 2025)."""

    starts: int
    named_by: Literal["end", "start"] = "end"

    def first_year(self, label: int) -> int:
        """The calendar year the fiscal year labelled `label` begins in."""
        return label - 1 if self.named_by == "end" and self.starts > 1 else label

    def label_of(self, day: dt.date) -> int:
        """The label of the fiscal year `day` falls in."""
        begun = day.year if day.month >= self.starts else day.year - 1
        return begun + 1 if self.named_by == "end" and self.starts > 1 else begun


@dataclass(frozen=True)
class Resolved:
    """What a date expression means."""

    value: str | None
    granularity: Granularity | None
    value_end: str | None = None
    anchor: Anchor = "absolute"
    note: str | None = None
    year: int | None = None  # the year the expression is in (for later context)
    explicit_year: bool = False  # the text writes the year itself
    timex: Timex | None = None  # its TimeML reading, where it is not the value's DATE
    year_back: bool = False  # the period compared with the one discussed ("a year earlier"): no base for another


@dataclass
class Context:
    """What resolving one expression may look at: the text around it and earlier dates."""

    text: str
    published: dt.date | None
    order: Order | None
    order_guessed: bool
    sentences: list[tuple[int, int]]
    vocab: DateVocabulary
    # the tense of the clause at a character offset, from a parse (None: the words decide)
    tense: TenseReader | None = None
    fiscal: FiscalYear | None = None  # the site's fiscal years, if its profile says
    earlier: list[tuple[int, Resolved]] = field(default_factory=list)  # (start, resolved) so far
    reported: Resolved | None = None  # the quarter the text last named: what a report is about
    _stated_year: int | None = field(default=None, repr=False)  # the latest written year in `earlier`
    _stated_seen: int = field(default=0, repr=False)  # how many of `earlier` that has looked at

    def sentence_of(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentences, (pos, len(self.text) + 1)) - 1
        if i >= 0 and self.sentences[i][0] <= pos < self.sentences[i][1]:
            return self.sentences[i]
        return 0, len(self.text)

    def recent(self, start: int) -> Iterator[Resolved]:
        """Earlier resolved dates from `start` on, latest first (a bounded number of them)."""
        for at, res in reversed(self.earlier[-_CONTEXT_LOOKBACK:]):
            if at < start:
                return
            yield res

    def clause_tense(self, pos: int) -> Tense | None:
        """The tense of the clause governing `pos`, if a parse gives it."""
        return None if self.tense is None else self.tense(pos)

    def future(self, pos: int) -> bool:
        """Whether the date at `pos` lies in the future of its text: the parse's tense of its
        clause ("devised the plan after he was fired in July" is past), else the words just
        before it in its sentence ("will begin production in June"). Only the words before
        count: a date that opens a report ("said on Monday it will ...") is not moved by the
        plan it reports."""
        tense = self.clause_tense(pos)
        if tense is not None:
            return tense == "future"
        start = max(self.sentence_of(pos)[0], pos - _FUTURE_REACH)
        clause = _CLAUSE_BREAK.search(self.text, start, pos)  # reversed: the last break
        if clause is not None:
            start = clause.end()
        try:
            return self.vocab.future_re.search(self.text, start, pos, timeout=SEARCH_TIMEOUT) is not None
        except TimeoutError:
            return False

    def nearby(self, pos: int, sentences_back: int = 1) -> Iterator[Resolved]:
        """Earlier resolved dates in the sentence of `pos` and up to `sentences_back`
        sentences before it, latest first: the dates the text was just talking about."""
        start, _ = self.sentence_of(pos)
        for _ in range(sentences_back):
            if start > 0:
                start, _ = self.sentence_of(start - 1)
        return self.recent(start)

    def context_year(self, pos: int, *, reach_back_sentences: int = 0) -> int | None:
        """The year of the latest earlier date whose year the text wrote, in this sentence (or
        up to `reach_back_sentences` sentences before it)."""
        for res in self.nearby(pos, reach_back_sentences):
            if res.explicit_year and res.year is not None:
                return res.year
        return None

    def latest_stated_year(self, pos: int) -> int | None:
        """The latest year any earlier date wrote out, anywhere before `pos` (dates are
        resolved in text order, so every earlier one is before it; kept as a running
        maximum: a page of thousands of dates must not cost dates x dates)."""
        for at, res in self.earlier[self._stated_seen:]:
            if at < pos and res.explicit_year and res.year is not None:
                self._stated_year = max(self._stated_year or res.year, res.year)
        self._stated_seen = len(self.earlier)
        return self._stated_year

    def last_year_mentioned(self, pos: int) -> int | None:
        """The year of the latest earlier year-level date in this or the previous sentence."""
        for res in self.nearby(pos):
            if res.granularity == "year" and res.year is not None:
                return res.year
        return None


_NO_PUBLISHED = "relative date: the page gives no publication date to resolve it against"


def _unresolved(note: str = _NO_PUBLISHED) -> Resolved:
    return Resolved(None, None, anchor="published", note=note)


def _year_value(year: int, anchor: Anchor = "absolute", explicit: bool = True, end: int | None = None) -> Resolved:
    if not 1000 <= year <= 9999 or (end is not None and not 1000 <= end <= 9999):
        return _unresolved("year out of range")
    return Resolved(f"{year:04d}", "year", None if end is None else f"{end:04d}", anchor, year=year, explicit_year=explicit)


def _month_value(year: int, month: int, anchor: Anchor = "absolute", explicit: bool = True,
                 end: tuple[int, int] | None = None, note: str | None = None) -> Resolved:
    value_end = None if end is None else f"{end[0]:04d}-{end[1]:02d}"
    return Resolved(f"{year:04d}-{month:02d}", "month", value_end, anchor, note, year=year, explicit_year=explicit)


def _day_value(day: dt.date, anchor: Anchor = "absolute", explicit: bool = True, note: str | None = None) -> Resolved:
    return Resolved(day.isoformat(), "day", None, anchor, note, year=day.year, explicit_year=explicit)


def _quarter_value(year: int, quarter: int, anchor: Anchor = "absolute", explicit: bool = True) -> Resolved:
    return Resolved(f"{year:04d}-Q{quarter}", "quarter", None, anchor, year=year, explicit_year=explicit)


def _half_value(year: int, half: int, anchor: Anchor = "absolute", explicit: bool = True) -> Resolved:
    """A half-year as the period it is: its first month, and its last as `value_end`
    ("H2 2027" -> 2027-07 .. 2027-12), the way the gold format writes periods."""
    first = 6 * half - 5
    return Resolved(f"{year:04d}-{first:02d}", "month", f"{year:04d}-{first + 5:02d}", anchor, year=year,
                    explicit_year=explicit, timex=Timex(type="DATE", value=f"{year:04d}-H{half}"))


def _two_digit_year(text: str) -> int:
    value = int(text)
    return value if value >= 100 else 2000 + value


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _choose_year(ctx: Context, pos: int, first: dt.date, last: dt.date | None = None,
                 behind_with_cue: int = _BEHIND_DAYS_WITH_CUE) -> tuple[int | None, Anchor]:
    """The year of a yearless date or period, given as `first`..`last` in the publication year.

    A year written earlier in the same sentence wins ("In 2024, ... in March"). Otherwise the
    publication year, moved back a year when the date lies well after publication in a
    sentence that does not speak of the future ("sales in December" on a January page), and
    forward a year when it lies well before publication in one that does.
    """
    year = ctx.context_year(pos)
    if year is not None:
        return year, "context"
    pub = ctx.published
    if pub is None:
        # no publication date: the latest year the text has stated so far ("its 2023
        # results ... In March") rather than nothing (the record's warning says so)
        year = ctx.latest_stated_year(pos)
        return year, "context" if year is not None else "published"
    last = last or first
    if ctx.future(pos):
        return (pub.year + 1 if (pub - last).days > behind_with_cue else pub.year), "published"
    # in a clause the parse reads as past, a date after publication is last year's
    ahead = _AHEAD_DAYS_IN_PAST if ctx.clause_tense(pos) == "past" else _AHEAD_DAYS_WITHOUT_CUE
    return (pub.year - 1 if (first - pub).days > ahead else pub.year), "published"


def _yearless(ctx: Context, pos: int, first_month: int, last_month: int, first_day: int = 1,
              last_day: int | None = None, behind_with_cue: int = _BEHIND_DAYS_WITH_CUE) -> tuple[int | None, Anchor]:
    """`_choose_year` for a month period (or a day) written without its year."""
    base = ctx.published.year if ctx.published else 2000
    first = _safe_date(base, first_month, first_day) or dt.date(base, first_month, 1)
    last_day = last_day if last_day is not None else 28
    last = _safe_date(base, last_month, last_day) or dt.date(base, last_month, 28)
    return _choose_year(ctx, pos, first, last, behind_with_cue)


def _resolve_year_ref(m: regex.Match[str], ctx: Context) -> tuple[int | None, Anchor, bool] | None:
    """The year named by a `_year_ref` group, or None when the match names none."""
    if m.group("ry"):
        return int(m.group("ry")), "absolute", True
    if m.group("rshift"):
        return _shifted_year(m.group("rshift"), m.start("rshift"), ctx)
    if m.group("rthe"):
        year = ctx.context_year(m.start())
        if year is not None:
            return year, "context", True
        return (ctx.published.year if ctx.published else None), "published", False
    return None


def _shifted_year(shift: str, pos: int, ctx: Context) -> tuple[int | None, Anchor, bool]:
    """The year "last year", "this year", "the previous year" name."""
    step, from_context = ctx.vocab.shifts[_key(shift)]
    if from_context:
        base = ctx.last_year_mentioned(pos)
        if base is not None:
            return base + step, "context", False
    if ctx.published is None:
        return None, "published", False
    return ctx.published.year + step, "published", False


# --------------------------------------------------------------------------- readers

Reader = Callable[[regex.Match[str], Context], Resolved | None]


def _read_full_date(span: str, ctx: Context, order: Order | None = None) -> Resolved | None:
    day = _dateparse(span, order or ctx.order)
    return _day_value(day) if day else None


def _read_iso(m: regex.Match[str], ctx: Context) -> Resolved | None:
    return _read_full_date(m.group("span"), ctx)


def _read_numeric(m: regex.Match[str], ctx: Context) -> Resolved | None:
    a, b = int(m.group("a")), int(m.group("b"))
    if a > 12 and b > 12:
        return None
    dotted = m.group("sep") == "."  # 03.05.2024: day first wherever dots are written
    site = ctx.order if ctx.order is not None and not (dotted and ctx.order_guessed) else None
    order: Order = "DMY" if a > 12 else "MDY" if b > 12 else site or ("DMY" if dotted else "MDY")
    guessed = a <= 12 and b <= 12 and site is None and not dotted
    year = _two_digit_year(m.group("y"))
    day = _safe_date(year, b, a) if order == "DMY" else _safe_date(year, a, b)
    if day is None:
        return None
    note = f"day and month order unknown: read as {'day' if order == 'DMY' else 'month'} first" if guessed else None
    return _day_value(day, note=note)


def _read_cjk(m: regex.Match[str], ctx: Context) -> Resolved | None:
    day = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return _day_value(day) if day else None


def _read_written_date(m: regex.Match[str], ctx: Context) -> Resolved | None:
    day = _safe_date(int(m.group("y")), ctx.vocab.month(m.group("m")), int(regex.sub(r"\D", "", m.group("d"))))
    if day is None:
        return None
    return _read_full_date(m.group(0), ctx) or _day_value(day)


def _read_month_year(m: regex.Match[str], ctx: Context) -> Resolved | None:
    month = ctx.vocab.month(m.group("m"))
    if m.group("y"):
        return _month_value(int(m.group("y")), month)
    year, anchor, _ = _shifted_year(m.group("rshift"), m.start("rshift"), ctx)
    return _unresolved() if year is None else _month_value(year, month, anchor, explicit=False)


def _read_yearless_day(m: regex.Match[str], ctx: Context) -> Resolved | None:
    if m.start() == m.start("m") and _inside_name(m, ctx):
        return None  # "Long March 5" is a rocket
    month = ctx.vocab.month(m.group("m"))
    day_number = int(regex.sub(r"\D", "", m.group("d")))
    if _safe_date(2000, month, day_number) is None:  # 2000 is a leap year: Feb 29 is a date
        return None
    year, anchor = _yearless(ctx, m.start(), month, month, day_number, day_number)
    if year is None:
        return _unresolved()
    day = _safe_date(year, month, day_number)
    return _day_value(day, anchor, explicit=False) if day else None


def _connector_ok(m: regex.Match[str]) -> bool:
    """"between X and Y" is a period; "X and Y" without "between" is two dates."""
    return m.group("conn").lower() != "and" or (m.group("lead") or "").lower() == "between"


def _year_range_ok(m: regex.Match[str]) -> bool:
    """A connector as above, and an end after the start ("2024-25", not "2025-01")."""
    return _connector_ok(m) and _range_end(m) is not None


def _range_end(m: regex.Match[str]) -> int | None:
    y1, end_text = int(m.group("y1")), m.group("y2")
    y2 = int(end_text) if len(end_text) == 4 else (y1 // 100) * 100 + int(end_text)
    if y2 <= y1 or y2 - y1 > 50:
        return None
    return y2


# Words that, capitalised before a month, still leave it a date ("In May", "The March
# accession", "Also in May"); any other capitalised word before it makes it part of a name
# ("Theresa May", "Long March"). Closed grammatical classes: prepositions, determiners and
# the sentence adverbs that open news sentences.
_DATE_LEAD_WORDS = frozenset(
    "in on by since until till from through during before after for of and or but to between last "
    "next this that the each every as at early late mid around about also earlier later finally then".split()
)
_PREVIOUS_WORD = regex.compile(r"(\p{L}+)\s+$")


def _inside_name(m: regex.Match[str], ctx: Context) -> bool:
    """Whether a lone month follows a capitalised word that makes it a name."""
    before = _PREVIOUS_WORD.search(ctx.text, max(0, m.start() - 40), m.start())
    if before is None:
        return False
    word = before.group(1)
    return regex.fullmatch(r"\p{Lu}\p{Ll}+", word) is not None and word.lower() not in _DATE_LEAD_WORDS


def _named_day(m: regex.Match[str], ctx: Context) -> bool:
    """Whether a weekday ends a name of the vocabulary ("Black Friday"). Names of people and
    places before a weekday do not make it a name: news writes "the court Friday rejected",
    "in Tokyo Monday", "Clinton Saturday vowed"."""
    said = _key(ctx.text[max(0, m.start("wd") - 30):m.end("wd")])
    return any(said == name or said.endswith(" " + name) for name in ctx.vocab.named_days)


def _read_month_range(m: regex.Match[str], ctx: Context) -> Resolved | None:
    if not _connector_ok(m):
        return None
    m1, m2 = ctx.vocab.month(m.group("m1")), ctx.vocab.month(m.group("m2"))
    y1 = int(m.group("y1")) if m.group("y1") else None
    y2 = int(m.group("y2") or m.group("qy") or 0) or None
    anchor: Anchor = "absolute"
    if y2 is None and y1 is None:
        year, anchor = _yearless(ctx, m.start(), m1, m2)
        if year is None:
            return _unresolved()
        y1 = y2 = year
    elif y2 is None:
        y2 = y1 if m2 >= m1 else y1 + 1  # type: ignore[operator]
    elif y1 is None:
        y1 = y2 if m1 <= m2 else y2 - 1
    assert y1 is not None and y2 is not None
    if m.group("q") and y1 == y2 and m2 - m1 == 2 and m1 % 3 == 1:
        return _quarter_value(y1, (m1 + 2) // 3, anchor, explicit=anchor == "absolute")
    return _month_value(y1, m1, anchor, explicit=anchor == "absolute", end=(y2, m2))


def _read_year_range(m: regex.Match[str], ctx: Context) -> Resolved | None:
    end = _range_end(m)
    return None if end is None else _year_value(int(m.group("y1")), end=end)


def _period_year(m: regex.Match[str], ctx: Context, first_month: int, last_month: int,
                 reach_back: int = 0) -> tuple[int | None, Anchor, bool]:
    """The year of a quarter, half or month period: written, named ("of last year"), taken
    from the date just discussed, or chosen against publication."""
    if m.groupdict().get("rthe") is not None or m.groupdict().get("ry") or m.groupdict().get("rshift"):
        ref = _resolve_year_ref(m, ctx)
        if ref is not None:
            return ref
    year = ctx.context_year(m.start(), reach_back_sentences=reach_back)
    if year is not None:
        return year, "context", False
    # A quarter or half that ended within a quarter of publication is the one just reported
    # on, even in a future-tense sentence ("demand will recover after a weak first quarter").
    behind = _BEHIND_DAYS_PERIOD_WITH_CUE if last_month - first_month >= 2 else _BEHIND_DAYS_WITH_CUE
    year, anchor = _yearless(ctx, m.start(), first_month, last_month, behind_with_cue=behind)
    return year, anchor, False


# A quarter or a half: how many months it spans, and how its value is written.
_PERIOD_VALUE: dict[int, Callable[..., Resolved]] = {3: _quarter_value, 6: _half_value}


def _period_of_year(m: regex.Match[str], ctx: Context, months: int, n: int, written: str | None) -> Resolved:
    """The n-th quarter (months=3) or half (months=6): of the year written, else of the year
    the context or the publication date gives."""
    value = _PERIOD_VALUE[months]
    if written:
        return value(_two_digit_year(written), n)
    year, anchor, explicit = _period_year(m, ctx, months * (n - 1) + 1, months * n, reach_back=1)
    return _unresolved() if year is None else value(year, n, anchor, explicit)


def _read_period_code(months: int, m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"Q3 2025", "2025Q3", "3Q25", "H1 '26", "2H19", "H2"."""
    n = int(m.group("n") or m.group("n2") or m.group("n3"))
    return _period_of_year(m, ctx, months, n, m.group("y") or m.group("y2") or m.group("y3"))


def _read_period_words(months: int, m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"the third quarter (of 2025)", "the final quarter", "the first half of the year"."""
    word = m.group("ord").lower()
    n = 12 // months if word == "final" else ordinal_number(word)
    if n is None or not 1 <= n <= 12 // months:
        return None
    value = _PERIOD_VALUE[months]
    if m.group("ly"):
        return value(int(m.group("ly")), n)
    if m.group("lshift"):
        year, anchor, _ = _shifted_year(m.group("lshift"), m.start("lshift"), ctx)
        return _unresolved() if year is None else value(year, n, anchor, explicit=False)
    if m.group("lago"):
        base = ctx.reported.year if ctx.reported is not None else ctx.published.year if ctx.published else None
        return _unresolved() if base is None else replace(value(base - 1, n, "context", explicit=False), year_back=True)
    return _period_of_year(m, ctx, months, n, None)


def _count(text: str) -> int | None:
    lowered = text.lower()
    if lowered.isdigit():
        return int(lowered)
    if lowered in ("a", "an"):
        return 1
    value = word_number(lowered)
    return int(value) if value is not None and value == int(value) else None


def _read_first_months(m: regex.Match[str], ctx: Context) -> Resolved | None:
    n = _count(m.group("n"))
    if n is None or not 2 <= n <= 12:
        return None
    first, last = (1, n) if m.group("which").lower() == "first" else (13 - n, 12)
    if first != 1 and not (m.group("ry") or m.group("rshift") or m.group("rthe")):
        return None  # "the last three months" alone is a duration
    # TimeML reads "the first nine months" as the stretch of time it is (TimeBank: P9M)
    timex = Timex(type="DURATION", value=f"P{n}M")
    year, anchor, explicit = _period_year(m, ctx, first, last)
    if year is None:
        return replace(_unresolved(), timex=timex)
    return replace(_month_value(year, first, anchor, explicit, end=(year, last)), timex=timex)


def _read_part(m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"early 2027", "mid-2026", "late last year", "the end of June": the named period itself."""
    if m.group("y"):
        return _year_value(int(m.group("y")))
    if m.group("m"):
        month = ctx.vocab.month(m.group("m"))
        if m.group("my"):
            return _month_value(int(m.group("my")), month)
        year, anchor = _yearless(ctx, m.start(), month, month)
        return _unresolved() if year is None else _month_value(year, month, anchor, explicit=False)
    if m.group("rthe"):
        year = ctx.context_year(m.start())
        if year is not None:
            return _year_value(year, "context", explicit=False)
        return _unresolved() if ctx.published is None else _year_value(ctx.published.year, "published", False)
    if m.group("unit").lower() == "month":
        return _shifted_month(m.group("rshift"), ctx)
    year, anchor, _ = _shifted_year(m.group("rshift"), m.start("rshift"), ctx)
    return _unresolved() if year is None else _year_value(year, anchor, explicit=False)


def _published_index(ctx: Context, unit: str, step: int) -> int:
    """The month (year*12 + month-1) or quarter (year*4 + quarter-1) `step` away from the
    publication date's."""
    assert ctx.published is not None
    per_year = 12 if unit == "month" else 4
    return ctx.published.year * per_year + (ctx.published.month - 1) * per_year // 12 + step


def _shifted_month(shift: str, ctx: Context) -> Resolved:
    step, _ = ctx.vocab.shifts[_key(shift)]
    if ctx.published is None:
        return _unresolved()
    index = _published_index(ctx, "month", step)
    return _month_value(index // 12, index % 12 + 1, "published", explicit=False)


def _read_relative(m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"last year", "this month", "next quarter", "the previous year"."""
    unit = m.group("unit").lower()
    if unit == "year":
        year, year_anchor, _ = _shifted_year(m.group("shift"), m.start(), ctx)
        return _unresolved() if year is None else _year_value(year, year_anchor, explicit=False)
    step, from_context = ctx.vocab.shifts[_key(m.group("shift"))]
    if unit == "week":
        return _week_months(ctx, step)
    base = _context_period(ctx, m.start(), unit) if from_context else None
    if base is not None:  # "Q2 deliveries should rise from the previous quarter": Q1
        index = base + step
        anchor: Anchor = "context"
    elif ctx.published is None:
        return _unresolved()
    else:  # "next quarter", or "the previous quarter" with no period just discussed
        index, anchor = _published_index(ctx, unit, step), "published"
    if unit == "month":
        return _month_value(index // 12, index % 12 + 1, anchor, explicit=False)
    return _quarter_value(index // 4, index % 4 + 1, anchor, explicit=False)


def _week_months(ctx: Context, step: int) -> Resolved:
    """"last week", "this week", "next week": the record has no weeks, so the month the week
    (Monday to Sunday) falls in, or the two months it spans; the TimeML reading is the week."""
    if ctx.published is None:
        return _unresolved()
    monday = ctx.published - dt.timedelta(days=ctx.published.weekday()) + dt.timedelta(weeks=step)
    sunday = monday + dt.timedelta(days=6)
    end = None if (monday.year, monday.month) == (sunday.year, sunday.month) else (sunday.year, sunday.month)
    return replace(
        _month_value(monday.year, monday.month, "published", explicit=False, end=end),
        timex=Timex(type="DATE", value=_iso_week(monday)),
    )


def _iso_week(day: dt.date) -> str:
    """TimeML's week of a day: 2025-W10."""
    iso_year, iso_week, _ = day.isocalendar()
    return f"{iso_year:04d}-W{iso_week:02d}"


def _read_reported_quarter(m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"the quarter", "the latest quarter", "that quarter", "the latest period", "the quarter a
    year ago", "the 1988 period": the quarter the text last named ("third-quarter profit ... in
    the quarter"), else the last quarter that ended before publication, the one a report in
    the news is about."""
    if m.group("ry"):  # "the 1988 period": the reported quarter of that year, else the year
        year = int(m.group("ry"))
        if ctx.reported is None:
            return _year_value(year)
        # a comparison with the reported quarter, not a new one to report on
        return replace(_quarter_value(year, _quarter_of(ctx.reported)), year_back=year != ctx.reported.year)
    reported = ctx.reported
    if reported is None:
        if m.group("that"):
            return None  # "that quarter" points back at a quarter the text has not named
        if ctx.published is None:
            return _unresolved()
        index = _published_index(ctx, "quarter", -1)
        reported = _quarter_value(index // 4, index % 4 + 1, "published", explicit=False)
    if m.group("ago"):  # "the quarter a year ago"
        return _year_back(reported)
    return replace(reported, anchor="context" if ctx.reported is not None else "published", explicit_year=False, note=None)


def _a_year_before(res: Resolved) -> Resolved:
    """A resolved date one year back, at its granularity."""
    assert res.value is not None
    year = int(res.value[:4]) - 1
    if res.granularity == "quarter":
        return _quarter_value(year, _quarter_of(res), "context", explicit=False)
    if res.granularity == "month":
        end = None if res.value_end is None else (int(res.value_end[:4]) - 1, int(res.value_end[5:7]))
        return _month_value(year, int(res.value[5:7]), "context", explicit=False, end=end)
    if res.granularity == "day":
        day = _safe_date(year, int(res.value[5:7]), int(res.value[8:10])) or dt.date(year, int(res.value[5:7]), 28)
        return _day_value(day, "context", explicit=False)
    return _year_value(year, "context", explicit=False)


def _quarter_of(res: Resolved) -> int:
    assert res.value is not None and res.granularity == "quarter"
    return int(res.value[6])


def _year_back(reported: Resolved) -> Resolved:
    """The reported quarter a year earlier ("the year-ago quarter")."""
    assert reported.year is not None
    return replace(_quarter_value(reported.year - 1, _quarter_of(reported), "context", explicit=False), year_back=True)


def _read_year_earlier(m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"a year earlier", "a year ago", "the year-ago quarter", "the same period a year
    earlier": the date just discussed, a year back, at its granularity; else the quarter the
    text reports on, a year back; else the year before publication."""
    unit = (m.group("unit") or m.group("unit2") or m.group("unit3") or "").lower()
    if unit in ("quarter", "period") and ctx.reported is not None:
        return _year_back(ctx.reported)
    for res in ctx.nearby(m.start()):
        if res.value is None or res.granularity is None or res.year_back:
            continue
        return replace(_a_year_before(res), year_back=True)
    if ctx.reported is not None:
        return _year_back(ctx.reported)
    if ctx.published is None:
        return _unresolved()
    return _year_value(ctx.published.year - 1, "published", explicit=False)


def _context_period(ctx: Context, pos: int, unit: str) -> int | None:
    """The month (year*12 + month-1) or quarter (year*4 + quarter-1) of the latest date in
    this or the previous sentence at that granularity or finer, for "the previous quarter"."""
    for res in ctx.nearby(pos):
        if res.value is None or res.granularity not in ("day", "month", "quarter"):
            continue
        year = int(res.value[:4])
        if res.granularity == "quarter":
            if unit == "quarter":
                return year * 4 + int(res.value[6]) - 1
            continue
        month = int(res.value[5:7])
        return year * 12 + month - 1 if unit == "month" else year * 4 + (month - 1) // 3
    return None


def _read_recent_decade(m: regex.Match[str], ctx: Context) -> Resolved | None:
    if ctx.published is None:
        return _unresolved()
    year = ctx.published.year
    return _year_value(year - 10, "published", explicit=False, end=year)


def _read_ago(m: regex.Match[str], ctx: Context) -> Resolved | None:
    n = _count(m.group("n"))
    if n is None:
        return None
    if ctx.published is None:
        return _unresolved()
    pub = ctx.published
    unit = m.group("unit").lower()
    if unit == "year":
        return _year_value(pub.year - n, "published", explicit=False)
    if unit == "month":
        index = pub.year * 12 + pub.month - 1 - n
        return _month_value(index // 12, index % 12 + 1, "published", explicit=False)
    days = n * 7 if unit == "week" else n
    return _day_value(pub - dt.timedelta(days=days), "published", explicit=False)


def _read_shift_month(m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"this February", "last October", "next March"."""
    month = ctx.vocab.month(m.group("m"))
    step, from_context = ctx.vocab.shifts[_key(m.group("shift"))]
    if from_context or ctx.published is None:
        return None if from_context else _unresolved()
    pub = ctx.published
    year = pub.year
    if step < 0 and month >= pub.month:
        year -= 1
    elif step > 0 and month <= pub.month:
        year += 1
    return _month_value(year, month, "published", explicit=False)


def _read_weekday(m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"on Wednesday" is the latest Wednesday up to publication (the next one when the sentence
    speaks of the future), "last Tuesday" the latest before it, "next Friday" the first after."""
    if not m.group("prep") and _named_day(m, ctx):
        return None
    if ctx.published is None:
        return _unresolved()
    pub = ctx.published
    target = ctx.vocab.weekday(m.group("wd"))
    prep = (m.group("prep") or "").lower()
    back = (pub.weekday() - target) % 7
    ahead = (target - pub.weekday()) % 7
    if prep == "last":
        day = pub - dt.timedelta(days=back or 7)
    elif prep == "next":
        day = pub + dt.timedelta(days=ahead or 7)
    elif prep != "since" and ctx.future(m.start()) and ahead:
        day = pub + dt.timedelta(days=ahead)
    else:
        day = pub - dt.timedelta(days=back)
    return _in_part_of_day(_day_value(day, "published", explicit=False), m.group("pod"))


def _read_weekend(m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"the weekend", "last weekend", "this weekend", "next weekend": its Saturday and Sunday
    (TimeML 2025-W10-WE). "the weekend" is the one just past, or the coming one where the
    sentence speaks of the future; "this weekend" the one of the publication week."""
    if ctx.published is None:
        return _unresolved()
    pub = ctx.published
    saturday = pub + dt.timedelta(days=5 - pub.weekday())  # the Saturday of publication's week
    if m.group("shift"):
        step, from_context = ctx.vocab.shifts[_key(m.group("shift"))]
        if from_context:
            return None
        saturday += dt.timedelta(weeks=step)
    elif saturday > pub and not ctx.future(m.start()):
        saturday -= dt.timedelta(weeks=1)  # "over the weekend" on a weekday: the one just past
    sunday = saturday + dt.timedelta(days=1)
    res = _day_value(saturday, "published", explicit=False)
    return replace(res, value_end=sunday.isoformat(), timex=Timex(type="DATE", value=f"{_iso_week(saturday)}-WE"))


def _read_day_word(m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"yesterday", "today", "tomorrow", "tonight", "this morning", "last night"."""
    if ctx.published is None:
        return _unresolved()
    word = (m.group("word") or m.group("this") or m.group("last")).lower()
    step = {"yesterday": -1, "last": -1, "tomorrow": 1}.get(word, 0)
    part = m.group("pod") or m.group("pod2") or m.group("pod3") or ("night" if word == "tonight" else None)
    return _in_part_of_day(_day_value(ctx.published + dt.timedelta(days=step), "published", explicit=False), part)


def _in_part_of_day(res: Resolved, part: str | None) -> Resolved:
    """A day with the part of it the text names: the record keeps the day, TimeML reads the
    part ("Tuesday night" is 2025-03-04TNI, a TIME)."""
    if part is None or res.value is None:
        return res
    return replace(res, timex=Timex(type="TIME", value=f"{res.value}T{_DAY_PARTS[part.lower()]}"))


def _fiscal_span_ok(m: regex.Match[str]) -> bool:
    """"FY2025-26", "the 2025-26 financial year": a fiscal word and two consecutive years."""
    return bool(m.group("fy") or m.group("fy2")) and _range_end(m) == int(m.group("y1")) + 1


def _read_fiscal_span(m: regex.Match[str], ctx: Context) -> Resolved | None:
    """A fiscal year over two calendar years, as the months it covers (April 2025 to
    March 2026 with the shipped start month, or the site's)."""
    first_year = int(m.group("y1"))
    start = ctx.fiscal.starts if ctx.fiscal else ctx.vocab.fiscal_start
    return _fiscal_months(first_year, start, first_year + 1, "absolute", explicit=True)


def _fiscal_months(first_year: int, start: int, label: int, anchor: Anchor, explicit: bool) -> Resolved:
    """The twelve months of a fiscal year from `start`/`first_year`; TimeML names it by its label."""
    end_index = first_year * 12 + start - 1 + 11
    res = _month_value(first_year, start, anchor, explicit, end=(end_index // 12, end_index % 12 + 1))
    return replace(res, year=label, timex=Timex(type="DATE", value=f"{label:04d}"))


def _fiscal_year(label: int, ctx: Context, anchor: Anchor = "absolute", explicit: bool = True) -> Resolved:
    """The fiscal year labelled `label`: its months where the site's profile says how it
    counts them, else the label's year (a company's fiscal year is its own)."""
    if ctx.fiscal is None:
        return _year_value(label, anchor, explicit)
    return _fiscal_months(ctx.fiscal.first_year(label), ctx.fiscal.starts, label, anchor, explicit)


def _read_fiscal(m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"FY24", "fiscal 2025", "FY 2024"."""
    return _fiscal_year(_two_digit_year(m.group("y")), ctx)


def _read_fiscal_relative(m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"this fiscal year", "last financial year", "the latest fiscal year", "the fiscal year"."""
    if m.group("the"):
        year = ctx.context_year(m.start())
        if year is not None:
            return _fiscal_year(year, ctx, "context", explicit=False)
    if ctx.published is None:
        return _unresolved()
    step = -1 if m.group("latest") else 0
    if m.group("shift"):
        step, from_context = ctx.vocab.shifts[_key(m.group("shift"))]
        if from_context:
            base = ctx.last_year_mentioned(m.start())
            if base is not None:
                return _fiscal_year(base + step, ctx, "context", explicit=False)
    current = ctx.fiscal.label_of(ctx.published) if ctx.fiscal else ctx.published.year
    return _fiscal_year(current + step, ctx, "published", explicit=False)


def _read_decade(m: regex.Match[str], ctx: Context) -> Resolved | None:
    year = int(m.group("y"))
    # TimeML writes a decade with its first three digits: "the 1990s" is 199
    return replace(_year_value(year, end=year + 9), timex=Timex(type="DATE", value=str(year // 10)))


def _read_century(m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"the 19th century" (1800-1899; TimeML 18), "this century", "the last century"."""
    if m.group("ord"):
        word = m.group("ord").lower()
        n = ordinal_number(word) if word in ORDINALS else int(regex.sub(r"\D", "", word))
        if n is None:
            return None
        hundreds = n - 1
    else:
        step, from_context = ctx.vocab.shifts[_key(m.group("shift"))]
        if from_context:
            return None
        if ctx.published is None:
            return _unresolved()
        hundreds = ctx.published.year // 100 + step
    first = max(hundreds * 100, 1000)
    res = _year_value(first, "absolute" if m.group("ord") else "published", explicit=False, end=hundreds * 100 + 99)
    return replace(res, timex=Timex(type="DATE", value=f"{hundreds:02d}")) if res.value else res


# TimeML's season codes, by the season's first month.
_SEASON_CODES = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}


def _read_season(m: regex.Match[str], ctx: Context) -> Resolved | None:
    """"last summer", "this fall", "the winter of 2023", "spring 2025", "the early summer": the
    season's three months (winter: December to February), TimeML 2025-SU."""
    word = (m.group("s") or m.group("s2")).lower()
    first = ctx.vocab.seasons[word]
    written = m.group("y") or m.group("y2")
    anchor: Anchor = "absolute"
    if written:
        year = int(written)
    elif m.group("shift"):
        step, from_context = ctx.vocab.shifts[_key(m.group("shift"))]
        if from_context:
            return None
        if ctx.published is None:
            return _unresolved()
        year, anchor = _season_year(ctx.published, first, step), "published"
    else:
        if word == "fall":
            return None  # "the fall in prices"
        found, anchor = _yearless(ctx, m.start(), first, min(first + 2, 12))
        if found is None:
            return _unresolved()
        year = found
    end = year * 12 + first - 1 + 2
    res = _month_value(year, first, anchor, explicit=bool(written), end=(end // 12, end % 12 + 1))
    return replace(res, timex=Timex(type="DATE", value=f"{year:04d}-{_SEASON_CODES.get(first, 'SU')}"))


def _season_year(pub: dt.date, first: int, step: int) -> int:
    """The year a season starts in: "this" season is the one publication falls in or nearest;
    "last" the latest that ended before publication; "next" the first that starts after it."""
    def start(year: int) -> dt.date:
        return dt.date(year, first, 1)

    def end(year: int) -> dt.date:
        index = year * 12 + first - 1 + 3
        return dt.date(index // 12, index % 12 + 1, 1)

    if step < 0:
        return max(y for y in (pub.year - 2, pub.year - 1, pub.year) if end(y) <= pub)
    if step > 0:
        return min(y for y in (pub.year - 1, pub.year, pub.year + 1) if start(y) > pub)
    # "this winter" in January is the one that began in December
    return pub.year - 1 if first == 12 and pub.month < 3 else pub.year


def _read_year(m: regex.Match[str], ctx: Context) -> Resolved | None:
    return _year_value(int(m.group("y")))


# A month after an article and before "of the"/"for" and a capitalised word is an event's
# name ("the March for Life", "the March of the Combatant Mothers"); "in March for Tesla" is
# the month.
_MONTH_IN_EVENT_NAME = regex.compile(r"\s+(?:of|for)\s+(?:the\s+)?\p{Lu}\p{Ll}")
_ARTICLE_BEFORE = regex.compile(r"\b(?:the|a|an)\s+$", regex.IGNORECASE)


def _read_bare_month(m: regex.Match[str], ctx: Context) -> Resolved | None:
    if _inside_name(m, ctx) or (
        _MONTH_IN_EVENT_NAME.match(ctx.text, m.end()) and _ARTICLE_BEFORE.search(ctx.text, max(0, m.start() - 8), m.start())
    ):
        return None
    month = ctx.vocab.month(m.group("m"))
    year, anchor = _yearless(ctx, m.start(), month, month)
    return _unresolved() if year is None else _month_value(year, month, anchor, explicit=False)


_READERS: dict[str, Reader] = {
    "iso": _read_iso,
    "numeric": _read_numeric,
    "cjk": _read_cjk,
    "mdy": _read_written_date,
    "dmy": _read_written_date,
    "month_year": _read_month_year,
    "month_day": _read_yearless_day,
    "day_month": _read_yearless_day,
    "month_range": _read_month_range,
    "year_range": _read_year_range,
    "quarter_code": functools.partial(_read_period_code, 3),
    "quarter_words": functools.partial(_read_period_words, 3),
    "half_code": functools.partial(_read_period_code, 6),
    "half_words": functools.partial(_read_period_words, 6),
    "first_months": _read_first_months,
    "part": _read_part,
    "relative": _read_relative,
    "year_earlier": _read_year_earlier,
    "reported_quarter": _read_reported_quarter,
    "recent_decade": _read_recent_decade,
    "ago": _read_ago,
    "shift_month": _read_shift_month,
    "recurrence": lambda m, ctx: None,
    "weekday": _read_weekday,
    "weekend": _read_weekend,
    "day_word": _read_day_word,
    "fiscal_span": _read_fiscal_span,
    "fiscal": _read_fiscal,
    "fiscal_relative": _read_fiscal_relative,
    "decade": _read_decade,
    "century": _read_century,
    "season": _read_season,
    "year": _read_year,
    "bare_month": _read_bare_month,
}
# Forms whose validity depends only on the words (checked while choosing between overlaps).
_SYNTACTIC_CHECKS: dict[str, Callable[[regex.Match[str]], bool]] = {
    "month_range": _connector_ok,
    "year_range": _year_range_ok,
    "fiscal_span": _fiscal_span_ok,
}


# --------------------------------------------------------------------------- finding

@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    form: str
    match: regex.Match[str]


def candidates(text: str, vocab: DateVocabulary, start: int = 0, end: int | None = None) -> list[Candidate]:
    """Every match of every form in text[start:end], before overlaps are settled."""
    end = len(text) if end is None else end
    found = []
    for form in _compiled(vocab):
        try:
            for m in form.finditer(text, start, end):
                check = _SYNTACTIC_CHECKS.get(form.name)
                if m.end() > m.start() and (check is None or check(m)):
                    found.append(Candidate(m.start(), m.end(), form.name, m))
        except TimeoutError:
            continue
    return found


def select(found: Sequence[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: the longest first, then the earlier form in `_READERS`."""
    rank = {form: i for i, form in enumerate(_READERS)}
    chosen: list[Candidate] = []
    taken = bytearray(max((c.end for c in found), default=0))
    for cand in sorted(found, key=lambda c: (c.start - c.end, rank[c.form], c.start)):
        if not any(taken[cand.start:cand.end]):
            taken[cand.start:cand.end] = b"\x01" * (cand.end - cand.start)
            chosen.append(cand)
    return sorted(chosen, key=lambda c: c.start)


def infer_order(text: str) -> Order | None:
    """The day/month order a page's own numeric dates show ("25/03/2024" is day first)."""
    votes = {"DMY": 0, "MDY": 0}
    try:
        for m in regex.finditer(_NUMERIC, text, timeout=SEARCH_TIMEOUT):
            a, b = int(m.group("a")), int(m.group("b"))
            if a > 12 >= b:
                votes["DMY"] += 1
            elif b > 12 >= a:
                votes["MDY"] += 1
    except TimeoutError:
        pass
    if votes["DMY"] == votes["MDY"]:
        return None
    return "DMY" if votes["DMY"] > votes["MDY"] else "MDY"


# A preposition opening a matched span is the sentence's, not the date's: TimeML marks
# "Wednesday" in "on Wednesday" and "2020" in "since 2020" (the grammar reads the word to
# decide the value, the span leaves it out). "last", "next" and "this" belong to the date.
_LEADING_PREPOSITION = regex.compile(
    r"(?i:on|in|at|since|by|until|till|from|before|after|during|through|throughout|for|of|to)\s+"
)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding spaces, a leading preposition and a trailing comma from a span."""
    while start < end and text[start].isspace():
        start += 1
    prep = _LEADING_PREPOSITION.match(text, start, end)
    if prep is not None and prep.end() < end:
        start = prep.end()
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


# Forms that name a quarter ("Q3", "the third quarter", "the latest quarter"): what "the
# quarter" and "a year earlier" then refer to. Not "the year-ago quarter", that one's past.
_QUARTER_NAMING_FORMS = frozenset({"quarter_code", "quarter_words", "month_range", "reported_quarter"})


def resolve(text: str, chosen: Sequence[Candidate], published: dt.date | None,
            vocab: DateVocabulary, order: Order | None = None, tense: TenseReader | None = None,
            fiscal: FiscalYear | None = None) -> list[DateMention]:
    """Resolve chosen candidates in text order into date mentions; `tense` gives the tense of
    the clause at an offset where a parse is at hand, `fiscal` the site's fiscal years."""
    guessed = order is None
    ctx = Context(text, published, order or infer_order(text), guessed, split_sentences(text), vocab, tense, fiscal)
    mentions = []
    for cand in chosen:
        res = _READERS[cand.form](cand.match, ctx)
        if res is None:
            continue
        ctx.earlier.append((cand.start, res))
        if cand.form in _QUARTER_NAMING_FORMS and res.granularity == "quarter" and res.value is not None and not res.year_back:
            ctx.reported = res
        start, end = _trim(text, cand.start, cand.end)
        mentions.append(DateMention(
            start=start, end=end, text=text[start:end], value=res.value, granularity=res.granularity,
            value_end=res.value_end, anchor=res.anchor, note=res.note,
            timex=res.timex,
        ))
    return mentions


def find_dates(text: str, published: dt.date | None, vocab: DateVocabulary | None = None,
               order: Order | None = None) -> list[DateMention]:
    """Every date and period in `text`, resolved against `published`.

    `order` is how the site writes numeric dates ("DMY" for 03/11/2025 = 3 November); without
    it the page's other numeric dates decide, else month first with a note on the mention.
    """
    vocab = vocab or shipped_vocabulary()
    return resolve(text, select(candidates(text, vocab)), published, vocab, order)

# "current" is a time word only after one of these ("its current difficulties"), and never
# before these nouns (the current account; electric current is never after a determiner
# in the sense that matters: "the current flows" is rare in news, "direct current" has none)
_CURRENT_AFTER = frozenset("the its their his her our your my this".split())
_CURRENT_NOT_BEFORE = regex.compile(r"\s+(?:account|flows?|density|draw|rating|collector|sensor)\b", regex.I)


def find_time_references(text: str, taken: Sequence[tuple[int, int]], vocab: DateVocabulary | None = None) -> list[TimeReference]:
    """Every word or phrase of `text` that places it in time without naming a date ("now",
    "recently", "in the future") or that names a recurrence ("daily", "every year", "each
    Monday": TimeML SETs), outside the `taken` spans (dates, durations) and not right before
    one ("the past five years" is a duration's frame, not a reference)."""
    vocab = vocab or shipped_vocabulary()
    taken = sorted(taken)
    starts = {s for s, _ in taken}
    found: list[tuple[int, int, Timex]] = []
    try:
        matches = list(vocab.reference_re.finditer(text, timeout=SEARCH_TIMEOUT))
        recurrences = list(vocab.recurrence_re.finditer(text, timeout=SEARCH_TIMEOUT))
    except TimeoutError:
        return []
    for m in matches:
        start, end = m.span()
        word = _key(m.group())
        if word == "current":
            before = _PREVIOUS_WORD.search(text, max(0, start - 12), start)
            if before is None or before.group(1).lower() not in _CURRENT_AFTER or _CURRENT_NOT_BEFORE.match(text, end):
                continue
        timex = vocab.references[word]
        if timex.type == "SET" and " " not in word and text[start].isupper():
            continue  # a name: "China Daily", "Automotive News Weekly"
        found.append((start, end, timex))
    for m in recurrences:
        if m.group("wd"):
            part = f"T{_DAY_PARTS[m.group('pod').lower()]}" if m.group("pod") else ""
            value = f"XXXX-WXX-{vocab.weekday(m.group('wd')) + 1}{part}"
        else:
            value = f"XXXX-{vocab.month(m.group('m')):02d}"
        found.append((m.start(), m.end(), Timex(type="SET", value=value)))
    out: list[TimeReference] = []
    for start, end, timex in sorted(found, key=lambda f: f[0]):
        i = bisect.bisect_left(taken, (end, end))
        if (i > 0 and taken[i - 1][1] > start) or any(n in starts for n in range(end, min(end + 3, len(text) + 1))):
            continue  # inside a date, or the frame of the one right after it
        if out and start < out[-1].end:
            continue
        out.append(TimeReference(start=start, end=end, text=text[start:end], timex=timex))
    return out


# --------------------------------------------------------------------------- timestamps

_TIMESTAMP_FORMS = ("iso", "cjk", "numeric", "mdy", "dmy")


def parse_timestamp(line: str, order: Order | None = None) -> dt.date | None:
    """The full calendar date in one metadata line of a page, or None.

    Reads "Published: 2025-01-14 10:32", "Updated: Jan 14, 2025 09:23 PM", "14/01/2025",
    "By Jane Doe | 14 January 2025", "2025-09-12T08:00:00Z". A date without a year (the
    dateline "BEIJING, Nov 11 (Reuters) -") is not a full date: None. `order` is the site's
    day/month order for numeric dates; unknown, an ambiguous one is read month first.
    """
    line = line[:1000]
    vocab = shipped_vocabulary()
    forms = {f.name: f.pattern for f in _compiled(vocab)}
    ctx = Context(line, None, order, order is None, [(0, len(line))], vocab)
    hits: list[Candidate] = []
    for form in _TIMESTAMP_FORMS:
        try:
            hits.extend(Candidate(m.start(), m.end(), form, m) for m in forms[form].finditer(line, timeout=SEARCH_TIMEOUT))
        except TimeoutError:
            continue
    for cand in sorted(hits, key=lambda c: (c.start, c.start - c.end)):
        res = _READERS[cand.form](cand.match, ctx)
        if res is not None and res.value is not None:
            return dt.date.fromisoformat(res.value)
    return None
