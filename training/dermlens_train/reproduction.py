"""How long `train.sh` took to reproduce a model: one line per stage, summed into a report.

train.sh appends a line to `<cache>/reproduction-<role>.jsonl` when a stage starts (which run, the
epochs its folder held), one when it ends (wall seconds, epochs before and after), and one when a
call starts (the machine). A reproduction stopped part-way and continued with `--resume` keeps its
earlier lines. The stopped call's wall time died with its process, but each epoch it finished wrote
its own seconds into the run's log.json before the stop, and the resumed call starts after those
epochs: so the finished stages' wall seconds plus the stopped calls' finished epochs add up to what
one unstopped call would have taken. What is left out is the stopped call's unfinished epoch, work
that an unstopped run does not do, and its start-up, which the resumed call repeats; except that the
reproduction's very first start-up also decodes and resizes the images into the cache, once, and
when that call was stopped those seconds are missing (about 35 s on 2 cores: the accurate
reproduction of 2026-12-07, by its files' times). The total is measured only when every stage's
first call began at epoch 0 and every stopped call's epochs are in its run's log.json; otherwise it
is a lower bound, and the summary says why.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypedDict

from .data import DataError


class StageTime(TypedDict):
    stage: str
    seconds: float
    epochsBefore: int
    epochsAfter: int


class StoppedCall(TypedDict):
    """A call of a stage that started and never finished: the epochs it finished before the stop,
    timed from the run's log.json (None when that log does not hold them)."""

    stage: str
    epochsFrom: int
    epochsTo: int
    seconds: float | None


class ReproductionTime(TypedDict):
    role: str
    calls: int
    machines: list[str]
    started: str
    stages: list[StageTime]
    stopped: list[StoppedCall]
    totalSeconds: float
    fromScratch: bool  # every stage's first call started at epoch 0 (nothing left from an earlier run)
    interrupted: list[str]  # stages with a call that never finished
    measured: bool  # from scratch, and every stopped call's finished epochs were timed
    note: str


def timing_log(cache: Path, role: str) -> Path:
    return cache / f"reproduction-{role}.jsonl"


def _logged_epoch_seconds(runs: Path, stage: str) -> list[float]:
    """Each finished epoch's seconds, as the run's log.json recorded them (none without a log)."""
    try:
        epochs = json.loads((runs / stage / "log.json").read_text())["epochs"]
    except (OSError, ValueError, KeyError):
        return []
    return [float(entry["seconds"]) for entry in epochs]


def _calls_of_each_stage(lines: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Per stage, its calls in order: {"start": epochs at its start line or None, "end": its end
    line or None (a call that was stopped)}."""
    calls: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        if "started" in line:
            start = line.get("epochsBefore")
            calls.setdefault(str(line["started"]), []).append({"start": start, "end": None})
        elif "stage" in line and "seconds" in line:
            own = calls.setdefault(str(line["stage"]), [])
            if not own or own[-1]["end"] is not None:
                own.append({"start": None, "end": None})  # an end line with no start line
            own[-1]["end"] = line
    return calls


def _stages_and_stops(lines: list[dict[str, Any]], runs: Path) -> tuple[list[StageTime], list[StoppedCall], bool]:
    """Each finished call's wall time, each stopped call's finished epochs, and whether every
    stage's first call began at epoch 0. A stopped call began where its start line says (older logs:
    where the stage's previous call ended) and reached where the stage's next call began (for the
    last call, as far as the run's log.json goes)."""
    stages: list[StageTime] = [
        {
            "stage": str(line["stage"]),
            "seconds": float(line["seconds"]),
            "epochsBefore": int(line.get("epochsBefore", 0)),
            "epochsAfter": int(line.get("epochsAfter", 0)),
        }
        for line in lines
        if "stage" in line and "seconds" in line
    ]
    stopped: list[StoppedCall] = []
    from_scratch = True
    for stage, calls in _calls_of_each_stage(lines).items():
        begins: list[int | None] = []
        for index, call in enumerate(calls):
            if call["start"] is not None:
                begins.append(int(call["start"]))
            elif call["end"] is not None:
                begins.append(int(call["end"].get("epochsBefore", 0)))
            elif index == 0:
                begins.append(0)
            else:
                previous = calls[index - 1]["end"]
                begins.append(int(previous.get("epochsAfter", 0)) if previous is not None else None)
        from_scratch = from_scratch and begins[0] == 0
        for index, call in enumerate(calls):
            if call["end"] is not None:
                continue
            logged = _logged_epoch_seconds(runs, stage)
            began = begins[index]
            # the last call reached as far as its run's log goes (no log: not one epoch finished)
            reached = begins[index + 1] if index + 1 < len(calls) else max(len(logged), began or 0)
            timed = (
                sum(logged[began:reached], 0.0)
                if began is not None and reached is not None and len(logged) >= reached
                else None
            )
            stopped.append({"stage": stage, "epochsFrom": began or 0, "epochsTo": reached or 0, "seconds": timed})
    return stages, stopped, from_scratch


def summarise(log: Path, role: str) -> ReproductionTime:
    if not log.is_file():
        raise DataError(f"no timing log at {log}: run `bash training/train.sh {role}` first")
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    calls = [line for line in lines if line.get("call")]
    stages, stopped, from_scratch = _stages_and_stops(lines, log.parent / "runs")
    untimed = sorted({call["stage"] for call in stopped if call["seconds"] is None})
    bridged = [call for call in stopped if call["seconds"]]
    total = round(sum(stage["seconds"] for stage in stages) + sum(call["seconds"] or 0.0 for call in stopped), 1)
    measured = from_scratch and not untimed
    if measured:
        note = "wall seconds of every stage of train.sh, summed over its calls"
        if bridged:
            epochs = sum(call["epochsTo"] - call["epochsFrom"] for call in bridged)
            note += (
                f"; {epochs} epoch(s) finished before a stop ({', '.join(sorted({c['stage'] for c in bridged}))})"
                " count by their own seconds in the run's log.json; the stopped calls' unfinished epoch"
                " (which an unstopped run does not do) and start-up (which the resumed call repeats) are left"
                " out, so a first call stopped after it cached the resized images leaves that caching out"
            )
    else:
        note = (
            "a lower bound: "
            + ("a stage began from an earlier run's epochs; " if not from_scratch else "")
            + (f"stopped calls' epochs are not in their logs ({', '.join(untimed)})" if untimed else "")
        ).strip("; ")
    return {
        "role": role,
        "calls": len(calls),
        "machines": sorted({call["machine"] for call in calls}),
        "started": min((call["call"] for call in calls), default=""),
        "stages": stages,
        "stopped": stopped,
        "totalSeconds": total,
        "fromScratch": from_scratch,
        "interrupted": sorted({call["stage"] for call in stopped}),
        "measured": measured,
        "note": note,
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
    measured: bool  # from scratch, every stopped call's epochs timed: a measured total, not a lower bound
    stops: int  # calls that were stopped and continued with --resume
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
        "measured": summary["measured"],
        "stops": len(summary["stopped"]),
        "note": summary["note"],
        "made": made_metrics(made) if made is not None else None,
    }
    return {**card, "training": {**card["training"], "reproduction": record}}
