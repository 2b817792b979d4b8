"""Checkers of notebook 06's "Try it yourself" (ResNet-50 anatomy)."""
from __future__ import annotations

from collections import Counter
from functools import lru_cache

from . import exercise
from ..i18n import tr
from .answers import count, stage
from ..resnet import STAGES, Bottleneck, ResNet, main_path_layers, resnet50, stage_of
from . import judgement
from ..probe import linear_probe
from ..task import load_task


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
        return tr("that counts the projection convolutions on the shortcuts too, which are not on the main path.")
    return tr("that is not the number of weighted layers on the main path.")


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
    return tr("{given} is not the stage with the most parameters.", given=given)


#: 06.4: the stages whose pooled output the checker probes.
CUT_STAGES = ("layer2", "layer3", "layer4")


@lru_cache(maxsize=1)
def measure_cut() -> dict[str, tuple[float, ...]]:
    """Per validation image, 1.0 where a linear probe on the stage's pooled output (trained on the 100 training
    images of the bundled task) classifies it correctly: the checker's own measurement, once per process."""
    task = load_task("bundled", verbose=False)
    hits = {}
    for s in CUT_STAGES:
        (train_x, train_y), (val_x, val_y) = task.pooled_output(s, "train"), task.pooled_output(s, "val")
        hits[s] = tuple(linear_probe(train_x, train_y, val_x, val_y).hits())
    return hits


@exercise("06.4", "the stage you would cut the backbone at for feature extraction, judged on validation", hints=(
    "a choice made on validation data is only as sure as its noise allows: a stage is a good cut when no other "
    "stage's probe is detectably better on the same validation images (a 95 % interval of the difference, image "
    "by image, that stays above 0).",
    "train a linear probe (tl.linear_probe, notebook 01) on each stage's pooled output for the training images and "
    "score it on the validation images; .hits() gives 1 or 0 per validation image, in the same order for every "
    "stage, so two stages can be compared image by image.",
    "worked step: hits = {s: tl.linear_probe(*task.pooled_output(s, 'train'), *task.pooled_output(s, 'val')).hits() "
    "for s in the three stages}; best = the stage with the highest mean; low = "
    "tl.paired_interval(hits[best], hits[yours])[1]. Your stage is defensible when low <= 0; the checker measures the same probes itself."))
def cut_stage(answer) -> str | None:
    given = stage(answer, STAGES)
    if given not in CUT_STAGES:
        return tr("{given} was not measured here: choose one of {stages}.", given=given, stages=", ".join(CUT_STAGES))
    if judgement.detectably_worse(given, measure_cut()):
        return tr("on validation, the probe on {given} is detectably below another stage's: the image-by-image 95 % "
                  "interval of that stage's accuracy minus yours lies above 0.", given=given)
    return None
