"""A trained network read under another class prior than its training draws had (post-hoc logit
adjustment: Menon et al. 2021, "Long-tail learning via logit adjustment", ICLR 2021).

The sampler draws each class of a domain in proportion to count ** (1 - power), the domains at
their shares (sampling.py), so a network trained at balance power p learns its class
probabilities under that mixed prior. Adding log prior_q - log prior_p to its logits gives the
answers the same features support under the prior of power q: the decision a network trained
at q is aimed at, with the features training at p gave. The offsets follow from the fit folds'
counts and the two powers; nothing is fitted. They go into the head's bias, so the network stays
the same graph and every later stage (calibrate, gate, evaluate, export) and the app take it as
they take any run.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import torch

from . import LABELS
from .arrays import Floats, Labels
from .data import DataError
from .models import Classifier
from .sampling import training_prior


def prior_offsets(labels: Labels, domains: Labels, phone_share: float, from_power: float, to_power: float) -> Floats:
    """log prior(to_power) - log prior(from_power) per class, from the fit folds' labels and domains
    (0 for a class that no fit image has: it is never drawn under either power)."""
    before = training_prior(labels, domains, phone_share, "sampler", from_power)
    after = training_prior(labels, domains, phone_share, "sampler", to_power)
    present = (before > 0) & (after > 0)
    offsets: Floats = np.where(present, np.log(np.where(present, after, 1.0) / np.where(present, before, 1.0)), 0.0)
    return offsets


def shifted(model: Classifier, offsets: Floats) -> Classifier:
    """A copy of `model` whose logits are the original ones plus `offsets`."""
    moved = copy.deepcopy(model)
    with torch.no_grad():
        moved.head.bias.add_(torch.as_tensor(offsets, dtype=moved.head.bias.dtype))
    return moved.eval()


def save_shifted_run(source: Path, run_dir: Path, to_power: float, command: str = "") -> dict[str, object]:
    """Run folder `source` (best.pt, log.json) read under the class prior of the sampler at
    `to_power`, written to `run_dir` as a run folder calibrate..export take like a trained one: the
    same training log, with a `priorShift` block that says what was added to the logits."""
    from .checkpoint import load_checkpoint
    from .config import TrainConfig
    from .prepared import prepare
    from .sampling import DERM, PHONE

    log: dict[str, Any] = json.loads((source / "log.json").read_text())
    fields = set(TrainConfig.__dataclass_fields__)
    config = TrainConfig(**{key: value for key, value in log["config"].items() if key in fields})
    if config.balance != "sampler":
        raise DataError(f"{source} was trained with balance {config.balance!r}: the prior shift reads the sampler's")
    data = prepare(config)
    parts = [(data.derm.fit.labels, DERM)] + ([(data.phone.fit.labels, PHONE)] if data.phone is not None else [])
    labels = [part for part, _ in parts]
    domains = [np.full(len(part), domain, dtype=np.int64) for part, domain in parts]
    offsets = prior_offsets(
        np.concatenate(labels), np.concatenate(domains), config.phone_share, config.balance_power, to_power
    )
    saved = torch.load(source / "best.pt", map_location="cpu", weights_only=False)
    model = shifted(load_checkpoint(source / "best.pt"), offsets)
    run_dir.mkdir(parents=True, exist_ok=True)
    torch.save({**saved, "state_dict": model.state_dict()}, run_dir / "best.pt")
    log["priorShift"] = {
        "source": str(source),
        "fromPower": config.balance_power,
        "toPower": to_power,
        "offsets": {label: round(float(o), 6) for label, o in zip(LABELS, offsets, strict=True)},
        "method": (
            "log prior(to) - log prior(from) added to the logits (head bias), each prior the class shares of "
            "the training draws at that balance power (Menon et al. 2021, ICLR, post-hoc logit adjustment)"
        ),
        "command": command,
    }
    (run_dir / "log.json").write_text(json.dumps(log, indent=1) + "\n")
    return log
