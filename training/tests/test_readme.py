"""The README's metrics table is what the model cards say (regenerate: python -m dermlens_train readme)."""

from __future__ import annotations

from pathlib import Path

from dermlens_train.readme_table import END, START, render

REPO = Path(__file__).resolve().parents[2]


def test_readme_metrics_match_the_cards() -> None:
    readme = (REPO / "README.md").read_text()
    assert START in readme and END in readme
    assert readme == render(readme, REPO / "model"), "README metrics are stale: run `python -m dermlens_train readme`"
