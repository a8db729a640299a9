"""One session on a lent GPU, inside its 10-minute command limit: three 128 px networks, then two
students distilled from the three as an ensemble (a 128 px one and the 28 px fast one).

    python3 -m dermlens_train.device_session PACK OUT [--budget SECONDS] [--teachers | --soup]

PACK is what `device_pack` built (with --teachers: only the fast student, taught by the pack's
teachers; with --soup: six 128 px networks of varied recipes from one start, to average); OUT
receives each run's best.pt and a tarball of the logs. Every run is
`python -m dermlens_train train ... --device cuda`: the same code and presets as on the CPU.
A run's schedule needs its epoch count up front, so each phase first runs two epochs
(`--stop-after 2`; the first is slower, CUDA warming up), then either resumes to the planned count
or, when the measured epoch time says that would pass the phase's deadline, starts again with as
many epochs as fit. A run still going at its deadline is stopped; its best checkpoint so far is kept.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

RUNS = Path("/tmp/dermlens-runs")
STARTUP_SECONDS = 20.0  # process start, data from the cache, CUDA set-up (measured in the first phase)


@dataclass
class Run:
    name: str
    flags: list[str]
    epochs: int
    threads: int
    process: subprocess.Popen[bytes] | None = None
    history: list[str] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return RUNS / self.name

    def start(self, common: list[str], *, probe: bool, resume: bool = False) -> None:
        command = [sys.executable, "-m", "dermlens_train", "train", *self.flags, *common]
        command += ["--run-dir", str(self.folder), "--epochs", str(self.epochs), "--threads", str(self.threads)]
        command += ["--stop-after", "2"] if probe else []
        command += ["--resume"] if resume else []
        self.history.append(" ".join(command))
        log = (RUNS / f"{self.name}.out").open("ab")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)

    def epoch_seconds(self) -> float:
        """The latest epoch's time (the first one's includes warming up: 1.6-2x the later ones)."""
        epochs = json.loads((self.folder / "log.json").read_text())["epochs"]
        return float(epochs[-1]["seconds"])

    def epochs_done(self) -> int:
        return len(json.loads((self.folder / "log.json").read_text())["epochs"])

    def summary(self) -> str:
        path = self.folder / "log.json"
        if not path.is_file():
            return f"{self.name}: no epoch finished"
        log = json.loads(path.read_text())
        last = log["epochs"][-1]
        return (
            f"{self.name}: {len(log['epochs'])}/{self.epochs} epochs, best {log.get('bestScore', 0):.4f} "
            f"(epoch {log.get('bestEpoch')}), last {last['score']:.4f}, {last['imagesPerSecond']:.0f} img/s, "
            f"{last['seconds']:.1f} s/epoch"
        )


def wait(runs: list[Run], deadline: float) -> None:
    while any(r.process and r.process.poll() is None for r in runs):
        if time.time() > deadline:
            for run in runs:
                if run.process and run.process.poll() is None:
                    print(f"deadline: stopping {run.name}", flush=True)
                    run.process.terminate()
            for run in runs:
                if run.process:
                    run.process.wait()
            return
        time.sleep(1.0)
    for run in runs:
        if run.process and run.process.returncode not in (0, None):
            print(f"{run.name} exited {run.process.returncode}; its output:", flush=True)
            print((RUNS / f"{run.name}.out").read_text()[-3000:], flush=True)


def phase(runs: list[Run], common: list[str], deadline: float) -> None:
    """Probe two epochs of each, then resume to plan or restart with the epochs that fit."""
    for run in runs:
        run.start(common, probe=True)
    wait(runs, deadline)
    ok = [r for r in runs if (r.folder / "log.json").is_file()]
    if not ok:
        return
    slowest = max(r.epoch_seconds() for r in ok)
    left = deadline - time.time() - STARTUP_SECONDS
    planned = max(r.epochs for r in ok)
    if (planned - min(r.epochs_done() for r in ok)) * slowest <= left:
        print(f"epoch {slowest:.1f} s: resuming to plan", flush=True)
        for run in ok:
            run.start(common, probe=False, resume=True)
    else:
        for run in ok:
            # keep the ratio between the runs' planned epochs
            run.epochs = max(3, int(run.epochs * (left / slowest) / planned))
            shutil.rmtree(run.folder)
            run.start(common, probe=False)
        print(f"epoch {slowest:.1f} s: restarting with {[r.epochs for r in ok]} epochs", flush=True)
    wait(ok, deadline)
    for run in runs:
        print(run.summary(), flush=True)


def keep(runs: list[Run], out: Path, half: bool = False) -> None:
    """Each run's best.pt into OUT; `half`: weights rounded to float16, half the bytes to carry back."""
    import torch

    from .device_pack import in_float16

    for run in runs:
        if not (run.folder / "best.pt").is_file():
            continue
        if not half:
            shutil.copyfile(run.folder / "best.pt", out / f"{run.name}.pt")
            continue
        saved = torch.load(run.folder / "best.pt", map_location="cpu", weights_only=False)
        saved["state_dict"] = in_float16(saved["state_dict"])
        torch.save(saved, out / f"{run.name}.pt")


