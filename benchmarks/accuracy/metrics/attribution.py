"""Attribution scoring: content overlap ≥ 50 % of the shorter span, speaker match, end-to-end.

Gold attributions (PolNeAR) have content, cue and, usually, source spans; a prediction (a
nevextract `Claim` or a peer's quotation) has one content span, a speaker string and a cue.

Detection. A prediction detects a gold attribution when their contents overlap by at least
half of the shorter one, in characters; a discontinuous gold content counts as the union of
its pieces. Pairs are made one-to-one, greedily by largest overlap (ties: earlier prediction,
then earlier gold), so a prediction that covers two gold contents detects only one of them,
and of two predictions inside one gold content (PolNeAR annotates '"A," he said, "B."' as one
attribution with a discontinuous content) one is a false positive.
Detection P/R/F1 are micro-averaged over documents: TP = pairs, FP = predictions left
unpaired, FN = gold left unpaired.

Speaker match (of a pair). When the prediction carries a speaker span (`speaker_start`,
`speaker_end`, read with getattr so records without them work), it must overlap the gold
Source by at least half of the shorter one. Otherwise the prediction's speaker string must
share a content word with the gold Source text: case-folded, possessive 's dropped, stop
words and titles (Mr, Mrs, Dr, Sen, Rep …) removed. A gold Source with no content word (a
pronoun: "he", "they") is compared, in both branches, with its crude antecedent instead:
the nearest gold Source before it in the document that has a content word (news text names
a speaker and then continues with a pronoun). A prediction whose speaker is the very same
pronoun also matches. The antecedent is a guess without coreference: when it is a
description ("the Republican nominee") a correctly resolved name does not match it. A gold
attribution with no Source (PolNeAR's Attribution-no-source, ~7 % of gold) never has a
speaker match, so end-to-end recall cannot pass ~93 %.

End-to-end (all): TP = pairs whose speaker matches; FP = predictions − TP; FN = gold − TP.
Speaker accuracy = speaker matches / pairs whose gold has a Source.

Speech only. The gold set is the attributions whose cue is speech: the cue's lemma (see
`cue_lemma`) is in `speech_cues.txt`. Pairing is done once over all gold; predictions paired
with non-speech gold are then ignored (neither TP nor FP), unpaired predictions are FP. For
end-to-end, a speech pair with the wrong speaker is one FP and one FN.

Lemmas come from a small suffix rule checked against the list (every candidate stem of each
cue word is tried: "stated" → state, "replied" → reply, "admitting" → admit) and a table of
irregular forms (said, told, wrote …), not from spaCy: a cue is a fragment ("has also said",
"'s been hammering"), which a tagger out of context often mis-tags, and membership in a
closed list needs no model. The first cue word whose lemma is in the list is the head;
failing that, the first word that is not an auxiliary or adverb (for error analysis).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import regex

from accuracy.core import Counts

Spans = Sequence[tuple[int, int]]
SPEECH_CUES = Path(__file__).resolve().parents[1] / "speech_cues.txt"
MIN_SHARE = 0.5

_WORD = regex.compile(r"[^\W_]+|:")
_POSSESSIVE = regex.compile(r"['’]s\b", regex.IGNORECASE)

STOP_WORDS = frozenset(
    "i me my mine we us our ours you your yours he him his she her hers it its they them their "
    "theirs this that these those who whom whose which what a an the and or but nor of in on at "
    "to for from by with as about into over after before than then there here some any all both "
    "each many much more most other such own same so not no only also very just too can will "
    "would should could may might must shall do does did is are was were be been being has have "
    "had one s t".split()
)
TITLES = frozenset("mr mrs ms miss dr sen rep gov gen lt col sgt prof rev st jr sr hon messrs".split())

# Irregular past forms of cue verbs; regular forms go through `_candidates`.
_IRREGULAR = {
    "said": "say", "told": "tell", "wrote": "write", "written": "write", "spoke": "speak",
    "spoken": "speak", "swore": "swear", "sworn": "swear", "thought": "think", "saw": "see",
    "seen": "see", "found": "find", "knew": "know", "known": "know", "sought": "seek",
    "felt": "feel", "went": "go", "gone": "go", "made": "make", "gave": "give", "given": "give",
    "began": "begin", "begun": "begin", "taught": "teach", "heard": "hear", "meant": "mean",
    "held": "hold", "led": "lead", "paid": "pay", "took": "take", "taken": "take",
    "brought": "bring", "forgot": "forget", "understood": "understand", "chose": "choose",
    "shown": "show",
}
# Words skipped when no cue word is a speech lemma and the head is the first other word.
_NON_HEAD = frozenset(
    "is are was were be been being am has have had having do does did will would could should "
    "may might must can also not never just still already reportedly publicly repeatedly "
    "previously later earlier first then again once recently further even only now often widely "
    "long openly strongly doesn don didn isn wasn aren weren won wouldn s t".split()
)
# Stems that take their e back ("believ-ed", "endors-ed"); a consonant-vowel-consonant stem
# does too ("hop-ed", "declin-ed") unless it ends like "consider", "offer", "visit".
_NEEDS_E = ("v", "c", "u", "g", "z", "rs", "as", "bl", "pl", "tl", "dl")
_KEEPS_CVC = ("er", "en", "on", "et", "it", "om", "el", "al", "or")
_VOWELS = frozenset("aeiou")


class Prediction(Protocol):
    """What scoring reads of a prediction (read-only, so records and dataclasses both fit)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def speaker(self) -> str: ...


