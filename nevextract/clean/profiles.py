"""Site profiles, generic boilerplate rules and the line classifier: how a page's chrome is recognised.

A site profile (`patterns/sources/<site>.yaml`) says how to recognise a site and which of
its lines are boilerplate; the generic rules (`patterns/boilerplate.yaml`) hold on any site;
the line classifier's weights (`patterns/line_classifier.json`) judge the lines no rule
names. All three are data; this module validates and loads them once.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

import regex
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from nevextract.clean.lines import LINE_CLASSIFIER_FILE, LineClassifier
from nevextract.logistic import load_last
from nevextract.patterns import LINE_TIMEOUT, MAX_LINE, PatternError, Problem, check_regex, load_all, load_mapping

# Generic rules run on every line of every page: a line longer than this is not chrome.
# (`patterns check` tries each regex on lines this long.)
_MAX_LINE_FOR_RULES = MAX_LINE
# A rule regex gets this long on one line; then the line counts as not matched, and the rule
# is not tried again on that page (RegexTimeouts): 40 such lines once cost 21 s on one page.
REGEX_TIMEOUT = LINE_TIMEOUT


@dataclass
class RegexTimeouts:
    """The rules that ran out of time on the page being cleaned, for its `warnings`."""

    # (pattern, flags) → what the pattern belongs to, in the order they timed out
    timed_out: dict[tuple[str, int], str] = field(default_factory=dict)

    def note(self, pattern: regex.Pattern[str], owner: str) -> None:
        self.timed_out.setdefault((pattern.pattern, pattern.flags), owner)

    def gave_up_on(self, pattern: regex.Pattern[str]) -> bool:
        return (pattern.pattern, pattern.flags) in self.timed_out

    def warnings(self) -> list[str]:
        return [
            f"{owner}: regex {pattern!r} took longer than {REGEX_TIMEOUT} s on a line and was not tried "
            f"again on this page (`nevextract patterns check` finds such patterns)"
            for (pattern, _), owner in self.timed_out.items()
        ]


# The page being cleaned. A context variable, not an argument: rules are tried from several
# places (line rules, profile matching, `removed` reasons), all under one `clean_page` call.
_TIMEOUTS: ContextVar[RegexTimeouts | None] = ContextVar("nevextract_regex_timeouts", default=None)


@contextmanager
def watch_regex_timeouts() -> Iterator[RegexTimeouts]:
    """Collect rule time-outs while cleaning one page; nested calls share the outer log."""
    current = _TIMEOUTS.get()
    if current is not None:
        yield current
        return
    log = RegexTimeouts()
    token = _TIMEOUTS.set(log)
    try:
        yield log
    finally:
        _TIMEOUTS.reset(token)


def _search(pattern: regex.Pattern[str], text: str, owner: str) -> bool:
    """`pattern` found in `text` within REGEX_TIMEOUT; a time-out is logged for the page's
    warnings and counts as no match."""
    log = _TIMEOUTS.get()
    if log is not None and log.gave_up_on(pattern):
        return False
    try:
        return pattern.search(text, timeout=REGEX_TIMEOUT) is not None
    except TimeoutError:
        if log is not None:
            log.note(pattern, owner)
        return False


def _regex_list(values: list[str]) -> list[str]:
    return [check_regex(v) for v in values]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Match(_Strict):
    hosts: list[str] = Field(default_factory=list, description="hosts of the caller's url, e.g. example.com")
    signatures: list[str] = Field(default_factory=list, description="plain strings that mark a page of this site")
    patterns: list[str] = Field(
        default_factory=list, description="regexes (multiline) that mark a page of this site, searched in its first 5,000 characters"
    )

    _check = field_validator("patterns")(_regex_list)


class ProfileRule(_Strict):
    """A profile's boilerplate regex with the reason recorded for what it drops."""

    pattern: str
    reason: str | None = Field(default=None, description="default: site-profile:<name>")

    _check = field_validator("pattern")(check_regex)


RuleEntry = str | ProfileRule


class BoilerplateRules(_Strict):
    lines: list[RuleEntry] = Field(default_factory=list, description="regexes: whole lines to drop")
    after: list[RuleEntry] = Field(default_factory=list, description="regexes: a line after which the rest is boilerplate")
    before: list[RuleEntry] = Field(default_factory=list, description="regexes: a line before which all is boilerplate")

    @field_validator("lines", "after", "before")
    @classmethod
    def _check(cls, values: list[RuleEntry]) -> list[RuleEntry]:
        for v in values:
            if isinstance(v, str):
                check_regex(v)
        return values


class FiscalYearRule(_Strict):
    starts: int = Field(ge=1, le=12, description="the month the site's fiscal years begin (4 in India and Japan)")
    named_by: Literal["end", "start"] = Field(
        default="end", description='"end": FY24 ends in 2024 (India); "start": FY2024 begins in 2024 (Japan)',
    )


