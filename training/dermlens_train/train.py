"""Training: domain- and class-balanced batches, label-smoothed CE (optionally distilled from a
teacher), AdamW with a lower rate for pretrained layers, one-cycle warm-up + cosine, EMA weights,
selection on both domains, and a checkpoint after every epoch that `--resume` continues from."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NotRequired, TypedDict, cast

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from .arrays import Images, Indices, Labels
from .augment import augment, cutmix
from .config import TrainConfig
from .import_tfjs import unfold_batchnorm
from .inference import model_device, predict_logits, to_tensor
from .machine import training_device
from .metrics import ClassificationReport, classification_report, softmax
from .models import Classifier, build, count_flops, count_parameters, to_channels_last
from .phone_augment import far_view, phone_camera, reframe
from .prepared import Domain, Prepared, prepare
from .resume import RunState, load_state, save_state, settings_changed
from .sampling import epoch_order, fit_pool, sample_probabilities
from .teacher import Teacher, load_teacher

BN_REFRESH_IMAGES = 2048

ParamList = tuple[torch.Tensor, ...] | list[torch.Tensor]
EmaUpdate = Callable[[ParamList, ParamList, torch.Tensor | int], None]


class SelectionScores(TypedDict):
    """The EMA network on the selection sets (phone keys only with phone data)."""

    selectAccuracy: float
    selectBalancedAccuracy: float
    selectMacroAuc: float | None
    score: float
    phoneSelectAccuracy: NotRequired[float]
    phoneSelectBalancedAccuracy: NotRequired[float]
    phoneSelectMalignantAuc: NotRequired[float | None]
    phoneSelectMacroAuc: NotRequired[float | None]


class EpochEntry(SelectionScores):
    """One epoch of log.json's "epochs"."""

    epoch: int
    loss: float
    lr: float
    imagesPerSecond: float
    seconds: float


def seed_everything(seed: int) -> torch.Generator:
    torch.manual_seed(seed)  # dropout draws from torch's global generator
    return torch.Generator().manual_seed(seed)


def new_model(config: TrainConfig, unfold_on: Callable[[], Images] | None = None) -> Classifier:
    model = build(config.arch)
    if config.pretrained and config.arch == "lite0":
        from .efficientnet import load_imagenet

        load_imagenet(model)
    if config.init:
        # A later stage of training from an earlier run's best weights (their BatchNorm statistics
        # included): e.g. a low-rate schedule that adds a loss term without starting over, or the
        # app's input size after a stage at a larger one (the convolutions do not depend on it).
        saved = torch.load(config.init, map_location="cpu", weights_only=False)
        if saved["arch"] != config.arch:
            raise ValueError(f"{config.init} holds {saved['arch']} (at {saved['size']} px), not {config.arch}")
        model.load_state_dict(saved["state_dict"])
        if "importedFrom" in saved:
            # A network read back from the app's export (BatchNorm folded): give its BatchNorm
            # layers statistics first, or training would start far from it (import_tfjs.py).
            if unfold_on is None:
                raise ValueError(f"{config.init} was read back from an export: its BatchNorm needs images")
            unfold_batchnorm(model, to_tensor(unfold_on()))
    for index, module in enumerate(model.features):
        if index < config.freeze:
            module.requires_grad_(False)
    return to_channels_last(model.to(config.device))


def set_train_mode(model: Classifier, freeze: int) -> None:
    """Train mode, except frozen leading modules, whose BatchNorm keeps its pretrained statistics."""
    model.train()
    for module in list(model.features)[:freeze]:
        module.eval()


def optimiser_for(model: Classifier, config: TrainConfig) -> torch.optim.AdamW:
    """Pretrained layers at lr * backbone_lr_scale, the new head at lr; frozen layers not at all."""
    pretrained = config.pretrained and config.arch == "lite0"
    backbone = [p for p in model.features.parameters() if p.requires_grad]
    head = list(model.head.parameters())
    groups = [
        {"params": backbone, "lr": config.lr * (config.backbone_lr_scale if pretrained else 1.0)},
        {"params": head, "lr": config.lr},
    ]
    return torch.optim.AdamW(groups, lr=config.lr, weight_decay=config.weight_decay)


def refresh_batchnorm(model: Classifier, images: Images, freeze: int, batch_size: int = 256) -> None:
    """Recompute BatchNorm statistics of the averaged weights (trainable layers only).

    Averaged weights need their own statistics: the running variances lag behind the weights,
    and an EMA of them does not match the EMA of the weights. Frozen layers keep theirs.
    """
    frozen = {id(m) for module in list(model.features)[:freeze] for m in module.modules()}
    norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d) and id(m) not in frozen]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = None  # cumulative average over the refresh batches
    model.train()
    device = model_device(model)
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            model(to_tensor(images[start : start + batch_size]).to(device))
    for norm in norms:
        norm.momentum = 0.1
    model.eval()


