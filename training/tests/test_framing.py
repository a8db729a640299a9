"""The framing probe's reframing: wider pastes the close-up whole into its own border colour,
tighter keeps its centre, and the report has what docs/spot-fill.md quotes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from dermlens_train.framing import js_divergence, reframed

ROOT = Path(__file__).resolve().parents[2]


def _close_up() -> np.ndarray:
    img = np.full((100, 100, 3), (200, 150, 120), np.uint8)  # skin
    img[30:70, 30:70] = (60, 40, 30)  # the spot
    return img


def test_wider_framing_keeps_the_close_up_whole_in_its_border_colour() -> None:
    wide = reframed(_close_up(), 1.6, np.random.default_rng(0))
    assert wide.shape == (160, 160, 3)
    assert np.array_equal(wide[30:130, 30:130], _close_up())
    surround = np.concatenate([wide[:30].reshape(-1, 3), wide[130:].reshape(-1, 3)]).astype(int)
    assert np.abs(surround - (200, 150, 120)).max() <= 4  # border colour + grain


def test_tighter_framing_is_the_centre() -> None:
    tight = reframed(_close_up(), 0.6, np.random.default_rng(0))
    assert tight.shape == (60, 60, 3)
    assert np.array_equal(tight, _close_up()[20:80, 20:80])


def test_the_committed_report_covers_every_probe() -> None:
    report = json.loads((ROOT / "docs" / "framing-report.json").read_text())
    assert set(report["framing"]) == {"0.6", "0.8", "1.25", "1.6"}
    assert set(report["fewerPixels"]) == {"250", "160"}
    assert report["views"] == [1.0]  # the committed report is the app's one view
    for entry in [*report["framing"].values(), *report["fewerPixels"].values()]:
        changed = entry["lowerBand"] + entry["higherBand"]
        assert abs(entry["sameBand"] - (1 - changed / report["photos"])) < 1e-3


def test_js_divergence_is_zero_for_the_same_answer_and_log2_for_opposite_ones() -> None:
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    assert np.allclose(js_divergence(p, p), 0, atol=1e-9)
    assert np.allclose(js_divergence(np.eye(3)[:2], np.eye(3)[1:]), np.log(2), atol=1e-6)
    assert np.allclose(js_divergence(p, p[::-1]), js_divergence(p[::-1], p))
