"""Checkers of notebook 05's "Try it yourself" (dropout)."""
from __future__ import annotations

import math

import torch
from torch import nn

from . import exercise


def _dropout_values(p: float) -> set[float]:
    """The distinct values ``nn.Dropout(p)`` outputs for an input of ones in train mode, measured."""
    torch.manual_seed(0)
    drop = nn.Dropout(p).train()
    return {round(v, 4) for v in drop(torch.ones(100_000)).unique().tolist()}


@exercise("05.1", "values nn.Dropout(0.25) can output for an input of ones in train mode")
def dropout_values_of_ones(answer) -> str | None:
    try:
        given = {round(float(v), 4) for v in answer}
    except (TypeError, ValueError):
        return "give the values as a list or set of numbers, e.g. [0.5, 2.0]. Hint: there are two."
    right = _dropout_values(0.25)
    if given == right:
        return None
    if 0.0 not in given:
        return "one value is missing. Hint: with probability p a value is dropped; what does it become?"
    if 1.0 in given:
        return "a survivor is not left at 1. Hint: inverted dropout rescales the survivors; by what factor?"
    if len(given) != len(right):
        return f"you gave {len(given)} values. Hint: every input is the same, so each output is dropped or kept."
    return "the survivors' value is off. Hint: the scaling keeps the mean at 1 when a fraction p is zeroed."


def _probe(fn, x: torch.Tensor, p: float, training: bool = True) -> torch.Tensor | None:
    """``fn``'s output on a copy of ``x`` (it may work in place); None unless a tensor of ``x``'s shape."""
    out = fn(x.clone(), p, training=training)
    return out if isinstance(out, torch.Tensor) and out.shape == x.shape else None


@exercise("05.2", "inverted dropout by hand, compared with nn.Dropout's statistics")
def inverted_dropout(answer) -> str | None:
    if not callable(answer):
        return "give a function my_dropout(x, p, training=True). Hint: def my_dropout(x, p, training=True): ..."
    gen_state = torch.random.get_rng_state()
    try:
        torch.manual_seed(0)
        x = torch.randn(200_000) + 2.0
        n = x.numel()
        for p in (0.2, 0.6):
            reference = nn.Dropout(p).train()(x)
            out = _probe(answer, x, p)
            if out is None:
                return ("your function does not return a tensor of the input's shape. "
                        "Hint: return a tensor like x, some values zeroed and the others rescaled.")
            zeroed, ref_zeroed = (out == 0).float().mean().item(), (reference == 0).float().mean().item()
            tol = 5 * math.sqrt(p * (1 - p) / n)          # five binomial standard deviations
            if abs(zeroed - ref_zeroed) > 2 * tol:
                return (f"with p={p} your function zeroes {zeroed:.3f} of the values, nn.Dropout {ref_zeroed:.3f}. "
                        "Hint: p is the probability of dropping a value, not of keeping it.")
            half = n // 2
            if abs((out[:half] == 0).float().mean().item() - (out[half:] == 0).float().mean().item()) > 2 * tol:
                return "the zeros are not spread evenly. Hint: draw an independent random number per value."
            kept = out != 0
            if not torch.allclose(out[kept], x[kept] / (1 - p), atol=1e-5):
                return "the kept values are not scaled like nn.Dropout's. Hint: inverted dropout divides them by 1 - p."
            again = _probe(answer, x, p)
            if again is not None and torch.equal(out, again):
                return "two calls give the same mask. Hint: draw a fresh random mask every call (torch.rand_like)."
        same = _probe(answer, x, 0.5, training=False)
        if same is None or not torch.equal(same, x):
            return "with training=False the output differs from the input. Hint: in eval mode dropout is the identity."
    finally:
        torch.random.set_rng_state(gen_state)
    return None
