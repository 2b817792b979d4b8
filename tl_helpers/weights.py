"""Where the pretrained weights come from, and saving/loading checkpoints safely.

``load_backbone("imagenet")`` uses torchvision's real weights API (its cache, then a download);
``load_backbone("bundled")`` uses the project's own offline backbone under ``data/``;
``load_backbone("auto")`` picks ImageNet weights when they are available, else the bundled ones.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
import torchvision
from torch import nn
from torchvision import transforms as T

from .config import data_root
from .resnet import ARCHITECTURES

MANIFEST_NAME = "MANIFEST.json"
BUNDLED_CHECKPOINT = "resnet50_w16_fashion5.pt"

#: The bundled backbone's source task: 5 Fashion-MNIST classes.
SOURCE_CLASSES: tuple[str, ...] = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat")
#: Mean and std of Fashion-MNIST pixels (in [0, 1]); the bundled backbone was trained with them.
FASHION_MEAN, FASHION_STD = 0.2860, 0.3530


class ChecksumError(RuntimeError):
    """A bundled file's sha256 differs from the one recorded in ``data/MANIFEST.json``."""


class WeightsUnavailableError(RuntimeError):
    """Pretrained weights are neither cached nor downloadable; the message says where to put them."""


class CheckpointError(ValueError):
    """A checkpoint does not fit: wrong format, architecture or number of classes."""


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


def build_model(arch: str = "resnet50", width: int = 64, num_classes: int = 1000) -> nn.Module:
    """Build a ResNet: ours for other widths, torchvision's at width 64 (same names either way)."""
    if arch not in ARCHITECTURES:
        raise CheckpointError(f"Unknown architecture {arch!r}; known: {sorted(ARCHITECTURES)}.")
    if width == 64:
        return getattr(torchvision.models, arch)(weights=None, num_classes=num_classes)
    return ARCHITECTURES[arch](width=width, num_classes=num_classes)


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


def _load_imagenet(allow_download: bool) -> nn.Module:
    weights = imagenet_weights()
    cached = imagenet_cache_path(weights)
    if cached.exists():
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
        ``weights.meta["categories"]`` the source classes.

    Raises:
        WeightsUnavailableError: The requested weights cannot be had; says where to put the file.
        ChecksumError: The bundled checkpoint does not match its recorded sha256.
    """
    if allow_download is None:
        allow_download = os.environ.get("TL_ALLOW_DOWNLOAD", "0") not in ("", "0", "false")
    say = print if verbose else (lambda *_: None)
    if source == "imagenet":
        model = _load_imagenet(allow_download=True)
        say(f"Backbone: torchvision ResNet-50, ImageNet weights ({imagenet_weights()}), as requested.")
        return model, imagenet_weights()
    if source == "bundled":
        weights = BundledWeights()
        model = _load_bundled(weights)
        say(f"Backbone: bundled ResNet-50 (width {weights.width}) pretrained on "
            f"{len(weights.meta['categories'])} Fashion-MNIST classes, as requested.")
        return model, weights
    if source != "auto":
        raise ValueError(f"source must be 'auto', 'imagenet' or 'bundled', not {source!r}.")
    cached = imagenet_cache_path()
    if cached.exists() or allow_download:
        try:
            model = _load_imagenet(allow_download)
            why = "found in the cache" if cached.exists() else "downloaded"
            say(f"Backbone: torchvision ResNet-50 with ImageNet weights ({why}: {cached}).")
            return model, imagenet_weights()
        except WeightsUnavailableError as err:
            reason = f"ImageNet weights unavailable ({str(err).splitlines()[0][:80]}...)"
    else:
        reason = (f"ImageNet weights not cached at {cached} and downloads are off "
                  "(TL_ALLOW_DOWNLOAD=1 allows them)")
    weights = BundledWeights()
    model = _load_bundled(weights)
    say(f"Backbone: bundled ResNet-50 (width {weights.width}, Fashion-MNIST pretrained): {reason}.")
    return model, weights


# --------------------------------------------------------------------------- checkpoints

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
            "tl_helpers.weights.save_checkpoint (or torch.save(model.state_dict(), path)).") from err


def save_checkpoint(model: nn.Module, path: str | os.PathLike, classes: list[str] | None = None,
                    arch: str = "resnet50", width: int = 64, **extra: Any) -> Path:
    """Save a model's state dict with its architecture and class names, atomically.

    The file is written to a temporary file in the same folder and renamed over ``path`` only
    when complete, so an interrupted save never replaces a good checkpoint with a broken one.

    Returns:
        The path written.
    """
    drop = next((m.p for m in model.fc.modules() if isinstance(m, nn.Dropout)), None) \
        if hasattr(model, "fc") else None
    payload = {"arch": arch, "width": width, "classes": list(classes or []), "dropout": drop,
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
        from .models import replace_head
        model = build_model(obj["arch"], int(obj["width"]), num_classes=n_ckpt or 1000)
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
