"""Measuring networks: FLOPs, shapes through the stages, layer counts."""
from __future__ import annotations

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode


def count_flops(model: nn.Module, input_size: tuple[int, ...] = (1, 3, 224, 224)) -> int:
    """Floating-point operations of one forward pass, counted by ``torch.utils.flop_counter``.

    A multiply-add counts as 2 FLOPs (so ResNet-50 at 224 px is about 8.2 GFLOPs, i.e. the
    "4.1 G multiply-adds" of the paper).

    Args:
        model: The network (put in eval mode for the count).
        input_size: Shape of the input batch.

    Returns:
        Total FLOPs for the batch.
    """
    was_training = model.training
    model.eval()
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(torch.zeros(input_size))
    model.train(was_training)
    return int(counter.get_total_flops())


def stage_shapes(model: nn.Module, size: int = 224, stages: tuple[str, ...] = (
        "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc")) -> dict[str, tuple[int, ...]]:
    """Output shape ``(C, H, W)`` (or ``(features,)``) of each named module, found with forward hooks.

    Args:
        model: A ResNet.
        size: Side of the square input image.
        stages: Module names to record, in order (``"maxpool"`` is the end of the stem).

    Returns:
        ``{stage: shape without the batch dimension}``.
    """
    shapes: dict[str, tuple[int, ...]] = {}
    handles = [getattr(model, name).register_forward_hook(
        lambda _m, _i, out, name=name: shapes.__setitem__(name, tuple(out.shape[1:]))) for name in stages]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros(1, 3, size, size))
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    return {name: shapes[name] for name in stages}


def main_path_layers(model: nn.Module) -> tuple[int, int]:
    """Count the weighted layers a ResNet is named after.

    Returns:
        ``(conv + fc layers on the main path, projection-shortcut convs)``; ResNet-50 gives
        ``(50, 4)``: 1 stem conv + 16 blocks x 3 convs + 1 fc on the main path.
    """
    main, shortcut = 0, 0
    for name, m in model.named_modules():
        if isinstance(m, nn.Conv2d):
            if ".downsample." in f".{name}.":
                shortcut += 1
            else:
                main += 1
        elif isinstance(m, nn.Linear):
            main += 1
    return main, shortcut
