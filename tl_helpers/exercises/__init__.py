"""Exercises the learner can check: ``tl.check("07.1", answer)`` answers at once.

Each notebook ends with a "Try it yourself" section. An auto-checked exercise has a stable id
``"NN.k"`` (notebook, number) and a checker registered here by ``nbNN.py`` beside this file. The learner
fills a variable or writes a function in a cell and calls ``tl.check(id, answer)``:

- an answer left blank (``None`` or ``...``) prints "not attempted yet" (the notebook still runs);
- a right answer prints a pass and is recorded for ``tl.progress()`` (``passes.py``);
- a wrong one prints what is off and the first hint, never the answer; ``tl.hint(id)`` gives the next hint
  each time, up to a worked step, then points to the reference solution.

Checkers judge the idea, not the spelling: they read answers with ``answers.py`` (numbers in any common form,
names in any case, the paper's stage names) and run code answers under ``guard.py`` (global state restored, calls
of the thing to be written detected). A checker that fails itself gives a verdict too, never a traceback.

The verdicts start with ✔ (right), ✘ (not yet) or ○ (not attempted): glyphs that DejaVu and other common fonts
have, so they show without an emoji font.

Reference solutions live outside the package, in ``solutions/`` at the project root, to be looked up
on purpose; the tests run every checker against its solution and against the learner answers of
``tests/learner_answers.py``.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from .answers import NotYet
from .guard import none_from_call, preserved
from .passes import progress_lines, read_progress, record_pass

#: A checker returns ``None`` when the answer is right, else what is off (it may also raise ``NotYet``).
Checker = Callable[[Any], "str | None"]


@dataclass
class Exercise:
    """A registered exercise: its checker, its hints from conceptual to a worked step, what it asks for."""

    id: str
    title: str
    checker: Checker
    hints: tuple[str, ...]
    asks: str = "value"          # "value" or "function": what a learner passes


_EXERCISES: dict[str, Exercise] = {}
_HINTS_SHOWN: dict[str, int] = {}


@dataclass
class CheckResult:
    """What ``check`` found: ``passed`` is ``None`` for a blank answer."""

    exercise: str
    passed: bool | None
    message: str

    def _ipython_display_(self) -> None:    # already printed: a cell ending in check() shows nothing more
        pass


def exercise(exercise_id: str, title: str, hints: Sequence[str], asks: str = "value") -> Callable[[Checker], Checker]:
    """Register ``checker`` for ``exercise_id`` (``"NN.k"``) with a one-line ``title`` and its hint tiers."""
    def register(checker: Checker) -> Checker:
        if exercise_id in _EXERCISES:
            raise ValueError(f"Exercise {exercise_id} is registered twice.")
        _EXERCISES[exercise_id] = Exercise(exercise_id, title, checker, tuple(hints), asks)
        return checker
    return register


def _load_all() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("nb"):
            importlib.import_module(f"{__name__}.{info.name}")


def _get(exercise_id: str) -> Exercise:
    _load_all()
    if exercise_id not in _EXERCISES:
        raise KeyError(f"No exercise {exercise_id!r}; known: {', '.join(sorted(_EXERCISES))}.")
    return _EXERCISES[exercise_id]


def exercises() -> dict[str, str]:
    """Every auto-checked exercise: ``{id: title}``, in id order."""
    _load_all()
    return {k: _EXERCISES[k].title for k in sorted(_EXERCISES)}


def exercise_hints(exercise_id: str) -> tuple[str, ...]:
    """The hint tiers of ``exercise_id``, conceptual first (what ``hint`` shows one at a time)."""
    return _get(exercise_id).hints


def _judge(ex: Exercise, answer: Any) -> str | None:
    """The checker's verdict; ``NotYet`` and a checker that fails both become a message, never a traceback."""
    with preserved(answer):
        try:
            return ex.checker(answer)
        except NotYet as wrong:
            return str(wrong)
        except Exception as err:            # noqa: BLE001 (the checker's own failure is a verdict too)
            return f"the checker could not run your answer: {type(err).__name__}: {str(err)[:300]}."


def _blank(ex: Exercise, frame) -> str | None:
    """What is off when the answer is None because a call returned None; None for a plain blank."""
    call = none_from_call(frame)
    if call is None:
        return None
    name = getattr(call.func, "id", getattr(call.func, "attr", "the function"))
    if ex.asks == "function":
        return (f"your answer is what calling {name}(...) returned, and it returned None. Pass the function "
                f"itself, {name}, without parentheses (the checker calls it on a fresh model of its own).")
    return f"your answer is what calling {name}(...) returned, and it returned None: does it end with return ...?"


def _verdict(ex: Exercise, answer: Any, frame) -> tuple[bool | None, str]:
    head = f"Exercise {ex.id} ({ex.title})"
    problem = _blank(ex, frame) if answer is None else None
    if problem is None and (answer is None or answer is Ellipsis):
        return None, f"{head}: not attempted yet."
    problem = problem or _judge(ex, answer)
    if problem is None:
        return True, f"{head}: correct."
    _HINTS_SHOWN[ex.id] = max(_HINTS_SHOWN.get(ex.id, 0), 1)
    return False, f"{head}: not yet. {problem} Hint: {ex.hints[0]} (More: tl.hint(\"{ex.id}\").)"


def check(exercise_id: str, answer: Any = None, verbose: bool = True) -> CheckResult:
    """Check an answer to exercise ``exercise_id`` and say at once whether it is right.

    Args:
        exercise_id: The exercise, e.g. ``"07.1"`` (listed by ``exercises()``).
        answer: Your answer; ``None`` or ``...`` means not attempted yet.
        verbose: Print the verdict.

    Returns:
        The verdict (``passed`` is ``None`` when not attempted). A pass is recorded for ``progress()``.
    """
    ex = _get(exercise_id)
    passed, message = _verdict(ex, answer, sys._getframe(1))
    note = record_pass(ex.id) if passed else None
    if verbose:
        print(("✔ " if passed else "○ " if passed is None else "✘ ") + message + (f"\n{note}" if note else ""))
    return CheckResult(ex.id, passed, message)


def hint(exercise_id: str, verbose: bool = True) -> str:
    """The next hint for ``exercise_id``: each call goes one tier deeper, up to a worked step (never the answer)."""
    ex = _get(exercise_id)
    shown = _HINTS_SHOWN.get(ex.id, 0)
    if shown < len(ex.hints):
        _HINTS_SHOWN[ex.id] = shown + 1
        text = f"Hint {shown + 1} of {len(ex.hints)} for {ex.id}: {ex.hints[shown]}"
    else:
        text = (f"No more hints for {ex.id}: you have seen all {len(ex.hints)}. The reference solution is in "
                f"solutions/nb{ex.id[:2]}.py (look on purpose, after trying).")
    if verbose:
        print(text)
    return text


def progress(verbose: bool = True) -> dict[str, str]:
    """The exercises passed so far across the series, ``{id: time of the first pass}``, printed by notebook."""
    passed, note = read_progress()
    lines = ([note] if note else []) + progress_lines(passed, list(exercises()))
    if verbose:
        print("\n".join(lines))
    return passed
