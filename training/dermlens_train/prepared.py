"""Images and labels of the fit / selection / test sets for one run, from metadata + split + cache."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .config import CACHE_DIR, TrainConfig
from .data import Record, check_images, data_dir, load_images, load_metadata
from .splits import DEFAULT_SPLIT_FILE, carve_selection_fold, read_assignment, split_records


@dataclass
class Subset:
    images: np.ndarray  # uint8 (n, N, N, 3)
    labels: np.ndarray  # int64 (n,)
    records: list[Record]


@dataclass
class Prepared:
    fit: Subset  # train minus the carved fold
    select: Subset  # official val + carved fold: epochs, temperature, thresholds are chosen here
    test: Subset  # never used for any choice


def _subset(root: Path, records: list[Record], size: int) -> Subset:
    images, kept = load_images(root, records, size, CACHE_DIR)
    return Subset(images, np.array([r.label for r in kept], dtype=np.int64), kept)


def _limited(records: list[Record], limit: int) -> list[Record]:
    return records if limit <= 0 else records[:limit]


def prepare(config: TrainConfig) -> Prepared:
    root = data_dir(config.data_dir)
    records = check_images(root, load_metadata(root))
    assignment = read_assignment(Path(config.split_file) if config.split_file else DEFAULT_SPLIT_FILE)
    groups = split_records(records, assignment)
    fit, carved = carve_selection_fold(groups["train"], config.selection_fraction, config.seed)
    select = groups["val"] + carved
    limit = config.limit
    return Prepared(
        fit=_subset(root, _limited(fit, limit), config.size),
        select=_subset(root, _limited(select, limit), config.size),
        test=_subset(root, _limited(groups["test"], limit), config.size),
    )
