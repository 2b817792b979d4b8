"""Datasets and loaders: ImageFolder-style folders, checked, decoded once, fed through any transforms.

The folder layout the series expects (torchvision's ``ImageFolder`` layout)::

    root/train/<class name>/<image>.png
    root/test/<class name>/<image>.png

Taught in notebooks 01, 08, 09 and 10 (the bad-layout errors in 10).
"""
from __future__ import annotations

import copy
import os
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import torch
from torch.utils.data import DataLoader, Dataset, Subset, default_collate
from torchvision import transforms as T

from .config import data_root
from .images import IMG_EXTENSIONS, _skipped_note, load_image, transformed


class DatasetLayoutError(ValueError):
    """The dataset folder does not have the ImageFolder layout; the message says how to fix it."""


def bundled_dataset_dir() -> Path:
    """The bundled 10-class Fashion-MNIST target set (``train/``, ``extra/``, ``test/``)."""
    return data_root() / "fashion10"


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

    Hidden folders and files (``.ipynb_checkpoints``, ``.DS_Store``, ``__MACOSX``) are ignored. The file ending
    decides (``IMG_EXTENSIONS``, any case); other files are skipped with a note that tells non-images from images to
    rename (``a.jpg_large``) or convert (``.heic``). An undecodable image raises ``ImageLoadError`` when loaded.

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
        files = [f for f in sorted(cdir.rglob("*"))
                 if f.is_file() and all(_visible(part) for part in f.relative_to(cdir).parts)]
        images = [f for f in files if f.suffix.lower() in IMG_EXTENSIONS]
        if not images:
            found = "".join(f"Found only {line}. " for line in _skipped_note(cdir, files))
            raise DatasetLayoutError(f"Class folder {str(cdir)!r} has no images (looked for "
                                     f"{', '.join(IMG_EXTENSIONS)}). {found}Add images to it or delete the folder.")
        samples += [(f, idx) for f in images]
        skipped += [f for f in files if f.suffix.lower() not in IMG_EXTENSIONS]
    if skipped and verbose:
        print("\n".join(_skipped_note(root, skipped, note=True)))
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
        return (transformed(path, self.transform) if self.transform else load_image(path)), label


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


def split_train_val(dataset: ImageFolderDataset, val_per_class: int | None = None, fraction: float | None = None,
                    seed: int = 0) -> tuple[Subset, Subset]:
    """Hold out a validation split from a training set: stratified (per class) and seeded. Taught in 10.

    Args:
        dataset: A labelled dataset with ``targets`` and ``classes`` (e.g. ``ImageFolderDataset``).
        val_per_class: Validation images per class; or give ``fraction`` instead.
        fraction: Share of each class's images to validate on (rounded, at least 1 per class).
        seed: The same seed gives the same split.

    Returns:
        ``(train subset, validation subset)``: every class in both, no image in both.

    Raises:
        ValueError: Both or neither of ``val_per_class`` / ``fraction``, or a class too small to split.
    """
    if (val_per_class is None) == (fraction is None) or not (fraction is None or 0 < fraction < 1):
        raise ValueError("Give exactly one of val_per_class (an int) or fraction (between 0 and 1).")
    rng = random.Random(seed)
    train_idx, val_idx = [], []
    for c, name in enumerate(dataset.classes):
        idx = [i for i, t in enumerate(dataset.targets) if t == c]
        n_val = val_per_class if fraction is None else max(1, round(fraction * len(idx)))
        if not 0 < n_val < len(idx):
            raise ValueError(f"Class {name!r} has {len(idx)} images: too few to hold out {n_val} for validation "
                             "and keep at least one to train on. Add images or validate on fewer per class.")
        held = set(rng.sample(idx, n_val))
        val_idx += [i for i in idx if i in held]
        train_idx += [i for i in idx if i not in held]
    return Subset(dataset, train_idx), Subset(dataset, val_idx)


#: What a loader of images without a transform needs (no default: the bundled backbone's would be a guess).
NEEDS_TRANSFORM = ("pass the preprocessing of the network you train, which turns every image into a tensor of its "
                   "input size, e.g. model, weights = tl.load_backbone(...) and then transform=weights.transforms().")


