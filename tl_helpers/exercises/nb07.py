"""Checkers of notebook 07's "Try it yourself": counting what trains, and the freeze loop."""
from __future__ import annotations

import copy
from functools import lru_cache

import torch
from torch import nn

from . import exercise
from ..resnet import stage_of
from ..transfer import replace_head
from ..weights import load_backbone


@lru_cache(maxsize=1)
def _backbone() -> nn.Module:
    """The backbone notebook 07 uses: the bundled one (``load_task("bundled")``)."""
    return load_backbone("bundled", verbose=False)[0]


def _new_model(num_classes: int = 10) -> nn.Module:
    return replace_head(copy.deepcopy(_backbone()), num_classes)


def _count(model: nn.Module, stages: tuple[str, ...]) -> int:
    return sum(p.numel() for name, p in model.named_parameters() if stage_of(name) in stages)


@exercise("07.1", "trainable parameters when only layer3 and the new head train")
def trainable_with_layer3_only(answer) -> str | None:
    model = _new_model()
    try:
        n = int(answer)
    except (TypeError, ValueError):
        return f"{answer!r} is not a number. Hint: count with sum(p.numel() for ...) and give an int."
    if n == _count(model, ("layer3",)) + _count(model, ("fc",)):
        return None
    if n == _count(model, ("layer3", "layer4", "fc")):
        return ("that also counts layer4, which stays frozen here (it is the widget's 'layer3-4'). "
                "Hint: set requires_grad only for names that start with 'layer3.' or 'fc.'.")
    if n == _count(model, ("layer3",)):
        return "the new head trains too. Hint: add the parameters of model.fc."
    return ("that is not the count. Hint: on a fresh model (task.new_model()), set p.requires_grad = "
            "name.startswith(('layer3.', 'fc.')) for every (name, p) in model.named_parameters(), "
            "then tl.count_parameters(model)[0].")


@exercise("07.2", "write the freeze loop of feature extraction")
def freeze_loop(answer) -> str | None:
    if not callable(answer):
        return "give the function itself (answer_07_2 = freeze), not its result. Hint: no parentheses."
    model = _new_model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    answer(model)
    trainable = [name for name, p in model.named_parameters() if p.requires_grad]
    frozen_head = [name for name, p in model.fc.named_parameters() if not p.requires_grad]
    if any(not torch.equal(v, model.state_dict()[k]) for k, v in before.items()):
        return "your function changed weights; freezing only switches gradients off. Hint: set p.requires_grad."
    if frozen_head:
        return ("the new head fc is frozen too, so nothing would learn. Hint: freeze every parameter "
                "whose name does not start with 'fc.' (or freeze all, then switch model.fc's back on).")
    backbone = [name for name in trainable if stage_of(name) != "fc"]
    if backbone:
        kinds = sorted({name.rsplit(".", 1)[-1] for name in backbone})
        return (f"{len(backbone)} backbone tensors still train (e.g. {backbone[0]}; kinds: {', '.join(kinds)}). "
                "Hint: loop over model.named_parameters(), not only over the convolutions.")
    return None
