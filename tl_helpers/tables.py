"""What notebooks show as text: mean ± std over seeds, Markdown tables displayed rendered, a helper's source."""
from __future__ import annotations

import statistics
from typing import Iterable, Sequence


def mean_std(values: Iterable[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (0 for a single value)."""
    values = list(values)
    return statistics.mean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)


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
