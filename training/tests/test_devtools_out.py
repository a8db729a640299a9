"""devtools writes its reports after minutes of scoring, so a missing output folder is created."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from dermlens_train.devtools import main


def test_a_report_goes_into_a_folder_that_did_not_exist(tmp_path: Path) -> None:
    photo = tmp_path / "spot.png"
    Image.fromarray(np.full((40, 30, 3), 120, np.uint8)).save(photo)
    out = tmp_path / "not" / "yet" / "there" / "dump.json"

    assert main(["preprocess-dump", "--size", "8", "--out", str(out), str(photo)]) == 0

    dumped = json.loads(out.read_text())
    assert dumped["size"] == 8 and len(dumped["uint8"][str(photo)]) == 8 * 8 * 3
