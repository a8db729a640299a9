"""Small PNG plots for the README and the card folder (the app draws its own from card.json)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import roc_curve

from . import LABELS
from .arrays import Floats, Labels
from .metrics import ReliabilityBin


def _save(fig: Figure, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _diagonal(ax: Axes) -> None:
    ax.plot([0, 1], [0, 1], color="grey", linewidth=0.5, linestyle="--")


def confusion(matrix: list[list[int]], path: Path) -> None:
    counts = np.array(matrix)
    rates = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    fig, ax = plt.subplots(figsize=(4.2, 3.8), dpi=110)
    ax.imshow(rates, cmap="Blues", vmin=0, vmax=1)
    for i in range(len(LABELS)):
        for j in range(len(LABELS)):
            ax.text(
                j,
                i,
                str(counts[i, j]),
                ha="center",
                va="center",
                fontsize=7,
                color="white" if rates[i, j] > 0.5 else "black",
            )
    ax.set_xticks(range(len(LABELS)), LABELS, fontsize=7)
    ax.set_yticks(range(len(LABELS)), LABELS, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title("Confusion matrix (test)", fontsize=9)
    _save(fig, path)


def roc(labels: Labels, probs: Floats, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(4.2, 3.8), dpi=110)
    for index, label in enumerate(LABELS):
        truth = labels == index
        if 0 < truth.sum() < len(truth):
            fpr, tpr, _ = roc_curve(truth, probs[:, index])
            ax.plot(fpr, tpr, linewidth=1, label=label)
    _diagonal(ax)
    ax.set_xlabel("false positive rate")
    ax.set_ylabel("true positive rate")
    ax.set_title("ROC, one class vs rest (test)", fontsize=9)
    ax.legend(fontsize=7)
    _save(fig, path)


def reliability(bins_before: list[ReliabilityBin], bins_after: list[ReliabilityBin], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(4.2, 3.8), dpi=110)
    for bins, name in ((bins_before, "T = 1"), (bins_after, "temperature-scaled")):
        points = [(b["confidence"], b["accuracy"]) for b in bins if b["count"]]
        ax.plot(*zip(*points, strict=False), marker="o", markersize=3, label=name)
    _diagonal(ax)
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy")
    ax.set_title("Reliability (test)", fontsize=9)
    ax.legend(fontsize=7)
    _save(fig, path)


def training_curves(epochs: list[dict[str, float]], path: Path) -> None:
    fig, ax = plt.subplots(figsize=(4.2, 3.2), dpi=110)
    if not epochs:  # a weight average: its runs' curves are in their own folders
        ax.text(0.5, 0.5, "no epochs of its own\n(a weight average of trained runs)", ha="center", va="center")
        ax.set_axis_off()
        _save(fig, path)
        return
    x = [e["epoch"] for e in epochs]
    ax.plot(x, [e["loss"] for e in epochs], label="train loss")
    ax.plot(x, [e["selectAccuracy"] for e in epochs], label="selection accuracy")
    ax.plot(x, [e["selectBalancedAccuracy"] for e in epochs], label="selection balanced acc.")
    ax.set_xlabel("epoch")
    ax.set_title("Training", fontsize=9)
    ax.legend(fontsize=7)
    _save(fig, path)
