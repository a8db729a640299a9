"""Fit, choose and measure the not-a-spot gate for a trained network (the `gate` stage)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .arrays import Floats, Images, Mask
from .checkpoint import load_best
from .config import TrainConfig
from .models import Classifier
from .negatives import negative_inputs
from .ood import (
    COMPONENTS,
    LAST,
    MAX_REFUSED,
    REFUSAL_CONFIDENCE,
    TARGET_REFUSED,
    FeatureStats,
    Scores,
    allowed_refusals,
    best_thresholds,
    either_framing,
    fit_feature_stats,
    free_energy,
    refused,
    scores,
    skin_fraction,
    tapped_features,
    tighter_framing,
)
from .prepared import Prepared


def _rate(mask: Mask) -> float:
    return float(mask.mean()) if len(mask) else 0.0


def _auc(positive: Floats, negative: Floats) -> float:
    """P(negative scores higher than positive): how well a score alone separates the two."""
    from sklearn.metrics import roc_auc_score

    truth = np.r_[np.zeros(len(positive)), np.ones(len(negative))]
    return float(roc_auc_score(truth, np.r_[positive, negative]))


def candidate_taps(model: Classifier) -> list[int]:
    """Every module of `features` after the stem: the depths whose pooled features the gate may measure."""
    return list(range(2, len(model.features)))


@dataclass
class TapChoice:
    stats: FeatureStats
    thresholds: dict[str, float]
    select: dict[str, Scores]
    negatives: Scores
    table: dict[str, dict[str, Any]]  # per tap: channels, select negatives refused, distance AUROC


def choose_tap(
    model: Classifier, data: Prepared, negatives: Images, components: int = COMPONENTS, framing: float = 0.0
) -> TapChoice:
    """Fit the statistics at every candidate depth and keep the one whose best thresholds refuse the
    most 'select' negatives (held-out skin spots of both domains within allowed_refusals): deep pooled
    features are made to tell the classes apart and can sit close to the class means for objects
    the network never saw, while middle layers still describe colour and texture. With a framing,
    every held-out input is scored as the app scores it: either_framing of it and its tighter framing."""
    taps = candidate_taps(model)
    fit_images = [data.derm.fit.images] + ([data.phone.fit.images] if data.phone is not None else [])
    fit_labels = np.concatenate([data.derm.fit.labels] + ([data.phone.fit.labels] if data.phone is not None else []))
    fit_features, _ = tapped_features(model, np.concatenate(fit_images), taps)
    select_images = {"dermoscopic": data.derm.select.images}
    if data.phone is not None:
        select_images["phone"] = data.phone.select.images
    select_images["negatives"] = negatives
    measured = {name: tapped_features(model, images, taps) for name, images in select_images.items()}
    skins = {name: skin_fraction(images) for name, images in select_images.items()}
    tighter = {name: tighter_framing(images, framing) for name, images in select_images.items()} if framing else {}
    measured_tighter = {name: tapped_features(model, images, taps) for name, images in tighter.items()}
    skins_tighter = {name: skin_fraction(images) for name, images in tighter.items()}
    best: tuple[float, int, TapChoice] | None = None
    table: dict[str, dict[str, Any]] = {}
    for tap in taps:
        stats = fit_feature_stats(fit_features[tap], fit_labels, components, tap)
        sets = {
            name: Scores(stats.distance(features[tap]), free_energy(logits), skins[name])
            for name, (features, logits) in measured.items()
        }
        for name, (features, logits) in measured_tighter.items():
            framed = Scores(stats.distance(features[tap]), free_energy(logits), skins_tighter[name])
            sets[name] = either_framing(sets[name], framed)
        negative_scores = sets.pop("negatives")
        caught, thresholds = best_thresholds(sets, negative_scores)
        table[str(tap)] = {
            "channels": int(fit_features[tap].shape[1]),
            "selectNegativesRefused": caught,
            "distanceSeparation": {name: _auc(s.distance, negative_scores.distance) for name, s in sets.items()},
        }
        if best is None or caught > best[0] + 1e-12:
            best = (caught, tap, TapChoice(stats, thresholds, sets, negative_scores, table))
    assert best is not None
    return best[2]


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
    framing = config.gate_framing
    negative_select, _ = negative_inputs("select", config.size)
    choice = choose_tap(model, data, negative_select, framing=framing)
    stats, thresholds, select, neg_select = choice.stats, choice.thresholds, choice.select, choice.negatives
    test = {"dermoscopic": scores(model, stats, data.derm.test.images, framing)}
    if data.phone is not None:
        test["phone"] = scores(model, stats, data.phone.test.images, framing)
    negative_test, test_items = negative_inputs("test", config.size)
    neg_test = scores(model, stats, negative_test, framing)
    t = thresholds
    kinds = sorted({item.kind for item in test_items})
    kind_of = np.array([item.kind for item in test_items])
    report: dict[str, Any] = {
        "rule": (
            "refuse if distance > maxDistance or energy > maxEnergy or skin share < minSkinFraction"
            + (
                f", each the more skin-spot-like of the input's and of its centre {framing:g} framed to the input "
                "size (the app's tighter framing)"
                if framing
                else ""
            )
            + "; chosen to "
            f"refuse at most {TARGET_REFUSED:.0%} of each domain's selection photos, and so few that the "
            f"one-sided {REFUSAL_CONFIDENCE:.0%} Clopper-Pearson upper bound of the rate stays within "
            f"{MAX_REFUSED:.0%} (the requirement on held-out photos), while refusing the most 'select' negatives"
        ),
        "tap": {
            "chosen": stats.tap,
            "rule": "the module of the network's `features` whose globally pooled output, with its best "
            "thresholds, refuses the most 'select' negatives",
            "candidates": choice.table,
        },
        "selection": {
            "positivesRefused": {name: _rate(refused(s, t)) for name, s in select.items()},
            "positivesAllowedRefused": {name: allowed_refusals(len(s.skin)) for name, s in select.items()},
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
            "statistics": "pooled features at the chosen tap of the fit images of both domains (no augmentation)",
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
        tap=np.array(stats.tap),
    )
    result: dict[str, Any] = {"thresholds": thresholds, "framing": config.gate_framing, "report": report}
    (run_dir / "gate.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result["report"]["test"]), flush=True)
    return result


def load_stats(config: TrainConfig) -> FeatureStats:
    saved = np.load(config.resolved_run_dir() / "gate.npz")
    tap = int(saved["tap"]) if "tap" in saved.files else LAST  # gates fitted before taps were chosen
    return FeatureStats(
        saved["class_means"], saved["basis"], saved["variances"], float(saved["residual_variance"]), tap
    )


__all__ = ["Scores", "build_gate", "gate", "load_stats", "skin_fraction"]
