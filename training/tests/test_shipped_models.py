"""The models in model/: hashes match, the card is complete, and Node TF.js reproduces them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from dermlens_train import LABELS, MALIGNANT
from dermlens_train.reference import reference_inputs

from shared_data import require
from tfjs_runner import tfjs_logits

MODEL_ROOT = Path(__file__).resolve().parents[2] / "model"
# Every exported model (a folder with a meta.json), so a new export is checked without editing this file.
SHIPPED = tuple(sorted(p.parent.name for p in MODEL_ROOT.glob("*/meta.json")))
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def model_dir(model_id: str) -> Path:
    path = MODEL_ROOT / model_id
    if not (path / "meta.json").is_file():
        pytest.fail(f"{path} is not exported: run `npm run train:accurate` / `npm run train:fast`")
    return path


def read(path: Path) -> dict:
    return json.loads(path.read_text())


@pytest.mark.parametrize("model_id", SHIPPED)
def test_meta_hashes_and_contract(model_id: str) -> None:
    folder = model_dir(model_id)
    meta, manifest = read(folder / "meta.json"), read(folder / "model.json")
    assert meta["id"] == model_id and meta["labels"] == list(LABELS) and meta["malignant"] == list(MALIGNANT)
    assert [w["path"] for w in meta["weights"]] == manifest["weightsManifest"][0]["paths"]
    for shard in meta["weights"]:
        data = (folder / shard["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == shard["sha256"]
        assert len(data) == shard["bytes"]
    size = meta["inputSize"]
    layers = manifest["modelTopology"]["config"]["layers"]
    assert layers[0]["config"]["batch_input_shape"] == [None, size, size, 3]
    assert meta["gradcamLayer"] in {layer["name"] for layer in layers}
    assert 0 < meta["risk"]["threshold"] <= meta["risk"]["high"] < 1 and meta["temperature"] > 0
    assert meta["role"] in ("accurate", "fast")
    # The not-a-spot gate: its statistics checked like the weights, its feature layer in the graph.
    gate = read(folder / meta["ood"]["path"])
    blob = (folder / meta["ood"]["data"]["path"]).read_bytes()
    assert hashlib.sha256(blob).hexdigest() == meta["ood"]["data"]["sha256"] == gate["file"]["sha256"]
    assert meta["featureLayer"] == gate["featureLayer"] in {layer["name"] for layer in layers}


@pytest.mark.parametrize("model_id", SHIPPED)
def test_gate_refuses_at_most_3_percent_of_held_out_skin_spots(model_id: str) -> None:
    report = read(model_dir(model_id) / "ood.json")["report"]
    for rates in (report["test"]["positivesRefused"], report["asShipped"]):
        assert rates["dermoscopic"] <= 0.03 and rates["phone"] <= 0.03
    assert report["test"]["negativesRefused"] > 0.5


@pytest.mark.parametrize("model_id", SHIPPED)
def test_card_has_the_measured_fields(model_id: str) -> None:
    card = read(model_dir(model_id) / "card.json")
    test = card["test"]
    assert test["n"] == 1227  # the DermaMNIST-C test split
    for key in ("accuracy", "balancedAccuracy", "macroAuc", "melanomaAuc", "malignantAuc", "confusionMatrix", "ece"):
        assert test[key] is not None, key
    assert sum(map(sum, test["confusionMatrix"])) == 1227
    assert set(test["malignant"]["threshold"]) == {"value", "sensitivity", "specificity"}
    assert card["training"]["seconds"] > 0 and card["parameters"] > 0 and card["flops"] > 0
    assert "CC BY-NC 4.0" in card["data"]["licence"]
    phone = card["phone"]
    assert phone["n"] == card["data"]["phone"]["test"] == 104  # our PAD-UFES-20 test fold
    assert phone["classesPresent"] == ["akiec", "bcc", "bkl", "mel", "nv"]
    assert sum(map(sum, phone["confusionMatrix"])) == 104 and phone["malignantAuc"] is not None


@pytest.mark.parametrize("model_id", SHIPPED)
def test_node_tfjs_reproduces_the_reference_outputs(model_id: str) -> None:
    folder = model_dir(model_id)
    reference = read(folder / "reference.json")
    logits = tfjs_logits(folder, reference_inputs(reference["size"], reference["count"]))
    assert np.abs(logits - np.array(reference["logits"])).max() <= 1e-3


@pytest.mark.parametrize("model_id", SHIPPED)
def test_shipped_model_in_tfjs_scores_what_its_card_says(model_id: str) -> None:
    """The app's numbers must be true: the exported model, run by TF.js (wasm, as in the app) on
    the real test split, gets the accuracy its card reports for the shipped weights."""
    require(SHARED / "ham10000" / "HAM10000_metadata.csv", "re-measuring the shipped model's accuracy")
    from dermlens_train.config import TrainConfig
    from dermlens_train.prepared import prepare_derm, prepare_phone

    folder = model_dir(model_id)
    card = read(folder / "card.json")
    config = TrainConfig(size=card["inputSize"])
    shipped = card["quantization"][card["quantization"]["shipped"]]
    domains = {"dermoscopic": prepare_derm(config).test}
    phone = prepare_phone(config)
    if "phone" in card and phone is not None:
        domains["phone"] = phone.test
    for domain, test in domains.items():
        logits = tfjs_logits(folder, test.images.astype(np.float32) / 255.0, backend="wasm")
        accuracy = float((logits.argmax(axis=1) == test.labels).mean())
        expected = shipped[domain]["accuracy"] if domain in shipped else shipped["accuracy"]
        assert abs(accuracy - expected) <= 1 / len(test.labels) + 1e-9, domain
