"""Export the best checkpoint to model/<id>/: TF.js layers model.json + shard, meta.json, card + plots.

Weights are stored as float32, float16, uint8 (per-tensor affine) or mixed (uint8 for the tensors
chosen on the selection folds by mixed_precision.py, float16 for the rest): the smallest whose test
accuracy drops < 0.3 points and macro AUC < 0.002 against float32 on every domain, measured here
on the folded network (the exact function the app runs).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from . import LABEL_NAMES, LABELS, MALIGNANT
from .arrays import Float32s
from .checkpoint import load_best, read_json
from .config import TrainConfig
from .folding import fold_batchnorm, round_to_float16, round_to_uint8, uint8_affine
from .gradcam import grad_cam
from .inference import predict_logits
from .keras_graph import to_keras
from .metrics import classification_report, softmax
from .mixed_precision import Evaluation, choose_uint8_tensors, round_mixed
from .models import Classifier
from .negatives import negative_inputs
from .ood import LAST, FeatureStats, refused, scores, write_gate
from .prepared import Prepared
from .preprocess import SPEC
from .reference import REFERENCE_COUNT, reference_inputs

MAX_ACCURACY_DROP = 0.003
MAX_AUC_DROP = 0.002
PLOTS = ("confusion.png", "roc.png", "reliability.png", "training.png")
# The version an export writes into meta.json, by role; saved scans keep the version that made
# them, so a scan of an earlier version is never compared as if the same network made it.
# accurate 3.0.0: trained with the surround fade; 4.0.0: a weight average of three networks, its
# gate chosen with the confidence bound (EXPERIMENTS.md, eleventh and twelfth sessions). fast 3.0.0:
# distilled from three networks trained on a lent GPU (its 2.0.0 was distilled from accurate
# 2.0.0's run).
VERSIONS = {"accurate": "4.0.0", "fast": "3.0.0"}


QUANTIZATIONS: dict[str, Callable[[Classifier], Classifier]] = {
    "float32": lambda model: model,
    "float16": round_to_float16,
    "uint8": round_to_uint8,
}


def weight_formats(names: list[str], quantization: str, uint8_weights: frozenset[str]) -> dict[str, str]:
    """Each exported weight's format: one for all, or with "mixed" uint8 for the chosen ones."""
    if quantization != "mixed":
        return dict.fromkeys(names, quantization)
    return {name: "uint8" if name in uint8_weights else "float16" for name in names}


def _encode(array: Float32s, quantization: str) -> tuple[bytes, dict[str, Any] | None]:
    if quantization == "float16":
        return np.ascontiguousarray(array, dtype="<f2").tobytes(), {"dtype": "float16", "original_dtype": "float32"}
    if quantization == "uint8":
        q, low, scale = uint8_affine(np.asarray(array, dtype=np.float32))
        return q.tobytes(), {"dtype": "uint8", "min": low, "scale": scale, "original_dtype": "float32"}
    return np.ascontiguousarray(array, dtype="<f4").tobytes(), None


