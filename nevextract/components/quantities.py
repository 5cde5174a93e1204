"""The quantities component: every number in an article, as value, unit, kind and meaning.

How it reads a text:
1. Special forms first: multipliers ("threefold", "four times"), fractions ("two-thirds",
   "a third of") and "half"; their words are then not read again as plain numbers.
2. Number cores: digits with separators and magnitudes ("9.625 million", "$3bn", "1 200")
   and number words ("five", "twenty-three", "half a million").
3. Around each core, outwards: a currency prefix, a sign, a qualifier ("more than"),
   a range opener ("between"), a change verb ("rose"); after it a percent sign, a
   currency word, a unit from `patterns/units.yaml`, a counted noun ("engines"), a rate
   ("per year"), the basis of a change ("year-on-year") and a range's upper end.
4. What is not a quantity is dropped: years, ordinals, dates, phone numbers, list numbers
   and the other `exclude` patterns, and product names ("Model 3"), which are only kept
   when the statistical model also calls the number a quantity.

The statistical model's MONEY/PERCENT/QUANTITY/CARDINAL entities never decide a value:
in `statistical` mode they choose which numbers are read (by the same grammar); in
`hybrid` mode they rescue numbers after a capitalised word and veto bare numbers the model
calls a date, ordinal or name.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

import regex
from spacy.language import Language
from spacy.tokens import Doc

from nevextract.nlp import text_of
from nevextract.normalize.numbers import (
    DIGITS_PATTERN,
    MAGNITUDE_ABBREVS,
    MAGNITUDE_WORDS,
    ORDINALS,
    TENS_WORDS,
    UNITS_WORDS,
    parse_number,
    word_number,
)
from nevextract.normalize.sentences import SENTENCE_END
from nevextract.normalize.units import UnitEntry, Vocabulary, alternation, is_plural, load_vocabulary
from nevextract.patterns import pattern_dirs
from nevextract.records import Change, Quantity

NUMERIC_LABELS = frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL"})
# OntoNotes files durations ("four weeks", "24 hours") under DATE and TIME.
DURATION_LABELS = frozenset({"DATE", "TIME"})
# Labels under which the model's opinion vetoes a bare number the rules were unsure of.
VETO_LABELS = frozenset({"DATE", "TIME", "ORDINAL", "PRODUCT", "LAW", "EVENT", "WORK_OF_ART", "FAC"})

if not Doc.has_extension("nev_quantities"):  # also usable without nevextract.nlp
    Doc.set_extension("nev_quantities", default=None)
if not Doc.has_extension("nev_source_profile"):
    Doc.set_extension("nev_source_profile", default=None)

REGEX_TIMEOUT = 5.0  # seconds, for patterns that run over a whole text

# --------------------------------------------------------------------------- closed classes

# Function words: a counted noun phrase never runs across one, and a capitalised one
# before a number is a sentence start, not a product name. A closed grammatical class.
FUNCTION_WORDS = frozenset(
    """a an the this that these those its their his her our your my some any each every all
    both either neither no of in on at by for to from with without into onto over under
    above below between among across along around about after before during since until
    within through per via than as and or but nor so yet if while when where which who whom
    whose what that there here is are was were be been being am has have had having do does
    did will would shall should can could may might must it they them he she we you i us
    him me respectively including excluding against toward towards upon versus vs also
    only just even still already more less most least out up down off away ago again ahead
    behind back then now such other another same own per cent percent compared
    this those""".split()
)
# Words that may stand between a number and its noun ("3,000 more charging piles").
RUN_CONTINUE = frozenset({"more", "additional", "extra", "further", "fewer", "less", "other", "new"})
POSSESSIVE = regex.compile(r"['’]s$")

_NUMWORDS = sorted(
    list(UNITS_WORDS) + list(TENS_WORDS) + ["hundred", "dozen"] + list(MAGNITUDE_WORDS),
    key=len, reverse=True,
)
_NUMWORD_ALT = "|".join(dict.fromkeys(_NUMWORDS))
_MAG_WORD_ALT = "|".join(sorted(MAGNITUDE_WORDS, key=len, reverse=True))
_ABBR_SPACED = "|".join(a for a in sorted(MAGNITUDE_ABBREVS, key=len, reverse=True) if len(a) > 1)
_ABBR_ATTACHED = "|".join(sorted(MAGNITUDE_ABBREVS, key=len, reverse=True))

_DIGITS_NO_SPACE = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"


def _core_pattern(digits: str, letter_prefixes: str = "") -> regex.Pattern[str]:
    """Digits (with a magnitude) or a run of number words; linear: every repeat is bounded
    and starts with a fixed separator. Digits may touch a currency code ("RMB45,000") but
    no other letters ("SU7", "T03")."""
    touching = r"|(?<=(?<![\p{L}])(?:" + letter_prefixes + r"))" if letter_prefixes else ""
    return regex.compile(
        r"(?:(?<![\p{L}\p{N}_]|\p{L}-|\d[.,+/:])" + touching + r")(?![\d,.]*[/:]\d)"
        r"(?:(?P<digits>" + digits + r")"
        r"(?:(?P<magsep>[\s\u00a0-]?)(?P<mag>" + _MAG_WORD_ALT + r")(?![\p{L}])"
        r"|\s?(?P<abbr>" + _ABBR_SPACED + r")(?![\p{L}\p{N}])"
        r"|(?P<abbr2>" + _ABBR_ATTACHED + r")(?![\p{L}\p{N}]))?"
        r"|(?P<words>(?:(?:half\s)?an?\s(?=(?:dozen|" + _MAG_WORD_ALT + r")\b))?"
        # "and" only after a group word ("one hundred and twenty"): "ten and twenty" is two numbers
        r"(?:" + _NUMWORD_ALT + r")(?:(?:\s|-)(?:(?<=(?i:hundred|thousand|million|billion)\s)and\s)?(?:"
        + _NUMWORD_ALT + r")){0,8})"
        r"(?![\p{L}]))",
        regex.IGNORECASE,
    )


COMMA_GROUPED = regex.compile(r"\d,\d{3}(?!\d)")

_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
    "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
    "tenth": 10, "tenths": 10,
}
# a number word glued to a noun by a hyphen, with nothing else: "two-wheelers"
_WORD_COMPOUND = regex.compile(r"\p{L}+-\p{L}+")
# "fell by a fifth", "rise by nearly a third": a fraction as the size of a change
# ... but only when no noun follows ("by a third party" is an ordinal)
_BY_BEFORE = regex.compile(r"\bby\s{1,3}(?:\p{L}+\s{1,3})?$", regex.IGNORECASE)
_BY_AFTER = regex.compile(
    r"\s*(?:[^\p{L}\s]|$|(?:from|this|last|next|in|on|at|since|over|to|as|and|or|compared|year|month|quarter|while|after|before|but)\b)",
    regex.IGNORECASE,
)
FRACTION_RE = regex.compile(
    r"(?<![\p{L}-])(?P<n>an?|one|two|three|four|five|six|seven|eight|nine|ten)(?P<sep>[\s-])"
    r"(?P<d>" + "|".join(sorted(_DENOMINATORS, key=len, reverse=True)) + r")(?![\p{L}-])"
    r"(?P<of>\s{1,3}of\b)?",
    regex.IGNORECASE,
)
# "1/40 of the light": a fraction of a whole, in digits.
DIGIT_FRACTION_RE = regex.compile(r"(?<![\d/.,])(?P<a>\d{1,3})/(?P<b>\d{1,3})(?![\d/])(?P<of>\s{1,3}of\b)?")
HALF_RE = regex.compile(r"(?<![\p{L}-])half(?![\p{L}-])", regex.IGNORECASE)
HALF_AFTER_OK = regex.compile(r"\s{1,3}(?:of|the|its|their|that|this|what|all)\b", regex.IGNORECASE)
HALF_BEFORE_OK = regex.compile(r"(?<![\p{L}])(?:by|than)\s{1,3}$", regex.IGNORECASE)
HALF_BEFORE_NOT = regex.compile(
    r"(?<![\p{L}])(?:first|second|latter|last|next|this|the|a|one|in|and|previous|each|every)\s{1,3}$",
    regex.IGNORECASE,
)
TIMES_RE = regex.compile(
    r"(?<![\p{L}\p{N}-])(?P<n>\d+(?:\.\d+)?|" + "|".join(sorted(list(UNITS_WORDS) + list(TENS_WORDS), key=len, reverse=True))
    + r")(?:\s?-?\s?fold|\s{1,2}times|x)(?![\p{L}\p{N}])",
    regex.IGNORECASE,
)
ORDINAL_AFTER = regex.compile(
    r"(?:st|nd|rd|th)(?![\p{L}])|[\s-]?(?:" + _MAG_WORD_ALT + r")th\b|-(?:"
    + "|".join(sorted(ORDINALS, key=len, reverse=True)) + r")\b",
    regex.IGNORECASE,
)
YEAR_DIGITS = regex.compile(r"(?:18|19|20|21)\d{2}")
WORD_RE = regex.compile(r"[\s\u00a0]{1,2}(?P<w>[\p{L}][\p{L}\p{N}'’]*(?:-[\p{L}\p{N}]+){0,3})")
HYPHEN_WORD_RE = regex.compile(r"-(?P<w>[\p{L}][\p{L}\p{N}]*)")
PREV_WORD_RE = regex.compile(r"(?P<w>[\p{L}][\p{L}\p{N}.&'’-]*) $")
MINUS_RE = regex.compile(r"(?<![\p{L}])(?:minus|negative)\s{1,3}$", regex.IGNORECASE)
NEGATIVE_SIGN = regex.compile(r"(?:^|[\s(])[-−]$")
RANGE_OPEN_RE = regex.compile(r"(?<![\p{L}])(?P<w>between|from)\s{1,3}$", regex.IGNORECASE)
RANGE_LINK_RE = regex.compile(
    r"\s{0,2}[-–—]\s{0,2}(?:to\s{1,2})?|\s{1,2}(?P<w>to|and)\s{1,2}", regex.IGNORECASE
)
BETWEEN_LINKS = ("and", "to")  # links that pair with an opener ("between 5 and 8")
NOUN_RUN_MAX = 4
WINDOW = 60


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Core:
    """A bare number: where it is and what it is worth."""

    start: int
    end: int
    value: float
    digits: str | None  # the digits as written, for digit cores
    scaled: bool  # a magnitude was applied
    abbr: str | None  # the magnitude abbreviation, if one was read ("m", "bn")
    words: bool  # written in words


@dataclass(frozen=True)
class Candidate:
    """A quantity being built; `strength` says how sure the grammar is it is one:
    strong (it has a unit, currency, percent or counted noun), weak (a bare number) or
    doubtful (a bare number after a capitalised word: maybe a product name)."""

    start: int
    end: int
    core_start: int
    core_end: int
    value: float
    unit: str
    kind: str
    strength: str = "strong"
    qualifier: str | None = None
    value_max: float | None = None
    per: str | None = None
    direction: str | None = None
    basis: str | None = None
    basis_end: int | None = None  # where a basis phrase after the quantity ends
    bare: bool = False


@dataclass
class _Suffix:
    """What follows a number: its unit and where the quantity's text ends."""

    end: int
    unit: str | None = None
    kind: str | None = None
    currency: str | None = None
    noun: bool = False
    scale: float = 1.0  # the value's factor: 0.01 after a subunit ("50 cents" is 0.50 USD)


