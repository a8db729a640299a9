"""The not-a-spot gate's pieces: skin share, the reduced Mahalanobis distance, the threshold rule."""

from __future__ import annotations

import numpy as np

from dermlens_train.ood import (
    MAX_REFUSED,
    TARGET_REFUSED,
    Scores,
    allowed_refusals,
    choose_thresholds,
    either_framing,
    fit_feature_stats,
    free_energy,
    refusal_upper_bound,
    refused,
    skin_fraction,
    tighter_framing,
)


def test_skin_share_of_known_colours() -> None:
    skin, blue, white, brown = (224, 172, 140), (40, 60, 200), (255, 255, 255), (120, 70, 50)
    images = np.array([np.full((4, 4, 3), c, dtype=np.uint8) for c in (skin, blue, white, brown)])
    assert skin_fraction(images).tolist() == [1.0, 0.0, 0.0, 1.0]
    half = np.array([np.concatenate([np.full((2, 4, 3), skin), np.full((2, 4, 3), blue)]).astype(np.uint8)])
    assert skin_fraction(half).tolist() == [0.5]


def test_distance_equals_full_mahalanobis_when_no_direction_is_dropped() -> None:
    rng = np.random.default_rng(0)
    mixing = rng.normal(size=(6, 6))
    labels = np.repeat([0, 1], 500)
    features = rng.normal(size=(1000, 6)) @ mixing + np.where(labels[:, None] == 1, 3.0, 0.0)
    stats = fit_feature_stats(features, labels, components=5)  # 5 whitened + 1 residual direction = all 6
    means = np.stack([features[labels == c].mean(axis=0) for c in (0, 1)])
    centred = features - means[labels]
    precision = np.linalg.inv(centred.T @ centred / len(features))
    probe = rng.normal(size=(5, 6)) * 4
    full = np.min([np.einsum("ni,ij,nj->n", probe - m, precision, probe - m) for m in means], axis=0)
    assert np.allclose(stats.distance(probe), full, rtol=1e-6)


def test_far_features_score_higher_than_training_ones() -> None:
    rng = np.random.default_rng(1)
    features = rng.normal(size=(800, 32))
    labels = rng.integers(0, 4, 800)
    stats = fit_feature_stats(features, labels, components=8)
    inside = stats.distance(rng.normal(size=(200, 32)))
    outside = stats.distance(rng.normal(size=(200, 32)) + 4.0)
    assert np.quantile(inside, 0.99) < np.quantile(outside, 0.01)


def test_thresholds_keep_positives_within_the_target_and_catch_negatives() -> None:
    rng = np.random.default_rng(2)
    positives = {
        "dermoscopic": Scores(rng.chisquare(20, 1000), rng.normal(-8, 1, 1000), rng.uniform(0.6, 1.0, 1000)),
        "phone": Scores(rng.chisquare(24, 200), rng.normal(-7, 1, 200), rng.uniform(0.5, 1.0, 200)),
    }
    # A third of the negatives stand out by distance, a third by energy, the rest by nothing.
    negatives = Scores(
        np.r_[rng.chisquare(20, 100) + 60, rng.chisquare(20, 200)],
        np.r_[rng.normal(-8, 1, 100), rng.normal(-1, 0.5, 100), rng.normal(-8, 1, 100)],
        rng.uniform(0.6, 1.0, 300),
    )
    chosen = choose_thresholds(positives, negatives)
    for scores in positives.values():
        assert refused(scores, chosen).mean() <= 0.02
    assert refused(negatives, chosen).mean() > 0.6
    assert np.isfinite(chosen["maxDistance"]) and np.isfinite(chosen["maxEnergy"])


def test_free_energy_is_minus_logsumexp() -> None:
    logits = np.array([[0.0, 0.0], [10.0, -10.0], [1000.0, 999.0]])
    expected = -np.array([np.log(2.0), 10.0 + np.log1p(np.exp(-20.0)), 1000.0 + np.log1p(np.exp(-1.0))])
    assert np.allclose(free_energy(logits), expected)


