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
    return [
        {"started": name, "epochsBefore": before},
        {"stage": name, "seconds": seconds, "epochsBefore": before, "epochsAfter": after},
    ]


CALL = {"call": "2026-12-07T08:00:00Z", "machine": "2 cores, AMD EPYC"}


def test_an_uninterrupted_run_from_scratch_is_a_measured_total(tmp_path: Path) -> None:
    log = write_log(tmp_path / "t.jsonl", [CALL, *stage("p1-f5", 600.5), *stage("p3-fast", 1200.0, after=13)])
    summary = summarise(log, "fast")
    assert summary["totalSeconds"] == 1800.5
    assert summary["fromScratch"] and summary["interrupted"] == []
    assert [s["stage"] for s in summary["stages"]] == ["p1-f5", "p3-fast"]
    assert summary["machines"] == ["2 cores, AMD EPYC"] and summary["calls"] == 1
    assert summary["note"].startswith("wall seconds")


def run_log(cache: Path, stage: str, seconds: list[float]) -> None:
    """The run folder's log.json as train.py writes it after each epoch."""
    (cache / "runs" / stage).mkdir(parents=True)
    (cache / "runs" / stage / "log.json").write_text(json.dumps({"epochs": [{"seconds": s} for s in seconds]}))


def test_a_stopped_call_counts_the_epochs_it_finished_from_the_runs_own_timings(tmp_path: Path) -> None:
    # The first call was stopped during p3-fast's fifth epoch, after 4; the second resumed it.
    later = {"call": "2026-12-08T08:00:00Z", "machine": "2 cores, AMD EPYC"}
    lines = [CALL, *stage("p1-f5", 600.0), {"started": "p3-fast", "epochsBefore": 0}, later]
    lines += [*stage("p1-f5", 3.0, 5, 5), {"started": "p3-fast", "epochsBefore": 4}]
    lines += [{"stage": "p3-fast", "seconds": 900.0, "epochsBefore": 4, "epochsAfter": 13}]
    run_log(tmp_path, "p3-fast", [100.0, 101.0, 102.0, 103.0] + [95.0] * 9)
    summary = summarise(write_log(tmp_path / "t.jsonl", lines), "fast")
    assert summary["stopped"] == [{"stage": "p3-fast", "epochsFrom": 0, "epochsTo": 4, "seconds": 406.0}]
    assert summary["interrupted"] == ["p3-fast"] and summary["fromScratch"] and summary["measured"]
    # the wall time of what an unstopped run does: the finished calls plus the 4 epochs before the stop
    assert summary["calls"] == 2 and summary["totalSeconds"] == 600.0 + 3.0 + 900.0 + 406.0
    assert "4 epoch(s) finished before a stop (p3-fast)" in summary["note"]


def test_a_stopped_call_whose_epochs_are_not_logged_makes_the_total_a_lower_bound(tmp_path: Path) -> None:
    # A log from before start lines carried epochs; the run folder is gone, so the 4 epochs are untimed.
    later = {"call": "2026-12-08T08:00:00Z", "machine": "2 cores, AMD EPYC"}
    lines = [CALL, *stage("p1-f5", 600.0), {"started": "p3-fast"}, later, *stage("p1-f5", 3.0, 5, 5)]
    lines += stage("p3-fast", 900.0, before=4, after=13)
    summary = summarise(write_log(tmp_path / "t.jsonl", lines), "fast")
    assert summary["stopped"] == [{"stage": "p3-fast", "epochsFrom": 0, "epochsTo": 4, "seconds": None}]
    assert summary["interrupted"] == ["p3-fast"] and summary["fromScratch"] and not summary["measured"]
    assert summary["totalSeconds"] == 1503.0
    assert summary["note"].startswith("a lower bound") and "p3-fast" in summary["note"]


def test_a_stage_without_epochs_stopped_and_run_again_loses_nothing_a_run_needs(tmp_path: Path) -> None:
    lines = [CALL, *stage("p1-f5", 600.0), {"started": "soup-p1", "epochsBefore": 0}]
    lines += [{"started": "soup-p1", "epochsBefore": 0}, {"stage": "soup-p1", "seconds": 20.0}]
    summary = summarise(write_log(tmp_path / "t.jsonl", lines), "accurate")
    assert summary["stopped"] == [{"stage": "soup-p1", "epochsFrom": 0, "epochsTo": 0, "seconds": 0.0}]
    assert summary["measured"] and summary["totalSeconds"] == 620.0


def test_runs_left_from_before_the_timing_are_not_a_reproduction(tmp_path: Path) -> None:
    log = write_log(tmp_path / "t.jsonl", [CALL, *stage("p1-f5", 2.0, before=5, after=5)])
    summary = summarise(log, "fast")
    assert not summary["fromScratch"] and summary["interrupted"] == [] and not summary["measured"]
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
    assert record["stops"] == 0
    assert record["machine"] == "2 cores, AMD EPYC" and record["started"] == "2026-12-07T08:00:00Z"
    assert record["made"] == {
        "dermoscopic": {"accuracy": 0.79, "balancedAccuracy": 0.6, "macroAuc": 0.94},
        "phone": {"balancedAccuracy": 0.52, "malignantAuc": 0.87},
    }
    assert card["training"]["seconds"] == 1135.0 and "reproduction" not in shipped["training"]
    with pytest.raises(DataError, match="fast reproduction"):
        with_reproduction({**shipped, "role": "accurate"}, summarise(log, "fast"), None)