class Gold(Protocol):
    """What scoring reads of a gold attribution (`readers.brat.Attribution` fits)."""

    @property
    def contents(self) -> Spans: ...
    @property
    def sources(self) -> Spans: ...
    @property
    def source_text(self) -> str: ...
    @property
    def cue_text(self) -> str: ...


@dataclass(frozen=True)
class PredictedClaim:
    """A system's attributed statement: content span, speaker, cue and kind."""

    start: int
    end: int
    speaker: str
    cue: str = ""
    kind: str = ""
    content: str = ""
    speaker_start: int | None = None
    speaker_end: int | None = None


# ----------------------------------------------------------------------------- spans


def merge(spans: Spans) -> list[tuple[int, int]]:
    """Sorted, non-overlapping union of spans (empty ones dropped)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(sp for sp in spans if sp[1] > sp[0]):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def length(spans: Spans) -> int:
    return sum(e - s for s, e in merge(spans))


def overlap(a: Spans, b: Spans) -> int:
    """Characters in both unions."""
    ma, mb = merge(a), merge(b)
    i = j = total = 0
    while i < len(ma) and j < len(mb):
        lo, hi = max(ma[i][0], mb[j][0]), min(ma[i][1], mb[j][1])
        total += max(0, hi - lo)
        if ma[i][1] < mb[j][1]:
            i += 1
        else:
            j += 1
    return total


def shared_enough(a: Spans, b: Spans) -> int:
    """The overlap of a and b when it is at least MIN_SHARE of the shorter, else 0."""
    ov = overlap(a, b)
    shorter = min(length(a), length(b))
    return ov if ov > 0 and ov >= MIN_SHARE * shorter else 0


# ----------------------------------------------------------------------------- pairing


@dataclass(frozen=True)
class Pair:
    gold: int
    pred: int
    overlap: int
    speaker_ok: bool


def pair_up(golds: Sequence[Gold], preds: Sequence[Prediction]) -> list[tuple[int, int, int]]:
    """One-to-one (gold, pred, overlap) pairs, greedy by largest overlap."""
    cands = []
    for p, pred in enumerate(preds):
        for g, gold in enumerate(golds):
            ov = shared_enough([(pred.start, pred.end)], gold.contents)
            if ov:
                cands.append((-ov, p, g))
    cands.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for neg, p, g in cands:
        if p not in used_p and g not in used_g:
            used_p.add(p)
            used_g.add(g)
            pairs.append((g, p, -neg))
    return sorted(pairs)


# ----------------------------------------------------------------------------- speakers


def content_words(text: str) -> frozenset[str]:
    """Case-folded words of a name or description, without stop words, titles, possessives."""
    words = _WORD.findall(_POSSESSIVE.sub("", text.casefold()))
    return frozenset(w for w in words if len(w) > 1 and w not in STOP_WORDS and w not in TITLES)


def antecedents(golds: Sequence[Gold]) -> list[int | None]:
    """For each gold whose Source has no content word, the index of the nearest earlier gold
    Source (by offset) that has one; None elsewhere."""
    order = sorted((g.sources[0][0], i) for i, g in enumerate(golds) if g.sources)
    out: list[int | None] = [None] * len(golds)
    last_named: int | None = None
    for _, i in order:
        if content_words(golds[i].source_text):
            last_named = i
        else:
            out[i] = last_named
    return out


def _speaker_span(pred: Any) -> list[tuple[int, int]] | None:
    s, e = getattr(pred, "speaker_start", None), getattr(pred, "speaker_end", None)
    return [(s, e)] if isinstance(s, int) and isinstance(e, int) else None


def speaker_matches(pred: Any, gold: Gold, antecedent: Gold | None = None) -> bool:
    """Does the prediction's speaker name the gold Source (see the module docstring)?"""
    if not gold.sources:
        return False
    referent = gold if content_words(gold.source_text) or antecedent is None else antecedent
    span = _speaker_span(pred)
    if span is not None:
        return bool(shared_enough(span, gold.sources) or shared_enough(span, referent.sources))
    said_by = str(getattr(pred, "speaker", "") or "")
    if said_by.strip().casefold() == gold.source_text.strip().casefold():
        return True
    return bool(content_words(said_by) & content_words(referent.source_text))


