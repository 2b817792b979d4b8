"""Run-wide settings: seeds, device, quick mode and where the bundled data lives."""
from __future__ import annotations

import os
import random
from pathlib import Path
from typing import TypeVar

import numpy as np
import torch

T = TypeVar("T")

#: Project root (the folder holding ``tl_helpers/``, ``data/`` and ``notebooks/``).
PROJECT_ROOT: Path = Path(__file__).resolve().parent.parent

#: Quick mode: ``TL_QUICK=1`` shrinks epochs and data so the whole series runs fast in CI.
QUICK: bool = os.environ.get("TL_QUICK", "0").strip().lower() not in ("", "0", "false", "no")

#: Default seed used by every notebook.
SEED: int = 0


def data_root() -> Path:
    """Return the folder with the bundled checkpoint and datasets.

    ``TL_DATA_ROOT`` overrides the default ``<project>/data``.

    Returns:
        The data folder as an absolute path.
    """
    return Path(os.environ.get("TL_DATA_ROOT", PROJECT_ROOT / "data")).resolve()


def pick(quick: T, full: T) -> T:
    """Choose a setting by mode: ``quick`` when ``TL_QUICK=1``, otherwise ``full``.

    Args:
        quick: Value used in quick mode (CI).
        full: Value used in full mode (what a learner gets by default).

    Returns:
        The value for the current mode.
    """
    return quick if QUICK else full


def seed_everything(seed: int = SEED) -> int:
    """Seed Python, NumPy and PyTorch so a run gives the same numbers every time on CPU.

    Also switches PyTorch to deterministic algorithms where they exist.

    Args:
        seed: The seed.

    Returns:
        The seed, for logging.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    return seed


def get_device(prefer: str | None = None) -> torch.device:
    """Pick the device to compute on.

    The series is made for CPUs; a GPU is used only when asked for with ``prefer``
    or ``TL_DEVICE`` (e.g. ``TL_DEVICE=cuda``) and present.

    Args:
        prefer: ``"cpu"``, ``"cuda"`` or ``"mps"``; ``None`` reads ``TL_DEVICE`` (default ``cpu``).

    Returns:
        The chosen ``torch.device``.
    """
    want = (prefer or os.environ.get("TL_DEVICE", "cpu")).lower()
    if want.startswith("cuda") and torch.cuda.is_available():
        return torch.device(want)
    if want == "mps" and getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
