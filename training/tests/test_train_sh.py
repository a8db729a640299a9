"""`npm run train:accurate` / `train:fast` (train.sh) end to end, on drawn images at 32 px.

The shipped models were made in stages in several places (a lent GPU, the CPU); train.sh chains
those stages so that one command reproduces each model. Nothing else runs the whole chain, so a
renamed run, a wrong path or a stage left out would only show in a multi-hour reproduction. Here
every stage runs on a few drawn images (DERMLENS_TRAIN_FLAGS shrinks the data and the size, never
the recipe's epochs, teachers or soup) in a copy of the repository, so model/ and README.md of
the work tree are not touched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dermlens_train.reproduction import summarise, timing_log

from synthetic import make_dataset, make_phone_dataset

TRAINING = Path(__file__).resolve().parents[1]
REPO = TRAINING.parent
SKIPPED = shutil.ignore_patterns(".venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache")


def copy_of_the_repository(root: Path) -> Path:
    """training/ (with this interpreter's environment as its .venv), model/ and README.md."""
    copy = root / "repo"
    shutil.copytree(TRAINING, copy / "training", ignore=SKIPPED)
    shutil.copytree(REPO / "model", copy / "model")
    shutil.copy(REPO / "README.md", copy / "README.md")
    (copy / "training" / ".venv").symlink_to(Path(sys.prefix))
    return copy


def epochs_run(runs: Path, name: str) -> int:
    return len(json.loads((runs / name / "log.json").read_text())["epochs"])


def test_train_sh_reproduces_both_models_through_every_stage(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    ham, split = make_dataset(data)
    pad, folds = make_phone_dataset(data)
    copy = copy_of_the_repository(tmp_path)
    cache = tmp_path / "cache"
    small = (
        f"--data-dir {ham} --split-file {split} --phone-dir {pad} --phone-split-file {folds} "
        "--size 32 --teacher-size 32 --epoch-samples 64 --batch-size 8 --selection-fraction 0.3 "
        "--threads 1 --patience 100"
    )
    env = {**os.environ, "DERMLENS_CACHE": str(cache), "DERMLENS_TRAIN_FLAGS": small}
    done = subprocess.run(
        ["bash", str(copy / "training" / "train.sh"), "all"],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    runs = cache / "runs"
    # Each stage ran for the epochs its recipe names (train.sh's comments, EXPERIMENTS.md).
    expected = {"p1-f5": 5, "p1-f0": 5, "p1-nofade": 5, "p3-fast": 13, "derm-fast-28": 3}
    expected |= {"t10-p1-f0": 10, "t10-p1-f5": 10, "t10-p1-nofade": 12, "p5-soup": 2}
    assert {name: epochs_run(runs, name) for name in expected} == expected

    # Every stage's wall time was logged, and the sum is a from-scratch total (no run began with epochs).
    timed = {role: summarise(timing_log(cache, role), role) for role in ("accurate", "fast")}
    assert [s["stage"] for s in timed["fast"]["stages"]] == ["p1-f5", "p1-f0", "p1-nofade", "p3-fast", "derm-fast-28"]
    assert [s["stage"] for s in timed["accurate"]["stages"]] == [
        *("t10-p1-f0", "t10-p1-f5", "t10-p1-nofade", "soup-p1", "p5-soup", "derm-lite0-128"),
        *("calibrate", "gate", "evaluate", "export"),
    ]
    for summary in timed.values():
        assert summary["fromScratch"] and summary["interrupted"] == [] and summary["calls"] == 1
        assert all(stage["seconds"] > 0 for stage in summary["stages"])
        assert summary["totalSeconds"] == pytest.approx(sum(stage["seconds"] for stage in summary["stages"]), abs=0.2)
    assert timed["fast"]["stages"][3]["epochsAfter"] == 13

    accurate = json.loads((copy / "model" / "derm-lite0-128" / "card.json").read_text())
    fast = json.loads((copy / "model" / "derm-fast-28" / "card.json").read_text())
    assert accurate["role"] == "accurate" and fast["role"] == "fast"
    # Both were made here, from the drawn images, not left over from the shipped ones.
    assert accurate["test"]["n"] == fast["test"]["n"] == 14
    assert accurate["training"]["soup"]["ingredients"] == ["t10-p1-f0", "p5-soup", "t10-p1-nofade"]
    assert [stage["run"] for stage in accurate["training"]["earlierStages"]] == [
        "t10-p1-f5",
        "t10-p1-f0",
        "p5-soup",
        "t10-p1-nofade",
    ]
    assert fast["training"]["teacher"] == "p1-f5 (best.pt), p1-f0 (best.pt), p1-nofade (best.pt)"
    assert fast["training"]["config"]["init"] == str(runs / "p3-fast" / "best.pt")
    for model in ("derm-lite0-128", "derm-fast-28"):
        meta = json.loads((copy / "model" / model / "meta.json").read_text())
        assert meta["inputSize"] == 32 and (copy / "model" / model / "ood.json").is_file()
    # The README's table was written again from the new cards.
    readme = (copy / "README.md").read_text()
    assert "| `derm-lite0-128` | accurate | 32x32 |" in readme and "| `derm-fast-28` | fast | 32x32 |" in readme
