"""Where the pretrained weights come from: torchvision's ImageNet weights or the bundled backbone.

``load_backbone("imagenet")`` uses torchvision's real weights API (its cache, then a download);
``load_backbone("bundled")`` uses the project's own offline backbone under ``data/``;
``load_backbone("auto")`` picks ImageNet weights when they are available, else the bundled ones.
Bundled files are checked against the sha256 sums in ``data/MANIFEST.json``; a cached ImageNet file
against the sha256 prefix in torchvision's file name, as ``torch.hub`` checks a download. Taught in
notebooks 00 and 06.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import torchvision
from torch import nn
from torchvision import transforms as T

from .checkpoints import safe_load
from .config import allow_download as download_allowed
from .config import data_root
from .fashion import FASHION_MEAN, FASHION_STD, SOURCE_CLASSES
from .i18n import tr
from .resnet import build_model

MANIFEST_NAME = "MANIFEST.json"
BUNDLED_CHECKPOINT = "resnet50_w16_fashion5.pt"


class ChecksumError(RuntimeError):
    """A bundled file's sha256 differs from the one recorded in ``data/MANIFEST.json``."""


class WeightsUnavailableError(RuntimeError):
    """Pretrained weights are neither cached nor downloadable; the message says where to put them."""


# --------------------------------------------------------------------------- integrity

def sha256_file(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def read_manifest(root: Path | None = None) -> dict[str, Any]:
    """The bundled data's manifest: sha256 per file, provenance and licence."""
    path = (root or data_root()) / MANIFEST_NAME
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing. Re-create the bundled data with "
                                "`python -m tl_helpers.pretrain`.")
    return json.loads(path.read_text())


def verify_file(path: str | os.PathLike, root: Path | None = None) -> Path:
    """Check a bundled file against its sha256 in the manifest.

    Raises:
        ChecksumError: The file changed (corrupt download, edit, partial copy).
    """
    root = root or data_root()
    path = Path(path)
    rel = path.resolve().relative_to(root.resolve()).as_posix()
    expected = read_manifest(root)["files"].get(rel)
    if expected is None:
        raise ChecksumError(f"{rel} is not listed in {root / MANIFEST_NAME}; it is not a bundled file.")
    actual = sha256_file(path)
    if actual != expected:
        raise ChecksumError(
            f"{path} is damaged or was changed: sha256 {actual[:12]}... but the manifest records "
            f"{expected[:12]}.... Restore it with `git checkout -- {path}` or rebuild the bundled "
            "data with `python -m tl_helpers.pretrain`.")
    return path


# --------------------------------------------------------------------------- weights objects

@dataclass
class BundledWeights:
    """The offline backbone, shaped like a torchvision ``Weights`` entry (``transforms()``, ``meta``).

    Attributes:
        crop_size: Side of the square input (64 px).
        resize_size: Resize before the centre crop.
    """

    name: str = "BUNDLED_FASHION5"
    file: str = BUNDLED_CHECKPOINT
    arch: str = "resnet50"
    width: int = 16
    crop_size: int = 64
    resize_size: int = 64
    mean: tuple[float, ...] = (FASHION_MEAN,) * 3
    std: tuple[float, ...] = (FASHION_STD,) * 3
    meta: dict[str, Any] = field(default_factory=lambda: {
        "categories": list(SOURCE_CLASSES),
        "source": "5 Fashion-MNIST classes, pretrained by `python -m tl_helpers.pretrain`",
    })

    def transforms(self) -> T.Compose:
        """Resize, centre-crop, to tensor and Normalize, like torchvision's weights' presets."""
        return T.Compose([T.Resize(self.resize_size), T.CenterCrop(self.crop_size),
                          T.ToTensor(), T.Normalize(self.mean, self.std)])

    def path(self) -> Path:
        return data_root() / self.file

    def __str__(self) -> str:
        return self.name


def imagenet_weights() -> torchvision.models.WeightsEnum:
    """torchvision's best ResNet-50 ImageNet weights (``ResNet50_Weights.IMAGENET1K_V2``)."""
    return torchvision.models.ResNet50_Weights.IMAGENET1K_V2


def imagenet_cache_path(weights: torchvision.models.WeightsEnum | None = None) -> Path:
    """Where torchvision keeps (or would keep) the ImageNet weights file (respects ``TORCH_HOME``)."""
    weights = weights or imagenet_weights()
    return Path(torch.hub.get_dir()) / "checkpoints" / os.path.basename(weights.url)


def _load_bundled(weights: BundledWeights) -> nn.Module:
    path = weights.path()
    if not path.exists():
        raise WeightsUnavailableError(
            f"The bundled backbone {path} is missing. Restore it with `git checkout -- data/` or "
            "rebuild it with `python -m tl_helpers.pretrain`.")
    verify_file(path)
    model = build_model(weights.arch, weights.width, num_classes=len(weights.meta["categories"]))
    model.load_state_dict(safe_load(path), strict=True)
    return model


def hash_in_name_matches(path: str | os.PathLike) -> tuple[bool, str, str]:
    """Does a file's sha256 start with the hex digits in its name (``resnet50-11ad3fa6.pth``)?

    torchvision names each weights file after the start of its sha256, and ``torch.hub`` checks
    it when it downloads; this does the same check on a file that is already there.

    Returns:
        ``(matches, expected prefix from the name, actual prefix)``; no prefix in the name: no match.
    """
    path = Path(path)
    found = re.search(torch.hub.HASH_REGEX, path.name)
    expected = found.group(1) if found else ""
    actual = _sha256_cached(str(path.resolve()), path.stat().st_mtime_ns, path.stat().st_size)
    actual = actual[:max(len(expected), 8)]
    return bool(expected) and actual == expected, expected, actual


