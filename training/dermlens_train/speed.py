"""How fast one training step runs under each speed setting issue 13 names, as a JSON report.

A step is what train.py does per batch without the data: the network's forward pass on a batch of
random images, label-smoothed cross-entropy, backward, AdamW. Settings: memory format (contiguous
or channels_last, which every run uses), bfloat16 autocast, frozen leading modules (`--freeze`) and
torch.compile. A compiled network's first steps include its compilation, so that time is reported
apart from the steady rate. The network is built as train.py builds it, without the ImageNet
weights (speed does not depend on the values).
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from .models import build, to_channels_last


@dataclass(frozen=True)
class Setting:
    name: str
    channels_last: bool = True
    bf16: bool = False
    freeze: int = 0
    compiled: bool = False


# The recipe the shipped runs use first (channels_last, float32, every layer trained), then one
# change at a time.
SETTINGS = (
    Setting("channels_last, float32, nothing frozen (the runs' setting)"),
    Setting("contiguous, float32, nothing frozen", channels_last=False),
    Setting("channels_last, bfloat16 autocast, nothing frozen", bf16=True),
    Setting("channels_last, float32, frozen 5", freeze=5),
    Setting("channels_last, float32, nothing frozen, torch.compile", compiled=True),
)


def _step_function(setting: Setting, arch: str, size: int, batch: int) -> Callable[[], None]:
    torch.manual_seed(0)
    model = build(arch)
    for index, module in enumerate(model.features):
        if index < setting.freeze:
            module.requires_grad_(False)
    if setting.channels_last:
        model = to_channels_last(model)
    memory = torch.channels_last if setting.channels_last else torch.contiguous_format
    model.train()
    for module in list(model.features)[: setting.freeze]:
        module.eval()
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    forward = torch.compile(model) if setting.compiled else model
    x = torch.rand(batch, 3, size, size).contiguous(memory_format=memory)
    y = torch.randint(0, 7, (batch,))

    def step() -> None:
        optimiser.zero_grad(set_to_none=True)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=setting.bf16):
            logits = forward(x).float()
        torch.autograd.backward(F.cross_entropy(logits, y, label_smoothing=0.1))
        optimiser.step()

    return step


def measure(setting: Setting, arch: str, size: int, batch: int, warmup: int, steps: int) -> dict[str, Any]:
    """Images per second over `steps` steps after `warmup` (the first of which compiles, if at all)."""
    step = _step_function(setting, arch, size, batch)
    started = time.perf_counter()
    for _ in range(warmup):
        step()
    warm_seconds = time.perf_counter() - started
    times = []
    for _ in range(steps):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    times.sort()
    median = times[len(times) // 2]
    return {
        **asdict(setting),
        "warmupSteps": warmup,
        "warmupSeconds": round(warm_seconds, 2),
        "steps": steps,
        "medianStepSeconds": round(median, 4),
        "imagesPerSecond": round(batch / median, 1),
    }


def speed_report(
    arch: str = "lite0",
    size: int = 128,
    batch: int = 64,
    warmup: int = 2,
    steps: int = 5,
    threads: int = 2,
    settings: tuple[Setting, ...] | None = None,
) -> dict[str, Any]:
    torch.set_num_threads(threads)
    rows = [measure(s, arch, size, batch, warmup, steps) for s in (settings or SETTINGS)]
    return {
        "what": "one training step (forward, label-smoothed cross-entropy, backward, AdamW) on random "
        "images, no data loading or augmentation",
        "arch": arch,
        "size": size,
        "batch": batch,
        "threads": threads,
        "torch": torch.__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} logical CPUs",
        "date": time.strftime("%Y-%m-%d"),
        "settings": rows,
    }


def write_speed_report(report: dict[str, Any], out: Path) -> None:
    out.write_text(json.dumps(report, indent=1) + "\n")
