"""Weight averaging of networks fine-tuned from one start ("model soups", Wortsman et al. 2022,
arXiv:2203.05482): one network's cost at inference, often a better score than any ingredient.

Only networks that share their start can be averaged: here runs of one seed from the ImageNet
weights (the 28 px students, trained from scratch, do not soup: EXPERIMENTS.md, tenth session).
BatchNorm statistics are averaged with the weights, or re-estimated on fit images (`reestimate_bn`).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from .arrays import Images
from .config import TrainConfig
from .inference import to_tensor
from .lineage import extra_seeds, selection_seeds

if TYPE_CHECKING:
    from .prepared import Prepared

Score = Callable[[nn.Module], float]


def average(models: Sequence[nn.Module]) -> nn.Module:
    """A copy of the first model with every floating-point tensor the mean over `models` (integer
    buffers such as BatchNorm's batch counters are the first model's)."""
    if not models:
        raise ValueError("a soup needs at least one ingredient")
    states = [m.state_dict() for m in models]
    keys = states[0].keys()
    if any(s.keys() != keys for s in states[1:]):
        raise ValueError("the ingredients are not the same architecture")
    soup = copy.deepcopy(models[0])
    mean = {
        k: (torch.stack([s[k].float() for s in states]).mean(0).to(v.dtype) if v.is_floating_point() else v)
        for k, v in states[0].items()
    }
    soup.load_state_dict(mean)
    return soup.eval()


@torch.no_grad()
def reestimate_bn(model: nn.Module, images: Images, batch_size: int = 128) -> nn.Module:
    """A copy whose BatchNorm statistics are re-measured on `images` (train-mode passes, no weight
    changes): the mean of the batches' statistics, which is the mean over the images when the
    batches are of equal size."""
    model = copy.deepcopy(model).eval()
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # cumulative mean, not an exponential one
        norm.train()
    for start in range(0, len(images), batch_size):
        model(to_tensor(images[start : start + batch_size]))
    return model.eval()


@dataclass(frozen=True)
class GreedySoup:
    model: nn.Module
    kept: list[str]
    trail: list[dict[str, object]]  # each ingredient tried: its name, the soup's score with it, kept or not


def greedy(ingredients: Sequence[tuple[str, nn.Module]], score: Score) -> GreedySoup:
    """Wortsman et al.'s greedy soup: ingredients in the order given (best first), each kept only if
    the soup with it scores at least as well as without."""
    (first_name, first), *rest = ingredients
    kept_models, kept = [first], [first_name]
    best = score(first)
    trail: list[dict[str, object]] = [{"ingredient": first_name, "score": best, "kept": True}]
    for name, model in rest:
        candidate = score(average([*kept_models, model]))
        keep = candidate >= best
        trail.append({"ingredient": name, "score": candidate, "kept": keep})
        if keep:
            kept_models.append(model)
            kept.append(name)
            best = candidate
    return GreedySoup(average(kept_models), kept, trail)


def bn_images(fit_sets: Sequence[Images], counts: Sequence[int], seed: int = 0) -> Images:
    """A fixed draw of fit images (no augmentation) to re-estimate BatchNorm statistics on."""
    rng = np.random.default_rng(seed)
    drawn = [
        images[rng.choice(len(images), min(n, len(images)), replace=False)]
        for images, n in zip(fit_sets, counts, strict=True)
    ]
    return np.concatenate(drawn)


def selection_row(model: nn.Module, data: Prepared) -> dict[str, object]:
    """The selection score and the metrics it is made of, on the selection folds of `data`."""
    from .train import domain_report, selection_score

    derm, phone = domain_report(model, data.derm), domain_report(model, data.phone)
    assert derm is not None
    row: dict[str, object] = {
        "score": selection_score(derm, phone),
        "dermAccuracy": derm["accuracy"],
        "dermBalancedAccuracy": derm["balancedAccuracy"],
        "dermMacroAuc": derm["macroAuc"],
    }
    if phone is not None:
        row |= {"phoneBalancedAccuracy": phone["balancedAccuracy"], "phoneMalignantAuc": phone["malignantAuc"]}
    return row


def soup_report(config: TrainConfig, ingredients: Sequence[tuple[str, str]]) -> dict[str, object]:
    """Selection metrics of each ingredient (name, best.pt path), in the order given, and of the
    uniform and greedy soups with BatchNorm statistics averaged and re-estimated on 2,048 fit images
    (1,792 dermoscopic, 256 phone). The data and selection folds are `config`'s (its size, seed and
    folders: the ingredients' own). Selection folds only: no test fold is read."""
    from .checkpoint import load_checkpoint
    from .prepared import prepare

    seeds = set().union(*(selection_seeds(path) for _, path in ingredients), extra_seeds(config)) - {config.seed}
    data = prepare(config, sorted(seeds))
    fits, counts = [data.derm.fit.images], [1792]
    if data.phone is not None:  # without the phone photos: dermoscopic images only
        fits, counts = [*fits, data.phone.fit.images], [*counts, 256]
    for_bn = bn_images(fits, counts)

    models = [(name, load_checkpoint(Path(path))) for name, path in ingredients]
    report: dict[str, object] = {
        "size": config.size,
        "seed": config.seed,
        # With ingredients of other seeds, the dermoscopic selection images are those no seed fit on.
        "selectionSeeds": sorted(seeds | {config.seed}),
        "dermSelectionImages": len(data.derm.select.labels),
    }
    report["ingredients"] = {name: selection_row(model, data) for name, model in models}
    for statistics in ("averaged", "reestimated"):

        def finish(model: nn.Module, statistics: str = statistics) -> nn.Module:
            return reestimate_bn(model, for_bn) if statistics == "reestimated" else model

        def score(model: nn.Module, finish: Callable[[nn.Module], nn.Module] = finish) -> float:
            return float(selection_row(finish(model), data)["score"])  # type: ignore[arg-type]

        report[f"uniform-{statistics}"] = selection_row(finish(average([m for _, m in models])), data)
        soup = greedy(models, score)
        report[f"greedy-{statistics}"] = {
            **selection_row(finish(soup.model), data),
            "kept": soup.kept,
            "trail": soup.trail,
        }
    return report


