"""A freshly exported network gives PyTorch's outputs in TF.js (Node), for both architectures,
at odd and even sizes where TF `same` padding of stride-2 convolutions is asymmetric."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from dermlens_train import mixed_precision
from dermlens_train.export_tfjs import write_layers_model
from dermlens_train.folding import fold_batchnorm, round_to_float16, round_to_uint8
from dermlens_train.metrics import softmax
from dermlens_train.mixed_precision import Evaluation, keras_names, round_mixed, shard_bytes
from dermlens_train.ood import tapped_features

from random_networks import randomised
from tfjs_runner import tfjs_logits


# lite0 at 64 gives its 5x5 stride-2 depthwise convs even inputs (16, 4), at 36 odd ones (9, 3).
@pytest.mark.parametrize(("arch", "size"), [("compact", 28), ("compact", 27), ("lite0", 64), ("lite0", 36)])
def test_float32_export_matches_pytorch(arch: str, size: int, tmp_path: Path) -> None:
    model = randomised(arch, seed=size)
    folded = fold_batchnorm(model)
    write_layers_model(folded, size, f"parity-{arch}", tmp_path, "float32")
    images = np.random.default_rng(size).random((3, size, size, 3), dtype=np.float32)
    with torch.no_grad():
        torch_logits = model(torch.from_numpy(images).permute(0, 3, 1, 2)).numpy()
        folded_logits = folded(torch.from_numpy(images).permute(0, 3, 1, 2)).numpy()
    # Folding BatchNorm changes nothing but float rounding.
    assert np.abs(folded_logits - torch_logits).max() < 1e-4
    tf_logits = tfjs_logits(tmp_path, images)
    assert tf_logits.shape == (3, 7)
    assert np.abs(softmax(tf_logits) - softmax(torch_logits)).max() <= 1e-4
    assert np.abs(tf_logits - torch_logits).max() < 1e-3


@pytest.mark.parametrize(("arch", "size"), [("compact", 28), ("lite0", 36)])
def test_every_gate_tap_matches_pytorch(arch: str, size: int, tmp_path: Path) -> None:
    """The layer export names for each module of `features` gives, pooled in TF.js, the pooled
    output of that module in PyTorch: whichever depth the gate chooses, the app measures it."""
    model = fold_batchnorm(randomised(arch, seed=7))
    shard = write_layers_model(model, size, f"taps-{arch}", tmp_path, "float32")
    images = np.random.default_rng(7).random((2, size, size, 3), dtype=np.float32)
    uint8 = np.round(images * 255).astype(np.uint8)
    taps = list(range(2, len(model.features)))
    expected, _ = tapped_features(model, uint8, taps)
    assert len(shard["taps"]) == len(model.features)
    for tap in taps[:: max(1, len(taps) // 4)]:
        got = tfjs_logits(tmp_path, uint8.astype(np.float32) / 255, layer=shard["taps"][tap])
        assert got.shape == expected[tap].shape
        assert np.abs(got - expected[tap]).max() < 1e-3 * max(1.0, np.abs(expected[tap]).max())


def test_float16_export_matches_rounded_network(tmp_path: Path) -> None:
    folded = fold_batchnorm(randomised("compact", seed=5))
    write_layers_model(round_to_float16(folded), 28, "parity-f16", tmp_path, "float16")
    images = np.random.default_rng(5).random((2, 28, 28, 3), dtype=np.float32)
    with torch.no_grad():
        expected = round_to_float16(folded)(torch.from_numpy(images).permute(0, 3, 1, 2)).numpy()
    assert np.abs(softmax(tfjs_logits(tmp_path, images)) - softmax(expected)).max() <= 1e-4
    # The shard holds 2 bytes per weight.
    weights = sum(p.numel() for p in folded.parameters())
    assert (tmp_path / "group1-shard1of1.bin").stat().st_size == 2 * weights


def test_uint8_export_matches_rounded_network(tmp_path: Path) -> None:
    folded = fold_batchnorm(randomised("lite0", seed=7))
    rounded = round_to_uint8(folded)
    write_layers_model(folded, 36, "parity-u8", tmp_path, "uint8")
    images = np.random.default_rng(7).random((2, 36, 36, 3), dtype=np.float32)
    with torch.no_grad():
        expected = rounded(torch.from_numpy(images).permute(0, 3, 1, 2)).numpy()
    assert np.abs(softmax(tfjs_logits(tmp_path, images)) - softmax(expected)).max() <= 1e-4
    # One byte per weight, plus the input-scale layer's 9 + 3 fixed values.
    weights = sum(p.numel() for p in folded.parameters())
    assert (tmp_path / "group1-shard1of1.bin").stat().st_size == weights + 12


def test_mixed_export_matches_rounded_network(tmp_path: Path) -> None:
    """Mixed formats: the chosen tensors uint8 in the manifest, the rest float16, and TF.js gives
    the outputs of the PyTorch network rounded the same way."""
    folded = fold_batchnorm(randomised("lite0", seed=11))
    names = keras_names(folded, 36)
    largest = sorted(names, key=lambda name: -dict(folded.named_parameters())[name].numel())[:4]
    chosen = frozenset(largest)
    write_layers_model(folded, 36, "parity-mixed", tmp_path, "mixed", frozenset(names[n] for n in chosen))
    images = np.random.default_rng(11).random((2, 36, 36, 3), dtype=np.float32)
    with torch.no_grad():
        expected = round_mixed(folded, chosen)(torch.from_numpy(images).permute(0, 3, 1, 2)).numpy()
    assert np.abs(softmax(tfjs_logits(tmp_path, images)) - softmax(expected)).max() <= 1e-4
    manifest = json.loads((tmp_path / "model.json").read_text())["weightsManifest"][0]["weights"]
    dtypes = {spec["name"]: spec["quantization"]["dtype"] for spec in manifest}
    assert {name for name, dtype in dtypes.items() if dtype == "uint8"} == {names[n] for n in chosen}
    assert set(dtypes.values()) == {"uint8", "float16"}
    # Every parameter but the input scaling's computed 9 + 3 values is exported as it is.
    assert len(names) == sum(1 for _ in folded.parameters())
    # 1 byte per uint8 weight, 2 per float16 one (the input scaling's 12 values included).
    assert (tmp_path / "group1-shard1of1.bin").stat().st_size == shard_bytes(folded, chosen) + 2 * 12


def _selection(size: int, seed: int) -> dict[str, Evaluation]:
    rng = np.random.default_rng(seed)
    return {
        "dermoscopic": Evaluation(rng.integers(0, 256, (24, size, size, 3), dtype=np.uint8), np.arange(24) % 7),
        "phone": Evaluation(rng.integers(0, 256, (12, size, size, 3), dtype=np.uint8), np.arange(12) % 7),
    }


def test_mixed_plan_takes_the_least_sensitive_tensors_it_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    folded = fold_batchnorm(randomised("lite0", seed=3))
    half = shard_bytes(folded, frozenset())
    monkeypatch.setattr(mixed_precision, "SHARD_BUDGET_BYTES", int(half * 0.7))
    plan = mixed_precision.choose_uint8_tensors(folded, 36, _selection(36, 3))
    order = list(plan["sensitivity"])
    assert plan["sensitivity"][order[0]] <= plan["sensitivity"][order[-1]]
    chosen = plan["uint8"]
    assert set(chosen) == set(order[: len(chosen)])  # a prefix of the least sensitive
    assert plan["withinBudget"] and plan["shardBytes"] <= int(half * 0.7)
    # As few as needed: one tensor fewer is over the budget.
    assert shard_bytes(folded, frozenset(order[: len(chosen) - 1])) > int(half * 0.7)
    assert plan["uint8Weights"] == sorted(keras_names(folded, 36)[name] for name in chosen)
    assert set(plan["selectionDrops"]) == {"dermoscopic", "phone"}


def test_mixed_plan_takes_nothing_when_the_shard_is_within_budget() -> None:
    folded = fold_batchnorm(randomised("compact", seed=4))
    assert shard_bytes(folded, frozenset()) <= mixed_precision.SHARD_BUDGET_BYTES
    plan = mixed_precision.choose_uint8_tensors(folded, 28, _selection(28, 4))
    assert plan["uint8"] == [] and plan["withinBudget"]