def domain_report(model: nn.Module, domain: Domain | None) -> ClassificationReport | None:
    if domain is None or len(domain.select.labels) == 0:
        return None
    return classification_report(domain.select.labels, softmax(predict_logits(model, domain.select.images)))


def selection_score(derm: ClassificationReport, phone: ClassificationReport | None) -> float:
    """Mean of dermoscopic accuracy and balanced accuracy, and (with phone data) phone balanced
    accuracy and malignant AUC: the app must be right overall, on rare classes, and on phones."""
    parts = [float(derm["accuracy"]), float(derm["balancedAccuracy"])]
    if phone is not None:
        parts += [float(phone["balancedAccuracy"]), float(phone["malignantAuc"] or 0.0)]
    return float(np.mean(parts))


def fade_probability(config: TrainConfig, domains: Labels | None) -> float | torch.Tensor:
    """How likely each image of a batch is to have its surround faded: fade_surround, or with
    fade_surround_phone and the batch's domains (1 = phone), one probability per image. The far
    copies whose band the network drops are phone photos'; fading more of the dermoscopic images
    cost their rare classes (EXPERIMENTS.md, twenty-third session), so the two can differ."""
    if config.fade_surround_phone is None or domains is None:
        return config.fade_surround
    phone = torch.from_numpy(np.asarray(domains) == 1)
    return torch.where(phone, config.fade_surround_phone, config.fade_surround).float()


def augmented_batch(
    images: Images, config: TrainConfig, generator: torch.Generator, domains: Labels | None = None
) -> torch.Tensor:
    """The batch on config.device, augmented there (random numbers drawn on the CPU, see augment.py);
    `domains` (1 = phone) only matters with fade_surround_phone."""
    x = to_tensor(images).to(config.device)
    x = augment(x, generator, config.zoom, config.rotate_degrees, config.colour)
    fade = fade_probability(config, domains)
    if config.phone_augment > 0 or config.zoom_out > 0 or float(torch.as_tensor(fade).max()) > 0:
        x = phone_camera(x, generator, config.phone_augment, config.zoom_out, fade)
    return x.contiguous(memory_format=torch.channels_last)


def jensen_shannon(logits_a: torch.Tensor, logits_b: torch.Tensor) -> torch.Tensor:
    """Mean Jensen-Shannon divergence between two views' softmax (symmetric and bounded by log 2,
    so one view is not pulled toward a confidently wrong other)."""
    log_a, log_b = F.log_softmax(logits_a, dim=1), F.log_softmax(logits_b, dim=1)
    log_mean = torch.logsumexp(torch.stack([log_a, log_b]), dim=0) - np.log(2.0)
    return 0.5 * (
        F.kl_div(log_mean, log_a, reduction="batchmean", log_target=True)
        + F.kl_div(log_mean, log_b, reduction="batchmean", log_target=True)
    )


def batch_loss(
    model: Classifier,
    x: torch.Tensor,
    y: torch.Tensor,
    config: TrainConfig,
    teacher: Teacher | None,
    generator: torch.Generator,
    partner: torch.Tensor | None = None,
    lam: float = 1.0,
) -> torch.Tensor:
    """Label-smoothed CE on the view (distilled with a teacher), plus with `framing_consistency` the
    Jensen-Shannon divergence between the view and the same view framed otherwise (`reframe`): the
    answer should not move when the same spot is photographed from a little further or closer.
    With `far_distill` (and a teacher) the student's answer on the far view of each image (`far_view`)
    is pulled toward the teacher's on the image itself: a spot photographed from further away and
    cropped by the finder should get its close-up's answer, which a consistency between two views
    of the student alone did not bring (EXPERIMENTS.md, third and thirty-first sessions).
    A CutMixed batch (`partner`, `lam`) weighs each image's label by lam and its partner's by 1 - lam."""
    student_input = teacher.student_view(x) if teacher is not None else x
    consistency = config.framing_consistency > 0
    if consistency:
        other = reframe(x, generator).contiguous(memory_format=torch.channels_last)
        student_input = torch.cat([student_input, teacher.student_view(other) if teacher is not None else other])
    far_distill = config.far_distill > 0
    if far_distill:
        if teacher is None:
            raise ValueError("far_distill needs a teacher (the close-up's answer it pulls toward)")
        far = teacher.student_view(far_view(x, generator))
        student_input = torch.cat([student_input, far])
    with torch.autocast(x.device.type, dtype=torch.bfloat16, enabled=config.bf16):
        all_logits = model(student_input).float()
    logits = all_logits[: len(y)]
    loss = F.cross_entropy(logits, y, label_smoothing=config.label_smoothing)
    if partner is not None:
        partner_loss = F.cross_entropy(logits, y[partner], label_smoothing=config.label_smoothing)
        loss = lam * loss + (1 - lam) * partner_loss
    t = config.distill_temperature
    if teacher is not None:
        targets = teacher.soft_targets(x, t)
        soft = F.kl_div(F.log_softmax(logits / t, dim=1), targets, reduction="batchmean")
        loss = (1 - config.distill_weight) * loss + config.distill_weight * t * t * soft
    if consistency:
        loss = loss + config.framing_consistency * jensen_shannon(logits, all_logits[len(y) : 2 * len(y)])
    if far_distill:
        assert teacher is not None  # checked above; says so to the type checker
        far_logits = all_logits[-len(y) :]
        far_soft = F.kl_div(F.log_softmax(far_logits / t, dim=1), targets, reduction="batchmean")
        loss = loss + config.far_distill * t * t * far_soft
    return loss


