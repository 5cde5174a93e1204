"""Train the name classifier (`nevextract/components/organisation_names.py`) and write its
weights to `patterns/organisation_classifier.json`.

    python training/train_organisation_classifier.py --data DIR   (make train-orgs DATA=DIR)

DIR holds FiNER-ORD as the accuracy harness reads it (`DIR/finer-ord/data/train/train.csv`;
docs/accuracy.md says how to get it). Only the train split is trained on: the validation
split stays unseen, and the harness reports both (the test split is held back and never
read). Every document goes through the hybrid pipeline, and every candidate the
organisations component reads from the model becomes a row of features, labelled 1 when its
name is exactly a gold ORG entity (the rules' candidates are not judged at run time).

Four-fold cross-validation over documents picks the regularisation and the threshold with
the best mention F1 (recall over every gold ORG mention, whoever could find it)
among those of at least `MIN_PRECISION`, then the model is fitted on all of train. Logistic regression from scikit-learn (a training-time
dependency only), class-balanced; the run is deterministic.

FiNER-ORD is CC BY-NC 4.0: the weights written here are derived from it.
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

from accuracy.readers.bio import Document, read_finer_ord  # noqa: E402

from nevextract.components.organisation_names import CLASSIFIER_FILE, FEATURES, NameModel, name_features  # noqa: E402
from nevextract.components.organisations import OrganisationFinder  # noqa: E402
from nevextract.logistic import fit_logistic, out_of_fold, strongest, write_weights  # noqa: E402
from nevextract.nlp import build_pipeline  # noqa: E402
from nevextract.patterns import shipped_dir  # noqa: E402

# Of the thresholds with the best F1 (it is flat around its peak), one that keeps this
# precision: news pages name many products and places the model calls organisations.
MIN_PRECISION = 69.0
FOLDS = 4
C_GRID = (0.01, 0.1, 1.0, 10.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.1, 0.91, 0.05))


@dataclass
class DocRows:
    x: np.ndarray  # the model's candidates: features
    y: np.ndarray  # and labels
    spans: list[tuple[int, int]]  # and their names' character offsets
    ruled: set[tuple[int, int]]  # offsets of the rules' candidates, kept whatever the classifier says
    gold: set[tuple[int, int]]  # gold ORG mentions, found or not


def doc_rows(finder: OrganisationFinder, nlp_doc: object, doc: Document) -> DocRows:
    """The candidates of one document: the model's as features and labels, the rules' as
    the offsets they always add."""
    gold = {(e.start, e.end) for e in doc.entities if e.label == "ORG"}
    model, spans, ruled = [], [], set()
    for c in finder.candidates(nlp_doc):  # type: ignore[arg-type]
        span = nlp_doc[c.start : c.end]  # type: ignore[index]
        form = finder.pats.clean_name(span.text)
        offsets = finder._name_offsets(span, form) if form else (-1, -1)
        if c.by == {"model"}:
            model.append(c)
            spans.append(offsets)
        elif form:
            ruled.add(offsets)
    x = name_features(finder, nlp_doc, model)  # type: ignore[arg-type]
    return DocRows(x, np.array([int(s in gold) for s in spans], dtype=int), spans, ruled, gold)


def fit(docs: Sequence[DocRows], c: float) -> NameModel:
    x = np.vstack([d.x for d in docs])
    y = np.concatenate([d.y for d in docs])
    return NameModel(**fit_logistic(x, y, c), threshold=0.5)


def mention_counts(docs: Sequence[DocRows], probabilities: Sequence[np.ndarray], threshold: float) -> tuple[float, float]:
    """Mention precision and F1 (percent) of the names kept at `threshold` with the rules'
    (distinct offsets; recall over every gold mention)."""
    tp = fp = gold = 0
    for d, p in zip(docs, probabilities):
        kept = d.ruled | {s for s, q in zip(d.spans, p.tolist()) if q >= threshold}
        tp += len(kept & d.gold)
        fp += len(kept - d.gold)
        gold += len(d.gold)
    precision = 100 * tp / (tp + fp) if tp + fp else 0.0
    return precision, (200 * tp / (tp + fp + gold) if gold else 0.0)


def choose(docs: list[DocRows], min_precision: float) -> tuple[float, float, float, float]:
    """The C and threshold with the best cross-validated mention F1 among those with at
    least `min_precision` (the best F1 overall when none reaches it), with their precision
    and F1."""
    results: list[tuple[float, float, float, float]] = []  # F1, precision, C, threshold
    for c in C_GRID:
        out = out_of_fold(docs, lambda part: fit(part, c), FOLDS)  # noqa: B023 - called at once
        for t in THRESHOLDS:
            precision, f1 = mention_counts(docs, out, t)
            results.append((f1, precision, c, t))
    f1, precision, c, threshold = max([r for r in results if r[1] >= min_precision] or results)
    return c, threshold, precision, f1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder of unpacked corpora (holds finer-ord/)")
    parser.add_argument("--out", type=Path, default=shipped_dir() / CLASSIFIER_FILE)
    args = parser.parse_args(argv)

    corpus = read_finer_ord(args.data / "finer-ord" / "data" / "train" / "train.csv")
    nlp = build_pipeline("hybrid", components=False)
    finder = OrganisationFinder(nlp, use_rules=True, use_model=True, classify=False)
    docs = [doc_rows(finder, nd, d) for nd, d in zip(nlp.pipe(d.text for d in corpus), corpus)]
    c, threshold, cv_precision, cv_f1 = choose(docs, MIN_PRECISION)
    final = fit(docs, c)
    labels = np.concatenate([d.y for d in docs])
    model = {
        **final.to_json(), "threshold": threshold, "C": c,
        "cross_validated_mention_precision": round(cv_precision, 2), "cross_validated_mention_f1": round(cv_f1, 2),
        "candidates": int(len(labels)), "names": int(labels.sum()), "gold": sum(len(d.gold) for d in docs),
    }
    print(f"C={c} threshold {threshold} cross-validated mention P {cv_precision:.1f} F1 {cv_f1:.1f}; strongest: "
          + strongest(FEATURES, final.weights))
    data = {
        "features": list(FEATURES),
        "model": model,
        "about": {
            "trained_on": f"FiNER-ORD data/train/train.csv: {len(corpus)} documents (validation and test never)",
            "licence": "derived from FiNER-ORD, CC BY-NC 4.0",
            "trained": dt.date.today().isoformat(),
            "script": "training/train_organisation_classifier.py",
        },
    }
    write_weights(args.out, data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
