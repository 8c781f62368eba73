"""Logistic models over named features, fit with scikit-learn and shipped as plain weights.

A model is a table of weights per group (one group per entity or relation
type): P = sigmoid(bias + sum of weight * value over the features present).
Weights go into decisions.json as JSON, so using a model needs no pickle and
no scikit-learn; only fitting it does (`pip install 'parkkg[train]'`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from ..errors import KgError

FeatureValues = Mapping[str, float]  # feature name -> value (1.0 for a feature that is simply present)
BIAS = "__bias__"


def as_features(names: Iterable[str]) -> dict[str, float]:
    return dict.fromkeys(names, 1.0)


class LogisticModel:
    """Weights per group; `probability` of a group's sample."""

    def __init__(self, weights: Mapping[str, Mapping[str, float]]) -> None:
        self.weights = {group: dict(w) for group, w in weights.items()}

    def probability(self, group: str, features: FeatureValues) -> float:
        w = self.weights.get(group)
        if not w:
            return 0.0
        z = w.get(BIAS, 0.0) + sum(w.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def fit(samples: Sequence[tuple[str, FeatureValues, bool]], c: float = 1.0) -> dict[str, dict[str, float]]:
    """Weights per group, each group's samples fit by an L2-penalised logistic regression.

    A group whose samples are all of one class gets no weights (probability 0).
    """
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:  # pragma: no cover - the train extra installs it
        raise KgError("fitting models needs scikit-learn: pip install 'parkkg[train]'") from exc
    weights: dict[str, dict[str, float]] = {}
    for group in sorted({g for g, _, _ in samples}):
        rows = [(f, y) for g, f, y in samples if g == group]
        if len({y for _, y in rows}) < 2:
            continue
        vectorizer = DictVectorizer()
        x = vectorizer.fit_transform([dict(f) for f, _ in rows])
        model = LogisticRegression(C=c, max_iter=5000)
        model.fit(x, [y for _, y in rows])
        w = {
            name: round(float(v), 5)
            for name, v in zip(vectorizer.feature_names_, model.coef_[0], strict=True)
            if abs(v) > 1e-6
        }
        w[BIAS] = round(float(model.intercept_[0]), 5)
        weights[group] = dict(sorted(w.items()))
    return weights
