"""Claims a learner can see: every sentence of the text that a run measures is checked by one printed line.

    tl.claim("feature extraction beats scratch by at least 20 points", gap, at_least=0.20)

prints ``✔ feature extraction beats scratch by at least 20 points: measured 0.312 (needs ≥ 0.2)``. A claim the
run does not bear out prints ``✘`` with the measured value and a one-line explanation, and the notebook goes on:
a threshold missed by a hair on another machine or seed should not stop a learner's Run All. Under the tests and
the book build (``TL_STRICT_CLAIMS=1``, set by ``tests/conftest.py`` and ``book/build.py``) it raises
``ClaimError`` instead, so CI fails on a broken claim.

A claim compares a number the run computed with a bound (``at_least``, ``at_most``), or states a fact the run
established (``holds=``). Checks that guard the code itself (shapes, sizes, file names) are not claims: they
stay plain ``assert`` lines or tests. The glyphs ✔ and ✘ are in DejaVu and most other common fonts (no emoji
font needed).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from .config import strict_claims
from .i18n import N_, tr

PASS, FAIL = "✔", "✘"

#: What a failed claim says when the notebook gives no ``note`` of its own (in English: shown through ``tr``).
DEFAULT_NOTE = N_("The text above claims this, and on this run it did not hold. A number close to its bound can "
                  "move with the seed or the machine; a large miss means something changed: re-run the notebook "
                  "from the top, and if it persists, please report it.")


class ClaimError(AssertionError):
    """A claim failed under ``TL_STRICT_CLAIMS=1`` (the tests and the book build)."""


@dataclass
class Claim:
    """One checked claim: its words, the measured value, the bounds and whether it held."""

    text: str
    value: Any
    passed: bool
    line: str

    def __bool__(self) -> bool:
        return self.passed

    def _ipython_display_(self) -> None:    # already printed: a cell ending in claim() shows nothing more
        pass


def _number(value: Any) -> float | int:
    """``value`` as a number: an int stays an int (a count); float, numpy scalar, 0-d or one-element tensor."""
    if hasattr(value, "item"):
        value = value.item()
    return value if isinstance(value, int) and not isinstance(value, bool) else float(value)


def _fmt(value: Any, fmt: str | Callable[[Any], str] | None) -> str:
    if callable(fmt):
        return fmt(value)
    if fmt is not None:
        return format(value, fmt)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.3g}" if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e4) else f"{value:.3f}"


def claim(text: str, value: Any = None, *, at_least: float | None = None, at_most: float | None = None,
          holds: bool | None = None, fmt: str | Callable[[Any], str] | None = None,
          note: str | None = None) -> Claim:
    """Check one claim of the text against the run and print it as one line (✔ or ✘).

    Args:
        text: The claim in words, as the text states it (in English: the line prints its translation in the
            active language, looked up whole, ``tl_helpers/locales/<language>/claims_NN.py``).
        value: What the run measured (a number, or anything printable with ``holds``).
        at_least: The claim holds if ``value >= at_least``.
        at_most: The claim holds if ``value <= at_most`` (with ``at_least``: a range).
        holds: For a claim that is not a bound on one number: whether the run bore it out.
        fmt: Format of numbers (``".1%"``, ``".2e"``, or a function); default: 3 significant places.
        note: The one-line explanation printed when the claim fails (default: ``DEFAULT_NOTE``), translated too.

    Returns:
        The ``Claim`` (true if it held).

    Raises:
        ClaimError: The claim failed and ``TL_STRICT_CLAIMS`` is on (tests, book build).
        ValueError: Neither a bound nor ``holds`` was given, or ``value`` is not a number where a bound needs one.
    """
    if holds is None and at_least is None and at_most is None:
        raise ValueError(tr("claim({text!r}): give a bound (at_least=, at_most=) or holds=True/False.", text=text))
    needs = []
    if holds is not None:
        passed = bool(holds)
    else:
        try:
            number = _number(value)
        except (TypeError, ValueError):
            raise ValueError(tr("claim({text!r}): the value {value!r} is not a number; a bound needs one.",
                                text=text, value=value)) from None
        passed = not math.isnan(number)
        if at_least is not None:
            passed = passed and number >= at_least
            needs.append(f"≥ {_fmt(at_least, fmt)}")
        if at_most is not None:
            passed = passed and number <= at_most
            needs.append(f"≤ {_fmt(at_most, fmt)}")
    words = tr(text)                # the line speaks the active language; Claim.text stays the notebook's English
    measured = "" if value is None else ": " + tr("measured {value}",
                                                  value=_fmt(value if holds is not None else number, fmt))
    bound = "" if not needs else " ({})".format(tr("needs {bound}", bound=needs[0]) if len(needs) == 1 else
                                                tr("needs {low} and {high}", low=needs[0], high=needs[1]))
    line = f"{PASS if passed else FAIL} {words}{measured}{bound}"
    if not passed:
        line += f"\n  {tr('not confirmed on this run.')} {tr(note) if note else tr(DEFAULT_NOTE)}"
        if strict_claims():
            raise ClaimError(line)
    print(line)
    return Claim(text, value, passed, line)
