"""A new version's card carries the test metrics of the version it replaces (the model page compares them)."""

from __future__ import annotations

import json
from pathlib import Path

from dermlens_train.export_tfjs import previous_version


def shipped(folder: Path, version: str, card: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "meta.json").write_text(json.dumps({"id": "m", "version": version}))
    (folder / "card.json").write_text(json.dumps(card))
    return folder


METRICS = {"accuracy": 0.84, "balancedAccuracy": 0.76, "macroAuc": 0.965, "malignantAuc": 0.956, "n": 1227}
PHONE = {"accuracy": 0.71, "balancedAccuracy": 0.73, "macroAuc": 0.888, "malignantAuc": 0.877, "n": 104}


def test_a_new_version_records_the_one_it_replaces(tmp_path: Path) -> None:
    folder = shipped(tmp_path / "m", "4.0.0", {"test": METRICS, "phone": PHONE})
    previous = previous_version(folder, "5.0.0")
    assert previous == {
        "version": "4.0.0",
        "test": {"accuracy": 0.84, "balancedAccuracy": 0.76, "macroAuc": 0.965, "malignantAuc": 0.956},
        "phone": {"accuracy": 0.71, "balancedAccuracy": 0.73, "macroAuc": 0.888, "malignantAuc": 0.877},
    }


def test_a_card_without_phone_metrics_compares_dermoscopy_only(tmp_path: Path) -> None:
    folder = shipped(tmp_path / "m", "1.0.0", {"test": METRICS})
    previous = previous_version(folder, "2.0.0")
    assert previous is not None and previous["phone"] is None and previous["test"]["accuracy"] == 0.84


def test_re_exporting_the_same_version_keeps_its_comparison(tmp_path: Path) -> None:
    kept = {"version": "3.0.0", "test": {"accuracy": 0.8}, "phone": None}
    folder = shipped(tmp_path / "m", "4.0.0", {"test": METRICS, "previous": kept})
    assert previous_version(folder, "4.0.0") == kept
    bare = shipped(tmp_path / "n", "4.0.0", {"test": METRICS})
    assert previous_version(bare, "4.0.0") is None


def test_an_empty_or_new_folder_has_nothing_to_compare(tmp_path: Path) -> None:
    assert previous_version(tmp_path / "absent", "1.0.0") is None
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "meta.json").write_text("{}")
    assert previous_version(tmp_path / "half", "1.0.0") is None
