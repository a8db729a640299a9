"""Mixed weight formats: per-tensor uint8 for the tensors that take it well, float16 for the rest.

Why: uint8 for every tensor cost the accurate model 6.5 points of test accuracy (its depthwise
kernels, with BatchNorm folded in, have a few large values that stretch one per-tensor range over
all channels), while float16 everywhere leaves a 6.7 MB shard, over the first-visit budget. TF.js
reads a quantization per weight entry of the manifest, so each tensor can have its own format.

How the tensors are chosen, on the selection folds only:
1. Sensitivity: each large weight tensor alone in uint8 (everything else float16); the largest
   over the domains of the mean Kullback-Leibler divergence of the softmax from the float16
   network's on selection photos, per byte saved.
2. The least sensitive tensors first, as few as bring the shard under SHARD_BUDGET_BYTES.
The test folds then decide, by the rule uint8 everywhere has to pass (accuracy drop < 0.3 points
and macro AUC drop < 0.002 against float32 on every domain), whether the mixed export ships.
The same rule is not applied on the selection folds: one photo of the 98 in the phone selection
fold is a full point, and float16 alone already flips one of them (measured), so no choice could
pass it there; the selection folds' drops are recorded beside the plan for reading.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from .arrays import Images, Labels
from .folding import dequantize_uint8, uint8_affine
from .inference import predict_logits
from .keras_graph import to_keras
from .metrics import classification_report, softmax
from .models import Classifier

# First visit <= 6 MB gzip (issue 13): the app shell's first visit is about 0.47 MB gzip, the
# accurate model's other files (gate statistics, model.json) about 0.3 MB, and the service worker
# then fetches the rest of the shell and the fast model (about 0.7 MB); 5.0 MB for the shard keeps
# everything under 6 MB (5.7 MB measured by npm run bench). Uint8 and float16 bytes hardly
# compress, so the raw size is what counts.
SHARD_BUDGET_BYTES = 5_000_000
# Tensors smaller than this save too little to be worth a sensitivity measurement.
MIN_CANDIDATE_ELEMENTS = 4096
# Selection photos per domain for the sensitivity measurement (all of them for the recorded drops).
SENSITIVITY_PHOTOS = 384


@dataclass(frozen=True)
class Evaluation:
    images: Images
    labels: Labels


def keras_names(model: Classifier, size: int) -> dict[str, str]:
    """Torch parameter name -> the exported weight's name, for parameters exported as they are
    (a view of the parameter's memory: kernels transposed, biases). Others are computed at export
    (the input scaling) and stay float16."""
    _, weights, _, _ = to_keras(model, size, "probe")
    names: dict[str, str] = {}
    for param_name, parameter in model.named_parameters():
        memory = parameter.detach().numpy()
        for keras_name, array in weights:
            if array.size == memory.size and np.shares_memory(array, memory):
                names[param_name] = keras_name
                break
    return names


@torch.no_grad()
def round_mixed(model: Classifier, uint8: frozenset[str]) -> Classifier:
    """A copy whose parameters named in `uint8` went through per-tensor uint8 and back, the others
    through float16: what a mixed export holds."""
    rounded = copy.deepcopy(model)
    for name, parameter in rounded.named_parameters():
        if name in uint8:
            parameter.copy_(torch.from_numpy(dequantize_uint8(*uint8_affine(parameter.detach().numpy()))))
        else:
            parameter.copy_(parameter.half().float())
    return rounded


def shard_bytes(model: Classifier, uint8: frozenset[str]) -> int:
    """Bytes of a mixed shard: one per uint8 element, two per float16 one."""
    return sum(p.numel() * (1 if name in uint8 else 2) for name, p in model.named_parameters())


def _kl(p: np.ndarray[Any, Any], q: np.ndarray[Any, Any]) -> float:
    eps = 1e-12
    return float(np.mean(np.sum(p * (np.log(p + eps) - np.log(q + eps)), axis=1)))


def _scores(network: Classifier, sets: dict[str, Evaluation]) -> dict[str, tuple[float, float]]:
    """(accuracy, macro AUC) per domain; a macro AUC that cannot be computed counts as 0.5."""
    out = {}
    for domain, data in sets.items():
        report = classification_report(data.labels, softmax(predict_logits(network, data.images)))
        auc = report["macroAuc"]
        out[domain] = (float(report["accuracy"]), 0.5 if auc is None else float(auc))
    return out


def _drops(
    reference: dict[str, tuple[float, float]], candidate: Classifier, sets: dict[str, Evaluation]
) -> dict[str, dict[str, float]]:
    after = _scores(candidate, sets)
    return {
        domain: {"accuracyDrop": before[0] - after[domain][0], "macroAucDrop": before[1] - after[domain][1]}
        for domain, before in reference.items()
    }


def choose_uint8_tensors(folded: Classifier, size: int, selection: dict[str, Evaluation]) -> dict[str, Any]:
    """The plan: which exported weights go uint8 (by torch and by TF.js name), the shard's size,
    each candidate's measured sensitivity and the selection folds' drops against float32."""
    names = keras_names(folded, size)
    candidates = [
        name
        for name, p in folded.named_parameters()
        if name in names and p.numel() >= MIN_CANDIDATE_ELEMENTS and p.dim() > 1
    ]
    half = round_mixed(folded, frozenset())
    sample = {domain: data.images[:SENSITIVITY_PHOTOS] for domain, data in selection.items()}
    base = {domain: softmax(predict_logits(half, images)) for domain, images in sample.items()}
    numel = {name: p.numel() for name, p in folded.named_parameters()}
    sensitivity: dict[str, float] = {}
    for name in candidates:
        alone = round_mixed(folded, frozenset({name}))
        divergence = max(_kl(base[domain], softmax(predict_logits(alone, images))) for domain, images in sample.items())
        sensitivity[name] = divergence / numel[name]  # per byte saved
    order = sorted(candidates, key=lambda name: sensitivity[name])
    needed = 0
    while needed < len(order) and shard_bytes(folded, frozenset(order[:needed])) > SHARD_BUDGET_BYTES:
        needed += 1
    chosen = frozenset(order[:needed])
    drops = _drops(_scores(folded, selection), round_mixed(folded, chosen), selection)
    return {
        "uint8": sorted(chosen),
        "uint8Weights": sorted(names[name] for name in chosen),
        "shardBytes": shard_bytes(folded, chosen),
        "budgetBytes": SHARD_BUDGET_BYTES,
        "withinBudget": shard_bytes(folded, chosen) <= SHARD_BUDGET_BYTES,
        "selectionDrops": drops,
        "sensitivity": {name: sensitivity[name] for name in order},
        "rule": (
            "least sensitive first (KL of the softmax from float16's, per byte saved, on selection photos), "
            f"as few as bring the shard under {SHARD_BUDGET_BYTES} bytes; selectionDrops against float32"
        ),
    }
