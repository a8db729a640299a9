"""Command line: python -m dermlens_train train|calibrate|evaluate|export|all|download|preprocess-dump."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import fields
from pathlib import Path

from .config import TrainConfig
from .data import DataError

PRESETS: dict[int, dict[str, object]] = {
    28: {"arch": "compact", "epochs": 40, "lr": 3e-3, "batch_size": 64, "balance": "sampler"},
    128: {"arch": "mobile075", "epochs": 45, "lr": 3e-3, "batch_size": 64},
}


def config_from(args: argparse.Namespace) -> TrainConfig:
    """Preset for the size, overridden by any flag given on the command line."""
    values: dict[str, object] = dict(PRESETS.get(args.size, {}))
    for f in fields(TrainConfig):
        given = getattr(args, f.name, None)
        if given is not None:
            values[f.name] = given
    values["size"] = args.size
    return TrainConfig(**values)  # type: ignore[arg-type]


def add_config_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--size", type=int, choices=(28, 128), required=True)
    for f in fields(TrainConfig):
        if f.name in ("size", "extra"):
            continue
        kind = {"int": int, "float": float}.get(str(f.type).split(" ")[0], str)
        parser.add_argument(f"--{f.name.replace('_', '-')}", dest=f.name, type=kind, default=None)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dermlens_train", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("train", "train and keep the best checkpoint (runs/ham10000-N/best.pt)"),
        ("calibrate", "fit the temperature and risk thresholds on the selection set"),
        ("evaluate", "test-split metrics -> card.json and plots"),
        ("export", "TF.js layers model + meta.json into model/ham10000-N/"),
        ("all", "train, calibrate, evaluate and export"),
    ):
        add_config_flags(commands.add_parser(name, help=text))
    commands.choices["export"].add_argument("--model-dir", default=None)
    commands.choices["all"].add_argument("--model-dir", default=None)
    download = commands.add_parser("download", help="fetch HAM10000 from Harvard Dataverse (never run in tests)")
    download.add_argument("--to", required=True)
    commands.add_parser("readme", help="regenerate the metrics table in ../README.md from model/*/card.json")
    dump = commands.add_parser("preprocess-dump", help="the Python preprocessing of image files, as JSON")
    dump.add_argument("--size", type=int, required=True)
    dump.add_argument("--out", required=True)
    dump.add_argument("images", nargs="+")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace) -> int:
    if args.command == "download":
        from .download import download

        download(Path(args.to))
        return 0
    if args.command == "readme":
        from .pipeline import MODEL_ROOT
        from .readme_table import render

        readme = MODEL_ROOT.parent / "README.md"
        readme.write_text(render(readme.read_text(), MODEL_ROOT))
        return 0
    if args.command == "preprocess-dump":
        from .preprocess import preprocess_file

        tensors = {str(p): preprocess_file(p, args.size).reshape(-1).tolist() for p in args.images}
        Path(args.out).write_text(json.dumps({"size": args.size, "uint8": tensors}))
        return 0
    config = config_from(args)
    from .pipeline import run_stage

    run_stage(args.command, config, getattr(args, "model_dir", None))
    return 0