def _compound_noun(text: str, c: Candidate) -> bool:
    """A count read from a number word glued to a noun ("two-wheelers", "three-door") is the
    noun, not a quantity; "twenty-five" is a number."""
    m = _WORD_COMPOUND.fullmatch(text, c.start, c.end)
    return bool(m) and c.kind == "count" and word_number(text[c.start:c.end].split("-", 1)[1]) is None


class QuantityFinder:
    """spaCy component: sets `doc._.nev_quantities` to a list of `Quantity` records."""

    def __init__(self, use_rules: bool = True, use_model: bool = True, patterns: Iterable[str] = ()) -> None:
        self.use_rules = use_rules
        self.use_model = use_model
        self.vocab: Vocabulary = load_vocabulary(pattern_dirs(list(patterns)))
        self._verbs: frozenset[int] = frozenset()
        self._compile()

    # ----------------------------------------------------------------- patterns from data
    def _compile(self) -> None:
        v = self.vocab
        ci = regex.IGNORECASE
        prefixes = alternation(v.currency_prefixes)
        lettered = alternation(p for p in v.currency_prefixes if regex.search(r"\p{L}$", p))
        self._core_re = _core_pattern(DIGITS_PATTERN, lettered)
        self._core_re_no_space = _core_pattern(_DIGITS_NO_SPACE, lettered)
        self._prefix_re = regex.compile(r"(?<![\p{L}])(?P<p>" + prefixes + r")[\s\u00a0]?$")
        self._particle_re = regex.compile(r"(?<![\p{L}])(?:" + alternation(v.particles) + r")$", ci)
        self._qual_re = regex.compile(r"(?<![\p{L}])(?P<q>" + alternation(v.qualifiers) + r")\s{1,3}$", ci)
        self._change_before_re = regex.compile(
            r"(?<![\p{L}])(?P<c>" + alternation(v.change_before) + r")\s{1,3}"
            r"(?:(?:[\p{L}'’-]{1,25}\s{1,2}){0,3}by\s{1,3}|by\s{1,3}|of\s{1,3})?$",
            ci,
        )
        self._percent_re = regex.compile(r"(?:[\s\u00a0]{0,2}|-)(?P<x>" + alternation(v.percents) + r")(?![\p{L}])", ci)
        # a symbol may be glued to the number ("1,200€"); a word needs a space or hyphen
        self._cur_word_re = regex.compile(
            r"(?:[\s\u00a0]{1,2}|-)(?P<x>" + alternation(v.currency_words) + r")(?![\p{L}])"
            r"|(?P<x>" + alternation(w for w in v.currency_words if not regex.search(r"\p{L}", w)) + r")(?![\p{L}])",
            ci,
        )
        self._unit_re = regex.compile(
            r"(?:[\s\u00a0]{0,2}|-)(?P<x>" + alternation(v.units) + r")(?![\p{L}\p{N}])", ci
        )
        self._unit_exact_re = regex.compile(
            r"(?:[\s\u00a0]{0,2}|-)(?P<x>" + alternation(v.units_exact) + r")(?![\p{L}\p{N}])"
        )
        self._basis_re = regex.compile(r"[\s,]{1,3}(?P<x>" + alternation(v.bases) + r")(?![\p{L}])", ci)
        self._change_after_re = regex.compile(
            r"[\s\u00a0]{1,2}(?P<x>" + alternation(v.change_after) + r")(?![\p{L}])", ci
        )
        per_units = [f for f, e in v.units.items() if e.per_ok]
        self._per_re = regex.compile(
            # a unit of several words first ("per square foot"), then any one word
            r"(?:[\s\u00a0]{1,2}(?:per|each|every)\s{1,2}|/)(?P<x>" + alternation(v.units) + r")(?![\p{L}])"
            r"|(?:[\s\u00a0]{1,2}(?:per|each|every)\s{1,2}|/)(?P<x>[\p{L}][\p{L}/-]{0,30})"
            r"|[\s\u00a0]{1,2}an?\s{1,2}(?P<x>" + alternation(per_units) + r")(?![\p{L}])"
            r"(?!\s{1,3}(?:earlier|ago|later|before|after|on|in|from)\b)",
            ci,
        )
        self._rate_re = regex.compile(
            r"[\s\u00a0]{1,2}(?P<x>" + alternation(v.rates) + r")(?![\p{L}])"
            r"(?!\s{1,3}(?:earlier|ago|later|before|after|on|in|from)\b)",
            ci,
        )
        self._multiplier_re = regex.compile(
            r"(?<![\p{L}-])(?P<x>" + alternation(v.multipliers) + r")(?![\p{L}-])", ci
        )

    # ----------------------------------------------------------------- spaCy entry point
    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        candidates = self.candidates(text, _china(doc), _verb_starts(doc))
        doc._.nev_quantities = [self._record(text, c) for c in self._select(doc, candidates)]
        return doc

    def _select(self, doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
        """Keep candidates by mode: the grammar alone, the model alone, or both."""
        text = text_of(doc)
        candidates = [c for c in candidates if not _compound_noun(text, c)]
        if not self.use_model:
            return [c for c in candidates if c.strength != "doubtful"] if self.use_rules else []
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]  # sorted, never overlapping
        starts = [s for s, _, _ in ents]
        kept = []
        for c in candidates:
            labels = _labels_over(ents, starts, c.core_start, c.core_end)
            numeric = bool(labels & NUMERIC_LABELS) or (c.kind == "duration" and bool(labels & DURATION_LABELS))
            if not self.use_rules:
                keep = numeric
            elif c.strength == "doubtful":
                keep = numeric
            elif c.strength == "weak":
                # A model DATE/ORDINAL label does not veto "15,870": no date or rank is written
                # with a thousands separator (the model's spans often run past a date phrase).
                keep = numeric or not (labels & VETO_LABELS) or _THOUSANDS.search(text, c.core_start, c.core_end) is not None
            else:
                keep = True
            if keep:
                kept.append(c)
        return kept

    def _record(self, text: str, c: Candidate) -> Quantity:
        change = None
        if c.direction and c.kind == "percent":
            change = Change(direction=c.direction, basis=c.basis)  # type: ignore[arg-type]
        return Quantity(
            start=c.start, end=c.end, text=text[c.start:c.end], value=c.value, unit=c.unit,
            kind=c.kind, qualifier=c.qualifier, value_max=c.value_max, per=c.per, change=change,  # type: ignore[arg-type]
            unit_inferred=c.bare and c.unit != "unit",  # a bare number that took its neighbour's unit
        )

    # ----------------------------------------------------------------- the grammar
    def candidates(
        self, text: str, china: bool | None = None, verbs: frozenset[int] = frozenset()
    ) -> list[Candidate]:
        """Every quantity the grammar reads in `text`, in order, with a strength each.
        `verbs` holds the start offsets of tokens a tagger called verbs, when there is one:
        a counted noun phrase stops before them ("a 1.5m gap separates")."""
        self._verbs = verbs
        excluded = _SpanSet(self._excluded_spans(text))
        special = self._special_forms(text)
        taken = _SpanSet((c.core_start, c.core_end) for c in special)
        cores = [c for c in self._cores(text) if not taken.overlaps(c.start, c.end)]
        out = list(special)
        used: set[int] = set()
        for i, core in enumerate(cores):
            if i in used:
                continue
            if excluded.overlaps(core.start, core.end):
                continue
            built = self._build(text, cores, i, used, china)
            if built is not None:
                out.append(built)
        out.sort(key=lambda c: c.start)
        out = _dedupe(out)
        return self._finish(text, out)

    def _excluded_spans(self, text: str) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for _name, pattern in self.vocab.excludes:
            try:
                spans.extend(m.span() for m in pattern.finditer(text, timeout=REGEX_TIMEOUT))
            except TimeoutError:
                continue
        return spans

    def _cores(self, text: str) -> list[Core]:
        pattern = self._core_re_no_space if COMMA_GROUPED.search(text) else self._core_re
        cores = []
        for m in pattern.finditer(text, timeout=REGEX_TIMEOUT):
            core = _core_from_match(m)
            if core is not None:
                cores.append(core)
        return cores

    # ---- special forms: multipliers, fractions, half
    def _special_forms(self, text: str) -> list[Candidate]:
        found: list[Candidate] = []
        for m in self._multiplier_re.finditer(text, timeout=REGEX_TIMEOUT):
            value = self.vocab.multipliers.get(_key(m.group("x")))
            if value is not None:
                found.append(self._simple(text, m.start(), m.end(), value, "times", "other"))
        words = _SpanSet((c.core_start, c.core_end) for c in found)
        for m in TIMES_RE.finditer(text, timeout=REGEX_TIMEOUT):
            value = parse_number(m.group("n"))
            if value is not None and not words.overlaps(m.start(), m.end()):
                found.append(self._simple(text, m.start(), m.end(), value, "times", "other"))
        for m in FRACTION_RE.finditer(text, timeout=REGEX_TIMEOUT):
            by = _BY_BEFORE.search(text[max(0, m.start() - 30):m.start()]) and _BY_AFTER.match(text, m.end("d"))
            if m.group("sep") != "-" and not m.group("of") and not m.group("d").lower().endswith("s") and not by:
                continue  # "a third plant" is an ordinal; "a third of", "two thirds", "by a third" are fractions
            numerator = 1.0 if m.group("n").lower() in ("a", "an") else parse_number(m.group("n")) or 0.0
            share = numerator / _DENOMINATORS[m.group("d").lower()]
            unit = None if m.group("of") else self._unit_after(text, m.end("d"))
            if unit is not None:  # "one-half miles": a fraction of a unit, not a share
                found.append(self._simple(text, m.start(), unit[1], round(share, 6), unit[0].unit, unit[0].kind))
            else:
                found.append(self._simple(text, m.start(), m.end("d"), round(share * 100, 2), "percent", "percent"))
        for m in DIGIT_FRACTION_RE.finditer(text, timeout=REGEX_TIMEOUT):
            if m.group("of") and int(m.group("b")) > 0:
                value = round(int(m.group("a")) / int(m.group("b")) * 100, 2)
                found.append(self._simple(text, m.start(), m.end("b"), value, "percent", "percent"))
        words = _SpanSet((c.core_start, c.core_end) for c in found)
        for m in HALF_RE.finditer(text, timeout=REGEX_TIMEOUT):
            before = text[max(0, m.start() - WINDOW):m.start()]
            if words.overlaps(m.start(), m.end()):
                continue
            if HALF_BEFORE_NOT.search(before):
                continue
            bounded = HALF_BEFORE_OK.search(before) or self._qual_re.search(before)
            if not bounded and not HALF_AFTER_OK.match(text, m.end()):
                continue
            found.append(self._simple(text, m.start(), m.end(), 50.0, "percent", "percent"))
        return found

    def _simple(self, text: str, start: int, end: int, value: float, unit: str, kind: str) -> Candidate:
        qual, qstart = self._qualifier_before(text, start)
        return Candidate(start=qstart, end=end, core_start=start, core_end=end, value=value,
                         unit=unit, kind=kind, qualifier=qual)

    # ---- one number core, read outwards
    def _build(self, text: str, cores: list[Core], i: int, used: set[int], china: bool | None) -> Candidate | None:
        core = cores[i]
        if ORDINAL_AFTER.match(text, core.end):
            return None
        start = core.start
        value = core.value
        currency, start = self._currency_prefix(text, start, china)
        value, start = _signed(text, core, value, start)
        suffix = self._suffix(text, core, currency)
        if _is_year(core) and currency is None and (suffix.unit is None or suffix.noun):
            return None  # "in 2024", "the 2025 target": dates, not quantities
        if core.abbr == "m" and currency is None and (
            suffix.unit is None or (suffix.noun and not self._plural_next(text, core.end))
        ):
            core, suffix = self._as_metres(core)
            value = core.value
        value_max = None
        upper = self._range_end(text, cores, i, suffix, start)
        if upper is not None:
            j, upper_suffix, upper_value, opener_start = upper
            start = min(start, opener_start)
            used.add(j)
            value = _scale_lower(core, value, cores[j])
            value_max = upper_value
            suffix = upper_suffix
            currency = currency or upper_suffix.currency
        if _glued_to_letters(text, core, suffix):
            return None
        if self._not_a_quantity(text, core, suffix, currency, value_max):
            return None
        qualifier, qstart = self._qualifier_before(text, start)
        unit, kind, strength = self._unit_kind(text, core, suffix, currency, qstart)
        if core.words and core.value == 1 and strength != "strong":
            return None  # "one of the largest": a pronoun, not a count
        end = suffix.end
        per, end = self._per(text, end)
        if suffix.scale != 1.0:
            value = round(value * suffix.scale, 10)
            value_max = round(value_max * suffix.scale, 10) if value_max is not None else None
        if value_max is not None and value_max < value:
            value, value_max = value_max, value
        return Candidate(
            start=qstart, end=end, core_start=core.start, core_end=core.end, value=value, unit=unit,
            kind=kind, strength=strength, qualifier=qualifier, value_max=value_max, per=per,
            bare=suffix.unit is None and not currency,
        )

    def _as_metres(self, core: Core) -> tuple[Core, _Suffix]:
        """"1.5m" with no currency and no counted noun after it is a length, not a million."""
        metres = replace(core, value=core.value / MAGNITUDE_ABBREVS["m"], scaled=False, abbr=None)
        return metres, _Suffix(core.end, "m", "length")

    def _currency_prefix(self, text: str, start: int, china: bool | None) -> tuple[str | None, int]:
        m = self._prefix_re.search(text[max(0, start - 8):start])
        if not m:
            return None, start
        entry = self.vocab.currency_for_prefix(m.group("p"), text, china)
        if entry is None:
            return None, start
        return entry.code, start - (len(m.group(0)))

    def _qualifier_before(self, text: str, start: int) -> tuple[str | None, int]:
        window = text[max(0, start - WINDOW):start]
        m = self._qual_re.search(window)
        if not m or self._particle_re.search(window[: m.end("q")]):
            return None, start
        return self.vocab.qualifiers.get(_key(m.group("q"))), start - (len(window) - m.start("q"))

    def _suffix(self, text: str, core: Core, currency: str | None) -> _Suffix:
        pos = core.end
        if currency is not None:
            return _Suffix(pos, currency, "money", currency=currency)
        m = self._percent_re.match(text, pos)
        if m:
            return _Suffix(m.end(), self.vocab.percents[_key(m.group("x"))], "percent")
        unit = self._unit_after(text, pos)
        m = self._cur_word_re.match(text, pos)
        # the longer reading wins: "275 pound-feet" is torque, not 275 pounds sterling
        if m and (unit is None or m.end() >= unit[1]):
            money = self.vocab.currency_for_word(m.group("x"))
            if money is not None:
                return _Suffix(m.end(), money.code, "money", currency=money.code, scale=money.scale)
        if unit is not None:
            entry, end = unit
            return _Suffix(end, entry.unit, entry.kind)
        return self._noun_after(text, pos)

    def _unit_after(self, text: str, pos: int) -> tuple[UnitEntry, int] | None:
        best: tuple[UnitEntry, int] | None = None
        for pattern in (self._unit_re, self._unit_exact_re):
            m = pattern.match(text, pos)
            if not m:
                continue
            entry = self.vocab.unit(m.group("x"))
            if entry is None:
                continue
            if best is None or m.end() > best[1]:
                best = (entry, m.end())
        return best

    def _noun_after(self, text: str, pos: int) -> _Suffix:
        """A counted noun: the first plural in a short run of content words after the number
        ("95,000 new energy passenger cars were" -> cars), or a hyphenated noun ("a 5-star")."""
        m = HYPHEN_WORD_RE.match(text, pos)
        if m:
            return _Suffix(m.end(), self.vocab.noun_unit(m.group("w"), m.group("w")), "count", noun=True)
        at = pos
        for _ in range(NOUN_RUN_MAX):
            m = WORD_RE.match(text, at)
            if not m or (m.group("w").lower() in FUNCTION_WORDS and m.group("w").lower() not in RUN_CONTINUE):
                break
            if m.start("w") in self._verbs:
                break
            at = m.end()
            if self._is_count_noun(m.group("w")):
                head, at = self._last_of_plural_run(text, m.group("w"), at)
                unit = self.vocab.unit(head)
                if unit is not None:  # "10 consecutive years": a unit after an adjective
                    return _Suffix(at, unit.unit, unit.kind)
                return _Suffix(at, self.vocab.noun_unit(text[pos:at], head), "count", noun=True)
        return _Suffix(pos)

    def _plural_next(self, text: str, pos: int) -> bool:
        """Whether the first content word after `pos` is a counted noun ("1.2m cars")."""
        for _ in range(NOUN_RUN_MAX):
            m = WORD_RE.match(text, pos)
            if not m or m.group("w").lower() not in RUN_CONTINUE:
                return bool(m) and self._is_count_noun(m.group("w"))  # type: ignore[union-attr]
            pos = m.end()
        return False

    def _is_count_noun(self, word: str) -> bool:
        return word.lower() not in FUNCTION_WORDS and (is_plural(word) or _key(word) in self.vocab.nouns)

    def _last_of_plural_run(self, text: str, head: str, at: int) -> tuple[str, int]:
        """"parts enterprises": a plural noun modifying another; the last one is the head."""
        for _ in range(NOUN_RUN_MAX):
            m = WORD_RE.match(text, at)
            if not m or not self._is_count_noun(m.group("w")) or m.start("w") in self._verbs:
                break
            head, at = m.group("w"), m.end()
        return head, at

    def _range_end(
        self, text: str, cores: list[Core], i: int, suffix: _Suffix, start: int
    ) -> tuple[int, _Suffix, float, int] | None:
        """The upper end of a range: "19-22 weeks", "between 20% and 30%", "from 8 to 16",
        "8- to 16-meter". A lower end with a unit of its own only pairs after "between"."""
        if i + 1 >= len(cores):
            return None
        window_start = max(0, start - 20)
        opener = RANGE_OPEN_RE.search(text[window_start:start])
        # a unit written after the lower end ("20% and 30%"); a currency sign before it does not count
        has_unit = suffix.unit is not None and not suffix.noun and suffix.end > cores[i].end
        link = RANGE_LINK_RE.match(text, suffix.end if has_unit else cores[i].end)
        upper = cores[i + 1]
        if not link or not self._links_to(text, link.end(), upper.start):
            return None
        word = (link.group("w") or "-").lower()
        if word == "and" and not opener:
            return None
        if word == "to" and _BY_BEFORE.search(text[max(0, start - 30) : start]):
            return None  # "cut the price by $3,500 to $44,990": a change, then a new level
        between = bool(opener and opener.group("w").lower() == "between")
        if has_unit and not between and not (word == "-" and self._same_unit_after(text, upper, suffix)):
            return None
        if ORDINAL_AFTER.match(text, upper.end) or _is_year(upper):
            return None
        if word == "-" and cores[i].words and upper.words and upper.value < cores[i].value:
            return None  # "fifty - two" is one number written with a spaced hyphen, no range
        upper_currency, _ = self._currency_prefix(text, upper.start, None)
        upper_suffix = self._suffix(text, upper, upper_currency)
        if upper_suffix.unit is None and suffix.currency:
            upper_suffix = replace(suffix, end=upper_suffix.end)
        elif has_unit and upper_suffix.unit is None:
            upper_suffix = replace(suffix, end=upper.end)
        opener_start = window_start + opener.start() if opener and word in BETWEEN_LINKS else start
        return i + 1, upper_suffix, upper.value, opener_start

    def _links_to(self, text: str, pos: int, upper_start: int) -> bool:
        """The range link ends at the upper number, or at a currency sign before it ("€1bn-€2bn")."""
        if pos == upper_start:
            return True
        between = text[pos:upper_start]
        return len(between) <= 4 and bool(self._prefix_re.fullmatch(between))

    def _same_unit_after(self, text: str, upper: Core, suffix: _Suffix) -> bool:
        """"5%-10%": a dash between two numbers with the same unit is a range."""
        other = self._suffix(text, upper, None)
        return other.unit == suffix.unit

    def _not_a_quantity(
        self, text: str, core: Core, suffix: _Suffix, currency: str | None, value_max: float | None
    ) -> bool:
        """Years (a bare four-digit number in year range) are dates; so are ranges of them."""
        if currency or (suffix.unit is not None and not suffix.noun):
            return False
        if _is_year(core):
            return True
        if core.words and core.value == 0:
            return True  # "zero-emission"
        return False

    def _unit_kind(
        self, text: str, core: Core, suffix: _Suffix, currency: str | None, start: int
    ) -> tuple[str, str, str]:
        if suffix.kind is not None and not suffix.noun:
            return suffix.unit or "unit", suffix.kind, "strong"
        prev = PREV_WORD_RE.search(text[max(0, start - 40):start])
        doubtful = prev is not None and _looks_like_name(prev.group("w"), self.vocab)
        if suffix.noun:
            return suffix.unit or "unit", "count", "doubtful" if doubtful else "strong"
        return "unit", "count", "doubtful" if doubtful else "weak"

    def _per(self, text: str, end: int) -> tuple[str | None, int]:
        rate = self._rate_re.match(text, end)
        if rate:
            return self.vocab.rates[_key(rate.group("x"))], rate.end()
        m = self._per_re.match(text, end)
        if not m:
            return None, end
        word = m.group("x")
        if _key(word) in self.vocab.percents or word.lower() in ("cent",):
            return None, end
        entry = self.vocab.unit(word)
        per = entry.unit if entry is not None else self.vocab.noun_unit(word, word)
        return per, m.end()

    # ---- after all candidates are read: change, basis, bare counts' units
    def _finish(self, text: str, cands: list[Candidate]) -> list[Candidate]:
        """Changes for percentages; units for bare numbers: a bare number takes the unit of
        the nearest count or sum of money before it in the same sentence ("ten countries
        backed it, five opposed it and 12 abstained" -> country; "lost 5.3 billion yuan,
        against 4.7 billion a year earlier" -> CNY)."""
        out: list[Candidate] = []
        last_count: Candidate | None = None
        scanned = 0
        for c in cands:
            if c.kind == "percent":
                c = self._change(text, c)
            if last_count is not None and SENTENCE_END.search(text, max(scanned, last_count.end), max(c.start, scanned)):
                last_count = None
            scanned = max(scanned, c.start)
            if c.bare and c.kind == "count":
                if last_count is not None:
                    c = replace(c, unit=last_count.unit, kind=last_count.kind)
            elif c.kind in ("count", "money"):
                last_count = c
            else:
                last_count = None  # "$1.65 billion over three years to convert two ...": the parallel is broken
            out.append(c)
        return _share_change(text, out)

    def _change(self, text: str, c: Candidate) -> Candidate:
        direction = None
        window = text[max(0, c.start - WINDOW):c.start]
        m = self._change_before_re.search(window)
        if m and not self._particle_re.search(window[: m.end("c")]):
            direction = self.vocab.change_before.get(_key(m.group("c")))
        end = c.end
        basis = None
        b = self._basis_re.match(text, end)
        if b:
            basis = self.vocab.bases.get(_key(b.group("x")))
            end = b.end()
        a = self._change_after_re.match(text, c.end)
        if direction is None and a:
            direction = self.vocab.change_after.get(_key(a.group("x")))
        return replace(c, direction=direction, basis=basis, basis_end=end if basis else None)


