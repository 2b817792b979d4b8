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

Everything a learner reads speaks the active language (``tl.set_language``): verdicts and checker messages go
through ``tr`` where they are written; an exercise's title and hints are written in English where it is registered
and translated where they are shown (``locales/<language>/exercises.py``). Hints that need a value from the code
name it as a field (``{tolerance:.1%}``) filled in from ``values=``; such an exercise doubles its literal braces.

Reference solutions live outside the package, in ``solutions/`` at the project root, to be looked up
on purpose; the tests run every checker against its solution and against the learner answers of
``tests/learner_answers.py``.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from ..i18n import MissingTranslation, tr
from .answers import NotYet
from .guard import none_from_call, preserved
from .passes import progress_lines, read_progress, record_pass

#: A checker returns ``None`` when the answer is right, else what is off (it may also raise ``NotYet``).
Checker = Callable[[Any], "str | None"]


@dataclass
class Exercise:
    """A registered exercise: its checker, its hints from conceptual to a worked step, what it asks for.

    ``title`` and ``hints`` are the English templates; ``shown_title`` and ``shown_hints`` give them in the active
    language, with ``values`` filled into the hints' ``{fields}``.
    """

    id: str
    title: str
    checker: Checker
    hints: tuple[str, ...]
    asks: str = "value"          # "value" or "function": what a learner passes
    values: dict[str, Any] = field(default_factory=dict)

    def shown_title(self) -> str:
        return tr(self.title)

    def shown_hints(self) -> tuple[str, ...]:
        return tuple(tr(hint, **self.values) for hint in self.hints)


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


def exercise(exercise_id: str, title: str, hints: Sequence[str], asks: str = "value",
             values: dict[str, Any] | None = None) -> Callable[[Checker], Checker]:
    """Register ``checker`` for ``exercise_id`` (``"NN.k"``) with a one-line ``title`` and its hint tiers.

    ``title`` and ``hints`` are English literals (translated where shown); ``values`` fills the hints' ``{fields}``.
    """
    def register(checker: Checker) -> Checker:
        if exercise_id in _EXERCISES:
            raise ValueError(f"Exercise {exercise_id} is registered twice.")
        _EXERCISES[exercise_id] = Exercise(exercise_id, title, checker, tuple(hints), asks, dict(values or {}))
        return checker
    return register


def _load_all() -> None:
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("nb"):
            importlib.import_module(f"{__name__}.{info.name}")


def _get(exercise_id: str) -> Exercise:
    _load_all()
    if exercise_id not in _EXERCISES:
        raise KeyError(tr("No exercise {id!r}; known: {known}.", id=exercise_id, known=", ".join(sorted(_EXERCISES))))
    return _EXERCISES[exercise_id]


def exercises() -> dict[str, str]:
    """Every auto-checked exercise: ``{id: title}``, in id order (titles in the active language)."""
    _load_all()
    return {k: _EXERCISES[k].shown_title() for k in sorted(_EXERCISES)}


def exercise_hints(exercise_id: str) -> tuple[str, ...]:
    """The hint tiers of ``exercise_id``, conceptual first (what ``hint`` shows one at a time), as shown."""
    return _get(exercise_id).shown_hints()


def _judge(ex: Exercise, answer: Any) -> str | None:
    """The checker's verdict; ``NotYet`` and a checker that fails both become a message, never a traceback."""
    with preserved(answer):
        try:
            return ex.checker(answer)
        except NotYet as wrong:
            return str(wrong)
        except MissingTranslation:          # a text without its translation (tests, book): the helpers' bug, shown
            raise
        except Exception as err:            # noqa: BLE001 (the checker's own failure is a verdict too)
            return tr("the checker could not run your answer: {error}: {message}.", error=type(err).__name__,
                      message=str(err)[:300])


def _blank(ex: Exercise, frame) -> str | None:
    """What is off when the answer is None because a call returned None; None for a plain blank."""
    call = none_from_call(frame)
    if call is None:
        return None
    name = getattr(call.func, "id", getattr(call.func, "attr", None)) or tr("the function")
    if ex.asks == "function":
        return tr("your answer is what calling {name}(...) returned, and it returned None. Pass the function "
                  "itself, {name}, without parentheses (the checker calls it on a fresh model of its own).", name=name)
    return tr("your answer is what calling {name}(...) returned, and it returned None: does it end with "
              "return ...?", name=name)


def _verdict(ex: Exercise, answer: Any, frame) -> tuple[bool | None, str]:
    head = tr("Exercise {id} ({title})", id=ex.id, title=ex.shown_title())
    problem = _blank(ex, frame) if answer is None else None
    if problem is None and (answer is None or answer is Ellipsis):
        return None, tr("{head}: not attempted yet.", head=head)
    problem = problem or _judge(ex, answer)
    if problem is None:
        return True, tr("{head}: correct.", head=head)
    _HINTS_SHOWN[ex.id] = max(_HINTS_SHOWN.get(ex.id, 0), 1)
    return False, tr('{head}: not yet. {problem} Hint: {hint} (More: tl.hint("{id}").)', head=head, problem=problem,
                     hint=ex.shown_hints()[0], id=ex.id)


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
        text = tr("Hint {n} of {total} for {id}: {hint}", n=shown + 1, total=len(ex.hints), id=ex.id,
                  hint=ex.shown_hints()[shown])
    else:
        text = tr("No more hints for {id}: you have seen all {total}. The reference solution is in "
                  "solutions/nb{nb}.py (look on purpose, after trying).", id=ex.id, total=len(ex.hints), nb=ex.id[:2])
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
