"""The line classifier: is this line of a page article text or boilerplate?

Hand-written line rules know what a menu or a "Related stories" marker looks like, but not
where an article ends on a site they have never seen. This model reads each line with its
neighbours — length, stop-word and punctuation density, capitals, position, repetition, how
much prose surrounds it, which rules fire on it — and gives the probability that it belongs
to the article, in the manner of jusText and boilerpipe's shallow text features.

The weights are data (`patterns/line_classifier.json`), written by
`training/train_line_classifier.py` from the development corpora; applying them is a dot
product per line, with no dependency beyond numpy (which spaCy already brings). There is
one weight vector per input kind: a text dump (every visible line of the page) and the
main content trafilatura found in an HTML page (already mostly article: the model decides
the lines that trafilatura's precise and recall-oriented readings disagree on).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import regex

from nevextract.logistic import Logistic, read_weights

_WORD = regex.compile(r"\w+")
_PUNCT = regex.compile(r"[.,;:!?。，；：！？]")
_SENTENCE_END = regex.compile(r"""[.!?。！？]["'”’)\]]*$""")
_ADDRESS = regex.compile(r"https?://|www\.|\b[\w.+-]{1,64}@[\w-]{1,63}\.\w|\B@\w")
LINE_CLASSIFIER_FILE = "line_classifier.json"  # in a patterns folder

