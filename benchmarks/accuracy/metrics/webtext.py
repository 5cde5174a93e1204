"""Scores of extracted main text: trafilatura's snippet counts, and bag-of-tokens P/R/F1.

Snippets (trafilatura's tests/eval_common.py, `norm` and `count_item`): each `with` snippet
found in the extracted text is a true positive, else a false negative; each `without`
snippet found is a false positive, else a true negative. "Found" is Python's substring
test after collapsing every run of white space to one space and stripping both ends, on
the snippet and on the text alike; case and punctuation are kept, as trafilatura keeps
them. No text (an extractor that failed) finds nothing: all `with` snippets are false
negatives and all `without` snippets true negatives, as trafilatura scores a crash. The
counts are summed over pages (micro), and precision, recall, accuracy and F-score are
computed from the sums, as its `ConfusionMatrix.scores` does.

Tokens (for gold that is the article's full text, as in the article-extraction and
web-content-extraction benchmarks): the text's lower-cased words (`\\w+` runs), compared as
multisets; the overlap is the size of their multiset intersection. Per page,
P = overlap / extracted tokens and R = overlap / expected tokens; the corpus figure is the
mean over pages of P, of R and of each page's F1 (macro averaging, as those benchmarks do,
so a long page weighs no more than a short one; the mean F1 is not recomputed from the
mean P and R). Edge cases: nothing extracted from a page with an article scores 0/0/0 (a
miss, like a crash above); nothing expected and nothing extracted scores 1/1/1; nothing
expected but something extracted scores P=0, R=1, F1=0.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import regex

from accuracy.core import Counts

# stdlib `re`, not `regex`: trafilatura's `norm` uses `re`, whose \s is str.isspace()
# (it includes \x1c-\x1f, which regex's \s leaves out); the same class keeps the same counts
_SPACE = re.compile(r"\s+")
_WORD = regex.compile(r"\w+")


# ----------------------------------------------------------------------------- snippets


def norm(text: str) -> str:
    """trafilatura's `norm`: white-space runs to one space, ends stripped."""
    return _SPACE.sub(" ", text).strip()


@dataclass
class SnippetCounts(Counts):
    """trafilatura's confusion matrix over snippets: the harness's counts (precision and
    recall as there) plus true negatives (whole numbers here)."""

    tn: int = 0

    def __add__(self, other: SnippetCounts) -> SnippetCounts:  # type: ignore[override]
        return SnippetCounts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn, self.tn + other.tn)

    def __iadd__(self, other: SnippetCounts) -> SnippetCounts:  # type: ignore[override]
        super().__iadd__(other)
        self.tn += other.tn
        return self

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 0.0

    @property
    def f1(self) -> float:
        """trafilatura's formula, 2TP / (2TP + FP + FN): equal to `Counts.f1` (2PR / (P + R))
        in exact arithmetic, but not always once rounded, so kept for the same figures."""
        denom = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denom if denom else 0.0

    def as_counts(self) -> Counts:
        """The harness's TP/FP/FN (true negatives have no place there)."""
        return Counts(self.tp, self.fp, self.fn)

    def scores(self) -> dict[str, float]:
        """P, R, F1 and accuracy in percent, rounded for a table."""
        return {
            "P": round(100 * self.precision, 1), "R": round(100 * self.recall, 1),
            "F1": round(100 * self.f1, 1), "accuracy": round(100 * self.accuracy, 1),
        }


def count_snippets(with_snippets: Sequence[str], without_snippets: Sequence[str], text: str | None) -> SnippetCounts:
    """One page's counts for the extracted `text` (None when the extractor gave nothing)."""
    if text is None:
        return SnippetCounts(0, 0, len(with_snippets), len(without_snippets))
    hay = norm(text)
    tp = sum(norm(s) in hay for s in with_snippets)
    fp = sum(norm(s) in hay for s in without_snippets)
    return SnippetCounts(tp, fp, len(with_snippets) - tp, len(without_snippets) - fp)


# ----------------------------------------------------------------------------- tokens


def words(text: str) -> list[str]:
    """The lower-cased word tokens of `text`."""
    return _WORD.findall(text.lower())


def token_counts(expected: str, extracted: str | None) -> Counts:
    """TP = multiset overlap of the word tokens, FP = extracted tokens beyond it,
    FN = expected tokens beyond it."""
    gold, pred = Counter(words(expected)), Counter(words(extracted or ""))
    overlap = sum((gold & pred).values())
    return Counts(overlap, sum(pred.values()) - overlap, sum(gold.values()) - overlap)


def token_prf(expected: str, extracted: str | None) -> tuple[float, float, float]:
    """One page's bag-of-tokens precision, recall and F1 (fractions; edge cases above)."""
    c = token_counts(expected, extracted)
    n_gold, n_pred = c.tp + c.fn, c.tp + c.fp
    if n_gold == 0:
        return (1.0, 1.0, 1.0) if n_pred == 0 else (0.0, 1.0, 0.0)
    if n_pred == 0:
        return 0.0, 0.0, 0.0
    return c.precision, c.recall, c.f1


def mean_token_prf(pairs: Iterable[tuple[str, str | None]]) -> dict[str, float]:
    """Macro P, R and F1 in percent (rounded) over (expected, extracted) pages, and `pages`."""
    scores = [token_prf(expected, extracted) for expected, extracted in pairs]
    if not scores:
        return {"P": 0.0, "R": 0.0, "F1": 0.0, "pages": 0}
    n = len(scores)
    return {
        "P": round(100 * sum(s[0] for s in scores) / n, 1),
        "R": round(100 * sum(s[1] for s in scores) / n, 1),
        "F1": round(100 * sum(s[2] for s in scores) / n, 1),
        "pages": n,
    }