# ----------------------------------------------------------------------------- speech cues


@lru_cache(maxsize=4)
def load_speech_cues(path: Path = SPEECH_CUES) -> frozenset[str]:
    """The lemmas of `speech_cues.txt` (comments and blank lines skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(ln.strip().casefold() for ln in lines if ln.strip() and not ln.startswith("#"))


def _undouble(stem: str) -> str:
    doubled = len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls"
    return stem[:-1] if doubled else stem


def _candidates(word: str) -> list[str]:
    """Possible lemmas of an inflected word, most literal first."""
    if word in _IRREGULAR:
        return [_IRREGULAR[word]]
    cands = [word]
    if word.endswith(("ied", "ies")):
        cands.append(word[:-3] + "y")
    if word.endswith("ing") and len(word) > 4:
        stem = word[:-3]
        cands += [stem, stem + "e", _undouble(stem)]
    if word.endswith("ed") and len(word) > 3:
        cands += [word[:-1], word[:-2], _undouble(word[:-2])]
    if word.endswith("es"):
        cands.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        cands.append(word[:-1])
    return cands


def _restore_e(stem: str) -> str:
    cvc = (
        len(stem) > 2 and stem[-3] not in _VOWELS and stem[-2] in _VOWELS
        and stem[-1] not in _VOWELS and stem[-1] not in "wxy" and not stem.endswith(_KEEPS_CVC)
    )
    return stem + "e" if cvc or stem.endswith(_NEEDS_E) else stem


def _guess_lemma(word: str) -> str:
    """A readable lemma for a word not in the list (error analysis only)."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("eed"):
        return word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            return _undouble(stem) if _undouble(stem) != stem else _restore_e(stem)
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def cue_lemma(cue: str, speech: frozenset[str] | None = None) -> str:
    """The lemma of the cue's head word: a multi-word or single speech lemma if the cue has
    one, else the first word that is not an auxiliary or adverb, else the folded cue."""
    speech = load_speech_cues() if speech is None else speech
    words = _WORD.findall(_POSSESSIVE.sub("", cue.casefold()))
    lemmas = [next((c for c in _candidates(w) if c in speech), _guess_lemma(w)) for w in words]
    # multi-word entries ("according to", "point out") match the words or their lemmas
    joined = (" " + " ".join(lemmas) + " ", " " + " ".join(words) + " ")
    for entry in sorted(speech):
        if " " in entry and any(f" {entry} " in j for j in joined):
            return entry
    for lemma in lemmas:
        if lemma in speech:
            return lemma
    heads = [lm for w, lm in zip(words, lemmas) if w not in _NON_HEAD and w not in STOP_WORDS]
    return heads[0] if heads else (lemmas[0] if lemmas else cue.strip().casefold())


