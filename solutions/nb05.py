"""Reference answers to notebook 05's auto-checked exercises (try first, then look)."""
import statistics

import torch

import tl_helpers as tl
from tl_helpers.exercises import nb05 as _checks

SOLUTIONS = {}
WRONG = {}

# 05.1: survivors are scaled by 1 / (1 - 0.25) = 4/3; dropped values become 0.
SOLUTIONS["05.1"] = [0.0, 4 / 3]
WRONG["05.1"] = [[0.0, 1.0], [0.0, 0.75], [4 / 3], [0.0, 4.0], [0.0, 0.25, 4 / 3], "0 and 4/3"]


# 05.2
def my_dropout(x, p, training=True):
    if not training or p == 0:
        return x
    mask = (torch.rand_like(x) >= p).float()        # keep each value with probability 1 - p
    return x * mask / (1 - p)


def _no_scaling(x, p, training=True):
    return x * (torch.rand_like(x) >= p).float() if training else x


def _keep_probability_p(x, p, training=True):
    return x * (torch.rand_like(x) < p).float() / p if training else x


def _scaled_by_1_minus_p(x, p, training=True):
    return x * (torch.rand_like(x) >= p).float() * (1 - p) if training else x


def _always_on(x, p, training=True):
    return x * (torch.rand_like(x) >= p).float() / (1 - p)


def _first_fraction(x, p, training=True):
    if not training:
        return x
    out = x / (1 - p)
    out[: int(p * len(x))] = 0
    return out


def _fixed_mask(x, p, training=True):
    gen = torch.Generator().manual_seed(0)
    return x * (torch.rand(x.shape, generator=gen) >= p).float() / (1 - p) if training else x


SOLUTIONS["05.2"] = my_dropout
WRONG["05.2"] = [_no_scaling, _keep_probability_p, _scaled_by_1_minus_p, _always_on, _first_fraction, _fixed_mask,
                 lambda x, p, training=True: None]


# 05.3: a choice made on validation data, as sure as the noise between seeds allows. The notebook's runs give each
# p's validation accuracy per seed: val = {p: [r.val_acc for r in runs[p]] for p in runs}. The p with the best mean
# is always a defensible choice; so is any p whose seed-by-seed 95 % interval of (best minus it) reaches 0.
def choose_dropout(val):
    """The p with the highest mean validation accuracy."""
    return max(val, key=lambda p: statistics.mean(val[p]))


def defensible(val):
    """Every p not detectably below the best on validation (the interval of best minus it reaches 0)."""
    best = choose_dropout(val)
    return [p for p in val if p == best or tl.paired_interval(val[best], val[p])[1] <= 0]


_val = _checks.measure_dropout()        # the checker trains the notebook's runs: {p: validation accuracy per seed}
SOLUTIONS["05.3"] = choose_dropout(_val)
WRONG["05.3"] = [p for p in _val if p not in defensible(_val)] + [0.3, 1.5, "no dropout", [0.2, 0.5]]
