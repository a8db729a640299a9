"""PAD-UFES-20 smartphone photos (the phone domain): metadata, the class map, patient-grouped folds.

PAD-UFES-20 (Pacheco et al. 2020, Data in Brief 32:106221, CC BY 4.0) has six diagnoses; five of
them map onto HAM10000's classes and it has no df or vasc. Several photos can share a patient, so
the folds group by `patient_id`: no patient is in two folds.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from .data import DataError, Record

# PAD-UFES-20 diagnosis -> HAM10000 class (ACK and SCC are both keratinocyte lesions: akiec).
PAD_CLASS_MAP: dict[str, str] = {"ACK": "akiec", "SCC": "akiec", "BCC": "bcc", "MEL": "mel", "NEV": "nv", "SEK": "bkl"}
DEFAULT_PAD_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pad-ufes-20"
DEFAULT_PAD_SPLIT_FILE = Path(__file__).resolve().parents[1] / "splits" / "pad_ufes_20.csv"
PAD_FOLDS = ("train", "select", "test")
REQUIRED_COLUMNS = ("patient_id", "diagnostic", "img_id")


def load_pad_metadata(root: Path) -> list[Record]:
    """metadata.csv -> Records whose group (`lesion_id`) is the patient, so every split keeps patients whole."""
    csv_path = root / "metadata.csv"
    if not csv_path.is_file():
        raise DataError(f"PAD-UFES-20 metadata not found at {csv_path} (expected ../shared/data/pad-ufes-20/).")
    with csv_path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(f"{csv_path} lacks column(s) {', '.join(missing)}.")
        rows = list(reader)
    unknown = sorted({row["diagnostic"] for row in rows} - set(PAD_CLASS_MAP))
    if unknown:
        raise DataError(f"{csv_path} has unknown diagnostic value(s) {unknown}; expected {sorted(PAD_CLASS_MAP)}.")
    return [Record(Path(row["img_id"]).stem, row["patient_id"], PAD_CLASS_MAP[row["diagnostic"]]) for row in rows]


def make_pad_folds(records: list[Record], seed: int = 2020, test: float = 0.2, select: float = 0.2) -> dict[str, str]:
    """image_id -> train|select|test, grouped by patient and stratified by class.

    A patient with photos of several classes is stratified by the rarest of them, so the few
    melanoma patients spread over the folds.
    """
    frequency = Counter(r.dx for r in records)
    classes_of: dict[str, set[str]] = defaultdict(set)
    for record in records:
        classes_of[record.lesion_id].add(record.dx)
    patients_by_class: dict[str, list[str]] = defaultdict(list)
    for patient in sorted(classes_of):
        rarest = min(classes_of[patient], key=lambda dx: (frequency[dx], dx))
        patients_by_class[rarest].append(patient)
    rng = np.random.default_rng(seed)
    fold_of: dict[str, str] = {}
    for dx in sorted(patients_by_class):
        patients = patients_by_class[dx]
        rng.shuffle(patients)
        n_test, n_select = round(len(patients) * test), round(len(patients) * select)
        for index, patient in enumerate(patients):
            fold_of[patient] = "test" if index < n_test else "select" if index < n_test + n_select else "train"
    return {r.image_id: fold_of[r.lesion_id] for r in records}


def write_pad_folds(assignment: dict[str, str], records: list[Record], path: Path) -> None:
    patient = {r.image_id: r.lesion_id for r in records}
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("image_id", "patient_id", "split"))
        for image_id in sorted(assignment):
            writer.writerow((image_id, patient[image_id], assignment[image_id]))


def read_pad_folds(path: Path = DEFAULT_PAD_SPLIT_FILE) -> dict[str, str]:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"image_id", "split"} <= set(reader.fieldnames):
            raise DataError(f"{path} must have columns image_id,patient_id,split; found {reader.fieldnames}.")
        assignment = {row["image_id"]: row["split"] for row in reader}
    bad = sorted(set(assignment.values()) - set(PAD_FOLDS))
    if bad:
        raise DataError(f"{path} has unknown fold name(s) {bad}; expected {list(PAD_FOLDS)}.")
    return assignment


def pad_groups(records: list[Record], assignment: dict[str, str]) -> dict[str, list[Record]]:
    """Records per fold, after checking every photo has a fold and no patient is in two."""
    missing = [r.image_id for r in records if r.image_id not in assignment]
    if missing:
        raise DataError(f"{len(missing)} PAD-UFES-20 photo(s) have no fold, e.g. {missing[:5]}.")
    folds_of: dict[str, set[str]] = defaultdict(set)
    for record in records:
        folds_of[record.lesion_id].add(assignment[record.image_id])
    crossing = sorted(p for p, folds in folds_of.items() if len(folds) > 1)
    if crossing:
        raise DataError(f"PAD-UFES-20 folds are not patient-disjoint: {len(crossing)} patient(s), e.g. {crossing[:5]}.")
    groups: dict[str, list[Record]] = {fold: [] for fold in PAD_FOLDS}
    for record in records:
        groups[assignment[record.image_id]].append(record)
    return groups
