"""Shared fixtures: tiny models and datasets that make the unit tests fast."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import matplotlib
import pytest
import torch

matplotlib.use("Agg")
os.environ.setdefault("TL_QUICK", "1")
#: ``tl.check`` records passes for ``tl.progress()``: never in the repository's runs/ during the tests.
os.environ["TL_PROGRESS_FILE"] = str(Path(tempfile.mkdtemp(prefix="tl_progress_")) / "progress.json")

from tl_helpers import resnet18  # noqa: E402

from imagefolders import write_image_folder  # noqa: E402


@pytest.fixture
def tiny_resnet():
    """A width-8 ResNet-18 with 3 classes (a few hundred thousand parameters)."""
    torch.manual_seed(0)
    return resnet18(width=8, num_classes=3)


@pytest.fixture
def image_folder(tmp_path):
    """A dataset with train/ and test/ splits of two classes, 3 images each."""
    for split in ("train", "test"):
        write_image_folder(tmp_path / split)
    return tmp_path
