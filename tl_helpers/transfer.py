"""Changing a pretrained network for a new task: new head, freezing, unfreezing, counting, optimiser groups.

The lines these helpers hide are few, and notebook 07 shows them in plain PyTorch first::

    for p in model.parameters():
        p.requires_grad_(False)                       # freeze the backbone
    model.fc = nn.Linear(model.fc.in_features, 10)    # a new head, trainable
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=3e-3)

Taught in notebooks 01, 05, 07 and 09.
"""
from __future__ import annotations

from torch import nn

from .resnet import STAGES, stage_of


def head_in_features(model: nn.Module) -> int:
    """Width of the feature vector that reaches ``model.fc``."""
    fc = model.fc
    if isinstance(fc, nn.Sequential):
        fc = [m for m in fc if isinstance(m, nn.Linear)][-1]
    return fc.in_features


def replace_head(model: nn.Module, num_classes: int, dropout: float | None = None) -> nn.Module:
    """Swap the last layer (``fc``) for a new, randomly initialised one with ``num_classes`` outputs.

    Args:
        model: A ResNet (ours or torchvision's).
        num_classes: Classes of the new task.
        dropout: If given, put ``nn.Dropout(dropout)`` before the new linear layer.

    Returns:
        The same model, changed in place.
    """
    if num_classes < 1:
        raise ValueError(f"num_classes must be at least 1, got {num_classes}.")
    linear = nn.Linear(head_in_features(model), num_classes)
    model.fc = nn.Sequential(nn.Dropout(dropout), linear) if dropout else linear
    return model


def head_dropout(model: nn.Module) -> float | None:
    """The dropout probability in front of ``model.fc``'s linear layer (``None``: no dropout)."""
    fc = getattr(model, "fc", None)
    return next((m.p for m in fc.modules() if isinstance(m, nn.Dropout)), None) if fc is not None else None


def freeze_backbone(model: nn.Module) -> nn.Module:
    """Feature extraction: freeze everything except the head ``fc``.

    Frozen BatchNorm layers are also kept in eval mode by ``set_train_mode`` (which
    ``engine.train_one_epoch`` calls), so their running statistics stay as pretrained.

    Returns:
        The same model.
    """
    return unfreeze(model, from_stage="fc")


def unfreeze(model: nn.Module, from_stage: str | None = "layer4") -> nn.Module:
    """Train ``from_stage`` and every stage after it; freeze the ones before.

    Args:
        model: A ResNet.
        from_stage: One of ``resnet.STAGES`` (``"stem"`` or ``"all"`` trains everything,
            ``"fc"`` or ``None`` only the head).

    Returns:
        The same model.
    """
    stage = "fc" if from_stage is None else ("stem" if from_stage == "all" else from_stage)
    if stage not in STAGES:
        raise ValueError(f"Unknown stage {from_stage!r}; choose one of {STAGES + ('all',)}.")
    first = STAGES.index(stage)
    for name, p in model.named_parameters():
        p.requires_grad_(STAGES.index(stage_of(name)) >= first)
    return model


def trainable_stages(model: nn.Module) -> list[str]:
    """The stages (``resnet.STAGES``) that have at least one trainable parameter, input to output."""
    found = {stage_of(name) for name, p in model.named_parameters() if p.requires_grad}
    return [s for s in STAGES if s in found]


def count_parameters(model: nn.Module) -> tuple[int, int]:
    """Count parameters.

    Returns:
        ``(trainable, total)``.
    """
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, total


def set_train_mode(model: nn.Module) -> nn.Module:
    """``model.train()``, but BatchNorm layers whose parameters are all frozen stay in eval mode.

    Plain ``model.train()`` would let a "frozen" backbone's BatchNorm running statistics
    drift with every batch of the new data.
    """
    model.train()
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            params = list(m.parameters(recurse=False))
            if params and not any(p.requires_grad for p in params):
                m.eval()
    return model


def param_groups(model: nn.Module, lr: float, head_lr: float | None = None,
                 head: nn.Module | None = None) -> list[dict]:
    """Optimizer parameter groups: the trainable backbone at ``lr``, the head ``model.fc`` at ``head_lr``.

    Discriminative learning rates (one learning rate per group of layers): the pretrained layers
    need only small changes, the new random head needs large ones. Frozen parameters are left out;
    empty groups are dropped.

    Args:
        model: A ResNet with a new head ``fc`` (or any module holding ``head``).
        lr: Learning rate of the trainable backbone layers.
        head_lr: Learning rate of the head (default: ``lr``, i.e. one group).
        head: The head module (default: ``model.fc``).

    Returns:
        A list for ``torch.optim.Adam(groups)`` / ``SGD(groups)``.
    """
    trainable = [p for p in model.parameters() if p.requires_grad]
    if head_lr is None:
        return [{"params": trainable, "lr": lr}]
    in_head = {id(p) for p in (head if head is not None else model.fc).parameters()}
    groups = [{"params": [p for p in trainable if id(p) not in in_head], "lr": lr},
              {"params": [p for p in trainable if id(p) in in_head], "lr": head_lr}]
    return [g for g in groups if g["params"]]
