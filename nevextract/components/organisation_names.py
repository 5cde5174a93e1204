"""The name classifier: is this span the model proposes an organisation's name, with these
boundaries?

The small model calls many firms persons or places ("Rothschild said", "Barrick Gold"), and
many of its ORG spans are not names ("FTSE Heads For", a byline run into a dateline).
Instead of hand-written filters, each entity the organisations component reads from the
model (of any name label, trimmed and split) is a row of features — the model's label, its
shape (legal form, head word, acronym, digits), its words before and after ("at", "the",
"'s", "said", "Mr", a capitalised neighbour), its sentence (a headline in title case) and its
document (how often the model calls the same text ORG or PERSON, a person's surname, a place,
a common noun elsewhere) — and a logistic regression gives the probability that it is
exactly a gold organisation mention. The rules' candidates (gazetteer, head words, "analyst
at X", "shares of X" …) are not judged: each is evidence of its own; so `rules` mode, which
has no model, does not use the classifier.

The weights are data (`patterns/organisation_classifier.json`), written by
`training/train_organisation_classifier.py` from the development corpora.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.tokens import Doc

from nevextract.logistic import Logistic, load_last, read_weights

if TYPE_CHECKING:
    from nevextract.components.organisations import Candidate, OrganisationFinder

CLASSIFIER_FILE = "organisation_classifier.json"

# The model's entity label the candidate came from (exactly, or trimmed and split).
LABELS = ("ORG", "PERSON", "GPE", "NORP", "PRODUCT")
_PREPOSITIONS = frozenset({"at", "of", "by", "from", "with", "for", "to", "in", "on", "and"})
_DETERMINERS = frozenset({"a", "an", "its", "their", "his", "her", "our", "my", "your", "this", "that"})
_ARTICLES = _DETERMINERS | {"the"}
_SPEECH = frozenset({"said", "says", "told", "tells", "reported", "reports", "announced", "announces", "added",
                     "expects", "expected", "plans", "agreed", "stated", "noted", "confirmed", "declined"})
_TITLES = frozenset({"Mr", "Mr.", "Ms", "Ms.", "Mrs", "Mrs.", "Dr", "Dr.", "Sir", "President", "Chairman",
                     "CEO", "Minister", "Senator", "Governor", "Prof", "Prof."})

FEATURES: tuple[str, ...] = (
    *(f"label_{lab}" for lab in LABELS), "label_other", "label_exact", "overlaps_model_org",
    "log_tokens", "one_token", "all_caps", "has_digit", "legal_form", "org_word", "known_name",
    "looks_like_name", "lowercase_elsewhere", "maker_then_model", "inner_not_organisation", "first_is_stop", "first_is_title", "sentence_start",
    "title_case_sentence",
    "prev_the", "prev_determiner", "non_org_label_after_determiner", "prev_preposition", "prev_comma", "prev_capital", "prev_title", "prev_by",
    "next_possessive", "next_speech_verb", "next_comma", "next_bracket", "next_capital", "next_lower",
    "common_noun_use", "place_use", "common_noun_share", "person_first_part", "person_last_part", "place_text", "ends_in_place",
    "after_his_or_her",
    "log_same_text", "model_org_share", "model_person_share",
)
_INDEX = {name: i for i, name in enumerate(FEATURES)}


def _capitalised(text: str) -> bool:
    return bool(text) and text[0].isupper()


def name_features(finder: OrganisationFinder, doc: Doc, cands: Sequence[Candidate]) -> np.ndarray:
    """One row of `FEATURES` per candidate the model proposed (token spans of `doc`, each
    with the label of its entity). Linear in the document and the candidates: document facts
    are counted once, then looked up."""
    from nevextract.components.organisations import _used_as_common_noun, lowercase_words

    x = np.zeros((len(cands), len(FEATURES)))
    if not cands:
        return x
    pats = finder.pats
    ents = {(e.start, e.end): e.label_ for e in doc.ents}
    org_tokens = np.zeros(len(doc) + 1, dtype=bool)
    label_counts: dict[str, Counter[str]] = {}
    for e in doc.ents:
        label_counts.setdefault(e.text, Counter())[e.label_] += 1
        if e.label_ == "ORG":
            org_tokens[e.start : e.end] = True
    # "Green" of "Sean Green" names the person again; "Velmora" of "Velmora Maps" (a product the
    # model took for a person) may well be a firm
    first_parts = {e[0].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
    last_parts = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
    places = {e.text for e in doc.ents if e.label_ in ("GPE", "LOC")}
    lowercase = lowercase_words(doc)
    title_share = np.zeros(len(doc))
    for sent in doc.sents:
        words = [t for t in sent if t.is_alpha and not t.is_stop]
        if words:
            title_share[sent.start : sent.end] = sum(_capitalised(t.text) for t in words) / len(words)
    texts = [doc[c.start : c.end].text for c in cands]
    same_text = Counter(texts)
    uses = [_used_as_common_noun(doc[c.start : c.end], pats.members) for c in cands]
    common_uses = Counter(t for t, u in zip(texts, uses) if u)  # "the Standard version" anywhere
    n = len(doc)
    for row, (c, text, use) in enumerate(zip(cands, texts, uses)):
        span = doc[c.start : c.end]
        f = x[row]

        def put(name: str, value: float | bool = 1.0) -> None:
            f[_INDEX[name]] = float(value)

        label = c.label
        put(f"label_{label}" if label in LABELS else "label_other")
        put("label_exact", ents.get((c.start, c.end)) == label)
        put("overlaps_model_org", bool(org_tokens[c.start : c.end].any()))
        put("log_tokens", math.log(len(span)))
        put("one_token", len(span) == 1)
        letters = [ch for ch in text if ch.isalpha()]
        put("all_caps", len(letters) > 1 and all(ch.isupper() for ch in letters))
        put("has_digit", any(ch.isdigit() for ch in text))
        put("legal_form", any(t.text in pats.legal_suffixes for t in span))
        put("org_word", any(t.text in finder._org_words for t in span))
        put("known_name", c.canonical is not None or pats.canonical(text) is not None)
        put("looks_like_name", finder._looks_like_name(span))
        # "Sodium is abundant ... sodium-ion": a common word written with a capital
        put("lowercase_elsewhere", all(t.lower_ in lowercase for t in span if t.is_alpha))
        put("maker_then_model", finder._maker_then_model(span))
        put("inner_not_organisation", any(t.text in pats.not_organisations for t in span))
        put("first_is_stop", span[0].is_stop)
        put("first_is_title", span[0].text in _TITLES)  # "Mr Buttress": a person
        put("sentence_start", bool(span[0].is_sent_start))
        prev = doc[c.start - 1] if c.start > 0 else None
        nxt = doc[c.end] if c.end < n else None
        put("title_case_sentence", title_share[c.start])
        if prev is not None:
            put("prev_the", prev.lower_ == "the")
            put("prev_determiner", prev.lower_ in _DETERMINERS)
            # "the Max", "a Jinhua": no person or place takes an article; the model's label is wrong
            put("non_org_label_after_determiner", label != "ORG" and prev.lower_ in _ARTICLES)
            put("prev_preposition", prev.lower_ in _PREPOSITIONS)
            put("prev_comma", prev.text == ",")
            put("prev_capital", _capitalised(prev.text) and prev.is_alpha and not prev.is_sent_start)
            put("prev_title", prev.text in _TITLES)
            put("prev_by", prev.lower_ == "by")  # a byline, or "shares held by ..."
        if nxt is not None:
            put("next_possessive", nxt.text in ("'s", "’s", "'", "’"))
            put("next_speech_verb", nxt.lower_ in _SPEECH)
            put("next_comma", nxt.text == ",")
            put("next_bracket", nxt.text in ("(", "["))
            put("next_capital", _capitalised(nxt.text) and nxt.is_alpha)
            put("next_lower", nxt.is_alpha and nxt.is_lower and not nxt.is_stop)
        put("common_noun_use", use == 1)
        put("place_use", use >= 100)
        put("common_noun_share", common_uses[text] / same_text[text])
        put("person_first_part", text in first_parts)
        put("person_last_part", text in last_parts)
        put("place_text", text in places)
        put("ends_in_place", span[-1].ent_type_ in ("GPE", "LOC") and len(span) > 1)  # "Giga Shanghai"
        put("after_his_or_her", any(t.lower_ in ("his", "her") for t in doc[max(0, c.start - 3) : c.start]))
        put("log_same_text", math.log(same_text[text]))
        counts = label_counts.get(text)
        if counts:
            total = sum(counts.values())
            put("model_org_share", counts["ORG"] / total)
            put("model_person_share", counts["PERSON"] / total)
    return x


@dataclass(frozen=True)
class NameModel(Logistic):
    """The weights, and the probability from which a candidate is kept."""

    threshold: float


@dataclass(frozen=True)
class NameClassifier:
    model: NameModel
    about: dict[str, Any]

    @classmethod
    def load(cls, path: Path) -> NameClassifier:
        data = read_weights(path, FEATURES)
        m = data["model"]
        model = NameModel(**Logistic.fields(m, len(FEATURES)), threshold=float(m["threshold"]))
        return cls(model=model, about=dict(data.get("about", {})))


def load_name_classifier(dirs: Sequence[Path]) -> NameClassifier | None:
    """The `organisation_classifier.json` of the last folder that has one, or None."""
    return load_last(dirs, CLASSIFIER_FILE, NameClassifier.load, "an organisation classifier")
