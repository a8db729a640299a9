"""The training-speed benchmark (devtools speed): one row per setting, each a real measurement."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dermlens_train.devtools import main
from dermlens_train.speed import SETTINGS, Setting, speed_report


def test_every_setting_is_measured_with_its_own_flags(tmp_path: Path) -> None:
    settings = (Setting("plain", channels_last=False), Setting("bf16", bf16=True), Setting("frozen", freeze=2))
    report = speed_report("compact24", size=16, batch=4, warmup=1, steps=3, threads=1, settings=settings)
    assert [row["name"] for row in report["settings"]] == ["plain", "bf16", "frozen"]
    for row in report["settings"]:
        assert row["imagesPerSecond"] == pytest.approx(4 / row["medianStepSeconds"], rel=0.02)
        assert row["imagesPerSecond"] > 0
        assert row["steps"] == 3 and row["warmupSeconds"] > 0
    assert report["settings"][2]["freeze"] == 2 and report["settings"][1]["bf16"] is True


def test_the_report_names_the_runs_setting_first_and_compile_apart() -> None:
    assert SETTINGS[0] == Setting(SETTINGS[0].name)  # channels_last, float32, nothing frozen
    assert [s.compiled for s in SETTINGS].count(True) == 1


def test_the_cli_writes_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dermlens_train.speed as speed

    monkeypatch.setattr(speed, "SETTINGS", (Setting("only"),))
    out = tmp_path / "reports" / "speed.json"
    assert (
        main(["speed", "--out", str(out), "--arch", "compact24", "--size", "16", "--batch", "2", "--steps", "1"]) == 0
    )
    assert [row["name"] for row in json.loads(out.read_text())["settings"]] == ["only"]
