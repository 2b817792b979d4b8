"""Checkers of notebook 07's "Try it yourself": counting what trains, the freeze loop, picking a strategy."""
from __future__ import annotations

import copy
import sys
from functools import lru_cache

import torch
from torch import nn

from . import exercise, judgement
from ..i18n import N_, tr
from .answers import NotYet, choice, count
from .guard import call, is_stub, spying
from .. import transfer
from ..experiments import STRATEGIES, load_task, train_seeds
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


@exercise("07.1", "trainable parameters when only layer3 and the new head train", hints=(
    "only parameters with requires_grad switched on train; the number that train is the sum of their sizes.",
    "on a fresh model (task.new_model()) switch requires_grad on for the parameters of layer3 and of the head fc "
    "and off for all others, then count the trainable ones with tl.count_parameters(model).",
    "worked step: a parameter's stage is the start of its name (tl.stage_of(name) gives it); loop over "
    "model.named_parameters(), set each flag to whether its stage is one of the two that train, and read the "
    "first number tl.count_parameters returns (trainable, total)."))
def trainable_with_layer3_only(answer) -> str | None:
    n = count(answer)
    model = _new_model()
    if n == _count(model, ("layer3", "fc")):
        return None
    if n == _count(model, ("layer3", "layer4", "fc")):
        return tr("that also counts layer4, which stays frozen here (it is the widget's 'layer3-4').")
    if n == _count(model, ("layer3",)):
        return tr("the new head trains too, and its parameters are missing from your count.")
    return tr("that is not the number of trainable parameters.")


def _freeze_problem(model: nn.Module, before: dict | None) -> str | None:
    """What is off with ``model``'s ``requires_grad`` flags for feature extraction (None when right)."""
    if not isinstance(getattr(model, "fc", None), nn.Module):
        return tr("the model has no head model.fc.")
    if before is not None and any(not torch.equal(v, model.state_dict()[k]) for k, v in before.items()):
        return tr("your function changed weights; freezing only switches gradients off.")
    trainable = [name for name, p in model.named_parameters() if p.requires_grad]
    if len(trainable) == len(list(model.parameters())):
        return tr("every parameter still trains: nothing was frozen (is the body of your function still ...?).")
    if any(not p.requires_grad for p in model.fc.parameters()):
        return tr("the new head fc is frozen too, so nothing would learn.")
    backbone = [name for name in trainable if stage_of(name) != "fc"]
    if backbone:
        kinds = sorted({name.rsplit(".", 1)[-1] for name in backbone})
        return tr("{n} backbone tensors still train (e.g. {name}; kinds: {kinds}): some kinds of layer were left "
                  "out of the loop.", n=len(backbone), name=backbone[0], kinds=", ".join(kinds))
    return None


def _freezers() -> tuple[tuple[object, str], ...]:
    """The series' own freezing helpers, which an answer to 07.2 should not call."""
    package = sys.modules.get("tl_helpers")
    return ((transfer, "freeze_backbone"), (transfer, "unfreeze")) + \
        (((package, "freeze_backbone"), (package, "unfreeze")) if package else ())


@exercise("07.2", "write the freeze loop of feature extraction", asks="function", hints=(
    "freezing switches learning off per parameter (its requires_grad flag); it changes no weight. Feature "
    "extraction freezes the whole backbone and leaves the new head learning.",
    "loop over model.named_parameters(): the name tells you whether a parameter belongs to the head (the "
    "names of the head's parameters start with 'fc.'). Every kind of parameter counts: convolutions, BatchNorm.",
    "worked step: for every (name, p), set p.requires_grad to True for the head's parameters and to False for all "
    "others; the function may change the model in place or return it."))
def freeze_loop(answer) -> str | None:
    if isinstance(answer, nn.Module):       # a model already frozen by the learner's function
        return _freeze_problem(answer, None)
    if not callable(answer):
        raise NotYet(tr("your answer is a {kind}: give the function itself (answer_07_2 = freeze, no parentheses), "
                        "or a model after your function ran on it.", kind=type(answer).__name__))
    if is_stub(answer):
        raise NotYet(tr("the body of your function is not written yet (it is still ...)."))
    model = _new_model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with spying(*_freezers()) as calls:
        returned = call(answer, model)
    if calls:
        return tr("your function calls the series' own freezing helper: the exercise is to write the loop "
                  "yourself.")
    return _freeze_problem(returned if isinstance(returned, nn.Module) else model, before)


#: 07.3: the names a learner may give each strategy (case, spaces and hyphens do not count).
STRATEGY_NAMES = {"scratch": "scratch", "from scratch": "scratch", "training from scratch": "scratch",
                  "frozen": "frozen", "feature extraction": "frozen", "frozen backbone": "frozen",
                  "finetune": "finetune", "fine-tuning": "finetune", "fine-tuned": "finetune",
                  # the names the Korean edition (notebooks/ko/) gives them
                  "처음부터 학습": "scratch", "처음부터": "scratch", "스크래치": "scratch",
                  "특징 추출": "frozen", "미세 조정": "finetune"}
#: 07.3: whole-network epochs of scratch and of fine-tuning's phase 2 in the checker's runs: quick mode's budget in
#: every mode (full mode's 30 would make the first check take many minutes); the head keeps its default.
JUDGEMENT_NET_EPOCHS = 12


@lru_cache(maxsize=1)
def measure_strategies() -> dict[str, tuple[float, ...]]:
    """Validation accuracy per strategy and seed (the last epoch's), trained by the checker itself, once."""
    task = load_task("bundled", verbose=False)
    return judgement.measure(lambda: {
        s: train_seeds(task, s, judgement.SEEDS, progress=False,
                       num_epochs=None if s == "frozen" else JUDGEMENT_NET_EPOCHS) for s in STRATEGIES})


@exercise("07.3", "the strategy you would pick for 100 images, judged on validation accuracy",
          values={"epochs": JUDGEMENT_NET_EPOCHS}, hints=(
    "a choice made on validation data is only as sure as the noise between seeds allows: a strategy is a good "
    "pick when no other one is detectably better on validation, seed by seed (a 95 % interval of the difference "
    "that stays above 0). The test images decide nothing here.",
    "val = {{s: [r.val_acc for r in results[s]] for s in tl.STRATEGIES}} holds each strategy's validation accuracy "
    "per seed: find the strategy with the highest mean, then compare the one you like with it, seed by seed.",
    "worked step: low = tl.paired_interval(val[best], val[yours])[1] is the low end of the 95 % interval of best "
    "minus yours; your pick is defensible when low <= 0. The checker trains its own runs (5 seeds, quick mode's "
    "{epochs} whole-network epochs; the first check takes a few minutes) and applies this rule."))
def strategy_choice(answer) -> str | None:
    strategy = choice(answer, STRATEGY_NAMES, N_("'scratch', 'frozen' or 'finetune'"))
    if judgement.detectably_worse(strategy, measure_strategies()):
        return tr("on validation, {strategy} is detectably below the best strategy: the seed-by-seed 95 % interval "
                  "of the best one's validation accuracy minus its lies above 0.", strategy=strategy)
    return None
