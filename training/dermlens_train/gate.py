"""Fit, choose and measure the not-a-spot gate for a trained network (the `gate` stage)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np

from .arrays import Floats, Mask
from .checkpoint import load_best
from .config import TrainConfig
from .models import Classifier
from .negatives import negative_inputs
from .ood import (
    COMPONENTS,
    MAX_REFUSED,
    TARGET_REFUSED,
    FeatureStats,
    Scores,
    choose_thresholds,
    fit_feature_stats,
    penultimate,
    refused,
    scores,
    skin_fraction,
)
from .prepared import Prepared


def _rate(mask: Mask) -> float:
    return float(mask.mean()) if len(mask) else 0.0


def _auc(positive: Floats, negative: Floats) -> float:
    """P(negative scores higher than positive): how well a score alone separates the two."""
    from sklearn.metrics import roc_auc_score

    truth = np.r_[np.zeros(len(positive)), np.ones(len(negative))]
    return float(roc_auc_score(truth, np.r_[positive, negative]))


def fit_stats(model: Classifier, data: Prepared, components: int = COMPONENTS) -> FeatureStats:
    images = [data.derm.fit.images] + ([data.phone.fit.images] if data.phone is not None else [])
    labels = [data.derm.fit.labels] + ([data.phone.fit.labels] if data.phone is not None else [])
    features, _ = penultimate(model, np.concatenate(images))
    return fit_feature_stats(features, np.concatenate(labels), components)


def single_checks(t: dict[str, float]) -> dict[str, Callable[[Scores], Mask]]:
    """Each piece of evidence alone, to report what it contributes."""

    def distance(s: Scores) -> Mask:
        return s.distance > t["maxDistance"]

    def energy(s: Scores) -> Mask:
        return s.energy > t["maxEnergy"]

    def skin(s: Scores) -> Mask:
        return s.skin < t["minSkinFraction"]

    return {"distanceOnly": distance, "energyOnly": energy, "skinOnly": skin}


def build_gate(config: TrainConfig, data: Prepared) -> tuple[FeatureStats, dict[str, float], dict[str, Any]]:
    """Statistics, thresholds and the report of rates (selection and test) for the run's best network."""
    model = load_best(config)
    stats = fit_stats(model, data)
    select = {"dermoscopic": scores(model, stats, data.derm.select.images)}
    test = {"dermoscopic": scores(model, stats, data.derm.test.images)}
    if data.phone is not None:
        select["phone"] = scores(model, stats, data.phone.select.images)
        test["phone"] = scores(model, stats, data.phone.test.images)
    negative_select, _ = negative_inputs("select", config.size)
    negative_test, test_items = negative_inputs("test", config.size)
    neg_select, neg_test = scores(model, stats, negative_select), scores(model, stats, negative_test)
    thresholds = choose_thresholds(select, neg_select)
    t = thresholds
    kinds = sorted({item.kind for item in test_items})
    kind_of = np.array([item.kind for item in test_items])
    report: dict[str, Any] = {
        "rule": (
            f"refuse if distance > maxDistance or energy > maxEnergy or skin share < minSkinFraction; chosen to "
            f"refuse at most "
            f"{TARGET_REFUSED:.0%} of each domain's selection photos (the requirement is at most "
            f"{MAX_REFUSED:.0%} on held-out photos) while refusing the most 'select' negatives"
        ),
        "selection": {
            "positivesRefused": {name: _rate(refused(s, t)) for name, s in select.items()},
            "negativesRefused": _rate(refused(neg_select, t)),
            "negatives": len(neg_select.skin),
        },
        "test": {
            "positivesRefused": {name: _rate(refused(s, t)) for name, s in test.items()},
            "positives": {name: len(s.skin) for name, s in test.items()},
            "negativesRefused": _rate(refused(neg_test, t)),
            "negatives": len(neg_test.skin),
            "negativesRefusedByKind": {k: _rate(refused(neg_test, t)[kind_of == k]) for k in kinds},
            "negativesByKind": {k: int((kind_of == k).sum()) for k in kinds},
            "byCheck": {
                name: {"negativesRefused": _rate(only(neg_test)), **{d: _rate(only(s)) for d, s in test.items()}}
                for name, only in single_checks(t).items()
            },
        },
        "separation": {  # AUROC of each score alone, negatives vs positives, on the selection data
            "distance": {name: _auc(s.distance, neg_select.distance) for name, s in select.items()},
            "skinShare": {name: _auc(-s.skin, -neg_select.skin) for name, s in select.items()},
            "energy": {name: _auc(s.energy, neg_select.energy) for name, s in select.items()},
        },
        "data": {
            "positives": (
                "selection folds (thresholds) and test folds (rates) of DermaMNIST-C and of our PAD-UFES-20 folds"
            ),
            "negatives": (
                "made by dermlens_train.negatives: rendered text, screenshot-like layouts, flat colours, "
                "gradients, noise, textures, and crops of the photos bundled with scikit-learn, "
                "matplotlib and scikit-image; each source photo in one half only"
            ),
            "statistics": "features of the fit images of both domains (no augmentation)",
        },
    }
    return stats, thresholds, report


def gate(config: TrainConfig, data: Prepared) -> dict[str, Any]:
    """The gate stage: writes run_dir/gate.json (thresholds + report) and gate.npz (statistics)."""
    stats, thresholds, report = build_gate(config, data)
    run_dir = config.resolved_run_dir()
    np.savez(
        run_dir / "gate.npz",
        class_means=stats.class_means,
        basis=stats.basis,
        variances=stats.variances,
        residual_variance=np.array(stats.residual_variance),
    )
    result = {"thresholds": thresholds, "report": report}
    (run_dir / "gate.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result["report"]["test"]), flush=True)
    return result


def load_stats(config: TrainConfig) -> FeatureStats:
    saved = np.load(config.resolved_run_dir() / "gate.npz")
    return FeatureStats(saved["class_means"], saved["basis"], saved["variances"], float(saved["residual_variance"]))


__all__ = ["Scores", "build_gate", "gate", "load_stats", "skin_fraction"]
