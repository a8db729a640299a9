"""How much several trained networks know together: the mean of their softmax, scored on the
selection folds for every subset of them (the ensembles that a distilled student can be taught
by, `--teacher a,b,c`, teacher.py). Shipping an ensemble would cost the app one network per
member, so this only chooses teachers; no test fold is read."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

import torch
from torch import nn

from .config import TrainConfig


class SoftmaxMean(nn.Module):
    """Networks as one: its output is the log of the mean of their softmax, so a softmax of it (as
    every metric takes) gives that mean; one member gives that member's probabilities."""

    def __init__(self, networks: Sequence[nn.Module]) -> None:
        super().__init__()
        if not networks:
            raise ValueError("an ensemble needs at least one network")
        self.networks = nn.ModuleList(networks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = torch.stack([network(x).softmax(dim=1) for network in self.networks]).mean(dim=0)
        return mean.clamp_min(1e-12).log()  # the floor only guards log(0); softmax gives it back


def ensemble_report(config: TrainConfig, members: Sequence[tuple[str, str]]) -> dict[str, object]:
    """Selection metrics (soup.selection_row) of every non-empty subset of `members` (NAME,
    best.pt), joined by '+', smallest subsets first; and the best subset by score. The data and
    selection folds are `config`'s: give the members' own size and seed, so no member trained on
    the selection images."""
    from .checkpoint import load_checkpoint
    from .prepared import prepare
    from .soup import selection_row

    data = prepare(config)
    networks = {name: load_checkpoint(Path(path)).eval() for name, path in members}
    subsets: dict[str, dict[str, object]] = {}
    for size in range(1, len(members) + 1):
        for names in itertools.combinations([name for name, _ in members], size):
            with torch.no_grad():
                subsets["+".join(names)] = selection_row(SoftmaxMean([networks[n] for n in names]), data)
    best = max(subsets, key=lambda name: float(subsets[name]["score"]))  # type: ignore[arg-type]
    return {"size": config.size, "seed": config.seed, "method": "mean softmax", "subsets": subsets, "best": best}
