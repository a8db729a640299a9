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


def measure(
    settings: tuple[Setting, ...], arch: str, size: int, batch: int, warmup: int, steps: int
) -> list[dict[str, Any]]:
    """Images per second of each setting: `warmup` steps each (the first compiles, if at all), then
    `steps` rounds of one step per setting in turn, so that a change in the machine's load while
    it runs (a shared machine's usual state) falls on every setting alike; the median step."""
    functions = [_step_function(s, arch, size, batch) for s in settings]
    warm_seconds = []
    for step in functions:
        started = time.perf_counter()
        for _ in range(warmup):
            step()
        warm_seconds.append(time.perf_counter() - started)
    times: list[list[float]] = [[] for _ in settings]
    for _ in range(steps):
        for index, step in enumerate(functions):
            t = time.perf_counter()
            step()
            times[index].append(time.perf_counter() - t)
    rows = []
    for setting, warm, taken in zip(settings, warm_seconds, times, strict=True):
        median = sorted(taken)[len(taken) // 2]
        rows.append(
            {
                **asdict(setting),
                "warmupSteps": warmup,
                "warmupSeconds": round(warm, 2),
                "steps": steps,
                "medianStepSeconds": round(median, 4),
                "imagesPerSecond": round(batch / median, 1),
            }
        )
    return rows


def speed_report(
    arch: str = "lite0",
    size: int = 128,
    batch: int = 64,
    warmup: int = 2,
    steps: int = 9,
    threads: int = 2,
    settings: tuple[Setting, ...] | None = None,
) -> dict[str, Any]:
    torch.set_num_threads(threads)
    rows = measure(settings or SETTINGS, arch, size, batch, warmup, steps)
    return {
        "what": "one training step (forward, label-smoothed cross-entropy, backward, AdamW) on random "
        "images, no data loading or augmentation; the settings' steps interleaved, median per setting",
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
