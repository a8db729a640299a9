"""Images and labels of the fit / selection / test sets of both domains, from metadata + splits + cache."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .arrays import Images, Labels
from .config import TrainConfig, cache_root
from .data import DataError, Record, check_images, data_dir, load_images, load_metadata
from .lineage import extra_seeds
from .pad_ufes import DEFAULT_PAD_DIR, DEFAULT_PAD_SPLIT_FILE, load_pad_metadata, pad_groups, read_pad_folds
from .splits import DEFAULT_SPLIT_FILE, carve_selection_fold, common_selection, read_assignment, split_records

CACHE_DIR = cache_root() / "images"


@dataclass
class Subset:
    images: Images  # (n, N, N, 3)
    labels: Labels  # (n,)
    records: list[Record]


@dataclass
class Domain:
    fit: Subset
    select: Subset  # epochs, temperature and thresholds are chosen here
    test: Subset  # never used for any choice


@dataclass
class Prepared:
    derm: Domain  # HAM10000 dermoscopy, DermaMNIST-C split
    phone: Domain | None  # PAD-UFES-20 smartphone photos, our patient-grouped folds (None if absent)


def _subset(root: Path, records: list[Record], size: int) -> Subset:
    if not records:  # e.g. a training-only copy of the data, without its test fold
        return Subset(np.zeros((0, size, size, 3), dtype=np.uint8), np.zeros(0, dtype=np.int64), [])
    images, kept = load_images(root, records, size, CACHE_DIR)
    return Subset(images, np.array([r.label for r in kept], dtype=np.int64), kept)


def _limited(records: list[Record], limit: int) -> list[Record]:
    return records if limit <= 0 else records[:limit]


def _domain(root: Path, fit: list[Record], select: list[Record], test: list[Record], config: TrainConfig) -> Domain:
    size, limit = config.size, config.limit
    return Domain(*(_subset(root, _limited(records, limit), size) for records in (fit, select, test)))


def prepare_derm(config: TrainConfig, other_seeds: Sequence[int] = ()) -> Domain:
    """The dermoscopic folds; with other_seeds, a selection fold none of the runs of those seeds (or
    config.seed) fit on: the official val split and the carved images every seed's carve chose."""
    root = data_dir(config.data_dir)
    records = check_images(root, load_metadata(root))
    assignment = read_assignment(Path(config.split_file) if config.split_file else DEFAULT_SPLIT_FILE)
    groups = split_records(records, assignment)
    fit, carved = carve_selection_fold(groups["train"], config.selection_fraction, config.seed)
    if other_seeds:
        carved = common_selection(groups["train"], config.selection_fraction, [config.seed, *other_seeds])
    return _domain(root, fit, groups["val"] + carved, groups["test"], config)


def prepare_phone(config: TrainConfig) -> Domain | None:
    """The phone folds, or None when no phone data is configured and the default folder is absent."""
    root = Path(config.phone_dir) if config.phone_dir else DEFAULT_PAD_DIR
    if not (root / "metadata.csv").is_file():
        if config.phone_dir:
            raise DataError(f"--phone-dir {root} has no metadata.csv")
        return None
    records = check_images(root, load_pad_metadata(root))
    assignment = read_pad_folds(Path(config.phone_split_file) if config.phone_split_file else DEFAULT_PAD_SPLIT_FILE)
    groups = pad_groups(records, assignment)
    return _domain(root, groups["train"], groups["select"], groups["test"], config)


def prepare(config: TrainConfig, other_seeds: Sequence[int] = ()) -> Prepared:
    """Both domains' folds; the dermoscopic selection fold holds only images that no run of
    config.seed, `--selection-seeds` or other_seeds fit on."""
    seeds = sorted({*other_seeds, *extra_seeds(config)} - {config.seed})
    return Prepared(derm=prepare_derm(config, seeds), phone=prepare_phone(config))
