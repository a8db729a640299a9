"""Temperature scaling and the app's risk thresholds, both fitted on the selection set only."""

from __future__ import annotations

import json

import numpy as np

from .checkpoint import load_best
from .config import TrainConfig
from .inference import predict_logits
from .metrics import (expected_calibration_error, is_malignant, malignant_probability, softmax,
                      threshold_for_sensitivity, threshold_for_specificity)
from .prepared import Prepared

SENSITIVITY_TARGET = 0.90  # "medium" band starts where 90% of malignant selection images are flagged
HIGH_SPECIFICITY = 0.95  # "high" band: only 5% of benign selection images reach it


def negative_log_likelihood(logits: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    probs = softmax(logits, temperature)
    return float(-np.log(np.clip(probs[np.arange(len(labels)), labels], 1e-12, 1.0)).mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """argmin_T NLL(softmax(logits / T)) by a coarse log-grid then a fine one (deterministic)."""
    grid = np.exp(np.linspace(np.log(0.25), np.log(8.0), 161))
    best = min(grid, key=lambda t: negative_log_likelihood(logits, labels, t))
    fine = np.linspace(best * 0.97, best * 1.03, 61)
    return float(min(fine, key=lambda t: negative_log_likelihood(logits, labels, t)))


def calibrate(config: TrainConfig, data: Prepared) -> dict[str, object]:
    model = load_best(config)
    logits = predict_logits(model, data.select.images)
    labels = data.select.labels
    temperature = fit_temperature(logits, labels)
    risk = malignant_probability(softmax(logits, temperature))
    truth = is_malignant(labels)
    threshold = threshold_for_sensitivity(truth, risk, SENSITIVITY_TARGET)
    high = max(threshold, threshold_for_specificity(truth, risk, HIGH_SPECIFICITY))
    result = {
        "temperature": temperature,
        "selectionEce": {"before": expected_calibration_error(labels, softmax(logits)),
                         "after": expected_calibration_error(labels, softmax(logits, temperature))},
        "risk": {"threshold": threshold, "high": high, "sensitivityTarget": SENSITIVITY_TARGET,
                 "highSpecificityTarget": HIGH_SPECIFICITY},
        "selectionImages": int(len(labels)),
    }
    (config.resolved_run_dir() / "calibration.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result), flush=True)
    return result
