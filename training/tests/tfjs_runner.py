"""Run an exported model through @tensorflow/tfjs in Node (the repo's node_modules) from pytest."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("tfjs_predict.mjs")


def require_tfjs() -> None:
    if shutil.which("node") is None or not (REPO / "node_modules" / "@tensorflow" / "tfjs").is_dir():
        pytest.skip("Node or node_modules/@tensorflow/tfjs missing: run `npm ci` first (CI does)")


def tfjs_logits(model_dir: Path, images_nhwc: np.ndarray, backend: str = "cpu", layer: str = "") -> np.ndarray:
    """Logits from TF.js for float32 NHWC inputs (with a layer: its output, averaged over h and w)."""
    require_tfjs()
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs.f32"
        inputs.write_bytes(np.ascontiguousarray(images_nhwc, dtype="<f4").tobytes())
        n, size = images_nhwc.shape[0], images_nhwc.shape[1]
        # Run from the repo root so that Node resolves @tensorflow/tfjs from its node_modules.
        done = subprocess.run(
            ["node", str(SCRIPT), str(model_dir), str(inputs), str(n), str(size), backend, *([layer] if layer else [])],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"node failed: {done.stderr[-2000:]}")
        return np.array(json.loads(done.stdout)["outputs"], dtype=np.float64)
