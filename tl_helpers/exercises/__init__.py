"""Exercises the learner can check: ``tl.check("07.1", answer)`` answers at once.

Each notebook ends with a "Try it yourself" section. An auto-checked exercise has a stable id
``"NN.k"`` (notebook, number) and a checker registered here by ``nbNN.py`` beside this file. The learner
fills a variable or writes a function in a cell and calls ``tl.check(id, answer)``:

- an answer left blank (``None`` or ``...``) prints "not attempted yet" (the notebook still runs);
- a right answer prints a pass;
- a wrong one prints what is off and a hint, never the answer.

The verdicts start with ✔ (right), ✘ (not yet) or ○ (not attempted): glyphs that DejaVu and other common fonts
have, so they show without an emoji font.

Reference solutions live outside the package, in ``solutions/`` at the project root, to be looked up
on purpose; the tests run every checker against its solution and against plausible wrong answers.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any, Callable

#: A checker returns ``None`` when the answer is right, else the message to show (what is off + hint).
Checker = Callable[[Any], "str | None"]

_CHECKERS: dict[str, tuple[str, Checker]] = {}


@dataclass
class CheckResult:
    """What ``check`` found: ``passed`` is ``None`` for a blank answer."""

    exercise: str
    passed: bool | None
    message: str

    def _ipython_display_(self) -> None:    # already printed: a cell ending in check() shows nothing more
        pass


def exercise(exercise_id: str, title: str) -> Callable[[Checker], Checker]:
    """Register ``checker`` for ``exercise_id`` (``"NN.k"``) with a one-line ``title``."""
    def register(checker: Checker) -> Checker:
        if exercise_id in _CHECKERS:
            raise ValueError(f"Exercise {exercise_id} is registered twice.")
        _CHECKERS[exercise_id] = (title, checker)
        return checker
    return register


def _load_all() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("nb"):
            importlib.import_module(f"{__name__}.{info.name}")


def exercises() -> dict[str, str]:
    """Every auto-checked exercise: ``{id: title}``, in id order."""
    _load_all()
    return {k: _CHECKERS[k][0] for k in sorted(_CHECKERS)}


def check(exercise_id: str, answer: Any = None, verbose: bool = True) -> CheckResult:
    """Check an answer to exercise ``exercise_id`` and say at once whether it is right.

    Args:
        exercise_id: The exercise, e.g. ``"07.1"`` (listed by ``exercises()``).
        answer: Your answer; ``None`` or ``...`` means not attempted yet.
        verbose: Print the verdict.

    Returns:
        The verdict (``passed`` is ``None`` when not attempted).
    """
    _load_all()
    if exercise_id not in _CHECKERS:
        raise KeyError(f"No exercise {exercise_id!r}; known: {', '.join(sorted(_CHECKERS))}.")
    title, checker = _CHECKERS[exercise_id]
    if answer is None or answer is Ellipsis:
        result = CheckResult(exercise_id, None, f"Exercise {exercise_id} ({title}): not attempted yet.")
    else:
        try:
            problem = checker(answer)
        except Exception as err:            # a learner's function that raises is a wrong answer
            problem = f"your answer raised {type(err).__name__}: {err}"
        ok = problem is None
        message = (f"Exercise {exercise_id} ({title}): correct." if ok else
                   f"Exercise {exercise_id} ({title}): not yet. {problem}")
        result = CheckResult(exercise_id, ok, message)
    if verbose:
        print(("✔ " if result.passed else "○ " if result.passed is None else "✘ ") + result.message)
    return result


def close_to(value: Any, target: float, rel: float = 0.0, abs_tol: float = 0.0) -> bool:
    """Is ``value`` a number within ``rel`` (relative) or ``abs_tol`` (absolute) of ``target``?"""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return False
    return abs(v - target) <= max(abs_tol, rel * abs(target))