def save_uniform_soup(ingredients: Sequence[tuple[str, str]], path: Path) -> None:
    """The uniform soup (BatchNorm statistics averaged) as a best.pt, e.g. to continue training from
    (`--init`); it carries the first ingredient's arch, size and config, and the ingredients' names."""
    from .checkpoint import load_checkpoint

    first = torch.load(ingredients[0][1], map_location="cpu", weights_only=False)
    soup = average([load_checkpoint(Path(p)) for _, p in ingredients])
    seeds = sorted(set().union(*(selection_seeds(p) for _, p in ingredients)))
    saved = {
        **first,
        "state_dict": soup.state_dict(),
        "soup": [name for name, _ in ingredients],
        "selectionSeeds": seeds,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(saved, path)


def stage_of(name: str, run_dir: Path) -> dict[str, Any]:
    """One training run as a card's earlier stage, from its log.json: where it ran, how long, its
    best selection score and the command (which names any checkpoint it started from)."""
    log = json.loads((run_dir / "log.json").read_text())
    rates = [float(e["imagesPerSecond"]) for e in log.get("epochs", []) if "imagesPerSecond" in e]
    return {
        "run": name,
        "hardware": log.get("hardware"),
        "epochs": len(log.get("epochs", [])),
        "trainSeconds": round(float(log["trainSeconds"]), 1),
        "bestEpoch": log.get("bestEpoch"),
        "bestScore": round(float(log["bestScore"]), 4) if log.get("bestScore") is not None else None,
        "imagesPerSecond": round(float(np.median(rates)), 1) if rates else None,
        "command": str(log.get("command", "")),
        # A run read under another balance power's class prior (prior_shift.py): the card says so,
        # since the network's answers are not the ones it trained to give.
        "priorShift": (
            {"fromPower": log["priorShift"]["fromPower"], "toPower": log["priorShift"]["toPower"]}
            if log.get("priorShift")
            else None
        ),
    }


def save_soup_run(
    run_dir: Path,
    ingredients: Sequence[tuple[str, str]],
    earlier: Sequence[tuple[str, str]] = (),
    command: str = "",
) -> dict[str, object]:
    """The uniform soup of `ingredients` (NAME, best.pt; BatchNorm statistics averaged) as a run
    folder that calibrate, gate, evaluate and export take like a trained one: best.pt and a log.json.

    The log carries no epochs of its own (nothing is trained); its earlier stages are the runs
    that fed the ingredients (`earlier`: NAME, run folder; e.g. the runs averaged into a soup an
    ingredient was then trained from) and the ingredients themselves, each from its own log.json
    beside its best.pt, and its trainSeconds their sum: what the network cost to make.
    """
    first = json.loads((Path(ingredients[0][1]).parent / "log.json").read_text())
    stages = [stage_of(name, Path(folder)) for name, folder in earlier]
    stages += [stage_of(name, Path(path).parent) for name, path in ingredients]
    names = [name for name, _ in ingredients]
    log: dict[str, object] = {
        key: first[key] for key in ("config", "parameters", "flops", "fit", "fitPhone", "select", "selectPhone", "test")
    }
    log |= {
        "command": command,
        "epochs": [],
        "bestEpoch": None,
        "trainSeconds": round(sum(float(s["trainSeconds"]) for s in stages), 1),
        "hardware": None,
        "soup": {
            "ingredients": names,
            "method": "uniform weight average, BatchNorm statistics averaged (Wortsman et al. 2022, arXiv:2203.05482)",
        },
        "earlierStages": stages,
    }
    save_uniform_soup(ingredients, run_dir / "best.pt")
    (run_dir / "log.json").write_text(json.dumps(log, indent=1) + "\n")
    return log
