"""Read a shipped TF.js layers model back into a PyTorch Classifier (the inverse of export_tfjs).

Why: training checkpoints live outside the work tree and can be lost with the machine; the
exported model in model/<id>/ is then the only copy of a shipped network. Read back, it serves
as a teacher, as the network a gate is fitted on, or in the framing probes, computing what the
app computes (the stored float16 / uint8 weights, dequantized as TF.js does).

The export folded BatchNorm into each convolution. The network read back is the unfolded
architecture with each BatchNorm set to add the folded bias and nothing else (weight 1, running
mean 0, running variance 1 - eps), so it loads wherever a trained checkpoint does, and exports
again to the same weights. In eval mode it computes the shipped function; trained further as is,
its BatchNorm layers would normalise by batch statistics from the first step (a continuation of
the read-back 4.0.0 scored 0.36 after one epoch, EXPERIMENTS.md thirty-first session), so
`unfold_batchnorm` first gives each BatchNorm the statistics of its input on real images and the
scale and shift that undo them: the same function in eval mode, and in train mode too as far as a
batch's statistics match them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from .arrays import Float32s
from .folding import dequantize_uint8, fold_batchnorm
from .keras_graph import to_keras
from .models import Classifier, ConvBNAct, InputScale, Residual, build


def decode_weights(model_dir: Path) -> dict[str, Float32s]:
    """Every weight of model.json's manifest as float32, decoded as TF.js decodes it."""
    manifest = json.loads((model_dir / "model.json").read_text())
    arrays: dict[str, Float32s] = {}
    for group in manifest["weightsManifest"]:
        blob = b"".join((model_dir / path).read_bytes() for path in group["paths"])
        offset = 0
        for spec in group["weights"]:
            count = int(np.prod(spec["shape"], dtype=np.int64))
            quant: dict[str, Any] | None = spec.get("quantization")
            if quant is None:
                values = np.frombuffer(blob, dtype="<f4", count=count, offset=offset).astype(np.float32)
                offset += 4 * count
            elif quant["dtype"] == "float16":
                values = np.frombuffer(blob, dtype="<f2", count=count, offset=offset).astype(np.float32)
                offset += 2 * count
            elif quant["dtype"] == "uint8":
                q = np.frombuffer(blob, dtype=np.uint8, count=count, offset=offset)
                values = dequantize_uint8(q, float(quant["min"]), float(quant["scale"]))
                offset += count
            else:
                raise ValueError(f"{spec['name']}: no decoder for {quant['dtype']}")
            arrays[spec["name"]] = values.reshape(spec["shape"])
        if offset != len(blob):
            raise ValueError(f"{model_dir}: the manifest describes {offset} bytes, the shards hold {len(blob)}")
    return arrays


def _convs_in_export_order(module: nn.Module) -> list[ConvBNAct | InputScale]:
    """The modules that own weights, in the order keras_graph writes them."""
    if isinstance(module, (ConvBNAct, InputScale)):
        return [module]
    if isinstance(module, Residual):
        return _convs_in_export_order(module.body)
    if isinstance(module, nn.Sequential):
        return [owned for child in module for owned in _convs_in_export_order(child)]
    raise TypeError(f"no TF.js layer for {type(module).__name__}")


