"""Load the best checkpoint of a run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch

from .config import TrainConfig
from .models import Classifier, build


def load_checkpoint(path: Path) -> Classifier:
    saved = torch.load(path, map_location="cpu")
    model = build(saved["arch"])
    model.load_state_dict(saved["state_dict"])
    return model.eval()


def load_best(config: TrainConfig) -> Classifier:
    path = config.resolved_run_dir() / "best.pt"
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} does not exist: run `python -m dermlens_train train --role {config.role}` first"
        )
    return load_checkpoint(path)


def read_json(config: TrainConfig, name: str) -> dict[str, Any]:
    path: Path = config.resolved_run_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: run the earlier stages first")
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded
