"""The committed lesion-disjoint split (DermaMNIST-C) and a lesion-grouped fold carved from train."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .data import DataError, Record

DEFAULT_SPLIT_FILE = Path(__file__).resolve().parents[1] / "splits" / "dermamnist_c.csv"
SPLITS = ("train", "val", "test")


def read_assignment(path: Path) -> dict[str, str]:
    """image_id -> train|val|test from a CSV with columns image_id,split."""
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"image_id", "split"} <= set(reader.fieldnames):
            raise DataError(f"{path} must have columns image_id,split; found {reader.fieldnames}.")
        assignment = {row["image_id"]: row["split"] for row in reader}
    bad = sorted({s for s in assignment.values() if s not in SPLITS})
    if bad:
        raise DataError(f"{path} has unknown split name(s) {bad}; expected {list(SPLITS)}.")
    return assignment


def check_lesion_disjoint(records: list[Record], assignment: dict[str, str]) -> None:
    """Raise if any lesion_id has images in two splits (that would leak the test set)."""
    splits_of: dict[str, set[str]] = defaultdict(set)
    for record in records:
        if record.image_id in assignment:
            splits_of[record.lesion_id].add(assignment[record.image_id])
    crossing = sorted(lesion for lesion, names in splits_of.items() if len(names) > 1)
    if crossing:
        shown = ", ".join(crossing[:5]) + (" ..." if len(crossing) > 5 else "")
        raise DataError(f"Split is not lesion-disjoint: {len(crossing)} lesion_id(s) cross splits ({shown}).")


def split_records(records: list[Record], assignment: dict[str, str]) -> dict[str, list[Record]]:
    """Group records by split, after checking the split is lesion-disjoint and covers every record."""
    unassigned = [r.image_id for r in records if r.image_id not in assignment]
    if unassigned:
        raise DataError(f"{len(unassigned)} image(s) have no split, e.g. {unassigned[:5]}.")
    check_lesion_disjoint(records, assignment)
    groups: dict[str, list[Record]] = {name: [] for name in SPLITS}
    for record in records:
        groups[assignment[record.image_id]].append(record)
    return groups


def carve_selection_fold(train: list[Record], fraction: float, seed: int) -> tuple[list[Record], list[Record]]:
    """Split train into (fit, select) by lesion, stratified by dx, for model selection.

    The official val split holds only 5 df and 7 vasc images, too few to choose epochs,
    temperature or thresholds on; a lesion-grouped fold of train is larger and still leak-free.
    """
    rng = np.random.default_rng(seed)
    lesions_by_dx: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for record in train:
        if record.lesion_id not in seen:
            seen.add(record.lesion_id)
            lesions_by_dx[record.dx].append(record.lesion_id)
    chosen: set[str] = set()
    for dx in sorted(lesions_by_dx):
        lesions = sorted(lesions_by_dx[dx])
        rng.shuffle(lesions)
        chosen.update(lesions[: max(1, round(len(lesions) * fraction))])
    fit = [r for r in train if r.lesion_id not in chosen]
    select = [r for r in train if r.lesion_id in chosen]
    return fit, select


def common_selection(train: list[Record], fraction: float, seeds: Sequence[int]) -> list[Record]:
    """The records every seed's carve puts in its selection fold: the only carved images that none of
    the runs trained with those seeds has fit on (a run's seed also chooses its selection fold)."""
    chosen = [{r.lesion_id for r in carve_selection_fold(train, fraction, seed)[1]} for seed in seeds]
    return [r for r in train if all(r.lesion_id in c for c in chosen)]
