"""The stages in order, each reading what the previous one wrote in the run folder."""

from __future__ import annotations

from pathlib import Path

from .config import TrainConfig
from .lineage import check_clean_selection
from .prepared import prepare

MODEL_ROOT = Path(__file__).resolve().parents[2] / "model"


def run_stage(stage: str, config: TrainConfig, model_dir: str | None = None) -> None:
    check_clean_selection(config, stage)
    data = prepare(config)
    target = Path(model_dir) if model_dir else MODEL_ROOT / config.model_id
    if stage in ("train", "all"):
        from .train import train

        train(config, data)
    if stage in ("calibrate", "all"):
        from .calibrate import calibrate

        calibrate(config, data)
    if stage in ("gate", "all"):
        from .gate import gate

        gate(config, data)
    if stage in ("evaluate", "all"):
        from .evaluate import evaluate

        evaluate(config, data)
    if stage in ("export", "all"):
        from .export_tfjs import export

        export(config, data, target)
