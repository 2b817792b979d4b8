"""Changing a pretrained network for a new task: new head, freezing, unfreezing, counting."""
from __future__ import annotations

from torch import nn

#: The parts of a torchvision-style ResNet from input to output.
STAGES: tuple[str, ...] = ("stem", "layer1", "layer2", "layer3", "layer4", "fc")
_STEM = ("conv1", "bn1")


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


def stage_of(param_name: str) -> str:
    """The stage (``stem``, ``layer1`` ... ``layer4``, ``fc``) a parameter name belongs to."""
    top = param_name.split(".")[0]
    return "stem" if top in _STEM else top


def freeze_backbone(model: nn.Module) -> nn.Module:
    """Transfer learning: freeze everything except the head ``fc``.

    Frozen BatchNorm layers are also kept in eval mode by ``engine.train_one_epoch``,
    so their running statistics stay as pretrained.

    Returns:
        The same model.
    """
    return unfreeze(model, from_stage="fc")


def unfreeze(model: nn.Module, from_stage: str | None = "layer4") -> nn.Module:
    """Train ``from_stage`` and every stage after it; freeze the ones before.

    Args:
        model: A ResNet.
        from_stage: One of ``STAGES`` (``"stem"`` or ``"all"`` trains everything,
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
