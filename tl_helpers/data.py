"""Datasets and loaders: ImageFolder-style folders, checked, decoded once, fed through any transforms.

The folder layout the series expects (torchvision's ``ImageFolder`` layout)::

    root/train/<class name>/<image>.png
    root/test/<class name>/<image>.png
"""
from __future__ import annotations

import gzip
import os
import random
import struct
import warnings
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError
from torch.utils.data import DataLoader, Dataset

from .config import data_root

#: File endings read as images (as in torchvision's ``ImageFolder``).
IMG_EXTENSIONS: tuple[str, ...] = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")

#: Images larger than this on their long side are shrunk when decoded (the model sees 64-224 px).
MAX_SIDE: int = 1024

#: The Fashion-MNIST class names, in label order.
FASHION_CLASSES: tuple[str, ...] = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")

#: Where Debian's ``dataset-fashion-mnist`` package puts the files.
DEBIAN_FASHION_DIR: Path = Path("/usr/share/datasets/fashion-mnist")


class DatasetLayoutError(ValueError):
    """The dataset folder does not have the ImageFolder layout; the message says how to fix it."""


class ImageLoadError(ValueError):
    """An image file could not be decoded; the message names the file and what to do."""


def folder_name(class_name: str) -> str:
    """Turn a class name into a safe folder name, e.g. ``"T-shirt/top"`` -> ``"tshirt_top"``."""
    return "".join(c for c in class_name.lower().replace("/", "_").replace(" ", "_")
                   if c.isalnum() or c == "_")


def bundled_dataset_dir() -> Path:
    """The bundled 10-class Fashion-MNIST target set (``train/``, ``extra/``, ``test/``)."""
    return data_root() / "fashion10"


# --------------------------------------------------------------------------- images

def _to_rgb(img: Image.Image) -> Image.Image:
    """Convert any PIL mode to 8-bit RGB the way a viewer would show it."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        if img.mode == "F" and arr.max(initial=0) <= 1.0:
            arr = arr * 255.0
        elif arr.max(initial=0) > 255:          # 16-bit data: 0..65535 -> 0..255
            arr = arr / 257.0
        img = Image.fromarray(np.clip(np.rint(arr), 0, 255).astype(np.uint8), mode="L")
    if img.mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, rgba)
    return img.convert("RGB") if img.mode != "RGB" else img


#: Decoded images kept for the run, at most this many bytes (least recently used go first).
CACHE_MAX_BYTES: int = 512 * 2**20
_cache: "OrderedDict[tuple[str, int, int], Image.Image]" = OrderedDict()
_cache_bytes = 0


def clear_image_cache() -> None:
    """Forget every decoded image (e.g. after editing files in place)."""
    global _cache_bytes
    _cache.clear()
    _cache_bytes = 0


def _decode_cached(path: str, mtime_ns: int, size: int) -> Image.Image:
    global _cache_bytes
    key = (path, mtime_ns, size)
    img = _cache.get(key)
    if img is not None:
        _cache.move_to_end(key)
        return img
    img = _decode(path)
    _cache[key] = img
    _cache_bytes += img.width * img.height * len(img.getbands())
    while _cache_bytes > CACHE_MAX_BYTES and len(_cache) > 1:
        _, old = _cache.popitem(last=False)
        _cache_bytes -= old.width * old.height * len(old.getbands())
    return img


def _decode(path: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                if max(img.size) > MAX_SIDE:
                    img.draft("RGB", (MAX_SIDE, MAX_SIDE))   # JPEG: decode at reduced size
                img.load()
                img = _to_rgb(img)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise ImageLoadError(
            f"Image {path!r} is too large to decode safely ({err}). "
            "Shrink it (e.g. to at most 4096 px on its long side) or remove it from the dataset.") from err
    except UnidentifiedImageError as err:
        raise ImageLoadError(
            f"Could not read {path!r}: it is not an image PIL understands (corrupt, or another file "
            "type with an image extension). Delete it or replace it with a valid image.") from err
    except (OSError, SyntaxError, ValueError) as err:
        raise ImageLoadError(
            f"Could not read {path!r}: {err}. The file is truncated or corrupt; "
            "re-export or re-download it, or delete it from the dataset folder.") from err
    if max(img.size) > MAX_SIDE:
        img.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR)
    return img


def load_image(path: str | os.PathLike) -> Image.Image:
    """Read an image as 8-bit RGB, whatever its mode (gray, RGBA, palette, CMYK, 16-bit).

    Decoded images are cached for the run (up to ``CACHE_MAX_BYTES``), so each file is decoded
    once; images larger than
    ``MAX_SIDE`` pixels on their long side are shrunk to it.

    Args:
        path: The image file.

    Returns:
        A PIL image in mode ``"RGB"`` (do not modify it in place: it is shared by the cache).

    Raises:
        ImageLoadError: The file is missing, corrupt, truncated or too large.
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError as err:
        raise ImageLoadError(f"Image file {str(p)!r} does not exist.") from err
    return _decode_cached(str(p.resolve()), st.st_mtime_ns, st.st_size)


