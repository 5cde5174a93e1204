"""Claims: the cue vocabulary.

The entries of `patterns/claim_cues.yaml` (cue verbs, "according to" phrases, descriptions,
source and title words), validated, and indexed into the regexes the finder matches with.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, Literal, Union

import regex
from pydantic import BaseModel, ConfigDict, Field, RootModel

from nevextract.patterns import load_all, pattern_dirs
from nevextract.records import AttributionKind

PATTERN_FILE = "claim_cues.yaml"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CueEntry(_Entry):
    type: Literal["cue"]
    cue: str
    forms: list[str] = Field(min_length=1)
    needs_that: bool = False
    content_first: bool = False
    inverted: bool = False
    takes_object: bool = False
    sources_only: bool = False
    quote_intro: bool = False
    weak: bool = False
    requires: str | None = None
    participles: list[str] = Field(default_factory=list)  # "saying", "adding": a second claim
    kind: AttributionKind = "speech"  # what the cue reports: recorded on the claim as `attribution`
    # "X called the plan a mistake": the content is the object and what it is called; read
    # from the dependency parse only (the word alone is too often "called for", "a group called")
    names: bool = False


class PhraseEntry(_Entry):
    type: Literal["phrase"]
    forms: list[str] = Field(min_length=1)


class DescriptorEntry(_Entry):
    type: Literal["descriptor"]
    words: list[str] = Field(min_length=1)
    person: bool = False
    types: list[str] = Field(default_factory=list)
    name_words: list[str] = Field(default_factory=list)
    any_org: bool = False


class WordsEntry(_Entry):
    type: Literal["source", "unnamed", "title", "org_word", "label"]
    words: list[str] = Field(min_length=1)


class ClaimPatternEntry(RootModel[Annotated[Union[CueEntry, PhraseEntry, DescriptorEntry, WordsEntry], Field(discriminator="type")]]):
    """One entry of claim_cues.yaml (the `type` key says which kind)."""


def _alternation(forms: Iterable[str]) -> str:
    """A regex alternation of literal forms, longest first, spaces matching any whitespace."""
    ordered = sorted(set(forms), key=len, reverse=True)
    return "|".join(regex.escape(f).replace(r"\ ", r"\s+") for f in ordered)


class Lexicon:
    """The claim pattern data, indexed for matching."""

    def __init__(self, entries: Sequence[ClaimPatternEntry]) -> None:
        self.cues: dict[str, CueEntry] = {}
        self.naming: dict[str, CueEntry] = {}  # "called X Y": the parse's reading only
        self.participles: dict[str, CueEntry] = {}
        self.phrases: list[str] = []
        self.descriptors: list[DescriptorEntry] = []
        words: dict[str, set[str]] = {"source": set(), "unnamed": set(), "title": set(), "org_word": set(), "label": set()}
        for wrapped in entries:
            e = wrapped.root
            if isinstance(e, CueEntry) and e.names:
                self.naming.update((form.lower(), e) for form in e.forms)
            elif isinstance(e, CueEntry):
                for form in e.forms:
                    self.cues[form.lower()] = e
                for form in e.participles:
                    self.participles[form.lower()] = e
            elif isinstance(e, PhraseEntry):
                self.phrases.extend(f.lower() for f in e.forms)
            elif isinstance(e, DescriptorEntry):
                self.descriptors.append(e)
            else:
                words[e.type].update(e.words)
        self.sources = {w.lower() for w in words["source"]}
        self.unnamed = {w.lower() for w in words["unnamed"]}
        self.titles = {w.lower() for w in words["title"]}
        self.org_words = set(words["org_word"])
        self.labels = {w.lower() for w in words["label"]}
        self.descriptor_words = {w.lower(): d for d in self.descriptors for w in d.words}
        cue_alt = _alternation(self.cues)
        phrase_alt = _alternation(self.phrases) or r"(?!)"
        # Cues are matched as written (lowercase): "States" in "United States" is no cue.
        self.cue_re = regex.compile(rf"(?<![\p{{L}}-])(?:{cue_alt})(?![\p{{L}}-])")
        # A second claim by the sentence's subject: "..., saying (that) ...", "... and said ...",
        # "..., but he warned that ...".
        self.follower_re = regex.compile(
            rf"(?:,|(?<=·)[\"”’])\s+(?:{_alternation(self.participles) or '(?!)'})(?![\p{{L}}-])"  # after a comma, or one inside a quote
            rf"|\s+and\s+(?:(?:also|later|then)\s+)?(?:{cue_alt})(?![\p{{L}}-])"
            # "X said A, but he warned that B": the subject's pronoun opens a second claim
            rf"|,?\s+(?:but|though|although|while)\s+(?:he|she|they|it|we)\s+(?:(?:also|later|then)\s+)?(?:{cue_alt})(?![\p{{L}}-])"
        )
        self.phrase_re = regex.compile(rf"(?<![\p{{L}}-])(?:{phrase_alt})(?![\p{{L}}-])", regex.I)
        self.title_re = regex.compile(
            rf"(?<![\p{{L}}-])(?:{_alternation(self.titles)})(?![\p{{L}}-])", regex.I
        )
        self.title_end_re = regex.compile(rf"(?:{self.title_re.pattern})$", regex.I)  # "... purchasing chief"

    def cue(self, text: str) -> CueEntry | None:
        key = regex.sub(r"\s+", " ", text.lower())
        return self.cues.get(key) or self.participles.get(key)


def load_lexicon(extra: Sequence[str] = ()) -> Lexicon:
    return Lexicon(load_all(PATTERN_FILE, ClaimPatternEntry, pattern_dirs(extra)))
