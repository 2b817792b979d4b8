"""Reading a learner's answer the way a teacher would: the idea counts, not the spelling.

Every checker reads answers with these helpers, so ``1114112``, ``"1,114,112"``, ``np.int64(1114112)`` and
``torch.tensor(1114112)`` are the same number, ``" Layer3"`` and ``"conv4_x"`` the same stage, and an answer of
the wrong kind (a list, text or ``True`` where a number is asked) gets "give a number" rather than a misleading
verdict. A helper that cannot read an answer raises ``NotYet`` with what to give instead; ``check`` shows it.
"""
from __future__ import annotations

import math
import numbers
import re
from typing import Any, Iterable

import numpy as np
import torch

from ..i18n import tr


class NotYet(Exception):
    """A wrong answer, found deep inside a checker: the message says what is off (never the answer)."""


#: The names the series gives ResNet-50's stages besides ``layer1`` ...: the paper's (notebook 06's table).
STAGE_SYNONYMS = {"conv1": "stem", "conv2_x": "layer1", "conv3_x": "layer2", "conv4_x": "layer3",
                  "conv5_x": "layer4", "head": "fc"}

_SEPARATED = re.compile(r"[+-]?\d{1,3}([,_ '\u202f\u00a0]\d{3})+(\.\d+)?")
_FRACTION = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)")


def _from_text(text: str, unit: str | None) -> float | None:
    """A number written as text: ``"452618.0"``, ``"1,114,112"``, ``"4/3"``, ``"80px"`` (``unit="px"``)."""
    s = text.strip().strip("'\"").strip()
    if unit and s.lower().endswith(unit):
        s = s[: -len(unit)].strip()
    if _SEPARATED.fullmatch(s):
        s = re.sub(r"[,_ '\u202f\u00a0]", "", s)
    fraction = _FRACTION.fullmatch(s)
    if fraction and float(fraction.group(2)) != 0:
        return float(fraction.group(1)) / float(fraction.group(2))
    try:
        return float(s)
    except ValueError:
        return None


def number(answer: Any, unit: str | None = None) -> float:
    """``answer`` as a finite float, or ``NotYet("give a number ...")``.

    Accepts int, float, a numpy scalar, a one-element tensor or array, and numeric text (with thousands
    separators, a fraction ``"4/3"``, or ``unit`` such as ``"px"`` after it). Booleans are refused: ``True`` is an
    int in Python, but not an answer to "how many".
    """
    value = None
    if isinstance(answer, (bool, np.bool_)):
        value = None
    elif isinstance(answer, torch.Tensor) and answer.numel() == 1 and answer.dtype != torch.bool:
        value = float(answer.item())
    elif isinstance(answer, np.ndarray) and answer.size == 1 and answer.dtype != bool:
        value = float(answer.item())
    elif isinstance(answer, numbers.Real):
        value = float(answer)
    elif isinstance(answer, str):
        value = _from_text(answer, unit)
    if value is None:
        kind = type(answer).__name__
        raise NotYet(tr("your answer is {kind} {answer!r:.40}, not a number: give a number (of {unit}, e.g. 100 or "
                        "'100 {unit}').", kind=kind, answer=answer, unit=unit) if unit else
                     tr("your answer is {kind} {answer!r:.40}, not a number: give a number, e.g. 100.", kind=kind,
                        answer=answer))
    if not math.isfinite(value):
        raise NotYet(tr("give a finite number."))
    return value


def count(answer: Any, unit: str | None = None) -> int:
    """``answer`` as a whole number (``5130.0`` is fine, ``5130.4`` gets "a count is a whole number")."""
    value = number(answer, unit)
    if not value.is_integer():
        raise NotYet(tr("{value:.12g} is not a whole number, and a count is a whole number: give an integer.",
                        value=value))
    return int(value)


def near(value: float, target: float, rel: float = 0.0, abs_tol: float = 0.0) -> bool:
    """Is ``value`` within ``rel`` (relative to ``target``) or ``abs_tol`` of ``target``?"""
    return abs(value - target) <= max(abs_tol, rel * abs(target))


def numbers_in(answer: Any) -> list[float]:
    """A collection of numbers (list, tuple, set, tensor, array) as floats, or ``NotYet``."""
    if isinstance(answer, (torch.Tensor, np.ndarray)):
        answer = answer.flatten().tolist()
    if isinstance(answer, (str, bytes, dict)) or not isinstance(answer, Iterable):
        raise NotYet(tr("your answer is {kind} {answer!r:.40}: give the values as a list of numbers, e.g. "
                        "[0.5, 2.0].", kind=type(answer).__name__, answer=answer))
    return [number(v) for v in answer]


def text(answer: Any) -> str:
    """A name as the learner meant it: case, spaces and quotes ignored (``" 'Layer3' "`` -> ``"layer3"``)."""
    if not isinstance(answer, str):
        raise NotYet(tr("your answer is {kind} {answer!r:.40}: give a name, as a string in quotes.",
                        kind=type(answer).__name__, answer=answer))
    return re.sub(r"\s+", "", answer.strip().strip("'\"()").lower())


def stage(answer: Any, allowed: Iterable[str]) -> str:
    """A stage's name in the package's spelling (``layer1`` ...), reading the paper's ``conv2_x`` ... too."""
    name = text(answer)
    name = STAGE_SYNONYMS.get(name, name)
    if name not in allowed:
        raise NotYet(tr("{answer!r} is not a stage's name: give one of the names the table uses ({names}; the "
                        "paper's conv2_x ... conv5_x also work).", answer=answer, names=", ".join(allowed)))
    return name


def _spelling(name: str) -> str:
    """A name with case, spaces, hyphens, underscores and quotes ignored (``"Fine-tuning"`` -> ``"finetuning"``)."""
    return re.sub(r"[\s_\-]+", "", name.strip().strip("'\"()").lower())


def choice(answer: Any, names: dict[str, str], listing: str) -> str:
    """One of a few named choices, read through its synonyms.

    ``names`` maps every accepted spelling to its choice (``{"feature extraction": "frozen", ...}``); case, spaces,
    hyphens and underscores do not count. ``listing`` names the choices for the learner, e.g.
    ``"'scratch', 'frozen' or 'finetune'"`` (marked with ``N_``: it is translated here).
    """
    if not isinstance(answer, str):
        raise NotYet(tr("your answer is {kind} {answer!r:.40}: give {listing}, as a string in quotes.",
                        kind=type(answer).__name__, answer=answer, listing=tr(listing)))
    spellings = {_spelling(k): v for k, v in names.items()}
    if _spelling(answer) not in spellings:
        raise NotYet(tr("{answer!r:.40} is not one of the choices: give {listing}.", answer=answer,
                        listing=tr(listing)))
    return spellings[_spelling(answer)]