def write_layers_model(
    model: Classifier,
    size: int,
    model_id: str,
    target: Path,
    quantization: str = "float32",
    uint8_weights: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Write model.json + group1-shard1of1.bin for a folded model; return the shard's description.
    With quantization "mixed", the weights named in `uint8_weights` are uint8, the others float16."""
    topology, weights, last_conv, taps = to_keras(model, size, model_id.replace("-", "_"))
    formats = weight_formats([name for name, _ in weights], quantization, uint8_weights)
    specs, blobs = [], []
    for name, array in weights:
        blob, quant = _encode(array, formats[name])
        spec: dict[str, Any] = {"name": name, "shape": list(array.shape), "dtype": "float32"}
        if quant is not None:
            spec["quantization"] = quant
        specs.append(spec)
        blobs.append(blob)
    shard = b"".join(blobs)
    shard_name = "group1-shard1of1.bin"
    (target / shard_name).write_bytes(shard)
    manifest = {
        "format": "layers-model",
        "generatedBy": "dermlens_train (PyTorch)",
        "convertedBy": "dermlens_train.export_tfjs",
        "modelTopology": topology,
        "weightsManifest": [{"paths": [shard_name], "weights": specs}],
    }
    (target / "model.json").write_text(json.dumps(manifest))
    return {
        "path": shard_name,
        "bytes": len(shard),
        "sha256": hashlib.sha256(shard).hexdigest(),
        "lastConv": last_conv,
        "taps": taps,
    }


def mixed_plan(folded: Classifier, data: Prepared, size: int) -> dict[str, Any]:
    """Which tensors go uint8 in a mixed export, chosen on the selection folds of both domains."""
    selection = {"dermoscopic": Evaluation(data.derm.select.images, data.derm.select.labels)}
    if data.phone is not None and len(data.phone.select.labels):
        selection["phone"] = Evaluation(data.phone.select.images, data.phone.select.labels)
    return choose_uint8_tensors(folded, size, selection)


def quantization_effect(folded: Classifier, data: Prepared, plan: dict[str, Any]) -> dict[str, Any]:
    """Test metrics of each weight format on each domain, and the chosen (smallest passing) format."""
    domains = {"dermoscopic": data.derm.test}
    if data.phone is not None and len(data.phone.test.labels):
        domains["phone"] = data.phone.test
    results: dict[str, Any] = {}
    roundings: dict[str, Callable[[Classifier], Classifier]] = dict(QUANTIZATIONS)
    if plan["uint8"]:  # a plan with nothing in uint8 is float16 by another name
        roundings["mixed"] = lambda model: round_mixed(model, frozenset(plan["uint8"]))
    for name, rounding in roundings.items():
        network = rounding(folded)
        results[name] = {}
        for domain, subset in domains.items():
            report = classification_report(subset.labels, softmax(predict_logits(network, subset.images)))
            results[name][domain] = {"accuracy": report["accuracy"], "macroAuc": report["macroAuc"]}
    passing = []
    for name in [f for f in ("uint8", "mixed", "float16") if f in roundings]:
        drops = {
            domain: {
                "accuracyDrop": results["float32"][domain]["accuracy"] - results[name][domain]["accuracy"],
                "macroAucDrop": results["float32"][domain]["macroAuc"] - results[name][domain]["macroAuc"],
            }
            for domain in domains
        }
        results[name]["drops"] = drops
        if all(d["accuracyDrop"] < MAX_ACCURACY_DROP and d["macroAucDrop"] < MAX_AUC_DROP for d in drops.values()):
            passing.append(name)
    return {
        **results,
        "shipped": passing[0] if passing else "float32",
        "mixedPlan": plan,
        "rule": (
            f"the smallest of uint8, mixed, float16, float32 whose test accuracy drops < {MAX_ACCURACY_DROP} and "
            f"macro AUC < {MAX_AUC_DROP} against float32 on every domain"
        ),
    }


def write_reference(network: Classifier, size: int, target: Path) -> None:
    """PyTorch logits of the shipped network for the integer-pattern inputs (see reference.py)."""
    inputs = torch.from_numpy(reference_inputs(size)).permute(0, 3, 1, 2)
    with torch.no_grad():
        logits = network.eval()(inputs).numpy()
    top = logits.argmax(axis=1).tolist()
    reference = {
        "inputs": "reference_inputs(size, count) in dermlens_train/reference.py",
        "count": REFERENCE_COUNT,
        "size": size,
        "logits": logits.tolist(),
        "gradcam": {
            "classes": top,
            "maps": grad_cam(network, inputs, top).tolist(),
            "definition": "relu(sum_k mean(dlogit/dA_k) * A_k) / max, last conv, feature resolution",
        },
    }
    (target / "reference.json").write_text(json.dumps(reference))


def gate_as_shipped(
    network: Classifier, stats: FeatureStats, thresholds: dict[str, float], data: Prepared, size: int, framing: float
) -> dict[str, Any]:
    """The gate's test rates recomputed with the exported (rounded) weights, the network the app runs."""
    sets = {"dermoscopic": data.derm.test.images, "negatives": negative_inputs("test", size)[0]}
    if data.phone is not None and len(data.phone.test.labels):
        sets["phone"] = data.phone.test.images
    return {
        name: float(refused(scores(network, stats, images, framing), thresholds).mean())
        for name, images in sets.items()
    }


def gate_reference(network: Classifier, stats: FeatureStats, size: int) -> dict[str, Any]:
    """Distance, energy and skin share of the integer-pattern reference inputs, for the app's tests."""
    images = np.clip(np.round(reference_inputs(size) * 255), 0, 255).astype(np.uint8)
    s = scores(network, stats, images)
    return {
        "inputs": "reference_inputs(size, count) in dermlens_train/reference.py",
        "distance": s.distance.tolist(),
        "energy": s.energy.tolist(),
        "skinFraction": s.skin.tolist(),
    }


COMPARED_METRICS = ("accuracy", "balancedAccuracy", "macroAuc", "malignantAuc")


def previous_version(target: Path, version: str) -> dict[str, Any] | None:
    """The test metrics of the version an export replaces in `target`, for the card's comparison (a new
    version must say what it gained and lost on the same test folds). Re-exporting the same version
    keeps the comparison its card already holds; a first export, or one into an empty folder, has none."""
    try:
        old_meta = json.loads((target / "meta.json").read_text())
        old_card = json.loads((target / "card.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if old_meta.get("version") == version:
        kept: dict[str, Any] | None = old_card.get("previous")
        return kept

    def metrics(block: dict[str, Any] | None) -> dict[str, float | None] | None:
        return None if block is None else {k: block.get(k) for k in COMPARED_METRICS}

    return {
        "version": old_meta.get("version"),
        "test": metrics(old_card["test"]),
        "phone": metrics(old_card.get("phone")),
    }


def export(config: TrainConfig, data: Prepared, target: Path) -> dict[str, Any]:
    folded = fold_batchnorm(load_best(config))
    calibration = read_json(config, "calibration.json")
    card = read_json(config, "card.json")
    quantization = quantization_effect(folded, data, mixed_plan(folded, data, config.size))
    previous = previous_version(target, VERSIONS[config.role])
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    uint8_weights = frozenset(quantization["mixedPlan"]["uint8Weights"])
    if quantization["shipped"] == "mixed":
        shipped = round_mixed(folded, frozenset(quantization["mixedPlan"]["uint8"]))
    else:
        shipped = QUANTIZATIONS[quantization["shipped"]](folded)
    shard = write_layers_model(shipped, config.size, config.model_id, target, quantization["shipped"], uint8_weights)
    write_reference(shipped, config.size, target)
    meta = {
        "id": config.model_id,
        "version": VERSIONS[config.role],
        "role": config.role,
        "inputSize": config.size,
        "output": "logits",
        "labels": list(LABELS),
        "labelNames": LABEL_NAMES,
        "malignant": list(MALIGNANT),
        "temperature": calibration["temperature"],
        "risk": {"threshold": calibration["risk"]["threshold"], "high": calibration["risk"]["high"]},
        "preprocessing": SPEC,
        "gradcamLayer": shard.pop("lastConv"),
        "quantization": quantization["shipped"],
        "weights": [shard],
        "architecture": config.arch,
        "parameters": card["parameters"],
        "flops": card["flops"],
    }
    taps = shard.pop("taps")
    gate_path = config.resolved_run_dir() / "gate.json"
    if gate_path.is_file():
        from .gate import load_stats

        layers = json.loads((target / "model.json").read_text())["modelTopology"]["config"]["layers"]
        stats = load_stats(config)
        # The last tap is read after the pooling layer (gates fitted before taps were chosen name it);
        # any other is a 4-D activation that the app pools itself.
        if stats.tap in (LAST, len(taps) - 1):
            feature_layer = next(layer["name"] for layer in layers if layer["class_name"] == "GlobalAveragePooling2D")
        else:
            feature_layer = taps[stats.tap]
        chosen = json.loads(gate_path.read_text())
        framing = float(chosen.get("framing", 0.0))  # gates chosen before framings read one view
        report = {
            **chosen["report"],
            "asShipped": gate_as_shipped(shipped, stats, chosen["thresholds"], data, config.size, framing),
        }
        reference = gate_reference(shipped, stats, config.size)
        gate = write_gate(target, stats, chosen["thresholds"], report, feature_layer, reference, framing)
        meta["featureLayer"] = feature_layer
        meta["ood"] = {"path": "ood.json", "data": gate["file"]}
    (target / "meta.json").write_text(json.dumps(meta, indent=1))
    card["quantization"] = quantization
    if previous is not None:
        card["previous"] = previous
    (target / "card.json").write_text(json.dumps(card, indent=1))
    run_dir = config.resolved_run_dir()
    for plot in PLOTS:
        if (run_dir / plot).is_file():
            shutil.copy(run_dir / plot, target / plot)
    print(json.dumps({"exported": str(target), "quantization": quantization}), flush=True)
    return meta
