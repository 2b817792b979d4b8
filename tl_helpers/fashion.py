"""Fashion-MNIST facts in one place: class names, the bundled backbone's source classes, pixel
statistics, and a reader for the original idx files (used by ``python -m tl_helpers.pretrain``).
"""
from __future__ import annotations

import gzip
import os
import struct
from pathlib import Path

import numpy as np

from .config import fashion_mnist_dir

#: The Fashion-MNIST class names, in label order.
FASHION_CLASSES: tuple[str, ...] = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
#: The bundled backbone's source task: the first 5 Fashion-MNIST classes.
SOURCE_CLASSES: tuple[str, ...] = FASHION_CLASSES[:5]
#: Mean and std of Fashion-MNIST pixels (in [0, 1]); the bundled backbone was trained with them.
FASHION_MEAN, FASHION_STD = 0.2860, 0.3530

#: Where Debian's ``dataset-fashion-mnist`` package puts the files.
DEBIAN_FASHION_DIR: Path = Path("/usr/share/datasets/fashion-mnist")


def folder_name(class_name: str) -> str:
    """Turn a class name into a safe folder name, e.g. ``"T-shirt/top"`` -> ``"tshirt_top"``."""
    return "".join(c for c in class_name.lower().replace("/", "_").replace(" ", "_")
                   if c.isalnum() or c == "_")


def _read_idx(path: Path) -> np.ndarray:
    with gzip.open(path, "rb") if path.suffix == ".gz" else open(path, "rb") as f:
        magic = f.read(4)
        if len(magic) != 4 or magic[:2] != b"\x00\x00" or magic[2] != 0x08:
            raise ValueError(f"{path} is not an idx file of unsigned bytes.")
        dims = struct.unpack(">" + "I" * magic[3], f.read(4 * magic[3]))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def read_fashion_mnist(split: str = "train", folder: str | os.PathLike | None = None,
                       download_root: str | os.PathLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Read Fashion-MNIST as ``(images uint8 [N, 28, 28], labels uint8 [N])``.

    Looks in ``folder`` (default: ``TL_FASHION_MNIST_DIR`` or Debian's
    ``/usr/share/datasets/fashion-mnist``), then tries torchvision's download.

    Args:
        split: ``"train"`` (60,000 images) or ``"test"`` (10,000 images).
        folder: Folder with the four standard ``*-idx?-ubyte[.gz]`` files.
        download_root: Where torchvision may download the files when online.

    Raises:
        FileNotFoundError: Neither the files nor a download are available; says how to get them.
    """
    prefix = {"train": "train", "test": "t10k"}[split]
    folder = Path(folder) if folder else fashion_mnist_dir(DEBIAN_FASHION_DIR)
    for suffix in (".gz", ""):
        img_f = folder / f"{prefix}-images-idx3-ubyte{suffix}"
        lab_f = folder / f"{prefix}-labels-idx1-ubyte{suffix}"
        if img_f.exists() and lab_f.exists():
            return _read_idx(img_f), _read_idx(lab_f)
    try:
        from torchvision.datasets import FashionMNIST
        ds = FashionMNIST(str(download_root or Path.home() / ".cache" / "tl_helpers"),
                          train=(split == "train"), download=True)
        return ds.data.numpy(), ds.targets.numpy().astype(np.uint8)
    except Exception as err:  # no network, blocked host, ...
        raise FileNotFoundError(
            f"Fashion-MNIST not found in {str(folder)!r} and the download failed ({err}). "
            "Install Debian's package 'dataset-fashion-mnist' (apt-get install dataset-fashion-mnist), "
            "or set TL_FASHION_MNIST_DIR to a folder holding the four *-idx?-ubyte.gz files.") from err