def is_speech(cue: str, speech: frozenset[str] | None = None) -> bool:
    speech = load_speech_cues() if speech is None else speech
    return cue_lemma(cue, speech) in speech


# ----------------------------------------------------------------------------- scores


@dataclass
class AttributionScore:
    """Counts for one document or summed over a corpus."""

    all_det: Counts = field(default_factory=Counts)
    all_e2e: Counts = field(default_factory=Counts)
    speech_det: Counts = field(default_factory=Counts)
    speech_e2e: Counts = field(default_factory=Counts)
    speaker_hits: int = 0
    speaker_pairs: int = 0  # pairs whose gold has a Source

    def __iadd__(self, other: AttributionScore) -> AttributionScore:
        self.all_det += other.all_det
        self.all_e2e += other.all_e2e
        self.speech_det += other.speech_det
        self.speech_e2e += other.speech_e2e
        self.speaker_hits += other.speaker_hits
        self.speaker_pairs += other.speaker_pairs
        return self

    def figures(self) -> dict[str, float]:
        """The report's metrics, in percent rounded to 1 decimal."""
        det, sp = self.all_det.prf(), self.speech_det.prf()
        acc = self.speaker_hits / self.speaker_pairs if self.speaker_pairs else 0.0
        return {
            "all det P": det["P"], "all det R": det["R"], "all det F1": det["F1"],
            "all e2e F1": self.all_e2e.prf()["F1"], "speaker acc": round(100 * acc, 1),
            "speech det P": sp["P"], "speech det R": sp["R"], "speech det F1": sp["F1"],
            "speech e2e F1": self.speech_e2e.prf()["F1"],
        }


def align(golds: Sequence[Gold], preds: Sequence[Prediction]) -> list[Pair]:
    """The document's pairs, each with its speaker verdict."""
    ants = antecedents(golds)
    return [
        Pair(g, p, ov, speaker_matches(preds[p], golds[g], None if ants[g] is None else golds[ants[g]]))
        for g, p, ov in pair_up(golds, preds)
    ]


def score_document(
    golds: Sequence[Gold], preds: Sequence[Prediction], speech: Sequence[bool] | None = None
) -> AttributionScore:
    """Counts for one document; `speech[i]` says whether gold i has a speech cue (default:
    from its cue text and `speech_cues.txt`)."""
    if speech is None:
        speech = [is_speech(g.cue_text) for g in golds]
    pairs = align(golds, preds)
    n_gold, n_pred = len(golds), len(preds)
    good = sum(pr.speaker_ok for pr in pairs)
    sp_pairs = [pr for pr in pairs if speech[pr.gold]]
    sp_good = sum(pr.speaker_ok for pr in sp_pairs)
    n_speech = sum(bool(s) for s in speech)
    unpaired = n_pred - len(pairs)
    return AttributionScore(
        all_det=Counts(len(pairs), n_pred - len(pairs), n_gold - len(pairs)),
        all_e2e=Counts(good, n_pred - good, n_gold - good),
        speech_det=Counts(len(sp_pairs), unpaired, n_speech - len(sp_pairs)),
        speech_e2e=Counts(sp_good, unpaired + len(sp_pairs) - sp_good, n_speech - sp_good),
        speaker_hits=sum(pr.speaker_ok for pr in pairs if golds[pr.gold].sources),
        speaker_pairs=sum(1 for pr in pairs if golds[pr.gold].sources),
    )
