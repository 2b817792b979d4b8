"""Checkers of notebook 06's "Try it yourself" (ResNet-50 anatomy)."""
from __future__ import annotations

from collections import Counter

from . import close_to, exercise
from ..resnet import Bottleneck, ResNet, main_path_layers, resnet50, stage_of


@exercise("06.1", "weighted layers on ResNet-101's main path")
def resnet101_layers(answer) -> str | None:
    main, projections = main_path_layers(ResNet(Bottleneck, [3, 4, 23, 3], width=8))
    if close_to(answer, main):
        return None
    if close_to(answer, main + projections):
        return "That counts the projection convolutions on the shortcuts too. Hint: count only the main path."
    return ("Not the main-path count. Hint: 1 stem conv + 3 convolutions per bottleneck block "
            "(3 + 4 + 23 + 3 blocks) + 1 fc.")


@exercise("06.2", "the stage of ResNet-50 that holds the most parameters")
def stage_with_most_parameters(answer) -> str | None:
    counts = Counter()
    for name, p in resnet50().named_parameters():
        counts[stage_of(name)] += p.numel()
    right = counts.most_common(1)[0][0]
    if str(answer).strip().lower() == right:
        return None
    if str(answer).strip().lower() not in counts:
        return f"{answer!r} is not a stage. Hint: answer one of {', '.join(counts)}."
    return ("Not the largest one. Hint: a 3x3 convolution's weights grow with C_in·C_out, and the channels "
            "double at every stage; count with tl.stage_of(name) over model.named_parameters().")
