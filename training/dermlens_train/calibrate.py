"""Temperature scaling and the app's risk thresholds, fitted on the selection folds of both domains."""

from __future__ import annotations

import json
from typing import TypeAlias, TypedDict

import numpy as np

from .arrays import Floats, Labels
from .checkpoint import load_best
from .config import TrainConfig
from .inference import predict_logits
from .metrics import (
    BeforeAfter,
    expected_calibration_error,
    is_malignant,
    malignant_probability,
    softmax,
    threshold_for_sensitivity,
    threshold_for_specificity,
)
from .prepared import Prepared

SENSITIVITY_TARGET = 0.90  # "medium" band starts where 90% of malignant selection images of each domain are flagged
HIGH_SPECIFICITY = 0.95  # "high" band: only 5% of benign selection images of each domain reach it

SelectionSet: TypeAlias = tuple[Floats, Labels]  # one domain's selection logits and labels


class RiskThresholds(TypedDict):
    threshold: float  # the "medium" band starts here
    high: float
    sensitivityTarget: float
    highSpecificityTarget: float
    rule: str


class Calibration(TypedDict):
    """calibration.json."""

    temperature: float
    selectionEce: dict[str, BeforeAfter]
    risk: RiskThresholds
    selectionImages: dict[str, int]


def negative_log_likelihood(logits: Floats, labels: Labels, temperature: float) -> float:
    probs = softmax(logits, temperature)
    return float(-np.log(np.clip(probs[np.arange(len(labels)), labels], 1e-12, 1.0)).mean())


def fit_temperature(sets: list[SelectionSet]) -> float:
    """argmin_T of the mean over sets of each set's NLL (each domain counts equally, however small),
    by a coarse log-grid then a fine one (deterministic)."""

    def loss(t: float) -> float:
        return float(np.mean([negative_log_likelihood(logits, labels, t) for logits, labels in sets]))

    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 161))
    best = min(grid, key=loss)
    fine = np.linspace(best * 0.97, best * 1.03, 61)
    return float(min(fine, key=loss))


def risk_thresholds(sets: list[SelectionSet], temperature: float) -> tuple[float, float]:
    """(medium, high): medium is the lowest of the per-domain thresholds that keep 90% sensitivity,
    high the highest of those that keep 95% specificity, so each domain meets both targets."""
    medium, high = [], []
    for logits, labels in sets:
        risk, truth = malignant_probability(softmax(logits, temperature)), is_malignant(labels)
        medium.append(threshold_for_sensitivity(truth, risk, SENSITIVITY_TARGET))
        high.append(threshold_for_specificity(truth, risk, HIGH_SPECIFICITY))
    threshold = float(min(medium))
    return threshold, float(max(threshold, max(high)))


def selection_sets(config: TrainConfig, data: Prepared) -> dict[str, SelectionSet]:
    model = load_best(config)
    sets = {"dermoscopic": (predict_logits(model, data.derm.select.images), data.derm.select.labels)}
    if data.phone is not None and len(data.phone.select.labels):
        sets["phone"] = (predict_logits(model, data.phone.select.images), data.phone.select.labels)
    return sets


def calibrate(config: TrainConfig, data: Prepared) -> Calibration:
    sets = selection_sets(config, data)
    temperature = fit_temperature(list(sets.values()))
    threshold, high = risk_thresholds(list(sets.values()), temperature)
    result: Calibration = {
        "temperature": temperature,
        "selectionEce": {
            name: {
                "before": expected_calibration_error(labels, softmax(logits)),
                "after": expected_calibration_error(labels, softmax(logits, temperature)),
            }
            for name, (logits, labels) in sets.items()
        },
        "risk": {
            "threshold": threshold,
            "high": high,
            "sensitivityTarget": SENSITIVITY_TARGET,
            "highSpecificityTarget": HIGH_SPECIFICITY,
            "rule": (
                "medium: the lowest threshold among the domains that still flags 90% of each domain's "
                "malignant selection images; high: the highest that keeps 95% of each domain's benign "
                "selection images below it"
            ),
        },
        "selectionImages": {name: len(labels) for name, (_, labels) in sets.items()},
    }
    (config.resolved_run_dir() / "calibration.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result), flush=True)
    return result