_SEPARATORS = regex.compile(r"\s[|•·»>/]\s|\s{3,}|\|")


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Function words of the languages web pages are mostly written in: a line of prose is
    full of them whatever its language, a menu or a list of names has few."""
    from spacy.lang.de.stop_words import STOP_WORDS as DE
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.es.stop_words import STOP_WORDS as ES
    from spacy.lang.fr.stop_words import STOP_WORDS as FR
    from spacy.lang.it.stop_words import STOP_WORDS as IT
    from spacy.lang.nl.stop_words import STOP_WORDS as NL
    from spacy.lang.pt.stop_words import STOP_WORDS as PT

    return frozenset().union(EN, DE, FR, ES, IT, PT, NL)


@dataclass(frozen=True)
class LineFacts:
    """What the line rules already know about one line, handed to the classifier."""

    text: str
    words: int
    prose: bool  # reads like an article sentence (`text.Block.prose`)
    rule: bool  # a generic or profile line rule calls it boilerplate
    cut: bool  # a rule marks it as the start of a tail ("Related stories")
    menu: bool
    label: bool  # a short all-capitals label
    list_item: bool
    date_like: bool
    key: str  # its identity for repetition (`text.norm_key`)


# The order of the features; the weights file names them, and loading checks they agree.
FEATURES: tuple[str, ...] = (
    "log_words", "words_ge_5", "words_ge_12", "words_ge_30", "lower_share", "stop_share",
    "ends_sentence", "ends_colon", "punct_per_word", "digit_share", "title_share", "address",
    "separators", "list_item", "menu", "label", "rule", "date_like", "prose",
    "position", "words_before_share", "repeated", "after_cut", "in_prose_stretch",
    "before_prose_stretch", "after_prose_stretch", "log_dist_to_prose", "prose_window",
    "prev_prose", "next_prose", "prev_log_words", "next_log_words", "prev_rule", "next_rule",
    "page_prose_share", "log_page_lines", "in_precise", "table_row",
)


def _own(f: LineFacts) -> list[float]:
    text = f.text[:3000]
    tokens = _WORD.findall(text)
    n_tokens = max(len(tokens), 1)
    # str predicates mapped in C: three times faster than regex findall, the same counts
    # as \p{L} / \p{Ll} / \d on all but 22 of 167,000 development lines
    letters = sum(map(str.isalpha, text)) or 1
    stops = stop_words()
    return [
        math.log1p(f.words), float(f.words >= 5), float(f.words >= 12), float(f.words >= 30),
        sum(map(str.islower, text)) / letters,
        sum(t.casefold() in stops for t in tokens) / n_tokens,
        float(_SENTENCE_END.search(text[-20:]) is not None),
        float(text.rstrip().endswith((":", "："))),
        min(len(_PUNCT.findall(text)) / n_tokens, 1.0),
        sum(map(str.isdecimal, text)) / max(len(text), 1),
        sum(t[0].isupper() for t in tokens) / n_tokens,
        float(_ADDRESS.search(text) is not None),
        float(len(_SEPARATORS.findall(text)) >= 2),
        float(f.list_item), float(f.menu), float(f.label), float(f.rule), float(f.date_like), float(f.prose),
    ]


def features(lines: Sequence[LineFacts], in_precise: Sequence[bool] | None = None) -> np.ndarray:
    """One row of `FEATURES` per line, the line read in its page."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    own = np.array([_own(f) for f in lines], dtype=float)
    prose = np.array([f.prose for f in lines], dtype=float)
    rule = np.array([f.rule for f in lines], dtype=float)
    log_words = own[:, 0]
    counts = Counter(f.key for f in lines)
    prose_at = np.flatnonzero(prose)
    first = prose_at[0] if len(prose_at) else n
    cut_at = next((i for i in range(n) if lines[i].cut and i > first), n)  # a tail marker ends the article
    before_cut = prose_at[prose_at < cut_at]
    last = before_cut[-1] if len(before_cut) else -1
    words = np.array([f.words for f in lines], dtype=float)
    before = np.concatenate([[0.0], np.cumsum(words)[:-1]]) / max(words.sum(), 1.0)
    index = np.arange(n)
    if len(prose_at):
        right = np.searchsorted(prose_at, index)
        dist = np.minimum(
            np.abs(index - prose_at[np.clip(right, 0, len(prose_at) - 1)]),
            np.abs(index - prose_at[np.clip(right - 1, 0, len(prose_at) - 1)]),
        )
    else:
        dist = np.full(n, n, dtype=float)
    window = np.convolve(np.pad(prose, 3), np.ones(7), mode="valid") / 7
    shifted = lambda a, k: np.roll(np.pad(a, 1), k)[1:-1]  # noqa: E731 - a[i-1] (k=1) or a[i+1] (k=-1), 0 past the ends
    context = np.column_stack([
        index / max(n - 1, 1), before,
        np.array([counts[f.key] > 1 for f in lines], dtype=float),
        (index >= cut_at).astype(float),
        ((index >= first) & (index <= last)).astype(float),
        (index < first).astype(float), (index > last).astype(float),
        np.log1p(dist), window,
        shifted(prose, 1), shifted(prose, -1), shifted(log_words, 1), shifted(log_words, -1),
        shifted(rule, 1), shifted(rule, -1),
        np.full(n, prose.mean()), np.full(n, math.log1p(n)),
        np.array(in_precise if in_precise is not None else [1.0] * n, dtype=float),
        np.array(table_rows([f.text for f in lines]), dtype=float),
    ])
    return np.hstack([own, context])


def table_rows(texts: Sequence[str]) -> list[bool]:
    """Lines split by "|" into as many cells as the line before or after: rows of a table,
    not a menu (a menu is one line of items)."""
    cells = [t.count("|") + 1 if "|" in t else 0 for t in texts]
    return [
        c >= 2 and ((i > 0 and cells[i - 1] == c) or (i + 1 < len(cells) and cells[i + 1] == c))
        for i, c in enumerate(cells)
    ]


@dataclass(frozen=True)
class LineModel(Logistic):
    """Logistic regression weights for one input kind, with the thresholds that decide."""

    threshold: float  # a line in the stretch of prose is kept from this probability
    threshold_outside: float  # a line above or below it needs this much

    def keeps(self, x: np.ndarray) -> list[bool]:
        """Whether each line (a row of `features`) is article text."""
        return keep_lines(self.probabilities(x), x, self.threshold, self.threshold_outside)


# A run of at most this many list items between two kept lines is part of the article.
_LIST_RUN = 8
# A paragraph continues the kept article across this many short lines no rule names (an
# image's alt text, a label): on the development pages it costs 0.1 point of F1, and it
# keeps a last paragraph that a stray line separates from the rest.
_GAP = 1


