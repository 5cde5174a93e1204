"""Entity-level scores for named-entity recognition over token spans (CoNLL / seqeval style).

An entity is `(first, last, label)`: token indexes, both inclusive. Three scores:

- exact (seqeval's entity-level P/R/F1, the CoNLL-2003 and FiNER-ORD measure): a predicted
  entity is a true positive when a gold entity has the same first token, last token and
  label; per label, and micro (summed over labels and documents);
- partial (overlap): each gold entity is paired with at most one predicted entity of its
  label that shares a token with it, greedily from left to right; pairs are true positives,
  unpaired predictions false positives, unpaired gold entities false negatives. One-to-one,
  so a prediction that swallows two gold names earns one of them, not both;
- document level: per document, the set of distinct normalised entity strings (`normalise`)
  of gold and of prediction are compared, counted over documents (micro). It asks "did the
  system name the organisations this article mentions", whatever the mention count.

Systems answer in character spans; `token_entities` maps them to token spans once for all:
a token belongs to a predicted entity when its characters overlap the entity's, so a
prediction that cuts a token ("Apple" of a token "Apple's") still covers that token.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence

import regex

from accuracy.core import Counts

TokenEntity = tuple[int, int, str]  # first token, last token (inclusive), label
CharEntity = tuple[int, int, str]  # start char, end char (exclusive), label

_SPACES = regex.compile(r"\s+")
_EDGE_PUNCT = regex.compile(r"^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$")
_POSSESSIVE = regex.compile(r"['’]s?$")


def token_entities(token_spans: Sequence[tuple[int, int]], entities: Iterable[CharEntity]) -> list[TokenEntity]:
    """Character-span entities as token-span entities, sorted and without repeats; a
    prediction that overlaps no token (white space only) is dropped."""
    ends = [e for _, e in token_spans]
    out: set[TokenEntity] = set()
    for start, end, label in entities:
        first = bisect.bisect_right(ends, start)  # first token ending after `start`
        last = first - 1
        while last + 1 < len(token_spans) and token_spans[last + 1][0] < end:
            last += 1
        if last >= first:
            out.add((first, last, label))
    return sorted(out)


def _by_label(entities: Iterable[TokenEntity]) -> dict[str, list[TokenEntity]]:
    out: dict[str, list[TokenEntity]] = {}
    for e in entities:
        out.setdefault(e[2], []).append(e)
    return out


def exact_counts(gold: Iterable[TokenEntity], pred: Iterable[TokenEntity]) -> dict[str, Counts]:
    """Per label: exact-match true positives, false positives and false negatives."""
    gold_set, pred_set = set(gold), set(pred)
    labels = {e[2] for e in gold_set | pred_set}
    out = {}
    for label in sorted(labels):
        g = {e for e in gold_set if e[2] == label}
        p = {e for e in pred_set if e[2] == label}
        out[label] = Counts(tp=len(g & p), fp=len(p - g), fn=len(g - p))
    return out


def partial_counts(gold: Iterable[TokenEntity], pred: Iterable[TokenEntity]) -> dict[str, Counts]:
    """Per label: one-to-one overlap matches (greedy, left to right) and the unmatched."""
    golds, preds = _by_label(set(gold)), _by_label(set(pred))
    out = {}
    for label in sorted(golds.keys() | preds.keys()):
        g_list = sorted(golds.get(label, []))
        p_list = sorted(preds.get(label, []))
        used = [False] * len(p_list)
        tp = 0
        for first, last, _ in g_list:
            for k, (pf, pl, _) in enumerate(p_list):
                if not used[k] and pf <= last and first <= pl:
                    used[k] = True
                    tp += 1
                    break
        out[label] = Counts(tp=tp, fp=len(p_list) - tp, fn=len(g_list) - tp)
    return out


def normalise(name: str) -> str:
    """The form two written names must share to count as one at document level: case,
    white space, a leading "the", a trailing possessive and edge punctuation do not count."""
    text = _EDGE_PUNCT.sub("", _SPACES.sub(" ", name))
    text = _EDGE_PUNCT.sub("", _POSSESSIVE.sub("", text)).casefold()
    if text.startswith("the "):
        text = text[4:]
    return text


def document_counts(gold_names: Iterable[str], pred_names: Iterable[str]) -> Counts:
    """One document: distinct normalised gold names against distinct normalised predicted ones."""
    g = {n for n in map(normalise, gold_names) if n}
    p = {n for n in map(normalise, pred_names) if n}
    return Counts(tp=len(g & p), fp=len(p - g), fn=len(g - p))


def add_counts(total: dict[str, Counts], part: Mapping[str, Counts]) -> dict[str, Counts]:
    """`total` with `part` added label by label (in place; returned for chaining)."""
    for label, c in part.items():
        total[label] = total.get(label, Counts()) + c
    return total


def micro(counts: Mapping[str, Counts]) -> Counts:
    """All labels summed."""
    total = Counts()
    for c in counts.values():
        total += c
    return total
