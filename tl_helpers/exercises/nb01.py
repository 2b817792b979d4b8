"""Checkers of notebook 01's "Try it yourself": the best stage for new classes, a new head, a head's size."""
from __future__ import annotations

import copy
from functools import lru_cache

import torch
import torchvision
from torch import nn

from . import close_to, exercise
from ..data import make_loader
from ..probe import PROBE_STAGES, probe_stages
from ..transfer import head_in_features
from ..weights import load_backbone


@lru_cache(maxsize=1)
def _new_class_probe() -> dict[str, float]:
    """Linear-probe accuracy on the new classes per stage, computed as notebook 01 does."""
    from ..experiments import load_task      # the task: backbone + images, as in the notebook
    task = load_task("bundled", verbose=False)
    probes = probe_stages(task.backbone, make_loader(task.train_ds, batch_size=100), make_loader(task.test_ds, 250))
    new = (~torch.tensor(task.seen_classes())).nonzero().flatten()
    return {stage: r.class_accuracy(new) for stage, r in probes.items()}


@exercise("01.1", "which stage's linear probe scores best on the new classes")
def best_stage_for_new_classes(answer) -> str | None:
    stage = str(answer).strip().strip("'\"")
    if stage not in PROBE_STAGES:
        return f"{answer!r} is not a stage. Hint: answer one of {', '.join(PROBE_STAGES)} (a string)."
    acc = _new_class_probe()
    if acc[stage] == max(acc.values()):
        return None
    return (f"another stage's probe scores higher on the new classes than {stage}. "
            "Hint: read the column 'pretrained: new' of the table, not 'pretrained: seen'.")


@exercise("01.2", "replace the head of the bundled backbone for 7 classes")
def head_for_7_classes(answer) -> str | None:
    if not callable(answer):
        return "give your function itself (answer_01_2 = new_head), not its result. Hint: no parentheses."
    original = load_backbone("bundled", verbose=False)[0]
    model = copy.deepcopy(original)
    try:
        returned = answer(model)
    except Exception as err:
        return f"your function raised {type(err).__name__}: {err}. Hint: model.fc = nn.Linear(..., 7); return model."
    model = returned if isinstance(returned, nn.Module) else model
    fc = model.fc if isinstance(model.fc, nn.Linear) else None
    if fc is None:
        return "model.fc should be one nn.Linear layer. Hint: model.fc = nn.Linear(..., 7)."
    if fc.in_features != head_in_features(original):
        return (f"the new layer expects {fc.in_features} features, but {head_in_features(original)} reach it. "
                "Hint: use model.fc.in_features of the old head instead of a number you remember.")
    if fc.out_features != 7:
        return f"the new head has {fc.out_features} outputs. Hint: one output (logit) per class."
    same = all(torch.equal(p, q) for (n, p), (_, q) in zip(model.named_parameters(), original.named_parameters())
               if not n.startswith("fc."))
    if not same:
        return "the backbone's weights changed. Hint: only replace model.fc; do not re-initialise the rest."
    with torch.no_grad():
        out = model.eval()(torch.zeros(2, 3, 64, 64))
    return None if out.shape == (2, 7) else f"the output has shape {tuple(out.shape)}. Hint: expected (2, 7)."


@lru_cache(maxsize=1)
def _full_width_head_size() -> int:
    fc = torchvision.models.resnet50(weights=None).fc
    return fc.in_features * 10 + 10


@exercise("01.3", "parameters of a new 10-class head on the full-width ImageNet ResNet-50")
def full_width_head(answer) -> str | None:
    if close_to(answer, _full_width_head_size()):
        return None
    if close_to(answer, _full_width_head_size() - 10):
        return "almost: each of the 10 outputs also has a bias. Hint: weights + biases."
    return ("not yet. Hint: a Linear layer from F features to C classes has F * C weights and C biases; "
            "torchvision.models.resnet50(weights=None).fc.in_features gives F.")
