"""How much a linear read-out of a network's pooled features says about phone photos' malignancy.

Issue 13 reported that a logistic regression on *frozen* ImageNet features of EfficientNet-Lite0,
fit on PAD-UFES-20 phone photos, reached malignant AUC 0.94 on other patients' photos. This probe
measures that claim on our data, at the app's input size and others:
- `cv`: patient-grouped, diagnosis-stratified 5-fold cross-validation over all phone photos,
  repeated with three shuffles. Only for networks that never trained on these photos (ImageNet):
  a fine-tuned run has seen the fit fold, so cross-validation over it would leak.
- `folds`: fit on our fit fold, scored on the selection and test folds, for any network.
Malignant = akiec + bcc + mel, as in the cards. The report is a JSON file; nothing here chooses
anything for a shipped model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from . import LABELS
from .arrays import Floats, Images, Indices, Labels, Mask
from .inference import to_tensor
from .models import Classifier
from .prepared import Domain

MALIGNANT = tuple(LABELS.index(dx) for dx in ("akiec", "bcc", "mel"))
REGULARISATION = (0.01, 0.1)  # LogisticRegression's C; both reported, neither chosen


@dataclass
class Probe:
    mean: float
    sd: float
    low: float
    high: float


def pooled_features(model: Classifier, images: Images, batch: int = 64) -> Floats:
    """The globally averaged output of `features`, what the head reads."""
    model.eval()
    with torch.no_grad():
        parts = [
            model.features(to_tensor(images[i : i + batch])).mean(dim=(2, 3)).numpy()
            for i in range(0, len(images), batch)
        ]
    return np.concatenate(parts)


def malignant(labels: Labels) -> Mask:
    return np.isin(labels, MALIGNANT)


def _fit(features: Floats, labels: Labels, c: float) -> Any:
    scaled = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=3000, class_weight="balanced"))
    return scaled.fit(features, malignant(labels))


def _auc(model: Any, features: Floats, labels: Labels) -> float:
    return float(roc_auc_score(malignant(labels), model.predict_proba(features)[:, 1]))


def grouped_folds(labels: Labels, groups: list[str], seed: int, folds: int = 5) -> list[tuple[Indices, Indices]]:
    """Train / held-out index pairs; a group (patient) is never on both sides."""
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(labels)), labels, np.array(groups)))


def cross_validated(features: Floats, labels: Labels, groups: list[str], c: float, repeats: int = 3) -> Probe:
    aucs = [
        _auc(_fit(features[train], labels[train], c), features[held], labels[held])
        for seed in range(repeats)
        for train, held in grouped_folds(labels, groups, seed)
    ]
    return Probe(float(np.mean(aucs)), float(np.std(aucs)), float(min(aucs)), float(max(aucs)))


def on_folds(features: dict[str, Floats], labels: dict[str, Labels], c: float) -> dict[str, float]:
    model = _fit(features["fit"], labels["fit"], c)
    return {fold: round(_auc(model, features[fold], labels[fold]), 3) for fold in ("select", "test")}


Network = tuple[Classifier, int | None]


def probe_report(networks: dict[str, Network], phone_by_size: dict[int, Domain]) -> dict[str, Any]:
    """networks: name -> (model, the one input size it was trained at, or None for every size);
    a name starting with "imagenet" (never trained on these photos) is also cross-validated."""
    report: dict[str, Any] = {"malignant": [LABELS[i] for i in MALIGNANT], "rows": []}
    for size, phone in phone_by_size.items():
        subsets = {"fit": phone.fit, "select": phone.select, "test": phone.test}
        labels = {name: subset.labels for name, subset in subsets.items()}
        for name, (network, native) in networks.items():
            if native is not None and native != size:
                continue
            features = {fold: pooled_features(network, subset.images) for fold, subset in subsets.items()}
            for c in REGULARISATION:
                row: dict[str, Any] = {"network": name, "size": size, "C": c, "folds": on_folds(features, labels, c)}
                if name.startswith("imagenet"):
                    every = np.concatenate(list(features.values()))
                    every_labels = np.concatenate(list(labels.values()))
                    groups = [r.lesion_id for subset in subsets.values() for r in subset.records]
                    probe = cross_validated(every, every_labels, groups, c)
                    row["cv"] = {k: round(v, 3) for k, v in vars(probe).items()}
                report["rows"].append(row)
    first = next(iter(phone_by_size.values()))
    report["photos"] = {fold: len(getattr(first, fold).labels) for fold in ("fit", "select", "test")}
    return report


def write_probe_report(report: dict[str, Any], out: Path) -> None:
    out.write_text(json.dumps(report, indent=1) + "\n")
