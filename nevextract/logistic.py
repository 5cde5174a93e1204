"""Logistic regression as data: the weights a training script wrote, applied with numpy.

nevextract's statistical decisions (is this line article text, is this span an organisation's
name) are logistic regressions over hand-made features. Training needs scikit-learn; applying
the weights is a standardisation and a dot product, so nothing beyond numpy (which spaCy
already brings) is needed at run time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

from nevextract.patterns import PatternError, Problem

T = TypeVar("T")


@dataclass(frozen=True)
class Logistic:
    """Weights over standardised features: P = sigmoid(((x - mean) / scale) . weights + bias)."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """One probability per row of `x` (rows are items, columns the features)."""
        if len(x) == 0:
            return np.zeros(0)
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    @staticmethod
    def fields(m: Mapping[str, Any], n_features: int) -> dict[str, Any]:
        """The constructor's arguments from a JSON object; raises ValueError when the vectors
        do not have one value per feature."""
        out = {k: np.array(m[k], dtype=float) for k in ("mean", "scale", "weights")}
        if any(v.shape != (n_features,) for v in out.values()):
            raise ValueError(f"mean, scale and weights must each have {n_features} values")
        return {**out, "bias": float(m["bias"])}

    def to_json(self) -> dict[str, Any]:
        return {"mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
                "weights": self.weights.round(6).tolist(), "bias": round(self.bias, 6)}


def fit_logistic(x: np.ndarray, y: np.ndarray, c: float) -> dict[str, Any]:
    """The constructor's arguments of a class-balanced logistic regression fitted on
    standardised `x` (training time only: needs scikit-learn, a `train` extra)."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0  # a feature constant in training carries no weight
    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit((x - mean) / scale, y)
    return {"mean": mean, "scale": scale, "weights": clf.coef_[0], "bias": float(clf.intercept_[0])}


class HasFeatures(Protocol):
    x: np.ndarray  # one row of features per item of a training unit (a page, a document)


U = TypeVar("U", bound=HasFeatures)


def out_of_fold(units: Sequence[U], fit: Callable[[Sequence[U]], Logistic], folds: int) -> list[np.ndarray]:
    """Each unit's probabilities from a model fitted without its fold (unit i is in fold
    i % folds): what cross-validation scores."""
    out: list[np.ndarray] = [np.zeros(0)] * len(units)
    for k in range(folds):
        model = fit([u for i, u in enumerate(units) if i % folds != k])
        for i, u in enumerate(units):
            if i % folds == k:
                out[i] = model.probabilities(u.x)
    return out


def strongest(features: Sequence[str], weights: np.ndarray, n: int = 10) -> str:
    """The `n` largest standardised weights, for a training script's report."""
    top = sorted(zip(features, weights.tolist()), key=lambda fw: -abs(fw[1]))[:n]
    return ", ".join(f"{name} {w:+.2f}" for name, w in top)


def read_weights(path: Path, features: Sequence[str]) -> dict[str, Any]:
    """A weights file's JSON; raises ValueError when it was trained on other features."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != tuple(features):
        raise ValueError(f"{path}: its features are not the ones this version computes; retrain it")
    return data


def load_last(dirs: Sequence[Path], file_name: str, load: Callable[[Path], T], what: str) -> T | None:
    """`load` of the `file_name` in the last folder that has one (a user's retrained model wins
    over the shipped one), or None when no folder has one; a file `load` cannot read is a
    PatternError naming it."""
    files = [d / file_name for d in dirs if (d / file_name).is_file()]
    if not files:
        return None
    try:
        return load(files[-1])
    except (ValueError, KeyError, TypeError) as exc:
        raise PatternError([Problem(str(files[-1]), 1, f"not {what} this version can read: {exc}")]) from exc


def write_weights(path: Path, data: Mapping[str, Any]) -> None:
    """A training script's weights file, written whole or not at all."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {path}")
