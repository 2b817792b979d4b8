"""The series' one fine-tuning recipe and its defaults: train the new head first, then unfreeze.

``fine_tune`` is used by the comparisons of ``experiments`` (notebooks 07 and 08) and by the
end-to-end workflow of notebooks 09 and 10; ``fit_stage`` builds the Adam optimiser over what
trains and calls ``engine.fit``, the series' one training loop.
"""
from __future__ import annotations

from typing import Sequence

import torch
from torch import nn
from torch.utils.data import DataLoader

from .config import pick
from .engine import Callback, History, fit
from .transfer import freeze_backbone, param_groups, unfreeze

#: Default settings per strategy: epochs (quick, full), learning rate.
HEAD_EPOCHS = pick(30, 60)
NET_EPOCHS = pick(12, 30)
HEAD_LR = 3e-3
FINETUNE_LR = 3e-4
SCRATCH_LR = 1e-3

#: What ``fit`` trains: ``(network, training batches, evaluation batches or None)``.
StageData = tuple[nn.Module, DataLoader, "DataLoader | None"]


#: Learning-rate schedules ``fit_stage`` knows: ``None`` keeps the learning rate constant.
SCHEDULES = (None, "cosine")


def make_optimizer(groups, weight_decay: float = 0.0) -> torch.optim.Optimizer:
    """Adam, or AdamW when ``weight_decay`` > 0: weight decay decoupled from the gradient's scaling (Loshchilov &
    Hutter 2019, "Decoupled Weight Decay Regularization"); Adam's own ``weight_decay`` is an L2 term that Adam's
    per-parameter scaling weakens for the parameters with large gradients."""
    if weight_decay < 0:
        raise ValueError(f"weight_decay must be 0 or more, not {weight_decay}.")
    if weight_decay:
        return torch.optim.AdamW(groups, weight_decay=weight_decay)
    return torch.optim.Adam(groups)


def make_scheduler(optimizer: torch.optim.Optimizer, schedule: str | None, num_epochs: int):
    """``"cosine"``: every group's learning rate falls from its value to 0 along half a cosine over ``num_epochs``
    (stepped once per epoch by ``fit``); ``None``: no schedule."""
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {SCHEDULES}, not {schedule!r}.")
    if schedule is None:
        return None
    return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=num_epochs)


def fit_stage(data: StageData, num_epochs: int, lr: float, head_lr: float | None = None,
              head: nn.Module | None = None, weight_decay: float = 0.0, schedule: str | None = None,
              **fit_kwargs) -> History:
    """Adam (AdamW with ``weight_decay``) over the trainable parameters of ``data``'s network (the head at
    ``head_lr``), a learning-rate ``schedule`` over the stage's epochs, then ``fit``."""
    net, train_loader, eval_loader = data
    groups = param_groups(net, lr, head_lr, head=head if head is not None else net)
    optimizer = make_optimizer(groups, weight_decay)
    scheduler = make_scheduler(optimizer, schedule, num_epochs)
    return fit(net, train_loader, eval_loader, optimizer, num_epochs, scheduler=scheduler, **fit_kwargs)


def _offset(callbacks: Sequence[Callback], before: History) -> list[Callback]:
    """Callbacks of a second phase that see the epochs and history of the whole run."""
    n = len(before.get("train_loss", []))
    return [lambda e, h, cb=cb: cb(n + e, join_histories(before, h)) for cb in callbacks]


def join_histories(first: History, second: History) -> History:
    """Two phases' histories as one (the second's epochs after the first's)."""
    return {k: first.get(k, []) + v for k, v in second.items()}


def fine_tune(model: nn.Module, head_data: StageData | None, body_data: StageData, num_epochs: int,
              lr: float = FINETUNE_LR, unfreeze_from: str = "stem", head_epochs: int = HEAD_EPOCHS,
              head_lr: float | None = None, weight_decay: float = 0.0, schedule: str | None = None,
              callbacks: Sequence[Callback] = (), **fit_kwargs) -> History:
    """The series' fine-tuning recipe: train the new head on the frozen backbone, then unfreeze and go on.

    A random head sends large, random gradients into the backbone; training it first on frozen
    features (a linear probe), then fine-tuning, keeps the pretrained features from being distorted
    at the start (Kumar et al. 2022, "Fine-Tuning can Distort Pretrained Features").

    Args:
        model: A pretrained network with a new head (``replace_head``); changed in place.
        head_data: ``(head, batches of frozen features, eval batches)`` for the first phase.
        body_data: ``(network, batches, eval batches)`` for the second phase.
        num_epochs: Epochs of the second phase.
        lr: Learning rate of the unfrozen backbone stages.
        unfreeze_from: First trainable stage of the second phase (``resnet.STAGES``).
        head_epochs: Epochs of the first phase at ``HEAD_LR`` (0 skips it).
        head_lr: Learning rate of the head in the second phase (default: ``lr``).
        weight_decay: Decoupled weight decay (AdamW) of the second phase; 0: Adam. The head's phase is plain Adam
            at a constant rate, as notebook 09 writes it.
        schedule: Learning-rate schedule of the second phase (``SCHEDULES``); the head's phase keeps its rate.
        callbacks: ``fit`` callbacks; they see the whole run's epochs and history.
        **fit_kwargs: More ``fit`` arguments (``progress``, ``eval_name``).

    Returns:
        The history of both phases, one after the other.
    """
    history: History = {}
    if head_epochs and head_data is not None:
        freeze_backbone(model)
        history = fit_stage(head_data, head_epochs, HEAD_LR, callbacks=list(callbacks), **fit_kwargs)
    unfreeze(model, unfreeze_from)
    second = fit_stage(body_data, num_epochs, lr, head_lr, model.fc, weight_decay, schedule,
                       callbacks=_offset(callbacks, history), **fit_kwargs)
    return join_histories(history, second)