_hashes: dict[tuple[str, int, int], str] = {}


def _sha256_cached(path: str, mtime_ns: int, size: int) -> str:
    """``sha256_file``, computed once per file version (the ImageNet file is about 100 MB)."""
    key = (path, mtime_ns, size)
    if key not in _hashes:
        _hashes[key] = sha256_file(path)
    return _hashes[key]


def weights_verified(weights: Any) -> bool:
    """Are these the published weights? Bundled: checked against the manifest on every load (a
    mismatch raises). torchvision's: the cached file's sha256 matches the prefix in its name."""
    if isinstance(weights, BundledWeights):
        return True
    path = imagenet_cache_path(weights)
    return path.exists() and hash_in_name_matches(path)[0]


def _load_imagenet(allow_download: bool) -> nn.Module:
    weights = imagenet_weights()
    cached = imagenet_cache_path(weights)
    if cached.exists():
        matches, expected, actual = hash_in_name_matches(cached)
        if not matches:
            warnings.warn(
                f"{cached} does not hold torchvision's published ResNet-50 weights: its sha256 starts with "
                f"{actual}, but its name says {expected or '(no hash)'}. It is loaded anyway; results that "
                "depend on real ImageNet weights do not apply. Delete it to download the published file.",
                stacklevel=3)
        state = safe_load(cached)
    elif allow_download:
        try:
            state = weights.get_state_dict(progress=True, check_hash=True)
        except Exception as err:
            raise WeightsUnavailableError(
                f"Could not download the ImageNet weights ({type(err).__name__}: {err}). torchvision "
                f"wants the file {cached.name} in {cached.parent} (set TORCH_HOME to change the "
                f"folder). Copy it there from a machine with network ({weights.url}), or use "
                "load_backbone('bundled').") from err
    else:
        raise WeightsUnavailableError(
            f"ImageNet weights not cached: torchvision wants {cached.name} in {cached.parent}, "
            "and downloading is off. Pass allow_download=True, copy the file there, or use "
            "load_backbone('bundled').")
    model = torchvision.models.resnet50(weights=None)
    model.load_state_dict(state, strict=True)
    return model


def _verified_note() -> str:
    ok = weights_verified(imagenet_weights())
    return tr("; sha256 verified") if ok else tr("; NOT verified: not torchvision's published file")


def load_backbone(source: str = "auto", allow_download: bool | None = None,
                  verbose: bool = True) -> tuple[nn.Module, Any]:
    """Load a pretrained ResNet-50 and the weights entry that describes it.

    Args:
        source: ``"imagenet"`` (torchvision's ImageNet weights: cache, then download),
            ``"bundled"`` (the offline quarter-width backbone) or ``"auto"`` (ImageNet when
            cached, or downloadable when downloads are allowed; else bundled).
        allow_download: May ``auto`` download ImageNet weights (about 100 MB)? Default: the
            ``TL_ALLOW_DOWNLOAD`` environment variable (off). ``"imagenet"`` always may.
        verbose: Print one line saying which backbone is used and why.

    Returns:
        ``(model, weights)``: ``weights.transforms()`` gives the matching input transforms and
        ``weights.meta["categories"]`` the source classes. ``weights_verified(weights)`` says whether
        they are the published weights (a cached ImageNet file that fails the check loads with a warning).

    Raises:
        WeightsUnavailableError: The requested weights cannot be had; says where to put the file.
        ChecksumError: The bundled checkpoint does not match its recorded sha256.
    """
    if allow_download is None:
        allow_download = download_allowed()
    say = print if verbose else (lambda *_: None)
    if source == "imagenet":
        model = _load_imagenet(allow_download=True)
        say(tr("Backbone: torchvision ResNet-50, ImageNet weights ({weights}), as requested{verified}.",
               weights=imagenet_weights(), verified=_verified_note()))
        return model, imagenet_weights()
    if source == "bundled":
        weights = BundledWeights()
        model = _load_bundled(weights)
        say(tr("Backbone: bundled ResNet-50 (width {width}) pretrained on {n} Fashion-MNIST classes, as requested.",
               width=weights.width, n=len(weights.meta["categories"])))
        return model, weights
    if source != "auto":
        raise ValueError(f"source must be 'auto', 'imagenet' or 'bundled', not {source!r}.")
    cached = imagenet_cache_path()
    if cached.exists() or allow_download:
        try:
            model = _load_imagenet(allow_download)
            why = tr("found in the cache") if cached.exists() else tr("downloaded")
            say(tr("Backbone: torchvision ResNet-50 with ImageNet weights ({why}: {path}){verified}.", why=why,
                   path=cached, verified=_verified_note()))
            return model, imagenet_weights()
        except WeightsUnavailableError as err:
            reason = tr("ImageNet weights unavailable ({error}...)", error=str(err).splitlines()[0][:80])
    else:
        reason = tr("ImageNet weights not cached at {path} and downloads are off (TL_ALLOW_DOWNLOAD=1 allows them)",
                    path=cached)
    weights = BundledWeights()
    model = _load_bundled(weights)
    say(tr("Backbone: bundled ResNet-50 (width {width}, Fashion-MNIST pretrained): {reason}.", width=weights.width,
           reason=reason))
    return model, weights
