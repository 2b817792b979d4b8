"""Reference answers to notebook 07's auto-checked exercises (try first; look here on purpose)."""

from torch import nn

import tl_helpers as tl
from tl_helpers.exercises import judgement as _judgement
from tl_helpers.exercises import nb07 as _checks


def _count_layer3_and_head(model):
    for name, p in model.named_parameters():
        p.requires_grad = name.startswith(("layer3.", "fc."))
    return tl.count_parameters(model)[0]


def freeze(model):
    """Feature extraction: every parameter except the new head's stops learning."""
    for name, p in model.named_parameters():
        p.requires_grad = name.startswith("fc.")


def _freeze_all(model):               # forgets that the new head must train
    for p in model.parameters():
        p.requires_grad = False


def _freeze_convs_only(model):        # BatchNorm's weight and bias still train
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            m.weight.requires_grad = False


def _nothing(model):                  # nothing frozen
    return model


_model = tl.replace_head(tl.load_backbone("bundled", verbose=False)[0], 10)
_layer3_only = sum(p.numel() for p in _model.layer3.parameters())
_layer3_to_4 = tl.count_parameters(tl.unfreeze(_model, "layer3"))[0]     # layer3, layer4 and the head

SOLUTIONS = {"07.1": _count_layer3_and_head(_model), "07.2": freeze}
WRONG = {
    "07.1": [_layer3_to_4, _layer3_only, "many"],
    "07.2": [_freeze_all, _freeze_convs_only, _nothing, 5130],
}


# 07.3: a choice made on validation data, as sure as the noise between seeds allows. The comparison gives each
# strategy's validation accuracy per seed: val = {s: [r.val_acc for r in results[s]] for s in tl.STRATEGIES}. The
# strategy with the best mean is always defensible; so is any whose seed-by-seed 95 % interval of (best minus it)
# reaches 0.
# The rule, in tl_helpers/exercises/judgement.py: best_choice (highest mean validation accuracy) and within_noise
# (every choice whose seed-by-seed 95 % interval of best minus it reaches 0, tl.paired_interval).
choose_strategy, defensible = _judgement.best_choice, _judgement.within_noise


_val = _checks.measure_strategies()     # the checker trains its own runs: {strategy: validation accuracy per seed}
SOLUTIONS["07.3"] = choose_strategy(_val)
WRONG["07.3"] = [s for s in _val if s not in defensible(_val)] + ["transfer learning", 3, ["frozen", "finetune"]]
