"""Export the best checkpoint to model/<id>/: TF.js layers model.json + shard, meta.json, card + plots.

float16 weights are shipped only if they cost < 0.3 points of test accuracy and < 0.002 macro
AUC (measured here on the folded network, the exact function the app runs).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import torch

from . import LABEL_NAMES, LABELS, MALIGNANT
from .checkpoint import load_best, read_json
from .config import TrainConfig
from .gradcam import grad_cam
from .folding import fold_batchnorm, round_to_float16
from .inference import predict_logits
from .keras_graph import to_keras
from .metrics import classification_report, softmax
from .preprocess import SPEC
from .prepared import Prepared
from .reference import REFERENCE_COUNT, reference_inputs

MAX_ACCURACY_DROP = 0.003
MAX_AUC_DROP = 0.002
PLOTS = ("confusion.png", "roc.png", "reliability.png", "training.png")
VERSION = "1.0.0"


def write_layers_model(model, size: int, model_id: str, target: Path, float16: bool) -> dict[str, object]:
    """Write model.json + group1-shard1of1.bin for a folded model; return the shard's description."""
    topology, weights, last_conv = to_keras(model, size, model_id.replace("-", "_"))
    dtype = np.float16 if float16 else np.float32
    specs, blobs = [], []
    for name, array in weights:
        spec: dict[str, object] = {"name": name, "shape": list(array.shape), "dtype": "float32"}
        if float16:
            spec["quantization"] = {"dtype": "float16", "original_dtype": "float32"}
        specs.append(spec)
        blobs.append(np.ascontiguousarray(array, dtype=dtype).astype("<" + np.dtype(dtype).str[1:]).tobytes())
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
    return {"path": shard_name, "bytes": len(shard), "sha256": hashlib.sha256(shard).hexdigest(), "lastConv": last_conv}


def quantization_effect(folded, data: Prepared) -> dict[str, object]:
    """Test metrics of the float32 and float16 versions of the folded network, and the verdict."""
    results = {}
    for name, network in (("float32", folded), ("float16", round_to_float16(folded))):
        report = classification_report(data.test.labels, softmax(predict_logits(network, data.test.images)))
        results[name] = {"accuracy": report["accuracy"], "macroAuc": report["macroAuc"]}
    accuracy_drop = results["float32"]["accuracy"] - results["float16"]["accuracy"]
    auc_drop = results["float32"]["macroAuc"] - results["float16"]["macroAuc"]
    ship16 = accuracy_drop < MAX_ACCURACY_DROP and auc_drop < MAX_AUC_DROP
    return {**results, "accuracyDrop": accuracy_drop, "macroAucDrop": auc_drop, "shipped": "float16" if ship16 else "float32",
            "rule": f"float16 only if accuracy drops < {MAX_ACCURACY_DROP} and macro AUC < {MAX_AUC_DROP}"}


def write_reference(network, size: int, target: Path) -> None:
    """PyTorch logits of the shipped network for the integer-pattern inputs (see reference.py)."""
    inputs = torch.from_numpy(reference_inputs(size)).permute(0, 3, 1, 2)
    with torch.no_grad():
        logits = network.eval()(inputs).numpy()
    top = logits.argmax(axis=1).tolist()
    reference = {"inputs": "reference_inputs(size, count) in dermlens_train/reference.py",
                 "count": REFERENCE_COUNT, "size": size, "logits": logits.tolist(),
                 "gradcam": {"classes": top, "maps": grad_cam(network, inputs, top).tolist(),
                             "definition": "relu(sum_k mean(dlogit/dA_k) * A_k) / max, last conv, feature resolution"}}
    (target / "reference.json").write_text(json.dumps(reference))


def export(config: TrainConfig, data: Prepared, target: Path) -> dict[str, object]:
    model_id = f"ham10000-{config.size}"
    folded = fold_batchnorm(load_best(config))
    calibration = read_json(config, "calibration.json")
    card = read_json(config, "card.json")
    quantization = quantization_effect(folded, data)
    float16 = quantization["shipped"] == "float16"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shipped = round_to_float16(folded) if float16 else folded
    shard = write_layers_model(shipped, config.size, model_id, target, float16)
    write_reference(shipped, config.size, target)
    meta = {
        "id": model_id, "version": VERSION, "inputSize": config.size, "output": "logits",
        "labels": list(LABELS), "labelNames": LABEL_NAMES, "malignant": list(MALIGNANT),
        "temperature": calibration["temperature"],
        "risk": {"threshold": calibration["risk"]["threshold"], "high": calibration["risk"]["high"]},  # type: ignore[index]
        "preprocessing": SPEC, "gradcamLayer": shard.pop("lastConv"),
        "quantization": quantization["shipped"], "weights": [shard],
        "architecture": config.arch, "parameters": card["parameters"], "flops": card["flops"],
    }
    (target / "meta.json").write_text(json.dumps(meta, indent=1))
    card["quantization"] = quantization
    (target / "card.json").write_text(json.dumps(card, indent=1))
    run_dir = config.resolved_run_dir()
    for plot in PLOTS:
        if (run_dir / plot).is_file():
            shutil.copy(run_dir / plot, target / plot)
    print(json.dumps({"exported": str(target), "quantization": quantization}), flush=True)
    return meta

