"""Developer tools, apart from the product CLI.

python -m dermlens_train.devtools readme|gate-doc|preprocess-dump|download|pad-folds|framing|phone-probe|soup|
    ensemble|soup-save|prior-shift|import-tfjs|speed|reproduction
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .data import DataError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dermlens_train.devtools", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("readme", help="regenerate the metrics table in ../README.md from model/*/card.json")
    commands.add_parser("gate-doc", help="regenerate the rates in ../docs/not-a-spot.md from model/*/ood.json")
    dump = commands.add_parser("preprocess-dump", help="the Python preprocessing of image files, as JSON")
    dump.add_argument("--size", type=int, required=True)
    dump.add_argument("--out", required=True)
    dump.add_argument("images", nargs="+")
    download = commands.add_parser("download", help="fetch HAM10000 from Harvard Dataverse (never run in tests)")
    download.add_argument("--to", required=True)
    folds = commands.add_parser(
        "pad-folds", help="(re)write training/splits/pad_ufes_20.csv from the PAD-UFES-20 metadata"
    )
    folds.add_argument("--pad-dir", default=None)
    framing = commands.add_parser(
        "framing", help="the accurate model's risk band under reframing and fewer pixels (docs/framing-report.json)"
    )
    framing.add_argument("--out", default=None)
    framing.add_argument("--model-id", default=None, help="a run's id (default: the shipped accurate model)")
    framing.add_argument("--folds", default="select,test", help="PAD-UFES-20 folds: select to choose, test to report")
    framing.add_argument(
        "--views", default="1", help="framings averaged per input, e.g. 0.8,1,1.25 (default: one view)"
    )
    probe = commands.add_parser(
        "phone-probe", help="linear probes of pooled features on the phone photos' malignancy (a JSON report)"
    )
    probe.add_argument("--out", required=True)
    probe.add_argument("--sizes", default="128", help="input sizes, e.g. 128,224")
    probe.add_argument("--run", action="append", default=[], help="a run id under the cache's runs/ (repeatable)")
    soup = commands.add_parser(
        "soup", help="selection scores of weight averages of runs from one start (uniform, greedy; a JSON report)"
    )
    soup.add_argument("--out", required=True)
    soup.add_argument("--size", type=int, default=128)
    soup.add_argument("--ingredient", action="append", default=[], help="NAME=best.pt, best first (repeatable)")
    soup.add_argument("--save-uniform", default=None, help="also write the uniform soup here, as a best.pt")
    ensemble = commands.add_parser(
        "ensemble", help="selection scores of the mean softmax of every subset of some runs (choosing teachers)"
    )
    ensemble.add_argument("--out", required=True)
    ensemble.add_argument("--size", type=int, default=128)
    ensemble.add_argument("--member", action="append", default=[], help="NAME=best.pt (repeatable)")
    saved = commands.add_parser(
        "soup-save", help="the uniform soup of some runs as a run folder (best.pt + log.json) for calibrate..export"
    )
    saved.add_argument("--run-dir", required=True)
    saved.add_argument("--ingredient", action="append", default=[], help="NAME=best.pt (repeatable)")
    saved.add_argument(
        "--earlier", action="append", default=[], help="NAME=run folder of a run that fed an ingredient (repeatable)"
    )
    shift = commands.add_parser(
        "prior-shift",
        help="a run read under the class prior of another balance power (post-hoc logit adjustment), as a run folder",
    )
    shift.add_argument("--source", required=True, help="the trained run's folder (best.pt, log.json)")
    shift.add_argument("--run-dir", required=True)
    shift.add_argument("--to-power", type=float, required=True, help="the balance power whose prior to read under")
    imported = commands.add_parser(
        "import-tfjs",
        help="a shipped TF.js model read back into PyTorch as a run folder's best.pt (a teacher or probe)",
    )
    imported.add_argument("--model-dir", required=True, help="a folder with model.json and meta.json")
    imported.add_argument("--run-dir", required=True)
    speed = commands.add_parser(
        "speed", help="images/s of a training step under each speed setting (channels_last, bf16, freeze, compile)"
    )
    speed.add_argument("--out", required=True)
    speed.add_argument("--arch", default="lite0")
    speed.add_argument("--size", type=int, default=128)
    speed.add_argument("--batch", type=int, default=64)
    speed.add_argument("--steps", type=int, default=9)
    speed.add_argument("--threads", type=int, default=2)
    timing = commands.add_parser(
        "reproduction", help="how long train.sh took for a role, from its timing log (a JSON report, merged by role)"
    )
    timing.add_argument("--role", choices=("accurate", "fast"), required=True)
    timing.add_argument("--out", required=True)
    timing.add_argument("--cache", default=None, help="the cache train.sh used (default: DERMLENS_CACHE's rule)")
    timing.add_argument(
        "--card", default=None, help="a shipped card.json to record the time in (training.reproduction)"
    )
    timing.add_argument("--made", default=None, help="the card.json the reproduction exported (its test metrics)")
    return parser


def run(args: argparse.Namespace) -> None:
    if getattr(args, "out", None):
        # The reports are written after minutes of scoring: a missing folder must not lose them.
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    if args.command == "readme":
        from .pipeline import MODEL_ROOT
        from .readme_table import render

        readme = MODEL_ROOT.parent / "README.md"
        readme.write_text(render(readme.read_text(), MODEL_ROOT))
    elif args.command == "gate-doc":
        from .gate_doc import render as render_gate
        from .pipeline import MODEL_ROOT

        doc = MODEL_ROOT.parent / "docs" / "not-a-spot.md"
        doc.write_text(render_gate(doc.read_text(), MODEL_ROOT))
    elif args.command == "framing":
        from .cli import build_parser as build_train_parser
        from .cli import config_from
        from .framing import write_framing_report
        from .pad_ufes import DEFAULT_PAD_DIR
        from .pipeline import MODEL_ROOT

        flags = ["export", "--role", "accurate"] + (["--model-id", args.model_id] if args.model_id else [])
        config = config_from(build_train_parser().parse_args(flags))
        out = Path(args.out) if args.out else MODEL_ROOT.parent / "docs" / "framing-report.json"
        folds = tuple(args.folds.split(","))
        views = tuple(float(v) for v in args.views.split(","))
        report = write_framing_report(config, DEFAULT_PAD_DIR, MODEL_ROOT / config.model_id, out, folds, views)
        print(json.dumps(report, indent=1))
    elif args.command == "phone-probe":
        from .checkpoint import load_checkpoint
        from .config import TrainConfig
        from .efficientnet import imagenet_lite0
        from .models import Classifier
        from .phone_probe import probe_report, write_probe_report
        from .prepared import prepare_phone

        phones = {
            size: prepare_phone(TrainConfig(role="accurate", size=size)) for size in map(int, args.sizes.split(","))
        }
        if any(phone is None for phone in phones.values()):
            raise DataError("phone-probe needs the PAD-UFES-20 photos (../shared/data/pad-ufes-20)")
        networks: dict[str, tuple[Classifier, int | None]] = {"imagenet-lite0": (imagenet_lite0(), None)}
        for run_id in args.run:
            saved = TrainConfig(model_id=run_id).resolved_run_dir()
            size = int(json.loads((saved / "log.json").read_text())["config"]["size"])
            networks[run_id] = (load_checkpoint(saved / "best.pt"), size)
        report = probe_report(networks, {size: phone for size, phone in phones.items() if phone is not None})
        write_probe_report(report, Path(args.out))
        print(json.dumps(report, indent=1))
    elif args.command == "soup":
        from .config import TrainConfig
        from .soup import save_uniform_soup, soup_report

        malformed = [item for item in args.ingredient if "=" not in item]
        if malformed or not args.ingredient:
            raise DataError(f"soup needs --ingredient NAME=best.pt (got {malformed or 'none'})")
        ingredients = [(name, path) for name, path in (item.split("=", 1) for item in args.ingredient)]
        if args.save_uniform:
            save_uniform_soup(ingredients, Path(args.save_uniform))
        report = soup_report(TrainConfig(size=args.size, seed=1234), ingredients)
        Path(args.out).write_text(json.dumps(report, indent=1) + "\n")
        print(json.dumps(report, indent=1))
    elif args.command == "ensemble":
        from .config import TrainConfig
        from .ensemble import ensemble_report

        if not args.member or any("=" not in item for item in args.member):
            raise DataError(f"ensemble needs --member NAME=best.pt (got {args.member or 'none'})")
        members = [(name, path) for name, path in (item.split("=", 1) for item in args.member)]
        report = ensemble_report(TrainConfig(size=args.size, seed=1234), members)
        Path(args.out).write_text(json.dumps(report, indent=1) + "\n")
        print(json.dumps(report, indent=1))
    elif args.command == "speed":
        from .speed import speed_report, write_speed_report

        report = speed_report(args.arch, args.size, args.batch, steps=args.steps, threads=args.threads)
        write_speed_report(report, Path(args.out))
        print(json.dumps(report, indent=1))
    elif args.command == "reproduction":
        from .config import cache_root
        from .reproduction import summarise, timing_log, with_reproduction

        out = Path(args.out)
        report = json.loads(out.read_text()) if out.is_file() else {}
        report[args.role] = summarise(
            timing_log(Path(args.cache) if args.cache else cache_root(), args.role), args.role
        )
        out.write_text(json.dumps(report, indent=1) + "\n")
        if args.card:
            made = json.loads(Path(args.made).read_text()) if args.made else None
            card = with_reproduction(json.loads(Path(args.card).read_text()), report[args.role], made)
            Path(args.card).write_text(json.dumps(card, indent=1))
        print(json.dumps(report[args.role], indent=1))
    elif args.command == "soup-save":
        from .soup import save_soup_run

        pairs = [*args.ingredient, *args.earlier]
        if not args.ingredient or any("=" not in item for item in pairs):
            raise DataError(f"soup-save needs --ingredient NAME=best.pt and --earlier NAME=folder (got {pairs})")
        run_dir = Path(args.run_dir)
        run_dir.mkdir(parents=True, exist_ok=True)
        save_soup_run(
            run_dir,
            [(name, path) for name, path in (item.split("=", 1) for item in args.ingredient)],
            [(name, path) for name, path in (item.split("=", 1) for item in args.earlier)],
            "python -m dermlens_train.devtools " + " ".join(sys.argv[1:]),
        )
        print(f"wrote {run_dir / 'best.pt'} and {run_dir / 'log.json'}")
    elif args.command == "prior-shift":
        from .prior_shift import save_shifted_run

        shifted_log = save_shifted_run(
            Path(args.source),
            Path(args.run_dir),
            args.to_power,
            "python -m dermlens_train.devtools " + " ".join(sys.argv[1:]),
        )
        print(json.dumps(shifted_log["priorShift"], indent=1))
    elif args.command == "import-tfjs":
        from .import_tfjs import save_imported_run

        print(f"wrote {save_imported_run(Path(args.model_dir), Path(args.run_dir))}")
    elif args.command == "preprocess-dump":
        from .preprocess import preprocess_file

        tensors = {str(p): preprocess_file(p, args.size).reshape(-1).tolist() for p in args.images}
        Path(args.out).write_text(json.dumps({"size": args.size, "uint8": tensors}))
    elif args.command == "download":
        from .download import download

        download(Path(args.to))
    elif args.command == "pad-folds":
        from .pad_ufes import (
            DEFAULT_PAD_DIR,
            DEFAULT_PAD_SPLIT_FILE,
            load_pad_metadata,
            make_pad_folds,
            write_pad_folds,
        )

        records = load_pad_metadata(Path(args.pad_dir) if args.pad_dir else DEFAULT_PAD_DIR)
        write_pad_folds(make_pad_folds(records), records, DEFAULT_PAD_SPLIT_FILE)


def main(argv: list[str] | None = None) -> int:
    try:
        run(build_parser().parse_args(argv))
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
