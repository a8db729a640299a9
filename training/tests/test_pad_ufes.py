"""PAD-UFES-20: the class map, and committed folds that keep every patient in one fold."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from dermlens_train import LABELS
from dermlens_train.data import DataError, Record
from dermlens_train.pad_ufes import (
    DEFAULT_PAD_DIR,
    DEFAULT_PAD_SPLIT_FILE,
    PAD_CLASS_MAP,
    load_pad_metadata,
    make_pad_folds,
    pad_groups,
    read_pad_folds,
)

from shared_data import require
from synthetic import make_phone_dataset


def test_class_map_follows_sources_md() -> None:
    assert PAD_CLASS_MAP == {"ACK": "akiec", "SCC": "akiec", "BCC": "bcc", "MEL": "mel", "NEV": "nv", "SEK": "bkl"}
    assert set(PAD_CLASS_MAP.values()) <= set(LABELS)
    assert not {"df", "vasc"} & set(PAD_CLASS_MAP.values())


def test_metadata_is_mapped_and_grouped_by_patient(tmp_path: Path) -> None:
    pad, _ = make_phone_dataset(tmp_path)
    records = load_pad_metadata(pad)
    assert len(records) == 36
    assert {r.dx for r in records} == {"akiec", "bcc", "mel", "nv", "bkl"}
    assert records[0].image_id == "PAT_00_0" and records[0].lesion_id == "PAT_00"  # group = patient


def test_unknown_diagnosis_is_named(tmp_path: Path) -> None:
    (tmp_path / "metadata.csv").write_text("patient_id,diagnostic,img_id\nPAT_1,XYZ,PAT_1_1.jpg\n")
    with pytest.raises(DataError, match="unknown diagnostic value\\(s\\) \\['XYZ'\\]"):
        load_pad_metadata(tmp_path)


def test_a_patient_in_two_folds_is_refused() -> None:
    records = [Record("a", "PAT_1", "bcc"), Record("b", "PAT_1", "bcc")]
    with pytest.raises(DataError, match="not patient-disjoint"):
        pad_groups(records, {"a": "train", "b": "test"})


def test_made_folds_are_patient_disjoint_and_stratified() -> None:
    records = [Record(f"{p}_{i}", f"PAT_{p}", dx) for p, dx in enumerate(["bcc"] * 50 + ["mel"] * 10) for i in range(2)]
    folds = make_pad_folds(records)
    groups = pad_groups(records, folds)
    for fold in ("test", "select"):
        counts = Counter(r.dx for r in groups[fold])
        assert counts["bcc"] == 20 and counts["mel"] == 4  # 20% of each class's patients, 2 photos each


def test_committed_folds_cover_the_shared_photos() -> None:
    folds = read_pad_folds(DEFAULT_PAD_SPLIT_FILE)
    assert Counter(folds.values()) == {"train": 295, "select": 98, "test": 104}
    require(DEFAULT_PAD_DIR / "metadata.csv", "checking the committed folds against the photos")
    records = load_pad_metadata(DEFAULT_PAD_DIR)
    groups = pad_groups(records, folds)  # raises if a patient crosses folds or a photo has none
    assert sum(len(g) for g in groups.values()) == len(records) == 497
    assert make_pad_folds(records) == folds  # the committed file is what the code makes
