"""Writing small ImageFolder datasets for the tests."""
from pathlib import Path

import torch
from PIL import Image


def write_image_folder(root: Path, classes=("a", "b"), n=3, size=(20, 20), mode="RGB") -> Path:
    """Write ``n`` random images per class under ``root/<class>/``."""
    g = torch.Generator().manual_seed(0)
    for c in classes:
        (root / c).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            arr = (torch.rand(size[1], size[0], 3, generator=g) * 255).byte().numpy()
            Image.fromarray(arr, "RGB").convert(mode).save(root / c / f"{i}.png")
    return root
