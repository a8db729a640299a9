"""Training loop: class-balanced, label-smoothed CE, AdamW + one-cycle, EMA weights, early stopping."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn, update_bn
from tqdm import tqdm

from . import LABELS
from .augment import augment
from .config import TrainConfig
from .inference import predict_logits, to_tensor
from .metrics import classification_report, softmax
from .models import build, count_flops, count_parameters
from .prepared import Prepared, prepare


def seed_everything(seed: int) -> torch.Generator:
    np.random.seed(seed)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


def class_weights(labels: np.ndarray, power: float) -> np.ndarray:
    """(1 / count) ** power per class, scaled so that the mean weight over samples is 1."""
    counts = np.bincount(labels, minlength=len(LABELS)).astype(np.float64)
    weights = np.where(counts > 0, 1.0 / np.maximum(counts, 1) ** power, 0.0)
    return weights / (weights[labels].mean())


def epoch_order(labels: np.ndarray, config: TrainConfig, rng: np.random.Generator) -> np.ndarray:
    """Sample indices for one epoch: a permutation, or a class-rebalanced draw with replacement."""
    if config.balance != "sampler":
        return rng.permutation(len(labels))
    per_sample = class_weights(labels, config.balance_power)[labels]
    return rng.choice(len(labels), size=len(labels), replace=True, p=per_sample / per_sample.sum())


BN_REFRESH_IMAGES = 2048


def refresh_batchnorm(model: torch.nn.Module, images: np.ndarray, batch_size: int) -> None:
    """Recompute BatchNorm statistics for averaged weights.

    Averaged weights need their own statistics: weight decay keeps shrinking the (scale-invariant)
    convolution weights, so the running variances lag far behind, and an EMA of them does not
    match the EMA of the weights (it made the averaged model predict a single class).
    """
    batches = [to_tensor(images[start : start + batch_size]) for start in range(0, len(images), batch_size)]
    update_bn(batches, model)
    model.eval()


def selection_score(report: dict[str, object]) -> float:
    """Mean of accuracy and balanced accuracy: the app must be right overall and on rare classes."""
    return (float(report["accuracy"]) + float(report["balancedAccuracy"])) / 2  # type: ignore[arg-type]


def train(config: TrainConfig, prepared: Prepared | None = None) -> Path:
    """Train, keep the best EMA weights by selection score, write run_dir/{best.pt,log.json}."""
    if config.threads:
        torch.set_num_threads(config.threads)
    generator = seed_everything(config.seed)
    rng = np.random.default_rng(config.seed)
    data = prepared or prepare(config)
    run_dir = config.resolved_run_dir()
    run_dir.mkdir(parents=True, exist_ok=True)

    model = build(config.arch).to(memory_format=torch.channels_last)
    if config.init_checkpoint:
        model.load_state_dict(torch.load(config.init_checkpoint, map_location="cpu")["state_dict"])
    ema = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(config.ema_decay))
    steps_per_epoch = max(1, len(data.fit.labels) // config.batch_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=config.lr, total_steps=config.epochs * steps_per_epoch, pct_start=0.15
    )
    loss_weights = None
    if config.balance == "loss":
        loss_weights = torch.tensor(class_weights(data.fit.labels, config.balance_power), dtype=torch.float32)

    log: dict[str, object] = {
        "config": config.to_dict(), "parameters": count_parameters(model),
        "flops": count_flops(model, config.size), "epochs": [],
        "command": "python -m dermlens_train " + " ".join(sys.argv[1:]),
        "fit": len(data.fit.labels), "select": len(data.select.labels), "test": len(data.test.labels),
    }
    best_score, best_epoch, started = -1.0, -1, time.time()
    for epoch in range(config.epochs):
        model.train()
        order = epoch_order(data.fit.labels, config, rng)[: steps_per_epoch * config.batch_size]
        losses = []
        bar = tqdm(range(steps_per_epoch), desc=f"epoch {epoch + 1}/{config.epochs}", unit="step", leave=False)
        for step in bar:
            batch = order[step * config.batch_size : (step + 1) * config.batch_size]
            x = augment(to_tensor(data.fit.images[batch]), generator, config.zoom, config.rotate_degrees, config.colour)
            y = torch.from_numpy(data.fit.labels[batch])
            loss = F.cross_entropy(model(x.contiguous(memory_format=torch.channels_last)), y,
                                   weight=loss_weights, label_smoothing=config.label_smoothing)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            ema.update_parameters(model)
            losses.append(loss.item())
            bar.set_postfix(loss=f"{np.mean(losses[-20:]):.3f}")
        refresh_images = data.fit.images[rng.permutation(len(data.fit.labels))[:BN_REFRESH_IMAGES]]
        refresh_batchnorm(ema.module, refresh_images, 256)
        report = classification_report(data.select.labels, softmax(predict_logits(ema.module, data.select.images)))
        score = selection_score(report)
        entry = {
            "epoch": epoch + 1, "loss": float(np.mean(losses)), "lr": schedule.get_last_lr()[0],
            "selectAccuracy": report["accuracy"], "selectBalancedAccuracy": report["balancedAccuracy"],
            "selectMacroAuc": report["macroAuc"], "score": score, "seconds": time.time() - started,
        }
        log["epochs"].append(entry)  # type: ignore[union-attr]
        print(json.dumps(entry), flush=True)
        if score > best_score:
            best_score, best_epoch = score, epoch + 1
            torch.save({"arch": config.arch, "size": config.size, "state_dict": ema.module.state_dict(),
                        "config": config.to_dict(), "epoch": epoch + 1}, run_dir / "best.pt")
        log.update(bestEpoch=best_epoch, bestScore=best_score, trainSeconds=time.time() - started)
        (run_dir / "log.json").write_text(json.dumps(log, indent=1))
        if epoch + 1 - best_epoch >= config.patience:
            print(f"early stop: no better selection score for {config.patience} epochs", flush=True)
            break
    return run_dir
