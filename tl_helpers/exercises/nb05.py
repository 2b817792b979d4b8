"""Checkers of notebook 05's "Try it yourself" (dropout)."""
from __future__ import annotations

import math
from functools import lru_cache

import torch
from torch import nn
from torch.nn import functional as F

from . import exercise, judgement
from ..i18n import tr
from .answers import NotYet, number, numbers_in
from .guard import call, is_stub, spying
from ..experiments import load_task, train_seeds
from ..recipe import HEAD_EPOCHS

#: Functions an answer to 05.2 must not call: dropout itself (``nn.Dropout`` goes through them too).
_DROPOUTS = ((F, "dropout"), (torch, "dropout"), (torch, "dropout_"), (torch._VF, "dropout"), (torch._VF, "dropout_"))


#: 05.1 accepts values rounded to 2 decimals (4/3 as 1.33).
VALUE_TOLERANCE = 0.005


def _dropout_values(p: float) -> list[float]:
    """The distinct values ``nn.Dropout(p)`` outputs for an input of ones in train mode, measured (RNG untouched)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        return sorted(set(nn.Dropout(p).train()(torch.ones(100_000)).unique().tolist()))


def _covers(given: list[float], right: list[float]) -> bool:
    """Does every given value match a right one and every right one a given one, within the tolerance?"""
    match = lambda v, pool: any(abs(v - w) <= VALUE_TOLERANCE for w in pool)
    return all(match(v, right) for v in given) and all(match(w, given) for w in right)


@exercise("05.1", "values nn.Dropout(0.25) can output for an input of ones in train mode",
          values={"tolerance": VALUE_TOLERANCE}, hints=(
    "in train mode dropout treats each value on its own: it is either dropped or kept, and a kept value is "
    "rescaled so that the average output stays what it would be without dropout.",
    "a dropped value becomes zero. For the kept ones: if a fraction p is zeroed, by what factor must the "
    "survivors grow so the mean of many ones is still 1?",
    "worked step: the mean output is (1 - p) · s, where s is a survivor's value; set it equal to 1 and solve for "
    "s with p = 0.25. Values rounded to 2 decimals (within {tolerance}) are accepted."))
def dropout_values_of_ones(answer) -> str | None:
    given = numbers_in(answer)
    right = _dropout_values(0.25)
    if _covers(given, right):
        return None
    if not any(abs(v) <= VALUE_TOLERANCE for v in given):
        return tr("one value is missing: what does a dropped value become?")
    if any(abs(v - 1) <= VALUE_TOLERANCE for v in given):
        return tr("a survivor is not left at 1: inverted dropout rescales the survivors.")
    if len({round(v, 2) for v in given}) != len(right):
        return tr("you gave {n} value(s), but every input is the same, so each output is dropped or kept.",
                  n=len(given))
    return tr("the survivors' value is off.")


def _probe(fn, x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor:
    """``fn``'s output on a copy of ``x`` (it may work in place), watched for calls of dropout itself."""
    with spying(*_DROPOUTS) as calls:
        out = call(lambda: fn(x.clone(), p, training=training))
    if calls:
        raise NotYet(tr("your function calls PyTorch's dropout (F.dropout, nn.Dropout or torch.dropout): the "
                        "exercise is to write it from a random mask yourself."))
    if not (isinstance(out, torch.Tensor) and out.shape == x.shape):
        raise NotYet(tr("your function does not return a tensor of the input's shape."))
    return out


def _statistics_problem(fn, x: torch.Tensor, p: float) -> str | None:
    """Compare ``fn``'s train-mode output with ``nn.Dropout(p)``'s: fraction zeroed, spread, scale, fresh masks."""
    n, half = x.numel(), x.numel() // 2
    ref_zeroed = (nn.Dropout(p).train()(x) == 0).float().mean().item()
    out = _probe(fn, x, p)
    zeroed = (out == 0).float().mean().item()
    tol = 10 * math.sqrt(p * (1 - p) / n)          # ten binomial standard deviations
    if abs(zeroed - ref_zeroed) > tol:
        return tr("with p={p} your function zeroes {zeroed:.3f} of the values, nn.Dropout {ref:.3f}.", p=p,
                  zeroed=zeroed, ref=ref_zeroed)
    if abs((out[:half] == 0).float().mean().item() - (out[half:] == 0).float().mean().item()) > tol:
        return tr("the zeros are not spread evenly over the values: each value needs its own random draw.")
    kept = out != 0
    if not torch.allclose(out[kept], x[kept] / (1 - p), atol=1e-5):
        return tr("the kept values are not scaled like nn.Dropout's.")
    if torch.equal(out, _probe(fn, x, p)):
        return tr("two calls give the same mask: a fresh random mask is needed on every call.")
    return None


