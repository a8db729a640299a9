"""Reading a network under another class prior (post-hoc logit adjustment): the prior the sampler's
draws carry, the offsets between two powers, and a shifted run folder that the later stages take."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from dermlens_train.arrays import Labels
from dermlens_train.checkpoint import load_checkpoint
from dermlens_train.data import DataError
from dermlens_train.pipeline import run_stage
from dermlens_train.prior_shift import prior_offsets, save_shifted_run
from dermlens_train.sampling import DERM, PHONE, draw_probabilities, epoch_order, training_prior
from dermlens_train.soup import stage_of
from dermlens_train.train import train

from test_resume import config_for

COUNTS = {DERM: [30, 60, 120, 10, 90, 600, 20], PHONE: [40, 25, 12, 0, 8, 15, 0]}


def pool() -> tuple[Labels, Labels]:
    labels = [np.repeat(np.arange(7), counts) for counts in COUNTS.values()]
    domains = [np.full(sum(counts), domain) for domain, counts in COUNTS.items()]
    return np.concatenate(labels).astype(np.int64), np.concatenate(domains).astype(np.int64)


def test_the_training_prior_is_the_share_of_each_class_among_the_draws() -> None:
    labels, domains = pool()
    prior = training_prior(labels, domains, 0.3, "sampler", 0.3)
    draws = epoch_order(draw_probabilities(labels, domains, 0.3, "sampler", 0.3), 400_000, np.random.default_rng(0))
    assert prior.sum() == pytest.approx(1.0)
    assert np.abs(np.bincount(labels[draws], minlength=7) / len(draws) - prior).max() < 0.003
    # One domain: each class in proportion to count ** (1 - power).
    derm = labels[domains == DERM]
    expected = np.array(COUNTS[DERM], dtype=float) ** 0.7
    alone = training_prior(derm, np.zeros_like(derm), 0.3, "sampler", 0.3)
    assert np.allclose(alone, expected / expected.sum())


def test_the_offsets_move_a_network_to_the_other_powers_prior() -> None:
    labels, domains = pool()
    derm = labels[domains == DERM]
    offsets = prior_offsets(derm, np.zeros_like(derm), 0.3, 0.3, 0.5)
    # log n ** 0.5 - log n ** 0.7, up to one constant for all classes
    relative = offsets - offsets[0]
    counts = np.log(np.array(COUNTS[DERM], dtype=float))
    assert np.allclose(relative, -0.2 * (counts - counts[0]))
    # towards the rare classes: the rarest class gains most, the commonest loses most
    assert offsets.argmax() == int(np.argmin(COUNTS[DERM])) and offsets.argmin() == int(np.argmax(COUNTS[DERM]))
    assert np.allclose(prior_offsets(labels, domains, 0.3, 0.4, 0.4), 0.0)
    # a class no fit image has is never drawn: no offset
    phone = labels[domains == PHONE]
    assert prior_offsets(phone, np.ones_like(phone), 1.0, 0.0, 0.5)[3] == 0.0


def test_a_shifted_run_adds_the_offsets_to_the_logits_and_goes_through_the_stages(tiny_data: Path) -> None:
    root = tiny_data
    source = train(config_for(root, "weak", epochs=1, balance_power=0.3))
    log = save_shifted_run(source, root / "shifted", 0.5, "prior-shift")
    shift = log["priorShift"]
    assert shift["fromPower"] == 0.3 and shift["toPower"] == 0.5  # type: ignore[index]
    offsets = torch.tensor(list(shift["offsets"].values()))  # type: ignore[index]
    assert offsets.abs().max() > 0.01
    x = torch.rand(3, 3, 28, 28)
    with torch.no_grad():
        before, after = load_checkpoint(source / "best.pt")(x), load_checkpoint(root / "shifted" / "best.pt")(x)
    assert torch.allclose(after - before, offsets.expand_as(before), atol=1e-5)
    saved = json.loads((root / "shifted" / "log.json").read_text())
    assert saved["epochs"] == json.loads((source / "log.json").read_text())["epochs"]  # the same training
    run_stage("calibrate", config_for(root, "shifted"))
    assert (root / "shifted" / "calibration.json").is_file()
    # A soup of shifted runs: the card's earlier stages say which were read under another prior.
    stages = [stage_of("shifted", root / "shifted"), stage_of("weak", source)]
    assert stages[0]["priorShift"] == {"fromPower": 0.3, "toPower": 0.5} and stages[1]["priorShift"] is None
    loss_weighted = train(config_for(root, "loss", epochs=1, balance="loss"))
    with pytest.raises(DataError, match="balance 'loss'"):
        save_shifted_run(loss_weighted, root / "nothing", 0.5)