@torch.no_grad()
def import_layers_model(model_dir: Path) -> tuple[Classifier, str, int]:
    """(network in eval mode, arch, input size) of model_dir's model.json + meta.json."""
    meta = json.loads((model_dir / "meta.json").read_text())
    arch, size = str(meta["architecture"]), int(meta["inputSize"])
    model = build(arch, classes=len(meta["labels"])).eval()
    # The names and shapes the export gives this architecture: the map from the manifest back to modules.
    _, expected, _, _ = to_keras(fold_batchnorm(model), size, "import")
    arrays = decode_weights(model_dir)
    if [name for name, _ in expected] != list(arrays) or any(
        arrays[name].shape != shape.shape for name, shape in expected
    ):
        raise ValueError(f"{model_dir}: its weights are not those of a {arch} network at {size} px")
    names = iter(name for name, _ in expected)
    for owner in [m for block in model.features for m in _convs_in_export_order(block)]:
        kernel, bias = arrays[next(names)], torch.from_numpy(arrays[next(names)].copy())
        if isinstance(owner, InputScale):
            owner.scale.copy_(torch.from_numpy(np.diag(kernel[0, 0]).copy()))
            owner.offset.copy_(bias)
            continue
        order = (2, 3, 0, 1) if owner.depthwise else (3, 2, 0, 1)  # keras_graph's transposes, undone
        owner.conv.weight.copy_(torch.from_numpy(kernel.transpose(order).copy()))
        bn = owner.bn
        assert isinstance(bn, nn.BatchNorm2d)
        bn.weight.fill_(1.0)
        bn.bias.copy_(bias)
        assert bn.running_mean is not None and bn.running_var is not None
        bn.running_mean.zero_()
        bn.running_var.fill_(1.0 - bn.eps)  # sqrt(var + eps) = 1: BatchNorm adds the bias only
    model.head.weight.copy_(torch.from_numpy(arrays[next(names)].T.copy()))
    model.head.bias.copy_(torch.from_numpy(arrays[next(names)].copy()))
    return model, arch, size


def save_imported_run(model_dir: Path, run_dir: Path) -> Path:
    """model_dir's network as run_dir/best.pt (arch, size, state dict, where it came from)."""
    model, arch, size = import_layers_model(model_dir)
    meta = json.loads((model_dir / "meta.json").read_text())
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / "best.pt"
    saved = {
        "arch": arch,
        "size": size,
        "state_dict": model.state_dict(),
        "importedFrom": {"id": meta["id"], "version": meta["version"], "quantization": meta.get("quantization")},
    }
    torch.save(saved, path)
    return path


def unfold_batchnorm(model: nn.Module, images: torch.Tensor, batch_size: int = 128) -> None:
    """Make a read-back network trainable: each BatchNorm that only adds a bias (y = x + b) gets its
    input's per-channel mean m and variance v over `images` (NCHW in [0, 1], the network in eval
    mode, so every input is what the shipped network computes there) as running statistics, and
    weight sqrt(v + eps) and bias m + b, which give y = x + b again. Normalising by a batch's own
    statistics in training then starts from the shipped function instead of away from it."""
    norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    with torch.no_grad():
        for norm in norms:  # all checked before any is changed
            assert norm.running_mean is not None and norm.running_var is not None
            # y = (x - rm) / sqrt(rv + eps) * w + b; only y = x + b is unfolded here.
            scale = norm.weight / torch.sqrt(norm.running_var + norm.eps)
            if not torch.allclose(scale, torch.ones_like(scale), atol=1e-4) or bool(norm.running_mean.any()):
                raise ValueError("unfold_batchnorm: a BatchNorm that does more than add a bias (not read back?)")
    sums = {id(n): torch.zeros(n.num_features, dtype=torch.float64) for n in norms}
    squares = {id(n): torch.zeros(n.num_features, dtype=torch.float64) for n in norms}
    counts = {id(n): 0 for n in norms}

    def record(norm: nn.Module, inputs: tuple[torch.Tensor, ...]) -> None:
        x = inputs[0].detach().double()
        sums[id(norm)] += x.sum(dim=(0, 2, 3)).cpu()
        squares[id(norm)] += (x * x).sum(dim=(0, 2, 3)).cpu()
        counts[id(norm)] += x.shape[0] * x.shape[2] * x.shape[3]

    hooks = [n.register_forward_pre_hook(record) for n in norms]
    model.eval()
    try:
        with torch.no_grad():
            device = next(model.parameters()).device
            for start in range(0, len(images), batch_size):
                model(images[start : start + batch_size].to(device))
    finally:
        for hook in hooks:
            hook.remove()
    with torch.no_grad():
        for norm in norms:
            mean = sums[id(norm)] / counts[id(norm)]
            variance = (squares[id(norm)] / counts[id(norm)] - mean * mean).clamp(min=0)
            assert norm.running_mean is not None and norm.running_var is not None
            std = torch.sqrt(variance + norm.eps).to(norm.weight.dtype)
            norm.bias.copy_(norm.bias + mean.to(norm.bias.dtype))
            norm.weight.copy_(std)
            norm.running_mean.copy_(mean.to(norm.running_mean.dtype))
            norm.running_var.copy_(variance.to(norm.running_var.dtype))
