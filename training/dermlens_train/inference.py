"""Batched PyTorch inference on uint8 NHWC arrays, optionally with flip test-time augmentation."""

from __future__ import annotations

import time
from typing import TypedDict

import numpy as np
import torch
from torch import nn

from .arrays import Float32s, Floats, Images

# The 8 symmetries of the square: identity, flips and turns (all valid views of a lesion).
TTA_VIEWS = 8


class TtaLatency(TypedDict):
    """Median milliseconds for one image: one view, its 8 views in one batch, and their ratio."""

    singleMs: float
    ttaMs: float
    ratio: float


def to_tensor(batch_uint8: Images) -> torch.Tensor:
    """uint8 NHWC -> float32 NCHW (channels-last in memory) in [0, 1]."""
    x = torch.from_numpy(np.ascontiguousarray(batch_uint8)).permute(0, 3, 1, 2).float().div_(255.0)
    return x.contiguous(memory_format=torch.channels_last)


def model_device(model: nn.Module) -> torch.device:
    """Where the network's weights live (inputs are moved there; answers come back to the CPU)."""
    return next(model.parameters()).device


def view(x: torch.Tensor, index: int) -> torch.Tensor:
    """One of the 8 dihedral views of NCHW images."""
    if index & 1:
        x = x.flip(3)
    if index & 2:
        x = x.flip(2)
    if index & 4:
        x = x.transpose(2, 3)
    return x


@torch.no_grad()
def predict_logits(model: nn.Module, images: Images, views: int = 1, batch_size: int = 256) -> Floats:
    """Logits (n, classes); with views > 1, the mean logit over the first `views` dihedral views."""
    model.eval()
    device = model_device(model)
    outputs: list[Float32s] = []
    for start in range(0, len(images), batch_size):
        x = to_tensor(images[start : start + batch_size]).to(device)
        logits = sum(model(view(x, v)) for v in range(views)) / views
        outputs.append(logits.cpu().numpy())
    return np.concatenate(outputs).astype(np.float64)


@torch.no_grad()
def tta_latency(model: nn.Module, size: int, runs: int = 30, warmup: int = 5) -> TtaLatency:
    """Milliseconds for one image: one view, and its 8 views as one batch (as the app's worker
    runs them); medians over `runs` after `warmup`. On one CPU thread, so the figure does not
    depend on what the machine's other cores are doing."""
    model.eval()
    generator = torch.Generator().manual_seed(0)
    image = torch.rand(1, 3, size, size, generator=generator).contiguous(memory_format=torch.channels_last)
    views = torch.cat([view(image, v) for v in range(TTA_VIEWS)]).contiguous(memory_format=torch.channels_last)
    previous = torch.get_num_threads()
    torch.set_num_threads(1)

    def median_ms(x: torch.Tensor) -> float:
        for _ in range(warmup):
            model(x)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            model(x)
            times.append((time.perf_counter() - start) * 1000)
        return float(np.median(times))

    try:
        single, tta = median_ms(image), median_ms(views)
    finally:
        torch.set_num_threads(previous)
    return {"singleMs": single, "ttaMs": tta, "ratio": tta / single}