def make_loader(dataset: Dataset, batch_size: int = 32, shuffle: bool = False, seed: int = 0,
                num_workers: int = 0) -> DataLoader:
    """A DataLoader with CPU-safe defaults: no worker processes (safe on Windows and macOS,
    and the decoded images are cached anyway) and a seeded shuffle."""
    gen = torch.Generator().manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=gen,
                      num_workers=num_workers, collate_fn=_collate)


def _collate(batch: list) -> Any:
    """``default_collate``, with a message that says what to change when the images cannot form a batch."""
    try:
        return default_collate(batch)
    except (RuntimeError, TypeError) as err:
        images = [item[0] if isinstance(item, (tuple, list)) else item for item in batch]
        kinds = sorted({str(tuple(x.shape)) if isinstance(x, torch.Tensor) else type(x).__name__ for x in images})
        if len(kinds) == 1 and isinstance(images[0], torch.Tensor):
            raise                                   # same-size tensors: not a problem of the images
        raise TypeError(f"A batch needs the images as tensors of one size; these are {', '.join(kinds[:3])}: "
                        f"{NEEDS_TRANSFORM}") from err


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
        TypeError: No ``transform`` (checked after the folders).
    """
    root = Path(root) if root is not None else bundled_dataset_dir()
    for split in (train_split, test_split):
        if not (root / split).is_dir():
            raise DatasetLayoutError(
                f"Missing {str(root / split)!r}. The dataset folder needs '{train_split}/' and "
                f"'{test_split}/' sub-folders, each with one folder per class.")
    train_ds = ImageFolderDataset(root / train_split, train_transform or transform)
    test_ds = ImageFolderDataset(root / test_split, transform, classes=train_ds.classes)
    if transform is None:
        raise TypeError(f"make_loaders({str(root)!r}) needs transform= (none was given): {NEEDS_TRANSFORM}")
    return (make_loader(train_ds, batch_size, shuffle=True, seed=seed),
            make_loader(test_ds, batch_size * 4), train_ds.classes)


def pooled_splits(root: str | os.PathLike, splits: Sequence[str], transform: Callable | None = None,
                  verbose: bool = True) -> ImageFolderDataset:
    """One dataset of several split folders with the same classes, e.g. ``("train", "extra")``."""
    parts = [ImageFolderDataset(Path(root) / s, transform, verbose=verbose) for s in splits]
    for p in parts[1:]:
        if p.classes != parts[0].classes:
            raise DatasetLayoutError(f"{p.root} has other classes than {parts[0].root}: "
                                     f"{p.classes} vs {parts[0].classes}.")
    merged = copy.copy(parts[0])
    merged.samples = [s for p in parts for s in p.samples]
    merged.targets = [t for p in parts for t in p.targets]
    return merged


# --------------------------------------------------------------------------- transforms

def preset(weights: Any) -> tuple[int, tuple[float, ...], tuple[float, ...]]:
    """``(crop size, mean, std)`` of a weights entry (ours or torchvision's)."""
    tf = weights.transforms()
    size = getattr(weights, "crop_size", None) or getattr(tf, "crop_size", [224])
    size = size[0] if isinstance(size, (list, tuple)) else size
    return int(size), tuple(getattr(weights, "mean", None) or tf.mean), tuple(getattr(weights, "std", None) or tf.std)


def train_transforms(weights: Any, scale: tuple[float, float] = (0.6, 1.0), hflip: bool = True) -> T.Compose:
    """Training-time augmentation that ends in the same size and normalisation as ``weights.transforms()``.

    Args:
        weights: A weights entry (``BundledWeights`` or a torchvision ``Weights``).
        scale: Area range of ``RandomResizedCrop`` (a fraction of the image).
        hflip: Add a random horizontal flip.

    Returns:
        ``RandomResizedCrop(size, scale)``, optional ``RandomHorizontalFlip``, ``ToTensor``, ``Normalize``.
    """
    size, mean, std = preset(weights)
    steps = [T.RandomResizedCrop(size, scale=scale, antialias=True)]
    steps += [T.RandomHorizontalFlip()] if hflip else []
    return T.Compose(steps + [T.ToTensor(), T.Normalize(mean, std)])


def with_transform(dataset: Dataset, transform: Callable) -> Dataset:
    """A shallow copy of an image dataset (or a ``Subset`` of one) that uses another ``transform``."""
    if isinstance(dataset, Subset):
        return Subset(with_transform(dataset.dataset, transform), dataset.indices)
    copied = copy.copy(dataset)
    copied.transform = transform
    return copied
