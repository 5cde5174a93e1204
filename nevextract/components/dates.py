"""The dates component: every date and period in the body, resolved against publication.

Candidates come from the date grammar of `normalize.dates`:
- rules (and hybrid): over the whole body, no model needed;
- statistical: only inside the model's DATE entities.
With the model, a lone month, weekday or year that the model tags as part of a name
("Theresa May", "Long March 5") is dropped. Every kept candidate is resolved with the whole
body as context (tense, the year just discussed).
The publication date is `doc._.nev_published`; a site profile's day/month order, when the
cleaner found one (`doc._.nev_source_profile`), decides how "03/11/2025" is read. A bare
year that lies inside a quantity the quantities component found ("2000 units") is dropped.

Words that place the text in time without naming a date ("now", "recently", "the future")
are kept apart, in `doc._.nev_time_references` (TimeML's PRESENT_REF, PAST_REF, FUTURE_REF).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from nevextract.nlp import text_of  # (importing nlp also declares the Doc extensions)
from nevextract.normalize.dates import Candidate, DateVocabulary, Order, candidates, find_time_references, resolve, select
from nevextract.records import DateMention

_MODEL_LABEL = "DATE"
# Entity labels of names: a month or year word inside one of these is part of the name.
_NAME_LABELS = frozenset({"PERSON", "ORG", "PRODUCT", "FAC", "WORK_OF_ART", "EVENT", "LAW", "NORP", "GPE"})
# The forms that a single word or number makes, and that a name can therefore contain.
_LONE_FORMS = frozenset({"bare_month", "weekday", "year"})


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _site_order(doc: Doc) -> Order | None:
    profile = doc._.nev_source_profile
    dates = getattr(profile, "dates", None)
    return getattr(dates, "order", None)


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
        mentions = resolve(text_of(doc), chosen, doc._.nev_published, self.vocab, _site_order(doc))
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
