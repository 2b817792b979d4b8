"""What notebooks show as text: mean ± std over seeds, t-based 95 % intervals, Markdown tables, a helper's source."""
from __future__ import annotations

import math
import statistics
from typing import Iterable, Sequence


def mean_std(values: Iterable[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    values = list(values)
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


#: Two-sided 95 % quantiles of Student's t distribution, by degrees of freedom (df = seeds - 1).
_T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
         11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093,
         20: 2.086, 25: 2.060, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}


def t_quantile(df: int, confidence: float = 0.95) -> float:
    """The t quantile of a two-sided ``confidence`` interval with ``df`` degrees of freedom (2.776: 95 %, df 4).

    For 95 %, between tabulated ``df`` it takes the next smaller one (a slightly wider, conservative interval);
    beyond 120 the normal 1.960. Other levels (e.g. a Bonferroni correction, ``1 - 0.05 / m`` for ``m``
    comparisons) are computed by integrating the t density.
    """
    if df < 1:
        raise ValueError(f"a t interval needs at least 2 values (df >= 1), got df={df}.")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie between 0 and 1, got {confidence}.")
    if confidence != 0.95:
        return _t_quantile_numeric(df, 0.5 + confidence / 2)
    if df > 120:
        return 1.960
    return _T975[max(k for k in _T975 if k <= df)]


def _t_quantile_numeric(df: int, p: float) -> float:
    """The ``p`` quantile (p > 0.5) of Student's t by bisection on its CDF (Simpson's rule on the density)."""
    c = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)   # no overflow for large df
    density = lambda t: c * (1 + t * t / df) ** (-(df + 1) / 2)

    def cdf(x: float, n: int = 2000) -> float:
        h = x / n
        inner = sum((4 if i % 2 else 2) * density(i * h) for i in range(1, n))
        return 0.5 + h / 3 * (density(0) + inner + density(x))

    low, high = 0.0, 1.0
    while cdf(high) < p:
        low, high = high, 2 * high
    for _ in range(50):
        mid = (low + high) / 2
        low, high = (mid, high) if cdf(mid) < p else (low, mid)
    return (low + high) / 2


def t_interval(values: Iterable[float], confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean and t-based interval ``(mean, low, high)`` of independent values (e.g. one per seed), 95 % by default."""
    values = list(values)
    m, s = mean_std(values)
    half = t_quantile(len(values) - 1, confidence) * s / len(values) ** 0.5
    return m, m - half, m + half


def paired_interval(values: Sequence[float], baseline: Sequence[float],
                    confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean of the seed-by-seed differences ``values[i] - baseline[i]`` and its t-based 95 % interval.

    Runs with the same seed share the initialisation and the batch order, so the difference within a seed
    isolates the one setting that differs, and the spread between seeds cancels out of it.
    """
    return t_interval([a - b for a, b in zip(values, baseline, strict=True)], confidence)


def unpaired_interval(values: Sequence[float], baseline: Sequence[float],
                      confidence: float = 0.95) -> tuple[float, float, float]:
    """Difference of two means ``mean(values) - mean(baseline)`` of independent runs, with a t-based interval.

    For runs that share nothing (e.g. different training images), so no seed-by-seed pairing: Welch's
    standard error ``sqrt(s1²/n1 + s2²/n2)`` with the conservative ``min(n1, n2) - 1`` degrees of freedom.
    """
    (m1, s1), (m2, s2) = mean_std(values), mean_std(baseline)
    se = (s1 ** 2 / len(values) + s2 ** 2 / len(baseline)) ** 0.5
    half = t_quantile(min(len(values), len(baseline)) - 1, confidence) * se
    return m1 - m2, m1 - m2 - half, m1 - m2 + half


def ci(interval: tuple[float, float, float], digits: int = 3, signed: bool = False) -> str:
    """``(mean, low, high)`` as ``"+0.031 [+0.012, +0.050]"``."""
    f = f"{'+' if signed else ''}.{digits}f"
    m, lo, hi = interval
    return f"{m:{f}} [{lo:{f}}, {hi:{f}}]"


def pm(stats: tuple[float, float], digits: int = 3) -> str:
    """``(mean, std)`` as ``"0.781 ± 0.003"``."""
    return f"{stats[0]:.{digits}f} ± {stats[1]:.{digits}f}"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table; cells are written with ``str`` (format numbers before)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def show_markdown(text: str) -> None:
    """Display Markdown rendered in a notebook (plain text elsewhere)."""
    from IPython.display import Markdown, display
    display(Markdown(text))


def show_source(obj: object) -> None:
    """Show the source code of a helper (function, class or module), highlighted in a notebook.

    Every helper is a few lines of PyTorch with bookkeeping: read it (``tl.show_source(tl.fit)``;
    in JupyterLab ``tl.fit??`` does the same).
    """
    import inspect
    from IPython.display import Code, display
    display(Code(inspect.getsource(obj), language="python"))