def train_one_epoch(
    state: RunState,
    config: TrainConfig,
    pool_images: Images,
    pool_labels: Labels,
    order: Indices,
    teacher: Teacher | None,
    pool_domains: Labels | None = None,
) -> float:
    """One pass over `order` (batch indices into the pool); returns the mean loss."""
    model, steps = state.model, len(order) // config.batch_size
    set_train_mode(model, config.freeze)
    losses = []
    for step in range(steps):
        batch = order[step * config.batch_size : (step + 1) * config.batch_size]
        domains = None if pool_domains is None else pool_domains[batch]
        x = augmented_batch(pool_images[batch], config, state.generator, domains)
        x, partner, lam = cutmix(x, state.generator, config.cutmix)
        y = torch.from_numpy(pool_labels[batch]).to(config.device)
        loss = batch_loss(model, x, y, config, teacher, state.generator, partner, lam)
        state.optimizer.zero_grad(set_to_none=True)
        torch.autograd.backward(loss)  # = loss.backward(), whose signature torch leaves unannotated
        state.optimizer.step()
        state.schedule.step()
        state.ema.update_parameters(model)
        losses.append(loss.item())
        if step % 20 == 0:
            print(f"  step {step}/{steps} loss {np.mean(losses[-20:]):.3f}", file=sys.stderr, flush=True)
    return float(np.mean(losses))


def evaluate_epoch(state: RunState, config: TrainConfig, eval_data: Prepared, refresh: Images) -> SelectionScores:
    """Refresh the EMA network's BatchNorm, then score it on both selection sets."""
    averaged = state.ema.module
    assert isinstance(averaged, Classifier)  # AveragedModel holds a deep copy of the trained Classifier
    refresh_batchnorm(averaged, refresh, config.freeze)
    derm = domain_report(averaged, eval_data.derm)
    phone = domain_report(averaged, eval_data.phone)
    assert derm is not None
    entry: SelectionScores = {
        "selectAccuracy": derm["accuracy"],
        "selectBalancedAccuracy": derm["balancedAccuracy"],
        "selectMacroAuc": derm["macroAuc"],
        "score": selection_score(derm, phone),
    }
    if phone is not None:
        entry["phoneSelectAccuracy"] = phone["accuracy"]
        entry["phoneSelectBalancedAccuracy"] = phone["balancedAccuracy"]
        entry["phoneSelectMalignantAuc"] = phone["malignantAuc"]
        entry["phoneSelectMacroAuc"] = phone["macroAuc"]
    return entry


def ema_update(decay: float) -> EmaUpdate:
    """torch's EMA update for AveragedModel's multi_avg_fn (typed here: torch leaves
    get_ema_multi_avg_fn unannotated, so it is called through a cast to its documented signature)."""
    return cast(Callable[[float], EmaUpdate], get_ema_multi_avg_fn)(decay)


def fresh_state(
    config: TrainConfig,
    steps_per_epoch: int,
    log: dict[str, object],
    unfold_on: Callable[[], Images] | None = None,
) -> RunState:
    model = new_model(config, unfold_on)
    optimizer = optimiser_for(model, config)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer,
        max_lr=[group["lr"] for group in optimizer.param_groups],
        total_steps=config.epochs * steps_per_epoch,
        pct_start=config.warmup,
    )
    ema = AveragedModel(model, multi_avg_fn=ema_update(config.ema_decay))
    return RunState(
        model,
        ema,
        optimizer,
        schedule,
        torch.Generator().manual_seed(config.draw_seed()),
        np.random.default_rng(config.draw_seed()),
        log,
    )


