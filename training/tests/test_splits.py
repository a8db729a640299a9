"""The split loader: lesion-disjointness is enforced; the committed split is the published one."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest

from dermlens_train.data import DataError, Record, load_metadata
from dermlens_train.splits import (
    DEFAULT_SPLIT_FILE,
    carve_selection_fold,
    common_selection,
    read_assignment,
    split_records,
)

from shared_data import require

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def records() -> list[Record]:
    return [Record("ISIC_1", "HAM_a", "nv"), Record("ISIC_2", "HAM_a", "nv"), Record("ISIC_3", "HAM_b", "mel")]


def test_rejects_a_lesion_in_two_splits() -> None:
    with pytest.raises(DataError, match="not lesion-disjoint: 1 lesion_id"):
        split_records(records(), {"ISIC_1": "train", "ISIC_2": "test", "ISIC_3": "val"})


def test_accepts_a_lesion_disjoint_split() -> None:
    groups = split_records(records(), {"ISIC_1": "train", "ISIC_2": "train", "ISIC_3": "test"})
    assert [r.image_id for r in groups["train"]] == ["ISIC_1", "ISIC_2"]
    assert [r.image_id for r in groups["test"]] == ["ISIC_3"]


def test_rejects_images_without_a_split() -> None:
    with pytest.raises(DataError, match="1 image"):
        split_records(records(), {"ISIC_1": "train", "ISIC_2": "train"})


def test_rejects_bad_split_files(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("image,part\nISIC_1,train\n")
    with pytest.raises(DataError, match="columns image_id,split"):
        read_assignment(tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("image_id,split\nISIC_1,holdout\n")
    with pytest.raises(DataError, match="unknown split"):
        read_assignment(tmp_path / "b.csv")


def test_selection_fold_is_grouped_by_lesion_and_stratified() -> None:
    train = [Record(f"I{n}_{k}", f"L{dx}{n}", dx) for dx in ("nv", "mel") for n in range(20) for k in range(3)]
    fit, select = carve_selection_fold(train, 0.25, seed=1)
    assert {r.lesion_id for r in fit}.isdisjoint({r.lesion_id for r in select})
    assert len(fit) + len(select) == len(train)
    assert Counter(r.dx for r in select) == {"nv": 15, "mel": 15}  # 5 lesions x 3 images per class
    assert carve_selection_fold(train, 0.25, seed=1) == (fit, select)


def test_the_seed_carves_the_selection_fold_and_the_common_fold_is_what_every_seed_carved() -> None:
    train = [Record(f"I{n}_{k}", f"L{dx}{n}", dx) for dx in ("nv", "mel") for n in range(40) for k in range(2)]
    folds = {seed: {r.image_id for r in carve_selection_fold(train, 0.25, seed)[1]} for seed in (1, 2)}
    assert folds[1] != folds[2]  # a run of seed 2 fits on part of seed 1's selection fold
    common = common_selection(train, 0.25, [1, 2])
    assert {r.image_id for r in common} == folds[1] & folds[2]
    assert common_selection(train, 0.25, [1, 1]) == carve_selection_fold(train, 0.25, 1)[1]


def test_committed_split_is_the_published_dermamnist_c() -> None:
    digest = hashlib.sha256(DEFAULT_SPLIT_FILE.read_bytes()).hexdigest()
    assert digest == "f7f076c27eb95bff046b399add838b6ebdb82763d55cf65084d24629b08e75cc"
    assert Counter(read_assignment(DEFAULT_SPLIT_FILE).values()) == {"train": 8215, "val": 573, "test": 1227}


def test_committed_split_is_lesion_disjoint_on_the_real_metadata() -> None:
    root = SHARED / "ham10000"
    require(root / "HAM10000_metadata.csv", "checking the committed split on the real metadata")
    groups = split_records(load_metadata(root), read_assignment(DEFAULT_SPLIT_FILE))
    assert {name: len(rows) for name, rows in groups.items()} == {"train": 8215, "val": 573, "test": 1227}
    assert Counter(r.dx for r in groups["test"]) == {
        "nv": 948,
        "bkl": 105,
        "mel": 70,
        "bcc": 44,
        "akiec": 35,
        "vasc": 17,
        "df": 8,
    }
