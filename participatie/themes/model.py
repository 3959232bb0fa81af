"""The learned layer of the coder: logistic regression over the rules' output and the words.

The rules alone (indicators and the sentiment lexicon) reach a theme micro-F1 of about 0.7 on
answers written by other people than their authors; weighing the rules together with the
answer's words, trained on a few thousand hand-labelled answers, reaches about 0.85 (see
docs/performance.md, "Themes: quality"). The layer is small and plain:

- per theme, a binary logistic regression: a theme is given when its probability reaches the
  threshold (at most three themes, the most probable first);
- for sentiment, one multinomial logistic regression over −1, 0 and +1;
- features as in `text.features`; weights are stored per feature, so scoring an answer is one
  dictionary lookup per feature — no numerical library is needed to *use* a model.

Training needs scikit-learn and happens offline: `flask themes train` rebuilds the shipped model
from the shipped corpus (`data/training.jsonl`), and the nightly learning run (`learning.py`)
trains one with the reviewed answers added, kept only when it does better on them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
DEFAULT_MODEL = DATA / "coder_model.json.gz"
TRAINING_CORPUS = DATA / "training.jsonl"
FORMAT = 1
SENTIMENTS = (-1, 0, 1)

# Chosen by cross-validation per writer on the corpus (docs/performance.md).
THEME_C = 3.0
SENTIMENT_C = 0.3
THEME_THRESHOLD = 0.4
MIN_POSITIVES = 5  # a theme with fewer labelled answers gets no learned weights: rules decide
MIN_DOCUMENTS = 2  # a feature seen in fewer training answers is left out
KEEP_WEIGHT = 0.002  # smaller weights are dropped from the stored model
DIGITS = 4


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


@dataclass(frozen=True)
class LinearLayer:
    """Weights per feature for several labels: score(label) = intercept + Σ weight × value.

    Each feature's weights are one compact array, one number per label (most features matter
    for several labels, and an array of ten doubles is a fraction of ten Python floats)."""

    labels: tuple[str, ...]
    intercepts: tuple[float, ...]
    weights: Mapping[str, array[float]]

    def scores(self, features: Mapping[str, float]) -> list[float]:
        totals = list(self.intercepts)
        weights = self.weights
        size = len(totals)
        for name, value in features.items():
            found = weights.get(name)
            if found is not None:
                for index in range(size):
                    totals[index] += found[index] * value
        return totals

    def weight(self, name: str, label_index: int) -> float:
        found = self.weights.get(name)
        return found[label_index] if found is not None else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "intercepts": [round(value, DIGITS) for value in self.intercepts],
            "weights": {
                name: [round(weight, DIGITS) for weight in weights]
                for name, weights in sorted(self.weights.items())
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> LinearLayer:
        labels = tuple(str(label) for label in data["labels"])
        weights = {}
        for name, values in data["weights"].items():
            if len(values) != len(labels):
                raise ValueError(f"feature {name!r} has {len(values)} weights, not {len(labels)}")
            weights[str(name)] = array("d", values)
        return cls(labels, tuple(float(value) for value in data["intercepts"]), weights)


@dataclass(frozen=True)
class CoderModel:
    themes: LinearLayer
    sentiment: LinearLayer
    threshold: float = THEME_THRESHOLD
    meta: Mapping[str, Any] = field(default_factory=dict)

    def theme_probabilities(self, features: Mapping[str, float]) -> dict[str, float]:
        scores = self.themes.scores(features)
        return {
            slug: _sigmoid(score) for slug, score in zip(self.themes.labels, scores, strict=True)
        }

    def sentiment_probabilities(self, features: Mapping[str, float]) -> dict[int, float]:
        scores = self.sentiment.scores(features)
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        total = sum(exps)
        return {
            int(label): exp / total for label, exp in zip(self.sentiment.labels, exps, strict=True)
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "threshold": self.threshold,
            "themes": self.themes.as_dict(),
            "sentiment": self.sentiment.as_dict(),
            "meta": dict(self.meta),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CoderModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown coder model format {data.get('format')!r}")
        return cls(
            themes=LinearLayer.from_dict(data["themes"]),
            sentiment=LinearLayer.from_dict(data["sentiment"]),
            threshold=float(data.get("threshold", THEME_THRESHOLD)),
            meta=dict(data.get("meta") or {}),
        )

    def dumps(self) -> bytes:
        """The model as gzipped JSON (deterministic: the same model gives the same bytes)."""
        text = json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return gzip.compress(text.encode("utf-8"), mtime=0)

    @classmethod
    def loads(cls, blob: bytes) -> CoderModel:
        return cls.from_dict(json.loads(gzip.decompress(blob).decode("utf-8")))


@cache
def default_model() -> CoderModel:
    """The model shipped with the package, trained on `data/training.jsonl`."""
    return CoderModel.loads(DEFAULT_MODEL.read_bytes())


# --- training (offline; needs scikit-learn) ------------------------------------------------------


@dataclass(frozen=True)
class Example:
    text: str
    language: str | None
    themes: frozenset[str]
    sentiment: int | None
    weight: float = 1.0


def read_corpus(path: Path = TRAINING_CORPUS) -> list[Example]:
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            examples.append(
                Example(
                    record["text"],
                    record.get("lang"),
                    frozenset(record.get("themes", ())),
                    int(record.get("sentiment", 0)),
                )
            )
    return examples


def corpus_digest(path: Path = TRAINING_CORPUS) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _kept_features(rows: Sequence[Mapping[str, float]]) -> list[str]:
    counts: dict[str, int] = {}
    for row in rows:
        for name in row:
            counts[name] = counts.get(name, 0) + 1
    # Rule and lexicon figures are always kept: they are few, and what the rules say about a
    # theme nobody wrote an example for is exactly what should carry over.
    return sorted(
        name
        for name, count in counts.items()
        if count >= MIN_DOCUMENTS or not name.startswith(("w:", "b:", "c:", "s:"))
    )


def _matrix(rows: Sequence[Mapping[str, float]], columns: Mapping[str, int]) -> Any:
    from scipy.sparse import csr_matrix

    data: list[float] = []
    indices: list[int] = []
    pointers = [0]
    for row in rows:
        for name, value in row.items():
            column = columns.get(name)
            if column is not None:
                indices.append(column)
                data.append(value)
        pointers.append(len(indices))
    return csr_matrix((data, indices, pointers), shape=(len(rows), len(columns)))


def _layer(
    labels: Sequence[str], intercepts: Sequence[float], columns: list[str], coef: Any
) -> LinearLayer:
    weights: dict[str, array[float]] = {}
    for column, name in enumerate(columns):
        values = [round(float(coef[index][column]), DIGITS) for index in range(len(labels))]
        if any(abs(value) >= KEEP_WEIGHT for value in values):
            weights[name] = array(
                "d", (value if abs(value) >= KEEP_WEIGHT else 0.0 for value in values)
            )
    return LinearLayer(tuple(labels), tuple(float(value) for value in intercepts), weights)


def train(
    examples: Sequence[Example],
    featurise: Any,
    slugs: Sequence[str],
    *,
    meta: Mapping[str, Any] | None = None,
) -> CoderModel:
    """Train a model. `featurise(text, language)` gives (theme features, sentiment features)
    of an answer — the coder's own (`Coder.features`), so training and use see the same."""
    rows = [featurise(example.text, example.language) for example in examples]
    return fit(examples, rows, slugs, meta=meta)


