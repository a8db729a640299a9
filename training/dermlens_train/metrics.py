"""Pure metric functions on labels, probabilities and logits (numpy in, plain Python out)."""

from __future__ import annotations

import itertools
from typing import TypedDict

import numpy as np
from sklearn.metrics import balanced_accuracy_score, confusion_matrix, precision_recall_fscore_support, roc_auc_score

from . import LABELS, MALIGNANT
from .arrays import Floats, Labels, Mask


class BeforeAfter(TypedDict):
    """A calibration metric before and after temperature scaling."""

    before: float
    after: float


class ReliabilityBin(TypedDict):
    """One confidence bin of the reliability diagram (confidence and accuracy are None when empty)."""

    low: float
    high: float
    count: int
    confidence: float | None
    accuracy: float | None


class ClassMetrics(TypedDict):
    precision: float
    recall: float
    f1: float
    support: int
    auc: float | None  # None when the class is absent (or is every label)


class ClassificationReport(TypedDict):
    """What `classification_report` returns; the keys are those of card.json's metric blocks."""

    accuracy: float
    balancedAccuracy: float
    macroAuc: float | None
    macroF1: float
    perClass: dict[str, ClassMetrics]
    confusionMatrix: list[list[int]]
    melanomaAuc: float | None
    malignantAuc: float | None
    n: int


def softmax(logits: Floats, temperature: float = 1.0) -> Floats:
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    probs: Floats = e / e.sum(axis=1, keepdims=True)
    return probs


def malignant_probability(probs: Floats) -> Floats:
    risk: Floats = probs[:, [LABELS.index(m) for m in MALIGNANT]].sum(axis=1)
    return risk


def is_malignant(labels: Labels) -> Mask:
    return np.isin(labels, [LABELS.index(m) for m in MALIGNANT])


def expected_calibration_error(labels: Labels, probs: Floats, bins: int = 15) -> float:
    """Top-1 ECE with equal-width confidence bins (Guo et al. 2017)."""
    confidence, predicted = probs.max(axis=1), probs.argmax(axis=1)
    correct = (predicted == labels).astype(np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece = 0.0
    for low, high in itertools.pairwise(edges):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            ece += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(ece)


def reliability(labels: Labels, probs: Floats, bins: int = 10) -> list[ReliabilityBin]:
    """Per confidence bin: mean confidence, accuracy, count (for the reliability diagram)."""
    confidence, correct = probs.max(axis=1), (probs.argmax(axis=1) == labels)
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows: list[ReliabilityBin] = []
    for low, high in itertools.pairwise(edges):
        inside = (confidence > low) & (confidence <= high)
        count = int(inside.sum())
        rows.append(
            {
                "low": float(low),
                "high": float(high),
                "count": count,
                "confidence": float(confidence[inside].mean()) if count else None,
                "accuracy": float(correct[inside].mean()) if count else None,
            }
        )
    return rows


def sensitivity_specificity(truth: Mask, scores: Floats, threshold: float) -> tuple[float, float]:
    """truth: bool positives; positive call when score >= threshold."""
    called = scores >= threshold
    sensitivity = float((called & truth).sum() / max(truth.sum(), 1))
    specificity = float((~called & ~truth).sum() / max((~truth).sum(), 1))
    return sensitivity, specificity


def threshold_for_sensitivity(truth: Mask, scores: Floats, target: float) -> float:
    """The highest threshold whose sensitivity is still >= target."""
    positives = np.sort(scores[truth])[::-1]
    if len(positives) == 0:
        return 0.5
    index = min(int(np.ceil(target * len(positives))) - 1, len(positives) - 1)
    return float(positives[max(index, 0)])


def threshold_for_specificity(truth: Mask, scores: Floats, target: float) -> float:
    """The lowest threshold whose specificity is still >= target."""
    negatives = np.sort(scores[~truth])
    if len(negatives) == 0:
        return 0.5
    index = min(int(np.ceil(target * len(negatives))) - 1, len(negatives) - 1)
    return float(np.nextafter(negatives[max(index, 0)], np.inf))


def _auc(truth: Mask, scores: Floats) -> float | None:
    return float(roc_auc_score(truth, scores)) if 0 < truth.sum() < len(truth) else None


def classification_report(labels: Labels, probs: Floats) -> ClassificationReport:
    """Accuracy, balanced accuracy, per-class P/R/F1/support/AUC, macro AUC, confusion matrix."""
    predicted = probs.argmax(axis=1)
    classes = list(range(len(LABELS)))
    precision, recall, f1, support = precision_recall_fscore_support(labels, predicted, labels=classes, zero_division=0)
    per_class_auc = [_auc(labels == c, probs[:, c]) for c in classes]
    valid_aucs = [a for a in per_class_auc if a is not None]
    return {
        "accuracy": float((predicted == labels).mean()),
        "balancedAccuracy": float(balanced_accuracy_score(labels, predicted)),
        "macroAuc": float(np.mean(valid_aucs)) if valid_aucs else None,
        "macroF1": float(np.mean(f1)),
        "perClass": {
            LABELS[c]: {
                "precision": float(precision[c]),
                "recall": float(recall[c]),
                "f1": float(f1[c]),
                "support": int(support[c]),
                "auc": per_class_auc[c],
            }
            for c in classes
        },
        "confusionMatrix": confusion_matrix(labels, predicted, labels=classes).tolist(),
        "melanomaAuc": per_class_auc[LABELS.index("mel")],
        "malignantAuc": _auc(is_malignant(labels), malignant_probability(probs)),
        "n": len(labels),
    }
