"""The README's metrics table is what the model cards say (regenerate: python -m dermlens_train readme)."""

from __future__ import annotations

from pathlib import Path

from dermlens_train.gate_doc import END as GATE_END
from dermlens_train.gate_doc import START as GATE_START
from dermlens_train.gate_doc import render as render_gate
from dermlens_train.readme_table import END, START, render

REPO = Path(__file__).resolve().parents[2]


def test_readme_metrics_match_the_cards() -> None:
    readme = (REPO / "README.md").read_text()
    assert START in readme and END in readme
    assert readme == render(readme, REPO / "model"), "README metrics are stale: run `python -m dermlens_train readme`"


def test_not_a_spot_doc_matches_the_shipped_gates() -> None:
    doc = (REPO / "docs" / "not-a-spot.md").read_text()
    assert GATE_START in doc and GATE_END in doc
    assert doc == render_gate(doc, REPO / "model"), "docs/not-a-spot.md is stale: run devtools gate-doc"
