"""The dates component: every date and period in the body, resolved against publication.

Candidates come from the date grammar of `normalize.dates`:
- rules (and hybrid): over the whole body, no model needed;
- statistical: only inside the model's DATE entities.
With the model, a lone month, weekday or year that the model tags as part of a name
("Theresa May", "Long March 5") is dropped. Every kept candidate is resolved with the whole
body as context (tense, the year just discussed).
Where the model parsed the text, the tense of the clause that governs a date (its verb, the
verbs it is the complement of: "plans to open in June") decides whether a yearless month or
weekday lies ahead of publication or behind it; without a parse, future words before the
date decide ("will", "plans"). The publication date is `doc._.nev_published`; a site
profile, when the cleaner found one (`doc._.nev_source_profile`), decides how "03/11/2025"
(its day/month order) and "FY24" (its fiscal years) are read. A bare year that lies inside a
quantity the quantities component found ("2000 units") is dropped.

Words that place the text in time without naming a date ("now", "recently", "the future")
and recurrences ("every year") are kept apart, in `doc._.nev_time_references` (TimeML's
PRESENT_REF, PAST_REF, FUTURE_REF, and SETs).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc, Token

from nevextract.nlp import text_of  # (importing nlp also declares the Doc extensions)
from nevextract.normalize.dates import (
    Candidate, DateVocabulary, FiscalYear, Order, Tense, TenseReader, candidates, find_time_references, resolve,
    select,
)
from nevextract.records import DateMention

_MODEL_LABEL = "DATE"
# Entity labels of names: a month or year word inside one of these is part of the name.
_NAME_LABELS = frozenset({"PERSON", "ORG", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT", "LAW", "NORP", "GPE"})
# The forms that a single word or number makes, and that a name can therefore contain.
_LONE_FORMS = frozenset({"bare_month", "weekday", "year"})


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


# Modal auxiliaries that place a clause ahead ("will open", "would begin" in reported speech,
# "can join in April"); "could" is as often the past of "can".
_FUTURE_MODALS = frozenset({"will", "'ll", "wo", "shall", "would", "can", "may", "might", "should", "must"})
_PERFECT = frozenset({"has", "have", "had", "'ve", "'d"})
# A date the object of one of these is a limit or a target, not the time of its clause's
# event: "extended to Nov. 16", "payable until June".
_LIMIT_PREPOSITIONS = frozenset({"to", "until", "till", "through", "by", "before"})
# A date in one of these relations names a thing ("the Jan. 14 deadline", "has set Nov. 10 as
# the deadline"), not when the clause happened.
_NOT_TIME_OF_EVENT = frozenset({"compound", "amod", "nmod", "poss", "dobj", "nsubj", "nsubjpass", "attr", "appos"})
# How far up the tree a date looks for the verb that governs it.
_MAX_CLIMB = 12


def _governing_verb(tok: Token, vocab: DateVocabulary) -> Token | Tense | None:
    """The verb whose event the date `tok` times ("fired ... in July" → "fired"); "future" when
    an adjective of the future governs it first ("due in June"); None when the date is not
    the time of an event (a limit, a thing named, an adjective's complement: "payable
    Dec. 1") or no verb is found."""
    if tok.dep_ in _NOT_TIME_OF_EVENT:
        return None
    for _ in range(_MAX_CLIMB):
        if tok.pos_ == "ADP" and tok.lower_ in _LIMIT_PREPOSITIONS:
            return None
        if tok.pos_ == "ADJ":
            return "future" if tok.lower_ in vocab.future_words else None
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
            return tok
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def _tense_of(verb: Token, vocab: DateVocabulary) -> Tense:
    """Future if the verb has a modal of the future, or is the complement of a verb that has
    one or of a word of plans ("plans to open in June", "is expected to start"); past if the
    verb is ("was fired", "had opened", "has risen"); else present."""
    chain, node = [verb], verb
    while node.dep_ == "xcomp" and node.head is not node and len(chain) < _MAX_CLIMB:
        node = node.head
        chain.append(node)
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    perfect = any(a.lower_ in _PERFECT for a in auxes)
    for depth, v in enumerate(chain):
        if v.lower_ in vocab.future_words or (depth and v.lower_ in vocab.future_before_to):
            return "future"
        if not (depth == 0 and perfect) and any(  # "may have risen in March" is past
            c.dep_ in ("aux", "auxpass") and c.lower_ in _FUTURE_MODALS for c in v.children
        ):
            return "future"
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and perfect:
        return "past"
    return "present"


def _tense_reader(doc: Doc, vocab: DateVocabulary) -> TenseReader:
    """The tense of the clause at a character offset of a parsed doc."""
    starts: list[int] = []  # token offsets, built on the first question (most docs ask none)
    cache: dict[int, Tense | None] = {}

    def tense(pos: int) -> Tense | None:
        if not starts:
            starts.extend(t.idx for t in doc)
        i = bisect.bisect_right(starts, pos) - 1
        if i < 0:
            return None
        if i not in cache:
            verb = _governing_verb(doc[i], vocab)
            cache[i] = verb if verb is None or isinstance(verb, str) else _tense_of(verb, vocab)
        return cache[i]

    return tense


def _site_dates(doc: Doc) -> tuple[Order | None, FiscalYear | None]:
    """What the page's site profile says of its dates: day/month order and fiscal years."""
    rules = getattr(doc._.nev_source_profile, "dates", None)
    fiscal = getattr(rules, "fiscal_year", None)
    return getattr(rules, "order", None), None if fiscal is None else FiscalYear(fiscal.starts, fiscal.named_by)


class DateFinder:
    def __init__(self, nlp: Language, use_rules: bool = True, use_model: bool = True, patterns: Sequence[str] = ()):
        self.use_rules = use_rules
        self.use_model = use_model
        self.vocab = DateVocabulary.load(patterns)

    def __call__(self, doc: Doc) -> Doc:
        has_ents = self.use_model and doc.has_annotation("ENT_IOB")
        if self.use_rules:
            found = candidates(text_of(doc), self.vocab)
        elif has_ents:
            found = self._model_candidates(doc)
        else:
            found = []
        if has_ents:
            found = [c for c in found if not self._named_otherwise(doc, c)]
        chosen = select(found)
        tense = _tense_reader(doc, self.vocab) if self.use_model and doc.has_annotation("DEP") else None
        order, fiscal = _site_dates(doc)
        mentions = resolve(text_of(doc), chosen, doc._.nev_published, self.vocab, order, tense, fiscal)
        doc._.nev_dates = self._without_quantities(doc, mentions)
        if self.use_rules:  # words, not dates: the model has no entity for them
            taken = [(m.start, m.end) for m in doc._.nev_dates] + [(q.start, q.end) for q in doc._.nev_quantities or []]
            doc._.nev_time_references = find_time_references(text_of(doc), taken, self.vocab)
        return doc

    def _model_candidates(self, doc: Doc) -> list[Candidate]:
        """The grammar's matches inside the model's DATE entities (read with the whole text
        around them, so context and tense still count)."""
        found: list[Candidate] = []
        for ent in doc.ents:
            if ent.label_ == _MODEL_LABEL:
                found.extend(candidates(text_of(doc), self.vocab, ent.start_char, ent.end_char))
        return found

    @staticmethod
    def _named_otherwise(doc: Doc, cand: Candidate) -> bool:
        """A lone month, weekday or year inside a longer name the model found ("Theresa May",
        the rocket "Long March 5") is part of that name, not a date."""
        if cand.form not in _LONE_FORMS:
            return False
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        return span is not None and any(tok.ent_type_ in _NAME_LABELS for tok in span)

    @staticmethod
    def _without_quantities(doc: Doc, mentions: list[DateMention]) -> list[DateMention]:
        """Drop a bare year that is really the number of a quantity ("2000 units")."""
        quantities = doc._.nev_quantities or []
        spans = [(q.start, q.end) for q in quantities if q.end - q.start > 4]
        return [
            m for m in mentions
            if not (m.granularity == "year" and m.value_end is None and m.text.isdigit()
                    and _overlaps(m.start, m.end, spans))
        ]


@Language.factory(
    "nevextract_dates", default_config={"use_rules": True, "use_model": True, "patterns": []}
)
def make_dates(nlp: Language, name: str, use_rules: bool, use_model: bool, patterns: list[str]) -> DateFinder:
    return DateFinder(nlp, use_rules=use_rules, use_model=use_model, patterns=patterns)
