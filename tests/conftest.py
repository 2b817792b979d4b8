"""Shared fixtures: tiny models and datasets that make the unit tests fast."""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest
import torch
from PIL import Image

matplotlib.use("Agg")
os.environ.setdefault("TL_QUICK", "1")

from tl_helpers.resnet import resnet18  # noqa: E402


@pytest.fixture
def tiny_resnet():
    """A width-8 ResNet-18 with 3 classes (a few hundred thousand parameters)."""
    torch.manual_seed(0)
    return resnet18(width=8, num_classes=3)


def write_image_folder(root: Path, classes=("a", "b"), n=3, size=(20, 20), mode="RGB") -> Path:
    """Write ``n`` random images per class under ``root/<class>/``."""
    g = torch.Generator().manual_seed(0)
    for c in classes:
        (root / c).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            arr = (torch.rand(size[1], size[0], 3, generator=g) * 255).byte().numpy()
            Image.fromarray(arr, "RGB").convert(mode).save(root / c / f"{i}.png")
    return root


@pytest.fixture
def image_folder(tmp_path):
    """A dataset with train/ and test/ splits of two classes, 3 images each."""
    for split in ("train", "test"):
        write_image_folder(tmp_path / split)
    return tmp_path
