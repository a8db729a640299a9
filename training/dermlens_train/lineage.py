"""Which seeds' selection folds a network's making fit around, and a check that a stage's selection
fold holds no image any of them fit on.

A run's seed also carves its dermoscopic selection fold from train (`carve_selection_fold`), so a
network of another seed (or started from, or taught by, one) has fit on part of this seed's fold.
"""

from __future__ import annotations

from pathlib import Path

import torch

from .config import TrainConfig
from .data import DataError


def extra_seeds(config: TrainConfig) -> list[int]:
    """`--selection-seeds` as integers."""
    return [int(s) for s in config.selection_seeds.split(",") if s.strip()]


def selection_seeds(checkpoint: str | Path) -> set[int]:
    """The seeds of a checkpoint's run and of the runs it started from (`init`) or was taught by
    (`teacher`), as far back as their checkpoints are at hand; for a soup, its ingredients'."""
    seen: set[str] = set()
    seeds: set[int] = set()
    pending = [str(checkpoint)]
    while pending:
        path = pending.pop()
        if path in seen or not Path(path).is_file():
            continue
        seen.add(path)
        saved = torch.load(path, map_location="cpu", weights_only=False)
        seeds.update(int(s) for s in saved.get("selectionSeeds", []))  # a soup's, recorded when it was made
        config = saved.get("config") or {}
        if "seed" in config:
            seeds.add(int(config["seed"]))
        for key in ("init", "teacher"):
            pending += [p for p in str(config.get(key) or "").split(",") if p]
    return seeds


def check_clean_selection(config: TrainConfig, stage: str) -> None:
    """Refuse a stage whose selection fold another seed's run fit on: training from (or taught by)
    such a run, or calibrating, gating or evaluating a network made with such runs (a soup)."""
    paths = [p for key in (config.init, config.teacher) for p in key.split(",") if p]
    if stage not in ("train", "all"):
        paths.append(str(config.resolved_run_dir() / "best.pt"))
    made_with = set().union(*(selection_seeds(p) for p in paths)) if paths else set()
    uncovered = sorted(made_with - {config.seed} - set(extra_seeds(config)))
    if uncovered:
        raise DataError(
            f"seed {config.seed}'s selection fold holds images that runs of seed(s) {uncovered} fit on: "
            f"pass --selection-seeds {','.join(map(str, uncovered))} to select on the images no seed fit on"
        )