def train(config: TrainConfig, prepared: Prepared | None = None) -> Path:
    """Train (or resume), keep the best EMA weights by selection score: run_dir/{best.pt,last.pt,log.json}."""
    if config.threads:
        torch.set_num_threads(config.threads)
    seed_everything(config.draw_seed())
    teacher = load_teacher(config) if config.teacher else None
    eval_data = prepared or prepare(config)
    fit_data = eval_data if teacher is None else prepare(_at_size(config, config.teacher_size))
    pool = fit_pool(fit_data)
    probabilities = sample_probabilities(pool, config.phone_share, config.balance, config.balance_power)
    samples = config.epoch_samples or len(pool.labels)
    steps_per_epoch = max(1, samples // config.batch_size)
    run_dir = config.resolved_run_dir()
    run_dir.mkdir(parents=True, exist_ok=True)
    eval_pool = fit_pool(eval_data)

    if config.resume and (run_dir / "last.pt").is_file():
        state = load_state(run_dir / "last.pt", fresh_state(config, steps_per_epoch, {}))
        changed = settings_changed(state.log.get("config", {}), config.to_dict())
        if changed:
            saved = state.log["config"]
            raise ValueError(
                f"--resume: {run_dir / 'last.pt'} belongs to a run started with other settings ("
                + ", ".join(f"{name}: {saved[name]!r}, now {getattr(config, name)!r}" for name in changed)
                + "); give this run another --model-id or --run-dir, or resume with the run's own command"
                + f" ({state.log.get('command', 'in its log.json')})"
            )
        print(f"resumed after epoch {state.epoch} from {run_dir / 'last.pt'}", flush=True)
    else:
        model_for_counts = build(config.arch)

        # Images to give a read-back network's BatchNorm statistics (--init of an export), drawn
        # only if the checkpoint is one: from the fit pool as an epoch's refresh is (each domain at
        # its batch share), as many.
        def unfold_on() -> Images:
            return pool.images[
                epoch_order(
                    sample_probabilities(pool, config.phone_share, "none", 0.0),
                    min(BN_REFRESH_IMAGES, len(pool.labels)),
                    np.random.default_rng(config.draw_seed()),
                )
            ]

        state = fresh_state(
            config,
            steps_per_epoch,
            {
                "config": config.to_dict(),
                "parameters": count_parameters(model_for_counts),
                "flops": count_flops(model_for_counts, config.size),
                "epochs": [],
                "command": "python -m dermlens_train " + " ".join(sys.argv[1:]),
                "fit": len(pool.labels),
                "fitPhone": int((pool.domains == 1).sum()),
                "select": len(eval_data.derm.select.labels),
                "selectPhone": len(eval_data.phone.select.labels) if eval_data.phone else 0,
                "test": len(eval_data.derm.test.labels),
                "trainSeconds": 0.0,
                "hardware": training_device(config.device),
            },
            unfold_on,
        )
    run_epochs = 0
    while state.epoch < config.epochs:
        started = time.time()
        order = epoch_order(probabilities, steps_per_epoch * config.batch_size, state.rng)
        loss = train_one_epoch(state, config, pool.images, pool.labels, order, teacher, pool.domains)
        train_seconds = time.time() - started
        refresh = eval_pool.images[
            epoch_order(
                sample_probabilities(eval_pool, config.phone_share, "none", 0.0),
                min(BN_REFRESH_IMAGES, len(eval_pool.labels)),
                state.rng,
            )
        ]
        entry: EpochEntry = {
            "epoch": state.epoch + 1,
            "loss": loss,
            "lr": float(state.schedule.get_last_lr()[0]),  # a float here (torch types it float | Tensor)
            **evaluate_epoch(state, config, eval_data, refresh),
            "imagesPerSecond": len(order) / train_seconds,
            "seconds": time.time() - started,
        }
        state.epoch += 1
        state.log["epochs"].append(entry)
        state.log["trainSeconds"] = float(state.log["trainSeconds"]) + entry["seconds"]
        print(json.dumps(entry), flush=True)
        if entry["score"] > state.best_score:
            state.best_score, state.best_epoch = entry["score"], state.epoch
            torch.save(
                {
                    "arch": config.arch,
                    "size": config.size,
                    # on the CPU, so a checkpoint trained on a GPU loads anywhere
                    "state_dict": {k: v.cpu() for k, v in state.ema.module.state_dict().items()},
                    "config": config.to_dict(),
                    "epoch": state.epoch,
                },
                run_dir / "best.partial",
            )
            os.replace(run_dir / "best.partial", run_dir / "best.pt")  # a stop mid-write keeps the last best
        state.log.update(bestEpoch=state.best_epoch, bestScore=state.best_score)
        save_state(state, run_dir / "last.pt")
        (run_dir / "log.json").write_text(json.dumps(state.log, indent=1))
        run_epochs += 1
        if state.epoch - state.best_epoch >= config.patience:
            print(f"early stop: no better selection score for {config.patience} epochs", flush=True)
            break
        if config.stop_after and run_epochs >= config.stop_after:
            print(f"stopped after {run_epochs} epoch(s); --resume continues", flush=True)
            break
    return run_dir


def _at_size(config: TrainConfig, size: int) -> TrainConfig:
    from dataclasses import replace

    return replace(config, size=size)
