"""Test-split evaluation -> run_dir/card.json and plots. The test split informs no choice."""

from __future__ import annotations

import json
import platform
import subprocess
from datetime import date

import numpy as np

from . import LABELS, MALIGNANT
from . import plots
from .baselines import BASELINES
from .calibrate import negative_log_likelihood
from .checkpoint import load_best, read_json
from .config import TrainConfig
from .inference import TTA_VIEWS, predict_logits, tta_latency
from .metrics import (classification_report, expected_calibration_error, is_malignant, malignant_probability,
                      reliability, sensitivity_specificity, softmax)
from .models import count_flops, count_parameters
from .prepared import Prepared

LICENCE = ("Trained on HAM10000 (Tschandl, Rosendahl & Kittler 2018, Sci Data 5:180161, doi:10.7910/DVN/DBW86T), "
           "CC BY-NC 4.0: the model is for non-commercial use, with attribution.")


def hardware() -> str:
    try:
        cpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        name = next((line.split(":", 1)[1].strip() for line in cpu.splitlines() if line.startswith("Model name")), "")
    except OSError:
        name = ""
    import os

    return f"{name or platform.processor() or 'CPU'} ({os.cpu_count()} cores, CPU only, PyTorch)"


# TTA is on by default only where its 8 views cost at most this many single predictions (issue 5).
MAX_TTA_LATENCY_RATIO = 4.0


def tta_default(latency: dict[str, float]) -> dict[str, object]:
    """The app's automatic TTA setting for this model, from the latency measured here."""
    return {
        "on": latency["ratio"] <= MAX_TTA_LATENCY_RATIO,
        "maxLatencyRatio": MAX_TTA_LATENCY_RATIO,
        "latency": {**latency, "measuredOn": f"PyTorch, one thread of {hardware()}: one image, 1 view vs "
                                              "its 8 views in one batch, median of 30 after 5 warm-up runs"},
        "rule": (f"On by default only if the 8 views cost at most {MAX_TTA_LATENCY_RATIO:g}x one prediction. "
                 "The app also measures the ratio on the device after warm-up and keeps TTA off there "
                 "when it is above the same limit."),
    }


def risk_report(labels: np.ndarray, probs: np.ndarray, calibration: dict[str, object]) -> dict[str, object]:
    """Malignant (mel+bcc+akiec) sensitivity/specificity at the app's two thresholds."""
    risk_cfg = calibration["risk"]
    assert isinstance(risk_cfg, dict)
    truth, risk = is_malignant(labels), malignant_probability(probs)
    out: dict[str, object] = {"classes": list(MALIGNANT), "positives": int(truth.sum()), "negatives": int((~truth).sum())}
    for key in ("threshold", "high"):
        sensitivity, specificity = sensitivity_specificity(truth, risk, float(risk_cfg[key]))
        out[key] = {"value": float(risk_cfg[key]), "sensitivity": sensitivity, "specificity": specificity}
    return out


def summarise(labels: np.ndarray, logits: np.ndarray, temperature: float, calibration: dict[str, object]) -> dict[str, object]:
    probs = softmax(logits, temperature)
    report = classification_report(labels, probs)
    report["malignant"] = risk_report(labels, probs, calibration)
    report["ece"] = {"before": expected_calibration_error(labels, softmax(logits)),
                     "after": expected_calibration_error(labels, probs)}
    report["nll"] = {"before": negative_log_likelihood(logits, labels, 1.0),
                     "after": negative_log_likelihood(logits, labels, temperature)}
    return report


def evaluate(config: TrainConfig, data: Prepared) -> dict[str, object]:
    model = load_best(config)
    calibration = read_json(config, "calibration.json")
    log = read_json(config, "log.json")
    temperature = float(calibration["temperature"])  # type: ignore[arg-type]
    labels = data.test.labels
    logits = predict_logits(model, data.test.images)
    tta_logits = predict_logits(model, data.test.images, views=TTA_VIEWS)
    test = summarise(labels, logits, temperature, calibration)
    tta = summarise(labels, tta_logits, temperature, calibration)
    run_dir = config.resolved_run_dir()
    card = {
        "modelId": f"ham10000-{config.size}",
        "date": date.today().isoformat(),
        "inputSize": config.size,
        "architecture": config.arch,
        "parameters": count_parameters(model),
        "flops": count_flops(model, config.size),
        "labels": list(LABELS),
        "data": {
            "dataset": "HAM10000 (dermoscopic images; mostly light skin types, from Austrian and Australian clinics)",
            "split": "DermaMNIST-C lesion-disjoint split (Abhishek et al. 2025): no lesion_id in two splits",
            "fit": int(log["fit"]), "selection": int(log["select"]), "test": int(len(labels)),  # type: ignore[arg-type]
            "selectionNote": ("Epochs, temperature and risk thresholds were chosen on the official val split plus "
                              f"a lesion-grouped, dx-stratified {config.selection_fraction:.0%} of train's lesions "
                              "(the official val split alone has 5 df and 7 vasc images); the test split informed nothing."),
            "licence": LICENCE,
        },
        "test": test,
        "tta": {"views": TTA_VIEWS, "description": "mean logit over the 8 flips/90-degree turns", "test": tta,
                "accuracyGain": float(tta["accuracy"]) - float(test["accuracy"]),  # type: ignore[arg-type]
                "macroAucGain": float(tta["macroAuc"]) - float(test["macroAuc"]),  # type: ignore[arg-type]
                "default": tta_default(tta_latency(model, config.size))},
        "reliability": {"before": reliability(labels, softmax(logits)), "after": reliability(labels, softmax(logits, temperature))},
        "calibration": calibration,
        "training": {
            "seconds": float(log["trainSeconds"]), "epochsRun": len(log["epochs"]), "bestEpoch": log["bestEpoch"],  # type: ignore[arg-type]
            "hardware": hardware(), "config": log["config"],
            "command": str(log.get("command", "")),
            "reproduce": f"bash training/train.sh {config.size}",
        },
        "baselines": BASELINES,
        "intendedUse": ("A screening aid for dermoscopic photos of pigmented skin lesions, not a diagnosis. "
                        "It has not been validated on phone photos, on darker skin types, or on lesion types "
                        "outside the 7 HAM10000 classes."),
    }
    (run_dir / "card.json").write_text(json.dumps(card, indent=1))
    plots.confusion(test["confusionMatrix"], run_dir / "confusion.png")  # type: ignore[arg-type]
    plots.roc(labels, softmax(logits, temperature), run_dir / "roc.png")
    plots.reliability(card["reliability"]["before"], card["reliability"]["after"], run_dir / "reliability.png")  # type: ignore[index]
    plots.training_curves(log["epochs"], run_dir / "training.png")  # type: ignore[arg-type]
    print(json.dumps({k: test[k] for k in ("accuracy", "balancedAccuracy", "macroAuc", "malignantAuc")}), flush=True)
    return card
