"""Checkers of notebook 01's "Try it yourself": the best stage for new classes, a new head, a head's size."""
from __future__ import annotations

import copy
from functools import lru_cache

import torch
import torchvision
from torch import nn

from . import exercise
from ..i18n import tr
from .answers import NotYet, count, stage
from .guard import call, is_stub
from ..data import make_loader
from ..probe import PROBE_STAGES, probe_stages
from ..weights import load_backbone


@lru_cache(maxsize=1)
def _new_class_probe() -> dict[str, float]:
    """Linear-probe accuracy on the new classes per stage, computed as notebook 01 does."""
    from ..experiments import load_task      # the task: backbone + images, as in the notebook
    task = load_task("bundled", verbose=False)
    probes = probe_stages(task.backbone, make_loader(task.train_ds, batch_size=100), make_loader(task.test_ds, 250))
    new = (~torch.tensor(task.seen_classes())).nonzero().flatten()
    return {stage: r.class_accuracy(new) for stage, r in probes.items()}


@exercise("01.1", "which stage's linear probe scores best on the new classes", hints=(
    "the table has one row per stage and two 'pretrained' columns: one for classes the backbone saw in "
    "pretraining, one for the new classes. Only the new classes count here.",
    "read down the column 'pretrained: new' and find its largest value; answer with that row's stage name.",
    "worked step: a stage's probe is a linear classifier on that stage's pooled features. Early stages give "
    "generic edges, the last stage features tuned to the pretraining classes; the best stage for new classes is "
    "often not the last one. Compare the 'new' column of the last two rows before you answer."))
def best_stage_for_new_classes(answer) -> str | None:
    given = stage(answer, PROBE_STAGES)
    acc = _new_class_probe()
    if acc[given] == max(acc.values()):
        return None
    return tr("another stage's probe scores higher on the new classes than {given}.", given=given)


def _head_problem(model: nn.Module, original: nn.Module) -> str | None:
    """What is off with ``model``'s new head, judged by behaviour: outputs, backbone untouched, trains."""
    try:
        with torch.no_grad():
            out = model.eval()(torch.zeros(2, 3, 64, 64))
    except RuntimeError as err:
        return tr("the model fails with the new head ({error}): it does not fit the features that reach it.",
                  error=str(err)[:120])
    if tuple(out.shape) != (2, 7):
        return tr("the model now outputs shape {shape} for 2 images, not one score per class for each.",
                  shape=tuple(out.shape))
    old = dict(original.named_parameters())
    changed = [n for n, p in model.named_parameters() if not n.startswith("fc.") and n in old
               and not torch.equal(p, old[n])]
    if changed:
        return tr("the backbone's weights changed (e.g. {name}): only the head should be new.", name=changed[0])
    if not any(p.requires_grad for p in model.fc.parameters()):
        return tr("the new head has no parameter that trains.")
    return None


@exercise("01.2", "replace the head of the bundled backbone for 7 classes", asks="function", hints=(
    "the head is the model's last layer, model.fc. A new head is a fresh layer whose outputs are the new classes.",
    "read how many features reach the head from the old head itself (its in_features) rather than a number you "
    "remember; the number of outputs is the number of classes of the new task.",
    "worked step: build a linear layer from the old head's in_features to the new task's class count, assign it "
    "to model.fc and return the model. A small stack ending in such a layer (dropout first, say) works too."))
def head_for_7_classes(answer) -> str | None:
    if isinstance(answer, nn.Module) or not callable(answer):
        raise NotYet(tr("your answer is a {kind}: give your function itself (answer_01_2 = new_head, no "
                        "parentheses); the checker calls it on a fresh backbone.", kind=type(answer).__name__))
    if is_stub(answer):
        raise NotYet(tr("the body of your function is not written yet (it is still ...)."))
    original = load_backbone("bundled", verbose=False)[0]
    model = copy.deepcopy(original)
    returned = call(answer, model)
    model = returned if isinstance(returned, nn.Module) else model
    if not isinstance(getattr(model, "fc", None), nn.Module):
        return tr("the model your function leaves has no head model.fc.")
    return _head_problem(model, original)


@lru_cache(maxsize=1)
def _full_width_head_size() -> int:
    fc = torchvision.models.resnet50(weights=None).fc
    return fc.in_features * 10 + 10


@exercise("01.3", "parameters of a new 10-class head on the full-width ImageNet ResNet-50", hints=(
    "a linear layer has one weight per (input feature, output) pair and one bias per output.",
    "the inputs are the features the backbone hands to the head: torchvision.models.resnet50(weights=None)"
    ".fc.in_features tells you how many (the full-width network, not the bundled one).",
    "worked step: with F features in and C classes out the head has F·C weights plus C biases; put in the "
    "full-width network's F and C = 10, or build the layer and sum p.numel() over its parameters."))
def full_width_head(answer) -> str | None:
    n, right = count(answer), _full_width_head_size()
    if n == right:
        return None
    if n == right - 10:
        return tr("almost: that counts the weights, but each of the 10 outputs also has a bias.")
    return tr("that is not the number of parameters of the new head.")
