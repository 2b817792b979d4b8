"""Checkers of notebook 06's "Try it yourself" (ResNet-50 anatomy)."""
from __future__ import annotations

from collections import Counter

from . import exercise
from .answers import count, stage
from ..resnet import STAGES, Bottleneck, ResNet, main_path_layers, resnet50, stage_of


@exercise("06.1", "weighted layers on ResNet-101's main path", hints=(
    "ResNet-50 gets its 50 from the layers with weights on the path a signal takes through the blocks: the stem's "
    "convolution, every convolution inside the blocks, and the head; shortcut projections do not count.",
    "a bottleneck block has the same number of convolutions on its main path whatever its width; the list "
    "[3, 4, 23, 3] says how many blocks each stage has.",
    "worked step: check the rule on ResNet-50 first, [3, 4, 6, 3]: 1 stem convolution + (convolutions per block) "
    "· (number of blocks) + 1 fc gives 50; then do the same with the deeper network's list."))
def resnet101_layers(answer) -> str | None:
    n = count(answer)
    main, projections = main_path_layers(ResNet(Bottleneck, [3, 4, 23, 3], width=8))
    if n == main:
        return None
    if n == main + projections:
        return "that counts the projection convolutions on the shortcuts too, which are not on the main path."
    return "that is not the number of weighted layers on the main path."


@exercise("06.2", "the stage of ResNet-50 that holds the most parameters", hints=(
    "a convolution's weights grow with the product of its input and output channels, and the channels double "
    "from one stage to the next, while the number of blocks per stage differs.",
    "compare stages by channels squared times blocks, from the layer table; or count: add p.numel() per "
    "tl.stage_of(name) over model.named_parameters().",
    "worked step: counts = collections.Counter(); for each (name, p) in tl.resnet50().named_parameters() add "
    "p.numel() to counts[tl.stage_of(name)]; then look at counts.most_common()."))
def stage_with_most_parameters(answer) -> str | None:
    given = stage(answer, STAGES)
    counts = Counter()
    for name, p in resnet50().named_parameters():
        counts[stage_of(name)] += p.numel()
    if given == counts.most_common(1)[0][0]:
        return None
    return f"{given} is not the stage with the most parameters."
