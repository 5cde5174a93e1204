"""Train the line classifier (`nevextract/clean/lines.py`) and write its weights to
`patterns/line_classifier.json`.

    python training/train_line_classifier.py --data DIR   (make train-lines DATA=DIR)

DIR holds trafilatura's evaluation set as the accuracy harness reads it
(`DIR/trafilatura/tests/evaldata.json` and `eval/*.html`; docs/accuracy.md says how to get
it). Every page gives two inputs, as in the harness: its text dump (all visible text, one
block per line) and the main content trafilatura finds in its HTML. A line is labelled from
the page's snippets: article text when it holds a `with` snippet, boilerplate when it holds a
`without` one; other lines are not labelled and not trained on (but are the context of the
labelled ones).

One fifth of the pages (`accuracy.readers.webextract.held_out`) is never trained on: the
harness reports it apart, so the figures there are those of pages the model has not seen.
On the other four fifths, four-fold cross-validation picks the regularisation and the
decision threshold (the one that maximises trafilatura's snippet F1 over the pages), then
the model is fitted on all four. Logistic regression from scikit-learn (a training-time
dependency only), class-balanced; the run is deterministic.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from accuracy.metrics.webtext import SnippetCounts, count_snippets, norm  # noqa: E402
from accuracy.readers.webextract import SnippetPage, held_out, read_trafilatura_eval  # noqa: E402
from accuracy.tasks.boilerplate import dumper, page_url, text_dump  # noqa: E402

from nevextract.clean.html import extract_html  # noqa: E402
from nevextract.clean.lines import FEATURES, LINE_CLASSIFIER_FILE, LineModel, keep_lines  # noqa: E402
from nevextract.clean.profiles import BoilerplateModel, load_boilerplate  # noqa: E402
from nevextract.clean.text import Block, line_features, read_blocks  # noqa: E402
from nevextract.logistic import fit_logistic, out_of_fold, strongest, write_weights  # noqa: E402
from nevextract.patterns import shipped_dir  # noqa: E402

KINDS = ("text", "html")
FOLDS = 4
C_GRID = (0.1, 1.0, 10.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.05, 0.91, 0.05))
UNLABELLED = -1


@dataclass
class PageLines:
    """One page's lines in one input kind, their features and labels."""

    page: SnippetPage
    blocks: list[Block]
    x: np.ndarray
    y: np.ndarray  # 1 article, 0 boilerplate, -1 unlabelled


def label(line: str, with_snippets: Sequence[str], without_snippets: Sequence[str]) -> int:
    """1 when the line holds (or, from four words, lies inside) a `with` snippet, 0 for a
    `without` snippet, -1 when it holds neither or both."""
    text = norm(line)
    long_line = len(text.split()) >= 4

    def holds(snippets: Sequence[str]) -> bool:
        return any(norm(s) in text or (long_line and text in norm(s)) for s in snippets)

    article, boilerplate = holds(with_snippets), holds(without_snippets)
    return 1 if article and not boilerplate else 0 if boilerplate and not article else UNLABELLED


def page_lines(page: SnippetPage, kind: str, model: BoilerplateModel) -> PageLines:
    if kind == "text":
        blocks, _ = read_blocks(text_dump(page.html), model)
        x = line_features(blocks)
    else:
        html = extract_html(page.html, page_url(page))
        blocks, _ = read_blocks(html.text, model)
        x = line_features(blocks, html.precise.__contains__ if html.precise is not None else None)
    y = np.array([label(b.text, page.with_snippets, page.without_snippets) for b in blocks], dtype=int)
    return PageLines(page, blocks, x, y)


def fit(pages: Sequence[PageLines], c: float) -> LineModel:
    """Logistic regression on the labelled lines (thresholds are chosen apart, by `choose`)."""
    x = np.vstack([p.x[p.y != UNLABELLED] for p in pages])
    y = np.concatenate([p.y[p.y != UNLABELLED] for p in pages])
    return LineModel(**fit_logistic(x, y, c), threshold=0.5, threshold_outside=0.5)


def snippet_counts(pages: Sequence[PageLines], probabilities: Sequence[np.ndarray], inside: float, outside: float) -> SnippetCounts:
    """trafilatura's snippet counts of the bodies the thresholds give: `inside` for lines in
    the stretch of prose, `outside` for the others (`lines.keep_lines`, as at run time)."""
    total = SnippetCounts()
    for p, prob in zip(pages, probabilities):
        body = "\n".join(b.text for b, kept in zip(p.blocks, keep_lines(prob, p.x, inside, outside)) if kept)
        total += count_snippets(p.page.with_snippets, p.page.without_snippets, body)
    return total


# Outside the stretch of prose a line must be likelier article text than inside it: the
# highest outside threshold whose F1 is within this many points of the best is taken, as
# a kept menu line costs a reader more than a lost closing list item.
OUTSIDE_SLACK = 0.25


def choose(pages: list[PageLines]) -> tuple[float, float, float, float]:
    """The C and the inside and outside thresholds with the best cross-validated snippet
    F1 (in percent), and that F1: first C and one threshold for all lines, then the outside
    threshold for that C and inside threshold."""
    results: list[tuple[float, float, float]] = []  # F1, C, threshold
    probabilities: dict[float, list[np.ndarray]] = {}
    for c in C_GRID:
        out = probabilities[c] = out_of_fold(pages, lambda part: fit(part, c), FOLDS)  # noqa: B023 - called at once
        results.extend((100 * snippet_counts(pages, out, t, t).f1, c, t) for t in THRESHOLDS)
    best_f1, c, inside = max(results)
    outside = [(100 * snippet_counts(pages, probabilities[c], inside, t).f1, t) for t in THRESHOLDS if t >= inside]
    best_f1 = max(f1 for f1, _ in outside)
    f1, threshold = max((r for r in outside if r[0] >= best_f1 - OUTSIDE_SLACK), key=lambda r: r[1])
    return c, inside, threshold, f1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of unpacked corpora (holds trafilatura/tests)")
    parser.add_argument("--out", type=Path, default=shipped_dir() / LINE_CLASSIFIER_FILE)
    args = parser.parse_args(argv)

    corpus = read_trafilatura_eval(args.data / "trafilatura" / "tests")
    train_pages = [p for p in corpus.pages if not held_out(p.id)]
    rules = load_boilerplate([shipped_dir()], classifier=False)  # features never depend on a previous model
    models: dict[str, dict[str, object]] = {}
    for kind in KINDS:
        pages = [page_lines(p, kind, rules) for p in train_pages]
        c, inside, outside, cv_f1 = choose(pages)
        final = fit(pages, c)
        labelled = np.concatenate([p.y for p in pages])
        models[kind] = {
            **final.to_json(),
            "threshold": inside, "threshold_outside": outside,
            "C": c, "cross_validated_snippet_f1": round(cv_f1, 2),
            "lines": int(sum(len(p.y) for p in pages)),
            "labelled": {"article": int((labelled == 1).sum()), "boilerplate": int((labelled == 0).sum())},
        }
        print(f"{kind}: C={c} thresholds {inside} / {outside} cross-validated snippet F1 {cv_f1:.1f}; strongest: "
              + strongest(FEATURES, final.weights, 8))
    data = {
        "features": list(FEATURES),
        "models": models,
        "about": {
            "trained_on": f"trafilatura tests/evaldata.json: {len(train_pages)} of {len(corpus.pages)} pages "
                          "(the held-out fifth never), text dumps and HTML main content",
            "dump": dumper()[0],
            "trained": dt.date.today().isoformat(),
            "script": "training/train_line_classifier.py",
        },
    }
    write_weights(args.out, data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
