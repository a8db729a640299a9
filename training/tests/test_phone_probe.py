"""The phone probe's folds keep patients whole, and its AUC reads the features, not the labels."""

from __future__ import annotations

import numpy as np

from dermlens_train.phone_probe import MALIGNANT, cross_validated, grouped_folds, malignant


def _drawn(patients: int = 60, per_patient: int = 2, seed: int = 0) -> tuple[np.ndarray, list[str]]:
    rng = np.random.default_rng(seed)
    labels = np.repeat(rng.choice([0, 1, 2, 4, 5], size=patients), per_patient).astype(np.int64)
    groups = [f"PAT_{i // per_patient}" for i in range(patients * per_patient)]
    return labels, groups


def test_no_patient_on_both_sides_of_a_fold() -> None:
    labels, groups = _drawn()
    for seed in range(3):
        for train, held in grouped_folds(labels, groups, seed):
            assert not {groups[i] for i in train} & {groups[i] for i in held}
            assert len(train) + len(held) == len(labels)


def test_auc_follows_how_much_the_features_carry() -> None:
    labels, groups = _drawn()
    rng = np.random.default_rng(1)
    noise = rng.normal(size=(len(labels), 8))
    telling = noise.copy()
    telling[:, 0] += 3.0 * malignant(labels)
    assert set(MALIGNANT) == {0, 1, 4}
    assert cross_validated(telling, labels, groups, c=0.1).mean > 0.9
    assert abs(cross_validated(noise, labels, groups, c=0.1).mean - 0.5) < 0.15