def keep_lines(probabilities: np.ndarray, x: np.ndarray, inside: float, outside: float) -> list[bool]:
    """The decision from the probabilities, then readings of the article's shape that
    one line's probability cannot see (as jusText revisits short blocks by their neighbours):

    - a line in the stretch of prose is kept from `inside`, one above or below it from `outside`;
    - a prose paragraph that follows a kept line continues the article whatever its
      probability (the model reads the end of a page as footer, but a page saved without
      one ends with the article); lines a rule removed (an ad, a caption) do not break it;
    - a run of list items, table rows or lead-in lines ("Key figures:") between two kept
      lines in the stretch is part of the article, and so is one short line the page
      does not repeat (a subheading) between two kept paragraphs;
    - list items and table rows right after a kept lead-in, list item or table row, or a
      table right after a kept paragraph, continue it until the run ends or a tail marker;
      so does a lead-in after a kept paragraph when a list follows it.
    """
    n = len(probabilities)
    col = {name: x[:, FEATURES.index(name)] > 0 for name in (
        "in_prose_stretch", "prose", "rule", "list_item", "table_row", "ends_colon", "after_cut", "words_ge_12", "repeated", "ends_sentence")} if n else {}
    keep = [bool(q >= (inside if s else outside)) for q, s in zip(probabilities.tolist(), col.get("in_prose_stretch", []))]
    _continue_prose(keep, col)
    listish = [bool(a or b or c) for a, b, c in zip(col.get("list_item", []), col.get("table_row", []), col.get("ends_colon", []))]
    i = 0
    while i < n:
        if keep[i] or col["rule"][i]:
            i += 1
            continue
        j = i
        while j < n and not keep[j] and not col["rule"][j]:
            j += 1
        between = 0 < i and j < n and keep[i - 1] and keep[j]
        if between and j - i <= _LIST_RUN and all(col["in_prose_stretch"][k] and listish[k] for k in range(i, j)):
            keep[i:j] = [True] * (j - i)
        elif between and j - i == 1 and col["prose"][i - 1] and (col["words_ge_12"][j] or col["ends_sentence"][j]) and not (col["words_ge_12"][i] or col["repeated"][i]):
            keep[i] = True  # a subheading between two kept paragraphs
        i = j
    items = [bool(a or b) for a, b in zip(col.get("list_item", []), col.get("table_row", []))]
    for i in range(1, n):
        if keep[i] or col["rule"][i] or col["after_cut"][i] or not keep[i - 1]:
            continue
        if items[i] and (listish[i - 1] or (col["table_row"][i] and col["prose"][i - 1])):
            keep[i] = True
        elif col["ends_colon"][i] and col["prose"][i - 1] and i + 1 < n and items[i + 1] and not col["rule"][i + 1]:
            keep[i] = True  # "The main figures:" after the last paragraph, introducing a list
    _continue_prose(keep, col)  # the paragraph after a list kept above
    return keep


def _continue_prose(keep: list[bool], col: dict[str, np.ndarray]) -> None:
    """Keep each prose paragraph in the stretch whose previous line (past lines a rule
    removed, and `_GAP` other short lines) is kept."""
    previous = False
    gap = 0
    for i in range(len(keep)):
        if col["rule"][i]:
            continue
        if not keep[i] and previous and col["in_prose_stretch"][i] and col["prose"][i]:
            keep[i] = True
        if keep[i] or col["prose"][i] or gap >= _GAP:
            previous = keep[i]
            gap = 0
        else:
            gap += 1


@dataclass(frozen=True)
class LineClassifier:
    text: LineModel  # for text dumps
    html: LineModel  # for the main content of an HTML page
    about: dict[str, object]

    @classmethod
    def load(cls, path: Path) -> LineClassifier:
        data = read_weights(path, FEATURES)
        models = {
            kind: LineModel(
                **Logistic.fields(m, len(FEATURES)),
                threshold=float(m["threshold"]), threshold_outside=float(m["threshold_outside"]),
            )
            for kind, m in data["models"].items()
        }
        return cls(text=models["text"], html=models["html"], about=dict(data.get("about", {})))
