"""Everything a stopped run needs to continue exactly: weights, EMA, optimiser, schedule, RNGs, log."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.optim.swa_utils import AveragedModel

from .inference import model_device
from .models import Classifier


@dataclass
class RunState:
    model: Classifier
    ema: AveragedModel
    optimizer: torch.optim.Optimizer
    schedule: torch.optim.lr_scheduler.LRScheduler
    generator: torch.Generator  # augmentation
    rng: np.random.Generator  # epoch order, BatchNorm refresh images
    log: dict[str, Any] = field(default_factory=dict)
    epoch: int = 0  # epochs completed
    best_score: float = -1.0
    best_epoch: int = -1


def save_state(state: RunState, path: Path) -> None:
    """Write atomically (a stop mid-write leaves the previous checkpoint intact)."""
    payload = {
        "model": state.model.state_dict(),
        "ema": state.ema.state_dict(),
        "optimizer": state.optimizer.state_dict(),
        "schedule": state.schedule.state_dict(),
        "generator": state.generator.get_state(),
        "torchRng": torch.get_rng_state(),
        "rng": state.rng.bit_generator.state,
        "log": state.log,
        "epoch": state.epoch,
        "bestScore": state.best_score,
        "bestEpoch": state.best_epoch,
    }
    partial = path.with_suffix(".partial")
    torch.save(payload, partial)
    os.replace(partial, path)


def load_state(path: Path, blank: RunState) -> RunState:
    """Fill a freshly built RunState (same config) with what `save_state` wrote."""
    # Weights and optimiser moments go where the blank state's live (the run's --device); RNG
    # states stay on the CPU, where augmentation draws.
    saved = torch.load(path, map_location=model_device(blank.model), weights_only=False)
    blank.model.load_state_dict(saved["model"])
    blank.ema.load_state_dict(saved["ema"])
    blank.optimizer.load_state_dict(saved["optimizer"])
    blank.schedule.load_state_dict(saved["schedule"])
    blank.generator.set_state(saved["generator"].cpu())
    torch.set_rng_state(saved["torchRng"].cpu())
    blank.rng.bit_generator.state = saved["rng"]
    blank.log, blank.epoch = saved["log"], int(saved["epoch"])
    blank.best_score, blank.best_epoch = float(saved["bestScore"]), int(saved["bestEpoch"])
    return blank


# Settings one call of a run may change without making it another run: how and where this call
# works (threads, device, how many epochs it does, how long it waits for a better epoch), what the
# run folder is called, and where it finds the data, which can differ between machines (a run
# started on a lent GPU and finished here).
PER_CALL_SETTINGS = frozenset(
    {
        "resume",
        "stop_after",
        "patience",
        "threads",
        "device",
        "model_id",
        "run_dir",
        "data_dir",
        "split_file",
        "phone_dir",
        "phone_split_file",
    }
)
# Checkpoints a run reads, compared by run folder and file name: the cache root may differ too.
CHECKPOINT_SETTINGS = ("teacher", "init")


def _run_files(paths: object) -> list[str]:
    return ["/".join(Path(p.strip()).parts[-2:]) for p in str(paths).split(",") if p.strip()]


def settings_changed(saved: Mapping[str, object], now: Mapping[str, object]) -> list[str]:
    """The settings of `now` that differ from those the checkpoint's run was started with.

    Why: `--resume` restores a schedule, optimiser and RNGs built for the saved settings; with
    others (a second run given the same --model-id, a changed --epochs) it would silently go on
    with another run's weights, or stop when the saved schedule runs out. Settings a checkpoint
    predates (absent from `saved`) are not compared."""
    changed = []
    for name, value in now.items():
        if name in PER_CALL_SETTINGS or name not in saved:
            continue
        before = saved[name]
        if name in CHECKPOINT_SETTINGS:
            if _run_files(before) != _run_files(value):
                changed.append(name)
        elif before != value:
            changed.append(name)
    return changed
