"""A TF.js layers model read back into PyTorch computes what was exported, for both architectures
and every weight format, and the shipped models read back give their reference outputs."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

import dermlens_train.prepared as prepared_module
from dermlens_train.checkpoint import load_checkpoint
from dermlens_train.export_tfjs import write_layers_model
from dermlens_train.folding import fold_batchnorm, round_to_float16
from dermlens_train.import_tfjs import import_layers_model, save_imported_run, unfold_batchnorm
from dermlens_train.mixed_precision import keras_names, round_mixed
from dermlens_train.models import Classifier
from dermlens_train.reference import reference_inputs
from dermlens_train.train import train

from random_networks import randomised
from synthetic import make_dataset, make_phone_dataset
from test_resume import config_for

MODEL_ROOT = Path(__file__).resolve().parents[2] / "model"


def exported(folded: Classifier, arch: str, size: int, quantization: str, target: Path) -> Classifier:
    """Writes folded as model.json + meta.json into target; returns the network TF.js then holds."""
    held, uint8 = folded, frozenset[str]()
    if quantization == "float16":
        held = round_to_float16(folded)
    if quantization == "mixed":  # the four largest tensors uint8, the rest float16
        names = keras_names(folded, size)
        largest = frozenset(sorted(names, key=lambda n: -dict(folded.named_parameters())[n].numel())[:4])
        held, uint8 = round_mixed(folded, largest), frozenset(names[n] for n in largest)
    write_layers_model(folded, size, "imported", target, quantization, uint8)
    meta = {"id": "imported", "version": "0.0.1", "architecture": arch, "inputSize": size, "labels": list("abcdefg")}
    (target / "meta.json").write_text(json.dumps(meta))
    return held


def _with_meta(folder: Path, source: Path) -> Path:
    shutil.copyfile(source / "meta.json", folder / "meta.json")
    return folder


@pytest.mark.parametrize(
    ("arch", "size", "quantization"),
    [("compact24", 28, "float32"), ("compact24", 28, "float16"), ("lite0", 36, "float32"), ("lite0", 36, "mixed")],
)
def test_read_back_network_computes_the_exported_one(arch: str, size: int, quantization: str, tmp_path: Path) -> None:
    held = exported(fold_batchnorm(randomised(arch, seed=5)), arch, size, quantization, tmp_path)
    model, read_arch, read_size = import_layers_model(tmp_path)
    assert (read_arch, read_size) == (arch, size)
    images = torch.from_numpy(np.random.default_rng(5).random((2, 3, size, size), dtype=np.float32))
    with torch.no_grad():
        expected = held(images)
        got = model(images)
    assert torch.abs(got - expected).max().item() <= 1e-4 * max(1.0, expected.abs().max().item())
    # Exported again, the read-back network writes the same weights (the export's inverse).
    again = tmp_path / "again"
    again.mkdir()
    write_layers_model(fold_batchnorm(model), size, "imported", again, "float32")
    first = json.loads((tmp_path / "model.json").read_text())["weightsManifest"][0]["weights"]
    second = json.loads((again / "model.json").read_text())["weightsManifest"][0]["weights"]
    assert [w["name"] for w in first] == [w["name"] for w in second]
    reread, _, _ = import_layers_model(_with_meta(again, tmp_path))
    for a, b in zip(model.state_dict().values(), reread.state_dict().values(), strict=True):
        assert torch.equal(a, b)


def test_wrong_architecture_is_refused(tmp_path: Path) -> None:
    exported(fold_batchnorm(randomised("compact24", seed=1)), "compact24", 28, "float32", tmp_path)
    meta = json.loads((tmp_path / "meta.json").read_text())
    (tmp_path / "meta.json").write_text(json.dumps({**meta, "architecture": "compact"}))
    with pytest.raises(ValueError, match="not those of a compact network"):
        import_layers_model(tmp_path)


@pytest.mark.parametrize("model_id", sorted(p.parent.name for p in MODEL_ROOT.glob("*/meta.json")))
def test_shipped_model_read_back_gives_its_reference_logits(model_id: str, tmp_path: Path) -> None:
    folder = MODEL_ROOT / model_id
    reference = json.loads((folder / "reference.json").read_text())
    path = save_imported_run(folder, tmp_path / "run")
    model = load_checkpoint(path)  # loads like any trained checkpoint
    inputs = torch.from_numpy(reference_inputs(reference["size"], reference["count"])).permute(0, 3, 1, 2)
    with torch.no_grad():
        logits = model(inputs).numpy()
    assert np.abs(logits - np.array(reference["logits"])).max() <= 1e-4


def test_unfold_batchnorm_makes_a_read_back_network_trainable_from_where_it_was(tmp_path: Path) -> None:
    exported(fold_batchnorm(randomised("lite0", seed=7)), "lite0", 36, "float32", tmp_path)
    model, _, _ = import_layers_model(tmp_path)
    images = torch.from_numpy(np.random.default_rng(7).random((24, 3, 36, 36), dtype=np.float32))

    def in_batchnorm_train_mode(network: torch.nn.Module) -> torch.Tensor:
        """The output with each BatchNorm normalising by the batch's statistics (dropout off), on a
        copy, since a train-mode pass moves the running statistics."""
        network = copy.deepcopy(network).eval()
        for m in network.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.train()
        with torch.no_grad():
            return network(images)

    with torch.no_grad():
        shipped = model.eval()(images)
    # As read back, batch statistics take the network far from what it computed.
    assert torch.abs(in_batchnorm_train_mode(model) - shipped).max().item() > 0.1
    unfold_batchnorm(model, images, batch_size=len(images))
    with torch.no_grad():
        unfolded = model.eval()(images)
    trained_mode = in_batchnorm_train_mode(model)  # one batch of the statistics' own images
    # The same function in eval mode, and in train mode on a batch like the statistics' images.
    assert torch.abs(unfolded - shipped).max().item() <= 1e-4 * max(1.0, shipped.abs().max().item())
    assert torch.abs(trained_mode - shipped).max().item() <= 1e-3 * max(1.0, shipped.abs().max().item())
    # A network whose BatchNorm does more than add a bias was not read back: refused.
    with pytest.raises(ValueError, match="does more than add a bias"):
        unfold_batchnorm(randomised("lite0", seed=7), images)


def test_a_run_started_from_a_read_back_network_unfolds_its_batchnorm_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prepared_module, "CACHE_DIR", tmp_path / "cache")
    make_dataset(tmp_path)
    make_phone_dataset(tmp_path)
    first = load_checkpoint(train(config_for(tmp_path, "first", epochs=1)) / "best.pt")
    (tmp_path / "export").mkdir()
    exported(fold_batchnorm(first), "compact", 28, "float32", tmp_path / "export")
    read_back = save_imported_run(tmp_path / "export", tmp_path / "read-back")
    # At a learning rate of 0 the convolutions cannot move; the BatchNorm layers were unfolded.
    second = train(config_for(tmp_path, "second", epochs=1, init=str(read_back), lr=0.0))
    before = torch.load(read_back, map_location="cpu")["state_dict"]
    after = torch.load(second / "best.pt", map_location="cpu")["state_dict"]
    convolutions = [k for k, v in before.items() if k.endswith("weight") and v.dim() == 4]
    scales = [k for k in before if k.endswith("bn.weight")]
    assert convolutions and scales
    for name in convolutions:
        assert torch.equal(before[name], after[name]), name
    assert all(bool((before[k] == 1).all()) for k in scales)
    assert not any(bool((after[k] == 1).all()) for k in scales)