@exercise("05.2", "inverted dropout by hand, compared with nn.Dropout's statistics", asks="function", hints=(
    "dropout in training keeps each value with probability 1 - p, independently, and rescales what it keeps so "
    "the expected output equals the input; outside training it does nothing.",
    "a mask of independent random numbers, one per value (torch.rand_like(x)), compared with p tells you which "
    "values to keep; the survivors need the inverted-dropout scale factor.",
    "worked step: build a float mask that is 1 where the random number is at least p and 0 elsewhere, multiply x "
    "by it and rescale the result; when training is False return x as it is. Do not call nn.Dropout or F.dropout."))
def inverted_dropout(answer) -> str | None:
    if not callable(answer) or isinstance(answer, nn.Module):
        raise NotYet(tr("give a function my_dropout(x, p, training=True), written with def."))
    if is_stub(answer):
        raise NotYet(tr("the body of your function is not written yet (it is still ...)."))
    torch.manual_seed(0)                    # check() restores the learner's random state afterwards
    x = torch.randn(200_000) + 2.0
    for p in (0.2, 0.6):
        problem = _statistics_problem(answer, x, p)
        if problem:
            return problem
    if not torch.equal(_probe(answer, x, 0.5, training=False), x):
        return tr("with training=False the output differs from the input.")
    return None


#: 05.3: the dropout probabilities notebook 05 measures (its ``runs``), the only ones a choice can be judged on.
DROPOUT_CHOICES = (0.0, 0.2, 0.5, 0.8)


@lru_cache(maxsize=1)
def measure_dropout() -> dict[float, tuple[float, ...]]:
    """Validation accuracy per dropout ``p`` and seed: notebook 05's runs, trained by the checker itself, once.

    The same configuration as the notebook's ``runs`` (a new head on the frozen backbone, ``3 * HEAD_EPOCHS``
    epochs, each run at its best validation epoch), so the checker never relies on numbers the learner passes.
    """
    task = load_task("bundled", verbose=False)
    return judgement.measure(lambda: {
        p: train_seeds(task, "frozen", judgement.SEEDS, progress=False, num_epochs=3 * HEAD_EPOCHS,
                       dropout=p or None, select="val") for p in DROPOUT_CHOICES})


@exercise("05.3", "the dropout p you would choose for the head, judged on validation accuracy", hints=(
    "a choice made on validation data is only as sure as the noise between seeds allows: a p is a good choice when "
    "no other measured p is detectably better on validation, seed by seed (a 95 % interval of the difference that "
    "stays above 0). The test columns decide nothing here.",
    "read the validation columns of the table: find the p with the highest mean validation accuracy, then ask for "
    "the p you like whether the seed-by-seed interval of (best minus it) still reaches 0. The 'validation change' "
    "column does this against the first p; the same rule applies against the best one.",
    "worked step: val = {p: [r.val_acc for r in runs[p]] for p in runs}; best = max(val, key=lambda p: "
    "sum(val[p])); low = tl.paired_interval(val[best], val[your_p])[1]. Your p is defensible when low <= 0. The "
    "checker trains the same runs itself (the first check takes a while) and applies this rule."))
def dropout_choice(answer) -> str | None:
    p = number(answer)
    if not 0 <= p < 1:
        return tr("{p:g} is not a dropout probability: p lies between 0 and 1 (0.1 drops a tenth of the values).",
                  p=p)
    chosen = [c for c in DROPOUT_CHOICES if abs(p - c) <= 1e-6]
    if not chosen:
        return tr("p = {p:g} was not measured, so validation cannot back it: choose one of the measured values "
                  "{choices}.", p=p, choices=", ".join(f"{c:.1f}" for c in DROPOUT_CHOICES))
    if judgement.detectably_worse(chosen[0], measure_dropout()):
        return tr("on validation, p = {p:.1f} is detectably below another measured p: the seed-by-seed 95 % "
                  "interval of that p's validation accuracy minus yours lies above 0. Compare the 'validation "
                  "change' column and the validation accuracies in the table.", p=chosen[0])
    return None
