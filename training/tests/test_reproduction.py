"""The reproduction time summed from train.sh's timing log, and when that sum is only a lower bound."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermlens_train.data import DataError
from dermlens_train.reproduction import summarise, with_reproduction


def write_log(path: Path, lines: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def stage(name: str, seconds: float, before: int = 0, after: int = 5) -> list[dict[str, object]]:
    return [{"started": name}, {"stage": name, "seconds": seconds, "epochsBefore": before, "epochsAfter": after}]


CALL = {"call": "2026-12-07T08:00:00Z", "machine": "2 cores, AMD EPYC"}


def test_an_uninterrupted_run_from_scratch_is_a_measured_total(tmp_path: Path) -> None:
    log = write_log(tmp_path / "t.jsonl", [CALL, *stage("p1-f5", 600.5), *stage("p3-fast", 1200.0, after=13)])
    summary = summarise(log, "fast")
    assert summary["totalSeconds"] == 1800.5
    assert summary["fromScratch"] and summary["interrupted"] == []
    assert [s["stage"] for s in summary["stages"]] == ["p1-f5", "p3-fast"]
    assert summary["machines"] == ["2 cores, AMD EPYC"] and summary["calls"] == 1
    assert summary["note"].startswith("wall seconds")


def test_a_stage_cut_off_and_resumed_makes_the_total_a_lower_bound(tmp_path: Path) -> None:
    # The first call was killed during p3-fast after 4 epochs; the second resumed it.
    later = {"call": "2026-12-08T08:00:00Z", "machine": "2 cores, AMD EPYC"}
    lines = [CALL, *stage("p1-f5", 600.0), {"started": "p3-fast"}, later, *stage("p1-f5", 3.0, 5, 5)]
    lines += stage("p3-fast", 900.0, before=4, after=13)
    summary = summarise(write_log(tmp_path / "t.jsonl", lines), "fast")
    assert summary["interrupted"] == ["p3-fast"]
    assert not summary["fromScratch"]  # p3-fast's first finished call began at epoch 4
    assert summary["calls"] == 2 and summary["totalSeconds"] == 1503.0
    assert summary["note"].startswith("a lower bound") and "p3-fast" in summary["note"]


def test_runs_left_from_before_the_timing_are_not_a_reproduction(tmp_path: Path) -> None:
    log = write_log(tmp_path / "t.jsonl", [CALL, *stage("p1-f5", 2.0, before=5, after=5)])
    summary = summarise(log, "fast")
    assert not summary["fromScratch"] and summary["interrupted"] == []
    assert summary["note"].startswith("a lower bound")


def test_no_log_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"train\.sh fast"):
        summarise(tmp_path / "missing.jsonl", "fast")


def test_the_card_records_the_time_and_what_the_reproduction_made(tmp_path: Path) -> None:
    log = write_log(tmp_path / "t.jsonl", [CALL, *stage("p1-f5", 600.0), *stage("derm-fast-28", 300.0, after=3)])
    shipped = {"role": "fast", "training": {"seconds": 1135.0, "hardware": "x"}, "test": {}}
    made = {
        "role": "fast",
        "test": {"accuracy": 0.79, "balancedAccuracy": 0.6, "macroAuc": 0.94, "n": 1227},
        "phone": {"balancedAccuracy": 0.52, "malignantAuc": 0.87, "accuracy": 0.6},
    }
    card = with_reproduction(shipped, summarise(log, "fast"), made)
    record = card["training"]["reproduction"]
    assert record["command"] == "npm run train:fast" and record["totalSeconds"] == 900.0 and record["measured"]
    assert record["machine"] == "2 cores, AMD EPYC" and record["started"] == "2026-12-07T08:00:00Z"
    assert record["made"] == {
        "dermoscopic": {"accuracy": 0.79, "balancedAccuracy": 0.6, "macroAuc": 0.94},
        "phone": {"balancedAccuracy": 0.52, "malignantAuc": 0.87},
    }
    assert card["training"]["seconds"] == 1135.0 and "reproduction" not in shipped["training"]
    with pytest.raises(DataError, match="fast reproduction"):
        with_reproduction({**shipped, "role": "accurate"}, summarise(log, "fast"), None)