def soup_runs() -> list[Run]:
    """Ingredients for a weight average (soup.py): seed 1234 for all (set in `common`), so one head
    initialisation and one order of batches; the recipes vary around the tenth session's two best."""
    accurate = ["--role", "accurate"]
    f0 = [*accurate, "--freeze", "0"]
    return [
        Run("s-f0", f0, 12, 2),
        Run("s-f5", accurate, 12, 2),
        Run("s-nofade", [*accurate, "--fade-surround", "0"], 12, 2),
        Run("s-f0-lr1e-3", [*f0, "--lr", "1e-3"], 12, 2),
        Run("s-f0-cutmix", [*f0, "--cutmix", "0.3"], 12, 2),
        Run("s-f0-phone40", [*f0, "--phone-share", "0.4"], 12, 2),
    ]


def augmentation_gap(device: str) -> float:
    """The same seeded batch augmented on the CPU and on `device`: the draws are the CPU's either
    way, so only float rounding (and a JPEG round that lands a level apart) may differ."""
    import numpy as np
    import torch

    from .cli import PRESETS
    from .config import TrainConfig
    from .train import augmented_batch

    images = (np.random.default_rng(0).random((32, 128, 128, 3)) * 255).astype(np.uint8)
    views = []
    for where in ("cpu", device):
        config = TrainConfig(**{**PRESETS["accurate"], "device": where})
        views.append(augmented_batch(images, config, torch.Generator().manual_seed(7)).cpu())
    return float((views[0] - views[1]).abs().max())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pack", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--budget", type=float, default=570.0)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--teachers", action="store_true", help="skip the first phase: the pack's teacher-*.pt teach")
    parser.add_argument("--fast-epochs", type=int, default=80)
    parser.add_argument(
        "--soup", action="store_true", help="only 128 px networks from one start with varied recipes, to average here"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="a few images and steps per run (to try the session on a CPU)"
    )
    args = parser.parse_args(argv)
    began = time.time()
    from .device_pack import unpack

    pack = unpack(args.pack.resolve(), Path("/tmp/dermlens-pack"))
    if (pack / "imagenet-lite0.pth").is_file():
        os.environ.setdefault("DERMLENS_IMAGENET_WEIGHTS", str(pack / "imagenet-lite0.pth"))
    os.environ.setdefault("DERMLENS_CACHE", "/tmp/dermlens-cache")
    os.environ["PYTHONUNBUFFERED"] = "1"
    os.environ["TQDM_DISABLE"] = "1"  # progress bars would fill the little output that comes back
    if args.device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            print("no CUDA device here", flush=True)
            return 3
        print(f"torch {torch.__version__} on {torch.cuda.get_device_name(0)}, {os.cpu_count()} CPUs", flush=True)
        print(f"augmentation, GPU against CPU: max |diff| {augmentation_gap(args.device):.2e}", flush=True)
    RUNS.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)
    common = ["--data-dir", str(pack / "ham10000"), "--phone-dir", str(pack / "pad-ufes-20"), "--device", args.device]
    # smoke: >= 5 steps a run, since one-cycle needs a warm-up step
    common += ["--limit", "48", "--epoch-samples", "320"] if args.smoke else []
    common += ["--seed", "1234"]  # one carved selection fold for all: no teacher has seen a student's selection images

    # Decode both sizes once, before runs read the cache in parallel.
    # (one BLAS thread each: two processes' thread pools fighting made decoding 15x slower here)
    decode = "from dermlens_train.prepared import prepare; from dermlens_train.config import TrainConfig; "
    single = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    warm = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                decode + f"prepare(TrainConfig(size={size}, seed=1234, "
                f"data_dir='{pack / 'ham10000'}', phone_dir='{pack / 'pad-ufes-20'}'))",
            ],
            env=single,
        )
        for size in (128, 28)
    ]
    for process in warm:
        process.wait()
    print(f"caches ready at {time.time() - began:.0f} s", flush=True)

    accurate = ["--role", "accurate"]
    if args.soup:
        ingredients = soup_runs()
        phase(ingredients, common, began + args.budget)
        keep(ingredients, args.out, half=True)  # six float32 networks would be 83 MB
    elif args.teachers:
        ensemble = ",".join(str(p) for p in sorted(pack.glob("teacher-*.pt")))
        # A second call: the first phase's networks come back as teachers; only the fast student
        # runs, with every CPU thread (augmentation on the CPU is what limits it).
        fast = Run("p3-fast", ["--role", "fast", "--teacher", ensemble, "--patience", "100"], args.fast_epochs, 16)
        phase([fast], common, began + args.budget)
        keep([fast], args.out)
    else:
        teachers = [
            Run("p1-f5", accurate, 25, 5),  # the shipped recipe (3.0.0), longer
            Run("p1-f0", [*accurate, "--freeze", "0"], 25, 5),  # every layer trained
            Run("p1-nofade", [*accurate, "--fade-surround", "0"], 25, 5),  # 2.0.0's recipe
        ]
        phase(teachers, common, began + args.budget * 0.52)
        keep(teachers, args.out)
        finished = [str(t.folder / "best.pt") for t in teachers if (t.folder / "best.pt").is_file()]
        if finished:
            ensemble = ",".join(finished)
            students = [
                Run("p2-acc", [*accurate, "--teacher", ensemble], 40, 8),
                Run("p2-fast", ["--role", "fast", "--teacher", ensemble, "--patience", "100"], args.fast_epochs, 8),
            ]
            phase(students, common, began + args.budget)
            keep(students, args.out)
    with tarfile.open(args.out / "logs.tar.gz", "w:gz") as tar:
        for path in sorted(RUNS.rglob("*")):
            if path.suffix in (".json", ".out"):
                tar.add(path, arcname=str(path.relative_to(RUNS)))
    print(f"done at {time.time() - began:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
