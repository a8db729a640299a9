"""A tiny end-to-end run on drawn images: train 1 epoch -> calibrate -> evaluate -> export."""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import dermlens_train.prepared as prepared_module
from dermlens_train import LABELS
from dermlens_train.cli import main
from dermlens_train.config import TrainConfig
from dermlens_train.data import DataError, check_images, load_images, load_metadata
from dermlens_train.pipeline import run_stage

from synthetic import make_dataset, make_phone_dataset


@pytest.fixture
def dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.setattr(prepared_module, "CACHE_DIR", tmp_path / "cache")
    return make_dataset(tmp_path)


def tiny_config(ham: Path, split: Path, phone: tuple[Path, Path], run_dir: Path, **changes: object) -> TrainConfig:
    values: dict[str, object] = dict(
        model_id="tiny-28",
        role="fast",
        size=28,
        arch="compact",
        pretrained=False,
        freeze=0,
        epochs=1,
        batch_size=8,
        data_dir=str(ham),
        split_file=str(split),
        phone_dir=str(phone[0]),
        phone_split_file=str(phone[1]),
        run_dir=str(run_dir),
        selection_fraction=0.3,
    )
    values.update(changes)
    return TrainConfig(**values)  # type: ignore[arg-type]


def test_tiny_run_produces_checkpoint_card_and_export(dataset: tuple[Path, Path], tmp_path: Path) -> None:
    ham, split = dataset
    config = tiny_config(ham, split, make_phone_dataset(tmp_path), tmp_path / "run")
    run_stage("all", config, str(tmp_path / "model"))
    assert (tmp_path / "run" / "best.pt").is_file()
    log = json.loads((tmp_path / "run" / "log.json").read_text())
    assert len(log["epochs"]) == 1 and log["parameters"] > 0
    card = json.loads((tmp_path / "model" / "card.json").read_text())
    assert card["test"]["n"] == 14  # 7 classes x 1 test lesion x 2 images
    # The phone block: 6 diagnoses x 1 test patient x 2 photos, over the 5 classes PAD-UFES-20 has.
    assert card["phone"]["n"] == 12 and card["phone"]["classesPresent"] == ["akiec", "bcc", "bkl", "mel", "nv"]
    assert card["phone"]["perClass"]["df"]["auc"] is None and card["phone"]["malignantAuc"] is not None
    assert card["data"]["phone"]["patients"] == {"fit": 6, "select": 6, "test": 6}
    assert card["role"] == "fast" and card["modelId"] == "tiny-28"
    assert set(card["quantization"]["float16"]["drops"]) == {"dermoscopic", "phone"}
    assert set(card["test"]["perClass"]) == set(LABELS)
    assert {"before", "after"} <= set(card["test"]["ece"])
    assert card["quantization"]["shipped"] in ("uint8", "mixed", "float16", "float32")
    # A tiny network is far under the shard budget: nothing goes uint8, so no "mixed" candidate.
    assert card["quantization"]["mixedPlan"]["uint8"] == [] and "mixed" not in card["quantization"]
    default = card["tta"]["default"]
    assert default["latency"]["singleMs"] > 0 and default["latency"]["ttaMs"] > 0
    assert default["latency"]["ratio"] == pytest.approx(default["latency"]["ttaMs"] / default["latency"]["singleMs"])
    assert default["maxLatencyRatio"] == 4
    assert default["on"] == (default["latency"]["ratio"] <= 4)
    meta = json.loads((tmp_path / "model" / "meta.json").read_text())
    assert meta["inputSize"] == 28 and meta["labels"] == list(LABELS)
    assert meta["id"] == "tiny-28" and meta["role"] == "fast"
    assert meta["quantization"] == card["quantization"]["shipped"]
    # The not-a-spot gate: statistics checked by hash like the weights, thresholds and rates beside them.
    gate = json.loads((tmp_path / "model" / "ood.json").read_text())
    blob = (tmp_path / "model" / "ood.bin").read_bytes()
    assert meta["ood"]["data"]["sha256"] == hashlib.sha256(blob).hexdigest() == gate["file"]["sha256"]
    assert len(blob) == 4 * (gate["classes"] * gate["channels"] + (gate["channels"] + 1) * gate["components"])
    assert meta["featureLayer"] == gate["featureLayer"]
    # The gate measures the depth it chose on the selection data: the layer exists, with that many channels.
    topology = json.loads((tmp_path / "model" / "model.json").read_text())["modelTopology"]["config"]["layers"]
    assert gate["featureLayer"] in {layer["name"] for layer in topology}
    candidates = gate["report"]["tap"]["candidates"]
    chosen = candidates[str(gate["tap"])]
    assert chosen["channels"] == gate["channels"]
    assert chosen["selectNegativesRefused"] == max(c["selectNegativesRefused"] for c in candidates.values())
    assert gate["report"]["selection"]["positivesRefused"]["phone"] <= 0.02
    for shard in meta["weights"]:
        data = (tmp_path / "model" / shard["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == shard["sha256"] and len(data) == shard["bytes"]
    for plot in ("confusion.png", "roc.png", "reliability.png", "training.png"):
        assert (tmp_path / "model" / plot).stat().st_size > 1000
    # One view by default; a gate chosen with the tighter framing says so to the app (ood.json) and
    # still keeps the selection photos within the rule, measured on both framings.
    assert "tighterFraming" not in gate
    framed = replace(config, gate_framing=0.8)
    run_stage("gate", framed)
    run_stage("export", framed, str(tmp_path / "framed"))
    framed_gate = json.loads((tmp_path / "framed" / "ood.json").read_text())
    assert framed_gate["tighterFraming"] == 0.8 and "centre 0.8" in framed_gate["report"]["rule"]
    assert framed_gate["report"]["selection"]["positivesRefused"]["phone"] <= 0.02
    assert set(framed_gate["report"]["asShipped"]) == {"dermoscopic", "phone", "negatives"}


def test_missing_dataset_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["train", "--role", "fast", "--data-dir", str(tmp_path / "nowhere")])
    assert code == 2
    assert "HAM10000 not found" in capsys.readouterr().err


def test_missing_column_is_named(tmp_path: Path) -> None:
    (tmp_path / "HAM10000_metadata.csv").write_text("lesion_id,image_id\nHAM_1,ISIC_1\n")
    with pytest.raises(DataError, match="lacks column\\(s\\) dx"):
        load_metadata(tmp_path)


def test_missing_and_unreadable_images_are_counted_and_skipped(dataset: tuple[Path, Path], tmp_path: Path) -> None:
    ham, _ = dataset
    records = load_metadata(ham)
    (ham / "images" / f"{records[0].image_id}.jpg").unlink()
    (ham / "images" / f"{records[1].image_id}.jpg").write_bytes(b"not a jpeg")
    with pytest.warns(UserWarning, match="1 image\\(s\\) missing .*" + records[0].image_id):
        present = check_images(ham, records)
    assert len(present) == len(records) - 1
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        images, kept = load_images(ham, present, 28, tmp_path / "cache2")
    assert any("1 unreadable image(s) skipped: " + records[1].image_id in str(w.message) for w in caught)
    assert images.shape == (len(records) - 2, 28, 28, 3) and images.dtype == np.uint8
    assert records[1].image_id not in {r.image_id for r in kept}
