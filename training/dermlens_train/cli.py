"""Command line: python -m dermlens_train train|calibrate|evaluate|export|all --role accurate|fast.

Developer tools (README table, preprocessing dump, download, PAD-UFES-20 folds) live in
`python -m dermlens_train.devtools`.
"""

from __future__ import annotations

import argparse
import sys
import types
import typing
from dataclasses import fields
from typing import Any

from .config import TrainConfig
from .data import DataError

# Each role's defaults; any flag given on the command line wins.
PRESETS: dict[str, dict[str, Any]] = {
    "accurate": {
        "model_id": "derm-lite0-128",
        "role": "accurate",
        "size": 128,
        "arch": "lite0",
        "epochs": 10,
        "epoch_samples": 9600,
        # The far copies' plain surround, in training (EXPERIMENTS.md, 2026-12-03: shipped as 3.0.0)
        "fade_surround": 0.3,
    },
    "fast": {
        "model_id": "derm-fast-28",
        "role": "fast",
        "size": 28,
        "arch": "compact24",
        "pretrained": False,
        "freeze": 0,
        "epochs": 20,
        "lr": 3e-3,
        "backbone_lr_scale": 1.0,
        "weight_decay": 0.05,
        "teacher_size": 128,
        "patience": 15,
    },
}
STAGES = {
    "train": "train (or --resume) and keep the best checkpoint in the run folder",
    "calibrate": "fit the temperature and risk thresholds on the selection folds of both domains",
    "gate": "fit the not-a-skin-spot statistics and choose their thresholds (held-out photos + made negatives)",
    "evaluate": "test metrics of both domains -> card.json and plots",
    "export": "TF.js layers model + meta.json into model/<model-id>/",
    "all": "train, calibrate, gate, evaluate and export",
}
_SKIPPED = ("role", "extra")


def flag_type(annotation: object) -> type:
    """The argparse type of a TrainConfig field: its own type, or the non-None part of an Optional."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"unsupported flag type {annotation}")
        annotation = options[0]
    if annotation not in (bool, int, float, str):
        raise TypeError(f"unsupported flag type {annotation}")
    return typing.cast(type, annotation)


def add_config_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--role", choices=sorted(PRESETS), required=True)
    hints = typing.get_type_hints(TrainConfig)
    for f in fields(TrainConfig):
        if f.name in _SKIPPED:
            continue
        kind, flag = flag_type(hints[f.name]), f"--{f.name.replace('_', '-')}"
        if kind is bool:
            parser.add_argument(flag, dest=f.name, action=argparse.BooleanOptionalAction, default=None)
        else:
            parser.add_argument(flag, dest=f.name, type=kind, default=None)


def config_from(args: argparse.Namespace) -> TrainConfig:
    """The role's preset, overridden by any flag given on the command line."""
    values: dict[str, Any] = dict(PRESETS[args.role])
    for f in fields(TrainConfig):
        given = getattr(args, f.name, None)
        if given is not None and f.name not in _SKIPPED:
            values[f.name] = given
    return TrainConfig(**values)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dermlens_train", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in STAGES.items():
        stage = commands.add_parser(name, help=text)
        add_config_flags(stage)
        if name in ("export", "all"):
            stage.add_argument("--model-dir", default=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        from .pipeline import run_stage

        run_stage(args.command, config_from(args), getattr(args, "model_dir", None))
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
