"""Running a learner's answer safely: no trace left behind, no shortcut through the thing being written.

- ``preserved`` puts back every global state a check may touch (random generators, grad mode, the answer
  module's train/eval modes and ``requires_grad`` flags), so checking never changes the learner's later cells.
- ``spying`` wraps functions such as ``torch.nn.functional.dropout`` during a check, so an answer that calls
  the very thing it was asked to write is caught.
- ``call`` runs a learner's function and turns what it raises into a verdict; ``is_stub`` sees a body that
  is still ``...``; ``none_from_call`` reads the learner's cell to tell "left blank" from "a call returned None".
"""
from __future__ import annotations

import ast
import inspect
import linecache
import random
import textwrap
import threading
from contextlib import contextmanager
from types import FrameType
from typing import Any, Callable, Iterator

import numpy as np
import torch
from torch import nn

from ..i18n import MissingTranslation, tr
from .answers import NotYet

_PATCH_LOCK = threading.RLock()


@contextmanager
def preserved(answer: Any) -> Iterator[None]:
    """Restore the RNGs of torch, ``random`` and numpy, grad mode and ``answer``'s module state afterwards."""
    states = torch.random.get_rng_state(), random.getstate(), np.random.get_state(), torch.is_grad_enabled()
    modules = list(answer.modules()) if isinstance(answer, nn.Module) else []
    params = list(answer.parameters()) if modules else []
    modes, flags = [m.training for m in modules], [p.requires_grad for p in params]
    try:
        yield
    finally:
        torch.random.set_rng_state(states[0])
        random.setstate(states[1])
        np.random.set_state(states[2])
        torch.set_grad_enabled(states[3])
        for m, mode in zip(modules, modes):
            m.training = mode
        for p, flag in zip(params, flags):
            p.requires_grad_(flag)


def _spy(original: Callable, name: str, calls: list[str]) -> Callable:
    def spy(*args, **kwargs):
        calls.append(name)
        return original(*args, **kwargs)
    return spy


@contextmanager
def spying(*targets: tuple[Any, str]) -> Iterator[list[str]]:
    """Wrap each ``owner.attr`` so a call is recorded (and still runs); yields the list of names called."""
    calls: list[str] = []
    saved = []
    with _PATCH_LOCK:
        try:
            for owner, attr in targets:
                if hasattr(owner, attr):
                    saved.append((owner, attr, getattr(owner, attr), attr in vars(owner)))
                    setattr(owner, attr, _spy(getattr(owner, attr), attr, calls))
            yield calls
        finally:
            for owner, attr, original, had in reversed(saved):
                setattr(owner, attr, original) if had else delattr(owner, attr)


def call(fn: Callable, *args: Any) -> Any:
    """``fn(*args)``; whatever it raises becomes a ``NotYet`` that names the error."""
    try:
        return fn(*args)
    except (NotYet, MissingTranslation):         # a missing translation is the helpers' bug, not the answer's
        raise
    except Exception as err:
        raise NotYet(tr("your function raised {error}: {message}", error=type(err).__name__,
                        message=str(err)[:300])) from None


def _is_placeholder(stmt: ast.stmt, params: set[str]) -> bool | None:
    """True for ``...``/``pass``, None for a docstring or a bare ``return`` (of an argument), else False."""
    if isinstance(stmt, ast.Pass):
        return True
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return True if stmt.value.value is Ellipsis else None if isinstance(stmt.value.value, str) else False
    if isinstance(stmt, ast.Return):
        value = stmt.value
        bare = value is None or (isinstance(value, ast.Constant) and value.value is None)
        return None if bare or (isinstance(value, ast.Name) and value.id in params) else False
    return False


def is_stub(fn: Any) -> bool:
    """Is ``fn``'s body not written yet (only ``...`` or ``pass``, a docstring, ``return model``)?"""
    try:
        node = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
    except (OSError, TypeError, SyntaxError, IndexError):
        return False
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    params = {a.arg for a in node.args.args}
    marks = [_is_placeholder(stmt, params) for stmt in node.body]
    return False not in marks and True in marks


def _assigned_before(tree: ast.AST, name: str, line: int) -> ast.expr | None:
    """The value last assigned to ``name`` before ``line`` in ``tree``."""
    found = [(n.lineno, n.value) for n in ast.walk(tree) if isinstance(n, ast.Assign) and n.lineno < line
             and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)]
    return max(found, key=lambda f: f[0])[1] if found else None


def none_from_call(frame: FrameType | None) -> ast.Call | None:
    """The call whose result (None) the caller passed to ``check``, read from the caller's source, if any.

    ``answer = freeze(model); tl.check("07.2", answer)`` gives ``freeze(model)``; a plain ``answer = None`` or
    source that cannot be read gives None (the answer was left blank).
    """
    if frame is None:
        return None
    try:
        tree = ast.parse("".join(linecache.getlines(frame.f_code.co_filename)))
    except (SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.lineno <= frame.f_lineno <= (node.end_lineno or node.lineno) \
                and getattr(node.func, "attr", getattr(node.func, "id", None)) == "check" and len(node.args) >= 2:
            arg = node.args[1]
            if isinstance(arg, ast.Name):
                arg = _assigned_before(tree, arg.id, node.lineno)
            return arg if isinstance(arg, ast.Call) else None
    return None