# --------------------------------------------------------------------------- folders

def _visible(name: str) -> bool:
    return not (name.startswith(".") or name.startswith("__"))


@dataclass
class FolderScan:
    """What ``scan_image_folder`` found: classes, samples and the files it skipped."""

    root: Path
    classes: list[str]
    samples: list[tuple[Path, int]]
    skipped: list[Path] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Images per class."""
        c = Counter(label for _, label in self.samples)
        return {name: c[i] for i, name in enumerate(self.classes)}


def scan_image_folder(root: str | os.PathLike, verbose: bool = True) -> FolderScan:
    """Check an ImageFolder-style folder and list its images.

    Hidden folders and files (``.ipynb_checkpoints``, ``.DS_Store``, ``__MACOSX``) are ignored;
    files that are not images are skipped with a printed note.

    Args:
        root: A folder holding one sub-folder per class.
        verbose: Print a note about skipped files.

    Returns:
        The scan: sorted class names, ``(path, class index)`` samples, skipped files.

    Raises:
        DatasetLayoutError: The folder is missing, has no class folders, has images directly in
            it, or has a class folder with no images. The message says how to fix it.
    """
    root = Path(root)
    if not root.exists():
        raise DatasetLayoutError(
            f"Dataset folder {str(root)!r} does not exist. Check the path, or create it with one "
            "sub-folder per class, e.g. root/cat/1.png, root/dog/2.png.")
    if not root.is_dir():
        raise DatasetLayoutError(f"{str(root)!r} is a file, not a folder. Point to the folder that "
                                 "holds one sub-folder per class.")
    class_dirs = sorted(p for p in root.iterdir() if p.is_dir() and _visible(p.name))
    if not class_dirs:
        loose = [p for p in root.iterdir() if p.is_file() and p.suffix.lower() in IMG_EXTENSIONS]
        hint = (f" It holds {len(loose)} images directly: move each into a folder named after "
                "its class." if loose else "")
        raise DatasetLayoutError(
            f"No class folders in {str(root)!r}.{hint} Expected layout: {root}/<class name>/<image>, "
            "one sub-folder per class (hidden folders such as .ipynb_checkpoints do not count).")
    classes = [p.name for p in class_dirs]
    samples: list[tuple[Path, int]] = []
    skipped: list[Path] = []
    for idx, cdir in enumerate(class_dirs):
        found = 0
        for f in sorted(cdir.rglob("*")):
            if not f.is_file() or any(not _visible(part) for part in f.relative_to(cdir).parts):
                continue
            if f.suffix.lower() in IMG_EXTENSIONS:
                samples.append((f, idx))
                found += 1
            else:
                skipped.append(f)
        if found == 0:
            raise DatasetLayoutError(
                f"Class folder {str(cdir)!r} has no images (looked for {', '.join(IMG_EXTENSIONS)}). "
                "Add images to it or delete the folder.")
    if skipped and verbose:
        names = ", ".join(p.name for p in skipped[:3]) + (" ..." if len(skipped) > 3 else "")
        print(f"Note: skipped {len(skipped)} non-image file(s) in {root}: {names}")
    return FolderScan(root, classes, samples, skipped)


class ImageFolderDataset(Dataset):
    """An ImageFolder-style dataset whose images are checked, decoded once and converted to RGB.

    Args:
        root: Folder with one sub-folder per class.
        transform: Applied to each PIL image (e.g. ``weights.transforms()``).
        classes: Expected class names; a different set of folders raises ``DatasetLayoutError``.
        verbose: Print notes about skipped files.
    """

    def __init__(self, root: str | os.PathLike, transform: Callable | None = None,
                 classes: Sequence[str] | None = None, verbose: bool = True) -> None:
        scan = scan_image_folder(root, verbose=verbose)
        if classes is not None and list(classes) != scan.classes:
            missing = sorted(set(classes) - set(scan.classes))
            extra = sorted(set(scan.classes) - set(classes))
            raise DatasetLayoutError(
                f"The classes in {str(scan.root)!r} differ from the training classes: "
                f"missing {missing or 'none'}, unexpected {extra or 'none'}. Every split needs "
                "the same class folders (an empty split class still needs its folder).")
        self.root = scan.root
        self.classes = scan.classes
        self.samples = scan.samples
        self.targets = [label for _, label in scan.samples]
        self.transform = transform

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int):
        path, label = self.samples[index]
        img = load_image(path)
        return (self.transform(img) if self.transform else img), label


def subset_per_class(dataset: ImageFolderDataset, n_per_class: int, seed: int = 0) -> torch.utils.data.Subset:
    """Pick ``n_per_class`` images of every class (a fixed seed gives the same pick)."""
    rng = random.Random(seed)
    by_class: dict[int, list[int]] = {}
    for i, t in enumerate(dataset.targets):
        by_class.setdefault(t, []).append(i)
    picked: list[int] = []
    for c in sorted(by_class):
        if len(by_class[c]) < n_per_class:
            raise ValueError(f"Class {dataset.classes[c]!r} has only {len(by_class[c])} images, "
                             f"fewer than the {n_per_class} asked for.")
        picked += sorted(rng.sample(by_class[c], n_per_class))
    return torch.utils.data.Subset(dataset, picked)


def make_loader(dataset: Dataset, batch_size: int = 32, shuffle: bool = False, seed: int = 0,
                num_workers: int = 0) -> DataLoader:
    """A DataLoader with CPU-safe defaults: no worker processes (safe on Windows and macOS,
    and the decoded images are cached anyway) and a seeded shuffle."""
    gen = torch.Generator().manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=gen,
                      num_workers=num_workers)


def make_loaders(root: str | os.PathLike | None = None, transform: Callable | None = None,
                 batch_size: int = 32, train_transform: Callable | None = None, seed: int = 0,
                 train_split: str = "train", test_split: str = "test"):
    """Build the train and test loaders of an ImageFolder dataset.

    Args:
        root: Dataset root with ``train/`` and ``test/`` (default: the bundled target set).
        transform: Test-time transforms (e.g. ``weights.transforms()``).
        batch_size: Images per batch.
        train_transform: Training transforms (default: ``transform``), e.g. with augmentation.
        seed: Seed of the training shuffle.
        train_split: Sub-folder of the training images.
        test_split: Sub-folder of the test images.

    Returns:
        ``(train_loader, test_loader, class_names)``.

    Raises:
        DatasetLayoutError: A split is missing or the splits' classes differ.
    """
    root = Path(root) if root is not None else bundled_dataset_dir()
    for split in (train_split, test_split):
        if not (root / split).is_dir():
            raise DatasetLayoutError(
                f"Missing {str(root / split)!r}. The dataset folder needs '{train_split}/' and "
                f"'{test_split}/' sub-folders, each with one folder per class.")
    train_ds = ImageFolderDataset(root / train_split, train_transform or transform)
    test_ds = ImageFolderDataset(root / test_split, transform, classes=train_ds.classes)
    return (make_loader(train_ds, batch_size, shuffle=True, seed=seed),
            make_loader(test_ds, batch_size * 4), train_ds.classes)


# --------------------------------------------------------------------------- Fashion-MNIST

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
    folder = Path(folder or os.environ.get("TL_FASHION_MNIST_DIR", DEBIAN_FASHION_DIR))
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