def test_taps_pool_each_module_and_the_last_feeds_the_head() -> None:
    import torch

    from dermlens_train.inference import to_tensor
    from dermlens_train.models import build
    from dermlens_train.ood import LAST, tapped_features

    torch.manual_seed(0)
    model = build("compact").eval()
    images = np.random.default_rng(3).integers(0, 256, (3, 28, 28, 3), dtype=np.uint8)
    features, logits = tapped_features(model, images, [2, LAST], batch_size=2)
    with torch.no_grad():
        x = to_tensor(images)
        for module in list(model.features)[:3]:
            x = module(x)
        expected_logits = model(to_tensor(images)).numpy()
        last = model.features(to_tensor(images)).mean(dim=(2, 3)).numpy()
    assert np.allclose(features[2], x.mean(dim=(2, 3)).numpy(), atol=1e-6)
    assert np.allclose(features[LAST], last, atol=1e-6)
    assert np.allclose(logits, expected_logits, atol=1e-5)


def test_allowed_refusals_keep_the_upper_bound_within_the_requirement() -> None:
    # 2% of 98 would be one photo, whose 90% upper bound (3.9%) is over 3%: none may be refused.
    assert allowed_refusals(98) == 0
    assert refusal_upper_bound(1, 98) > MAX_REFUSED >= refusal_upper_bound(0, 98)
    for n in (200, 1003, 1227):
        k = allowed_refusals(n)
        assert 0 < k <= TARGET_REFUSED * n
        assert refusal_upper_bound(k, n) <= MAX_REFUSED
        # the most both limits allow: one more breaks one of them
        assert k + 1 > TARGET_REFUSED * n or refusal_upper_bound(k + 1, n) > MAX_REFUSED
    assert allowed_refusals(200) == 2  # 2% would be 4; the bound allows 2
    assert allowed_refusals(40) == 0  # too few photos for any bound within 3%: refuse none


def test_a_small_fold_gets_no_refusal_even_where_two_percent_would_allow_one() -> None:
    rng = np.random.default_rng(5)
    derm = Scores(rng.chisquare(20, 1000), rng.normal(-8, 1, 1000), rng.uniform(0.6, 1.0, 1000))
    # 98 phone photos, one of them as far out as the negatives.
    phone = Scores(np.r_[rng.chisquare(20, 97), 90.0], rng.normal(-8, 1, 98), rng.uniform(0.6, 1.0, 98))
    negatives = Scores(rng.chisquare(20, 200) + 60, rng.normal(-8, 1, 200), rng.uniform(0.6, 1.0, 200))
    chosen = choose_thresholds({"dermoscopic": derm, "phone": phone}, negatives)
    assert refused(phone, chosen).sum() == 0
    assert refused(derm, chosen).sum() <= allowed_refusals(1000)
    assert chosen["maxDistance"] >= 90.0


def test_tighter_framing_keeps_the_centre_at_the_input_size() -> None:
    # A 10 px square: a 1 px blue border round skin. Its centre 0.8 (8 px) is skin only, at 10 px again.
    skin, blue = (224, 172, 140), (40, 60, 200)
    image = np.full((10, 10, 3), blue, dtype=np.uint8)
    image[1:9, 1:9] = skin
    framed = tighter_framing(image[None], 0.8)
    assert framed.shape == (1, 10, 10, 3) and framed.dtype == np.uint8
    assert (framed[0] == np.array(skin, dtype=np.uint8)).all()
    assert skin_fraction(framed).tolist() == [1.0] and skin_fraction(image[None]).tolist() == [0.64]


def test_either_framing_takes_the_more_skin_spot_like_evidence_per_check() -> None:
    taken = Scores(np.array([500.0, 10.0]), np.array([-5.0, -1.0]), np.array([0.1, 0.9]))
    tighter = Scores(np.array([50.0, 20.0]), np.array([-1.0, -6.0]), np.array([0.9, 0.2]))
    both = either_framing(taken, tighter)
    assert both.distance.tolist() == [50.0, 10.0]
    assert both.energy.tolist() == [-5.0, -6.0]
    assert both.skin.tolist() == [0.9, 0.9]
    thresholds = {"maxDistance": 100.0, "maxEnergy": -2.0, "minSkinFraction": 0.3}
    assert refused(taken, thresholds).tolist() == [True, True]
    assert refused(both, thresholds).tolist() == [False, False]
