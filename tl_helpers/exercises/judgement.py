"""Exercises that ask for judgement: a choice made on validation data, judged against the checker's own measurement.

Such an exercise asks which setting (a dropout probability, a strategy, a schedule) the learner would choose,
judged on validation accuracy. Its checker never reads numbers from the learner: it trains the same runs itself
(``measure``, once per process), and accepts every choice whose validation accuracy is not detectably below the
best choice's: the seed-by-seed 95 % interval of best minus it (``tables.paired_interval``) reaches 0. A choice
within the noise of the measurement is as defensible as the best mean; the simpler one need not be preferred.
"""
from __future__ import annotations

import statistics
from typing import Callable, Hashable, Mapping, Sequence, TypeVar

import torch

from ..tables import paired_interval

K = TypeVar("K", bound=Hashable)

#: The seeds every judgement exercise measures with (the notebooks' seeds).
SEEDS = (0, 1, 2, 3, 4)


def measure(runs: Callable[[], Mapping[K, list]]) -> dict[K, tuple[float, ...]]:
    """Each choice's validation accuracies, one per seed, from ``runs()`` (``{choice: [RunResult per seed]}``).

    Training switches PyTorch to deterministic algorithms (``seed_everything``); the learner's setting is put back.
    """
    deterministic = torch.are_deterministic_algorithms_enabled()
    warn_only = torch.is_deterministic_algorithms_warn_only_enabled()
    try:
        return {choice: tuple(float(r.val_acc) for r in results) for choice, results in runs().items()}
    finally:
        torch.use_deterministic_algorithms(deterministic, warn_only=warn_only)


def best_choice(val_accs: Mapping[K, Sequence[float]]) -> K:
    """The choice with the highest mean validation accuracy (the first one on a tie)."""
    return max(val_accs, key=lambda k: statistics.mean(val_accs[k]))


def within_noise(val_accs: Mapping[K, Sequence[float]]) -> list[K]:
    """The choices not detectably below the best on validation: the 95 % interval of best minus each reaches 0."""
    best = best_choice(val_accs)
    return [k for k in val_accs if k == best or paired_interval(val_accs[best], val_accs[k])[1] <= 0]


def detectably_worse(choice: K, val_accs: Mapping[K, Sequence[float]]) -> bool:
    """Is ``choice``'s validation accuracy detectably below the best choice's (seed by seed, 95 %)?"""
    return choice not in within_noise(val_accs)