def fit(
    examples: Sequence[Example],
    rows: Sequence[tuple[Mapping[str, float], Mapping[str, float]]],
    slugs: Sequence[str],
    *,
    meta: Mapping[str, Any] | None = None,
) -> CoderModel:
    """Fit a model on examples and their features (`rows[i]` belongs to `examples[i]`).

    Themes in `slugs` with fewer than MIN_POSITIVES examples get no weights (rules decide for
    them). Examples whose sentiment is None (reviewed answers: staff review themes, not
    sentiment) count for the themes only. Raises ValueError when there is nothing to fit."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    if not examples:
        raise ValueError("no examples to train on")
    weights = np.array([example.weight for example in examples])
    theme_rows = [row[0] for row in rows]
    columns = _kept_features(theme_rows)
    matrix = _matrix(theme_rows, {name: index for index, name in enumerate(columns)})
    labels, intercepts, coefs = [], [], []
    for slug in slugs:
        target = np.array([slug in example.themes for example in examples])
        if target.sum() < MIN_POSITIVES or target.all():
            continue
        fitted = LogisticRegression(C=THEME_C, max_iter=5000).fit(
            matrix, target, sample_weight=weights
        )
        labels.append(slug)
        intercepts.append(float(fitted.intercept_[0]))
        coefs.append(fitted.coef_[0])
    themes = _layer(labels, intercepts, columns, coefs)

    rated = [index for index, example in enumerate(examples) if example.sentiment is not None]
    sentiment_rows = [rows[index][1] for index in rated]
    targets = np.array([examples[index].sentiment for index in rated])
    if set(targets.tolist()) != set(SENTIMENTS):
        raise ValueError("sentiment needs examples of -1, 0 and 1")
    columns = _kept_features(sentiment_rows)
    matrix = _matrix(sentiment_rows, {name: index for index, name in enumerate(columns)})
    fitted = LogisticRegression(C=SENTIMENT_C, max_iter=5000).fit(
        matrix, targets, sample_weight=weights[rated]
    )
    order = [list(fitted.classes_).index(label) for label in SENTIMENTS]
    sentiment = _layer(
        [str(label) for label in SENTIMENTS],
        [fitted.intercept_[index] for index in order],
        columns,
        [fitted.coef_[index] for index in order],
    )
    return CoderModel(
        themes, sentiment, THEME_THRESHOLD, {"answers": len(examples), **(meta or {})}
    )
