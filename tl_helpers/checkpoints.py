"""Saving and loading models safely: plain state dicts only (never unpickled), atomic writes, and
checkpoints that record their architecture, width, classes and head so they rebuild alone.

Taught in notebook 09 (keep the best checkpoint, reload it, predict).
"""
from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

import torch
from torch import nn

from .resnet import build_model
from .transfer import head_dropout, replace_head


class CheckpointError(ValueError):
    """A checkpoint does not fit: wrong format, architecture or number of classes."""


def safe_load(path: str | os.PathLike) -> Any:
    """``torch.load(path, weights_only=True)`` with clear errors.

    Raises:
        CheckpointError: The file is not a plain tensor/state-dict file (it is never unpickled).
        FileNotFoundError: No such file.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"Checkpoint {path} does not exist.")
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError) as err:
        raise CheckpointError(
            f"{path} is not a plain state-dict checkpoint, or it is truncated; it was not "
            f"unpickled, for safety ({type(err).__name__}). Save models with "
            "tl_helpers.save_checkpoint (or torch.save(model.state_dict(), path)).") from err


def save_checkpoint(model: nn.Module, path: str | os.PathLike, classes: list[str] | None = None,
                    arch: str = "resnet50", width: int = 64, **extra: Any) -> Path:
    """Save a model's state dict with its architecture and class names, atomically.

    The file is written to a temporary file in the same folder and renamed over ``path`` only
    when complete, so an interrupted save never replaces a good checkpoint with a broken one.

    Returns:
        The path written.
    """
    payload = {"arch": arch, "width": width, "classes": list(classes or []), "dropout": head_dropout(model),
               "state_dict": model.state_dict(), **extra}
    return atomic_save(payload, path)


def atomic_save(obj: Any, path: str | os.PathLike) -> Path:
    """``torch.save`` to a temporary file beside ``path``, fsync, then rename over ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(obj, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_checkpoint(path: str | os.PathLike, model: nn.Module | None = None) -> tuple[nn.Module, list[str]]:
    """Load a checkpoint written by ``save_checkpoint`` (or a plain state dict into ``model``).

    Args:
        path: The checkpoint file.
        model: Model to load into; default: build the one the checkpoint records.

    Returns:
        ``(model, classes)``.

    Raises:
        CheckpointError: Wrong format, wrong architecture or wrong number of classes; the message
            names both sides and the fix.
    """
    obj = safe_load(path)
    if isinstance(obj, dict) and "state_dict" in obj:
        state, classes = obj["state_dict"], list(obj.get("classes", []))
    elif isinstance(obj, dict) and all(isinstance(v, torch.Tensor) for v in obj.values()):
        state, classes = obj, []
    else:
        raise CheckpointError(f"{path} holds a {type(obj).__name__}, not a state dict.")
    fc_key = next((k for k in state if k.startswith("fc.") and k.endswith("weight")), None)
    n_ckpt = state[fc_key].shape[0] if fc_key else None
    if model is None:
        if not (isinstance(obj, dict) and "arch" in obj):
            raise CheckpointError(f"{path} is a bare state dict: pass the model to load it into.")
        try:
            model = build_model(obj["arch"], int(obj["width"]), num_classes=n_ckpt or 1000)
        except ValueError as err:
            raise CheckpointError(f"{path}: {err}") from err
        if fc_key and fc_key != "fc.weight":     # head with dropout: fc.1.weight
            replace_head(model, n_ckpt, dropout=obj.get("dropout") or 0.5)
    own = model.state_dict()
    own_fc = next((k for k in own if k.startswith("fc.") and k.endswith("weight")), None)
    n_model = own[own_fc].shape[0] if own_fc else None
    if n_ckpt is not None and n_model is not None and n_ckpt != n_model:
        raise CheckpointError(
            f"Class-count mismatch: {path} was trained for {n_ckpt} classes but the model's head "
            f"has {n_model}. Call replace_head(model, {n_ckpt}) before loading, or retrain for "
            f"{n_model} classes.")
    missing = sorted(set(own) - set(state))
    unexpected = sorted(set(state) - set(own))
    wrong_shape = [k for k in set(own) & set(state) if own[k].shape != state[k].shape]
    if missing or unexpected or wrong_shape:
        raise CheckpointError(
            f"{path} does not fit this architecture: {len(missing)} missing keys "
            f"(e.g. {missing[:2]}), {len(unexpected)} unexpected (e.g. {unexpected[:2]}), "
            f"{len(wrong_shape)} with other shapes (e.g. {wrong_shape[:2]}). Build the same "
            "architecture and width that saved it (the checkpoint records 'arch' and 'width').")
    model.load_state_dict(state, strict=True)
    return model, classes