class DateRules(_Strict):
    order: Literal["DMY", "MDY"] | None = Field(default=None, description="how the site writes 03/11/2025")
    fiscal_year: FiscalYearRule | None = Field(
        default=None, description='how the site counts fiscal years: "FY24" is then its twelve months',
    )


class SourceProfile(_Strict):
    """One news site, as `patterns/sources/<site>.yaml` describes it."""

    name: str = Field(min_length=1, description="the publisher's name, used as the record's `source`")
    match: Match = Field(default_factory=Match)
    boilerplate: BoilerplateRules = Field(default_factory=BoilerplateRules)
    dates: DateRules = Field(default_factory=DateRules)
    china: bool = Field(default=False, description="a Chinese site: a bare ¥ means yuan")
    _compiled: list[CompiledRule] | None = PrivateAttr(default=None)

    def rules(self) -> list[CompiledRule]:
        """The profile's boilerplate rules, compiled once."""
        if self._compiled is None:
            default = f"site-profile:{self.name}"
            out: list[CompiledRule] = []
            for action in ("line", "after", "before"):
                for entry in getattr(self.boilerplate, "lines" if action == "line" else action):
                    rule = entry if isinstance(entry, ProfileRule) else ProfileRule(pattern=entry)
                    out.append(compile_rule(rule.reason or default, rule.pattern, action))
            self._compiled = out
        return self._compiled

    def matches(self, raw: str, url: str | None) -> bool:
        if url and self.match.hosts:
            host = (urlparse(url).hostname or "").lower()
            if any(host == h.lower() or host.endswith("." + h.lower()) for h in self.match.hosts):
                return True
        if any(sig in raw for sig in self.match.signatures):
            return True
        head = raw[:5000]
        owner = f"site profile {self.name!r}, match pattern"
        return any(_search(regex.compile(p, regex.MULTILINE), head, owner) for p in self.match.patterns)


class GenericRule(_Strict):
    """One entry of `patterns/boilerplate.yaml`."""

    reason: str = Field(min_length=1)
    pattern: str
    action: Literal["line", "after"] = "line"
    max_words: int | None = Field(default=None, ge=1)

    _check = field_validator("pattern")(check_regex)


@dataclass(frozen=True)
class CompiledRule:
    reason: str
    pattern: regex.Pattern[str]
    action: str
    max_words: int | None

    def hits(self, line: str, words: int) -> bool:
        if self.max_words is not None and words > self.max_words:
            return False
        if len(line) > _MAX_LINE_FOR_RULES:
            return False
        return _search(self.pattern, line, f"boilerplate rule {self.reason!r}")


@dataclass
class BoilerplateModel:
    """Compiled generic rules plus every known site profile."""

    rules: list[CompiledRule] = field(default_factory=list)
    profiles: list[SourceProfile] = field(default_factory=list)
    classifier: LineClassifier | None = None  # the trained line model; None: the prose-stretch rule alone

    def profile_for(self, raw: str, url: str | None) -> SourceProfile | None:
        for profile in self.profiles:
            if profile.matches(raw, url):
                return profile
        return None


def compile_rule(reason: str, pattern: str, action: str, max_words: int | None = None) -> CompiledRule:
    return CompiledRule(reason, regex.compile(pattern, regex.IGNORECASE | regex.V0), action, max_words)


def load_profiles(dirs: Sequence[Path]) -> list[SourceProfile]:
    """Every `sources/*.yaml` across `dirs`; a later folder's profile of the same name wins."""
    problems: list[Problem] = []
    by_name: dict[str, SourceProfile] = {}
    for d in dirs:
        folder = d / "sources"
        if not folder.is_dir():
            continue
        for file in sorted(folder.glob("*.y*ml")):
            try:
                profile = load_mapping(file, SourceProfile)
            except PatternError as exc:
                problems.extend(exc.problems)
                continue
            by_name[profile.name] = profile
    if problems:
        raise PatternError(problems)
    # user folders come last in `dirs`; let their profiles be tried first
    return list(reversed(list(by_name.values())))


def load_boilerplate(dirs: Sequence[Path], *, classifier: bool = True) -> BoilerplateModel:
    """Generic rules, site profiles and (unless `classifier` is False) the line classifier."""
    rules = [compile_rule(r.reason, r.pattern, r.action, r.max_words) for r in load_all("boilerplate.yaml", GenericRule, dirs)]
    return BoilerplateModel(
        rules=rules, profiles=load_profiles(dirs), classifier=load_line_classifier(dirs) if classifier else None,
    )


def load_line_classifier(dirs: Sequence[Path]) -> LineClassifier | None:
    """The `line_classifier.json` of the last folder that has one, or None."""
    return load_last(dirs, LINE_CLASSIFIER_FILE, LineClassifier.load, "a line classifier")