# --------------------------------------------------------------------------- helpers


_THOUSANDS = regex.compile(r"\d[,\u202f ]\d{3}(?!\d)")


def _key(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


def _labels_over(ents: list[tuple[int, int, str]], starts: list[int], start: int, end: int) -> set[str]:
    """Labels of the entities overlapping start..end (entities are sorted and disjoint)."""
    labels = set()
    i = bisect.bisect_left(starts, end) - 1
    while i >= 0 and ents[i][1] > start:
        labels.add(ents[i][2])
        i -= 1
    return labels


class _SpanSet:
    """Spans sorted by start, for overlap tests in log time on long texts."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]
        # the furthest end among spans up to each index: a span can hide behind a short one
        self.reach: list[int] = []
        furthest = -1
        for _, e in self.spans:
            furthest = max(furthest, e)
            self.reach.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end) - 1  # last span starting before `end`
        return i >= 0 and self.reach[i] > start


def _core_from_match(m: regex.Match[str]) -> Core | None:
    if m.group("digits") is not None:
        digits = m.group("digits")
        base = parse_number(digits)
        if base is None or not math.isfinite(base * 1e12):
            return None  # no news figure overflows a float, even times a trillion
        word = m.group("mag") or m.group("abbr") or m.group("abbr2")
        factor = 1.0
        if word:
            factor = MAGNITUDE_WORDS.get(word.lower()) or MAGNITUDE_ABBREVS.get(word.lower(), 1.0)
        abbr = (m.group("abbr") or m.group("abbr2") or "").lower() or None
        return Core(m.start(), m.end(), base * factor, digits, word is not None, abbr, False)
    words = m.group("words")
    value = parse_number(words) if words else None
    if value is None:
        return None
    scaled = any(w in words.lower() for w in MAGNITUDE_WORDS)
    return Core(m.start(), m.end(), value, None, scaled, None, True)


def _signed(text: str, core: Core, value: float, start: int) -> tuple[float, int]:
    """A sign before the number: "-3.2%", "minus 40 degrees"; the span takes it in."""
    if core.digits is not None and NEGATIVE_SIGN.search(text[max(0, start - 2):start]):
        return -value, start - 1
    window_start = max(0, start - 20)
    m = MINUS_RE.search(text[window_start:start])
    if m:
        return -value, window_start + m.start()
    return value, start


def _is_year(core: Core) -> bool:
    """Four plain digits from 1800 to 2199: a year unless a unit says otherwise."""
    return core.digits is not None and not core.scaled and bool(YEAR_DIGITS.fullmatch(core.digits))


def _glued_to_letters(text: str, core: Core, suffix: _Suffix) -> bool:
    """Digits running into letters that are no unit ("5G", "4S", "3D", "0x1F") are a name."""
    if core.end >= len(text) or not text[core.end].isalpha():
        return False
    return suffix.unit is None or suffix.noun or suffix.end == core.end


def _scale_lower(lower: Core, value: float, upper: Core) -> float:
    """"1.2 to 1.5 million", "$3-4 billion": the lower end borrows the upper end's magnitude."""
    if lower.scaled or not upper.scaled or upper.digits is None:
        return value
    upper_base = parse_number(upper.digits) or 0.0
    if upper_base and abs(lower.value) <= upper_base:
        return value * (upper.value / upper_base)
    return value


def _looks_like_name(word: str, vocab: Vocabulary) -> bool:
    """A word with a capital before a number that makes it part of a name ("Model 3",
    "ADS 4.0", "iPhone 16"), unless it is a function word, qualifier or currency code."""
    if not any(ch.isupper() for ch in word) or POSSESSIVE.search(word):
        return False
    key = _key(word)
    if key in FUNCTION_WORDS or key in vocab.qualifiers or key in vocab.change_before:
        return False
    if word in vocab.currency_prefixes:
        return False
    return True


# Finite verb tags: participles ("related", "charging") modify nouns and may stand inside
# a counted noun phrase ("3,000 related manufacturing enterprises").
FINITE_VERB_TAGS = frozenset({"VBD", "VBP", "VBZ", "MD"})


def _verb_starts(doc: Doc) -> frozenset[int]:
    """Start offsets of the tokens a tagger marked as finite verbs; empty without a tagger."""
    if not doc.has_annotation("TAG"):
        return frozenset()
    return frozenset(t.idx for t in doc if t.tag_ in FINITE_VERB_TAGS or t.pos_ == "AUX")


def _china(doc: Doc) -> bool | None:
    profile = getattr(doc._, "nev_source_profile", None)
    return getattr(profile, "china", None) if profile is not None else None


def _dedupe(cands: list[Candidate]) -> list[Candidate]:
    """Drop a candidate whose number lies inside an earlier, longer one."""
    out: list[Candidate] = []
    for c in cands:
        if out and c.core_start < out[-1].end and c.start < out[-1].end:
            if (c.end - c.start) > (out[-1].end - out[-1].start):
                out[-1] = c
            continue
        out.append(c)
    return out




_COORDINATION = regex.compile(r"(?:\s*,)?\s{1,3}(?:and|or|to|versus|vs\.?)\s{1,3}|\s*,\s{1,3}", regex.IGNORECASE)


def _share_change(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Coordinated percentages share a change: "increases of 34.4% and 35.5% year-on-year"
    gives both the direction of the first and the basis of the last."""
    out = list(cands)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if a.kind != "percent" or b.kind != "percent":
            continue
        if not _COORDINATION.fullmatch(text[a.basis_end or a.end:b.start]):
            continue
        if b.direction is None and a.direction is not None:
            out[k + 1] = b = replace(b, direction=a.direction, basis=b.basis or a.basis)
        if a.basis is None and b.basis is not None and (a.direction or b.direction):
            out[k] = replace(a, basis=b.basis, direction=a.direction or b.direction)
    return out


# --------------------------------------------------------------------------- factory


@Language.factory(
    "nevextract_quantities",
    default_config={"use_rules": True, "use_model": True, "patterns": []},
)
def make_quantities(nlp: Language, name: str, use_rules: bool, use_model: bool, patterns: list[str]) -> QuantityFinder:
    """Register the quantity finder as a spaCy component."""
    return QuantityFinder(use_rules=use_rules, use_model=use_model, patterns=patterns)


__all__ = ["QuantityFinder", "make_quantities", "Candidate"]
