"""Which fit images an epoch draws: both domains at set shares, classes re-balanced within each."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import LABELS
from .arrays import Floats, Images, Indices, Labels
from .prepared import Prepared

DERM, PHONE = 0, 1


@dataclass
class FitPool:
    images: Images  # (n, S, S, 3): dermoscopic fit images, then phone fit images
    labels: Labels  # (n,)
    domains: Labels  # (n,): DERM or PHONE


def fit_pool(data: Prepared) -> FitPool:
    parts = [(data.derm.fit, DERM)] + ([(data.phone.fit, PHONE)] if data.phone is not None else [])
    return FitPool(
        images=np.concatenate([subset.images for subset, _ in parts]),
        labels=np.concatenate([subset.labels for subset, _ in parts]),
        domains=np.concatenate([np.full(len(subset.labels), domain, dtype=np.int64) for subset, domain in parts]),
    )


def class_weights(labels: Labels, power: float) -> Floats:
    """(1 / count) ** power per class, scaled so that the mean weight over samples is 1."""
    counts = np.bincount(labels, minlength=len(LABELS)).astype(np.float64)
    weights = np.where(counts > 0, 1.0 / np.maximum(counts, 1) ** power, 0.0)
    normalised: Floats = weights / (weights[labels].mean())
    return normalised


def sample_probabilities(pool: FitPool, phone_share: float, balance: str, power: float) -> Floats:
    """Per-image draw probability: each domain gets its share of the draws (phone_share for phone
    photos, the rest for dermoscopy); within a domain classes are re-weighted by (1/count)**power
    when balance == "sampler", else every image of the domain is equally likely."""
    return draw_probabilities(pool.labels, pool.domains, phone_share, balance, power)


def draw_probabilities(labels: Labels, domains: Labels, phone_share: float, balance: str, power: float) -> Floats:
    """sample_probabilities from the labels and domains alone (what the draws depend on)."""
    has_phone = bool((domains == PHONE).any())
    shares = {DERM: 1.0 - phone_share if has_phone else 1.0, PHONE: phone_share if has_phone else 0.0}
    probabilities = np.zeros(len(labels), dtype=np.float64)
    for domain, share in shares.items():
        inside = domains == domain
        if not inside.any():
            continue
        labels_inside = labels[inside]
        weights = (
            class_weights(labels_inside, power)[labels_inside] if balance == "sampler" else np.ones(len(labels_inside))
        )
        probabilities[inside] = share * weights / weights.sum()
    normalised: Floats = probabilities / probabilities.sum()
    return normalised


def training_prior(labels: Labels, domains: Labels, phone_share: float, balance: str, power: float) -> Floats:
    """The share of each class among an epoch's draws: the class prior a network trained on them learns."""
    draws = draw_probabilities(labels, domains, phone_share, balance, power)
    prior: Floats = np.bincount(labels, weights=draws, minlength=len(LABELS)).astype(np.float64)
    return prior


def epoch_order(probabilities: Floats, count: int, rng: np.random.Generator) -> Indices:
    """`count` indices drawn with replacement by the given probabilities."""
    return rng.choice(len(probabilities), size=count, replace=True, p=probabilities)
