"""How long `train.sh` took to reproduce a model: one line per stage, summed into a report.

train.sh appends a line to `<cache>/reproduction-<role>.jsonl` after each of its stages (which run
it was, the wall seconds, the epochs its run folder held before and after), and one line when a
call starts (the machine). A reproduction stopped part-way and continued with `--resume` keeps its
earlier lines, so the sum still covers every call; but an interrupted stage's partial time is lost
with the process, so such a total is a lower bound, and the summary says so (`fromScratch`,
`interrupted`). Only a summary with `fromScratch: true` and no interrupted stage is a measured
reproduction time.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any, TypedDict

from .data import DataError


class StageTime(TypedDict):
    stage: str
    seconds: float
    epochsBefore: int
    epochsAfter: int


class ReproductionTime(TypedDict):
    role: str
    calls: int
    machines: list[str]
    started: str
    stages: list[StageTime]
    totalSeconds: float
    fromScratch: bool  # every training stage started at epoch 0 (nothing left from an earlier run)
    interrupted: list[str]  # stages a call started and never finished (their time is missing)
    note: str


def timing_log(cache: Path, role: str) -> Path:
    return cache / f"reproduction-{role}.jsonl"


def summarise(log: Path, role: str) -> ReproductionTime:
    if not log.is_file():
        raise DataError(f"no timing log at {log}: run `bash training/train.sh {role}` first")
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    calls = [line for line in lines if line.get("call")]
    finished = [line for line in lines if "stage" in line and "seconds" in line]
    starts = Counter(line["started"] for line in lines if "started" in line)
    ends = Counter(line["stage"] for line in finished)
    interrupted = sorted(stage for stage, count in starts.items() if count > ends[stage])
    stages: list[StageTime] = [
        {
            "stage": line["stage"],
            "seconds": float(line["seconds"]),
            "epochsBefore": int(line.get("epochsBefore", 0)),
            "epochsAfter": int(line.get("epochsAfter", 0)),
        }
        for line in finished
    ]
    first_of_each = {stage["stage"]: stage for stage in reversed(stages)}.values()
    from_scratch = all(stage["epochsBefore"] == 0 for stage in first_of_each)
    total = round(sum(stage["seconds"] for stage in stages), 1)
    measured = from_scratch and not interrupted
    return {
        "role": role,
        "calls": len(calls),
        "machines": sorted({call["machine"] for call in calls}),
        "started": min((call["call"] for call in calls), default=""),
        "stages": stages,
        "totalSeconds": total,
        "fromScratch": from_scratch,
        "interrupted": interrupted,
        "note": (
            "wall seconds of every stage of train.sh, summed over its calls"
            if measured
            else "a lower bound: "
            + ("a stage began from an earlier run's epochs; " if not from_scratch else "")
            + (f"interrupted stages lost their partial time ({', '.join(interrupted)})" if interrupted else "")
        ).strip("; "),
    }


class MadeMetrics(TypedDict):
    dermoscopic: dict[str, float]  # test fold: accuracy, balancedAccuracy, macroAuc
    phone: dict[str, float] | None  # test fold: balancedAccuracy, malignantAuc


class Reproduction(TypedDict):
    """card.json's training.reproduction: how long `npm run train:<role>` took, and what it made."""

    command: str
    machine: str
    started: str
    totalSeconds: float
    measured: bool  # from scratch and never cut off: a measured total, not a lower bound
    note: str
    made: MadeMetrics | None


def made_metrics(card: dict[str, Any]) -> MadeMetrics:
    """The reproduced model's test metrics (its own card), beside the shipped model's."""
    phone = card.get("phone")
    return {
        "dermoscopic": {key: float(card["test"][key]) for key in ("accuracy", "balancedAccuracy", "macroAuc")},
        "phone": (
            {key: float(phone[key]) for key in ("balancedAccuracy", "malignantAuc")}
            if isinstance(phone, dict)
            else None
        ),
    }


def with_reproduction(card: dict[str, Any], summary: ReproductionTime, made: dict[str, Any] | None) -> dict[str, Any]:
    """The shipped card with the reproduction's time recorded under training (the issue asks the
    card to say how long a from-scratch reproduction on 2 CPU cores takes)."""
    if summary["role"] != card.get("role"):
        raise DataError(f"a {summary['role']} reproduction cannot go in the card of a {card.get('role')} model")
    record: Reproduction = {
        "command": f"npm run train:{summary['role']}",
        "machine": "; ".join(summary["machines"]),
        "started": summary["started"],
        "totalSeconds": summary["totalSeconds"],
        "measured": summary["fromScratch"] and not summary["interrupted"],
        "note": summary["note"],
        "made": made_metrics(made) if made is not None else None,
    }
    return {**card, "training": {**card["training"], "reproduction": record}}
