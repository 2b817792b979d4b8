"""Run-wide settings: every ``TL_*`` environment variable, seeds, device, quick mode and paths.

All of the series' environment variables are read here, by one parser:

=====================  ==========================================================  =========
variable               meaning                                                     default
=====================  ==========================================================  =========
``TL_QUICK``           quick mode: fewer epochs, seeds and images (what CI runs)   off
``TL_ALLOW_DOWNLOAD``  ``load_backbone("auto")`` may download ImageNet weights     off
``TL_DEVICE``          ``cpu``, ``cuda`` or ``mps``                                ``cpu``
``TL_DATA_ROOT``       the bundled checkpoint and datasets                         ``data/``
``TL_RUNS_DIR``        where trained models are saved                              ``runs/``
``TL_FASHION_MNIST_DIR``  the Fashion-MNIST idx files (``python -m tl_helpers.pretrain``)  Debian's
``TL_STRICT_CLAIMS``   a claim that fails raises (the test command, the book)      off
=====================  ==========================================================  =========

A yes/no variable takes ``1/true/yes/on`` or ``0/false/no/off`` (any case) or the empty string
(= no); anything else is an error that names the variable, so a typo never silently flips a switch.
"""
from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Sequence, TypeVar

import numpy as np
import torch

T = TypeVar("T")

#: Project root (the folder holding ``tl_helpers/``, ``data/`` and ``notebooks/``).
PROJECT_ROOT: Path = Path(__file__).resolve().parent.parent

_YES = ("1", "true", "yes", "on")
_NO = ("0", "false", "no", "off", "")


def env_flag(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable.

    Args:
        name: The variable, e.g. ``"TL_QUICK"``.
        default: The value when it is not set.

    Returns:
        ``True`` for ``1/true/yes/on``, ``False`` for ``0/false/no/off`` or ``""`` (case-insensitive).

    Raises:
        ValueError: Any other value; the message names the variable and the accepted values.
    """
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"{name}={raw!r} is neither yes nor no. Set {name} to one of "
                     f"{'/'.join(_YES)} (on) or {'/'.join(v for v in _NO if v)} (off), or unset it.")


def env_path(name: str, default: Path) -> Path:
    """An absolute path from the environment variable ``name``, else ``default``."""
    return Path(os.environ.get(name) or default).resolve()


#: Quick mode: ``TL_QUICK=1`` shrinks epochs and data so the whole series runs fast in CI.
QUICK: bool = env_flag("TL_QUICK")

#: Default seed used by every notebook.
SEED: int = 0


def allow_download() -> bool:
    """May ``load_backbone("auto")`` download ImageNet weights? ``TL_ALLOW_DOWNLOAD`` (default: no)."""
    return env_flag("TL_ALLOW_DOWNLOAD")


def strict_claims() -> bool:
    """Does a failing ``claims.claim`` raise? ``TL_STRICT_CLAIMS`` (set by the tests and the book build;
    default: no, a learner's run prints the failed claim and goes on)."""
    return env_flag("TL_STRICT_CLAIMS")


def fashion_mnist_dir(default: Path) -> Path:
    """Folder with the Fashion-MNIST idx files: ``TL_FASHION_MNIST_DIR`` or ``default``."""
    return env_path("TL_FASHION_MNIST_DIR", default)


def data_root() -> Path:
    """The folder with the bundled checkpoint and datasets: ``TL_DATA_ROOT`` or ``<project>/data``."""
    return env_path("TL_DATA_ROOT", PROJECT_ROOT / "data")


def runs_dir() -> Path:
    """Folder for trained models: ``TL_RUNS_DIR`` or ``<project>/runs`` (git-ignored), created if needed."""
    path = env_path("TL_RUNS_DIR", PROJECT_ROOT / "runs")
    path.mkdir(parents=True, exist_ok=True)
    return path


def pick(quick: T, full: T) -> T:
    """Choose a setting by mode: ``quick`` when ``TL_QUICK=1``, otherwise ``full``.

    Args:
        quick: Value used in quick mode (CI).
        full: Value used in full mode (what a learner gets by default).

    Returns:
        The value for the current mode.
    """
    return quick if QUICK else full


def seed_everything(seed: int = SEED) -> None:
    """Seed Python, NumPy and PyTorch so a run gives the same numbers every time on CPU.

    Also switches PyTorch to deterministic algorithms where they exist.

    Args:
        seed: The seed.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def seed_list(seeds: int | Sequence[int]) -> list[int]:
    """``5`` -> ``[0, 1, 2, 3, 4]``; a list of seeds stays as it is (each seed once)."""
    out = list(range(seeds)) if isinstance(seeds, int) else [int(s) for s in seeds]
    if not out or len(set(out)) != len(out):
        raise ValueError(f"seeds must be a positive count or distinct seeds, not {seeds!r}.")
    return out


def get_device(prefer: str | None = None) -> torch.device:
    """Pick the device to compute on.

    The series is made for CPUs; a GPU is used only when asked for with ``prefer``
    or ``TL_DEVICE`` (e.g. ``TL_DEVICE=cuda``) and present.

    Args:
        prefer: ``"cpu"``, ``"cuda"`` or ``"mps"``; ``None`` reads ``TL_DEVICE`` (default ``cpu``).

    Returns:
        The chosen ``torch.device``.
    """
    want = (prefer or os.environ.get("TL_DEVICE") or "cpu").strip().lower()
    if want.startswith("cuda") and torch.cuda.is_available():
        return torch.device(want)
    if want == "mps" and getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
