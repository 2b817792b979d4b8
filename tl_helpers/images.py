"""Reading image files: any mode (gray, RGBA, palette, CMYK, 16-bit) to 8-bit RGB, upright, decoded once;
and transformed once: ``transformed(path, weights.transforms())`` keeps the tensor of a deterministic transform.

Used by every dataset of the series and by ``workflow.predict_image`` (notebooks 09 and 10).
"""
from __future__ import annotations

import os
import threading
import warnings
from collections import OrderedDict
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from PIL import Image, ImageOps, UnidentifiedImageError, features
from torchvision import transforms as T
from torchvision.transforms._presets import ImageClassification

from .i18n import N_, tr


def _pillow_reads(ending: str) -> bool:
    """Does this Pillow open files with this ending (JPEG, WebP and AVIF need their codecs built in)?"""
    fmt = Image.registered_extensions().get(ending)
    codec = {"JPEG": "jpg", "WEBP": "webp", "AVIF": "avif"}.get(fmt or "")
    return fmt in Image.OPEN and (codec is None or bool(features.check(codec)))


#: File endings a folder scan uses as images: the formats of photos and pictures from cameras, phones and the web
#: that this Pillow decodes (upper or lower case; an animated GIF, WebP or PNG gives its first frame). Other files
#: are reported by the scan, never silently dropped (``_skipped_note``).
IMG_EXTENSIONS: tuple[str, ...] = tuple(
    e for e in (".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".apng", ".gif", ".webp", ".avif", ".avifs", ".bmp", ".dib",
                ".tif", ".tiff", ".ppm", ".pgm", ".pbm", ".pnm", ".pfm") if _pillow_reads(e))
_IMG_FORMATS = sorted({Image.registered_extensions()[e] for e in IMG_EXTENSIONS})
#: Endings of images in formats the scan does not use (phone HEIC, vector, camera raw, layered, icon files):
#: reported with the advice to convert them to JPEG or PNG.
OTHER_IMAGE_EXTENSIONS: tuple[str, ...] = tuple(
    e for e in (".heic", ".heif", ".avif", ".jxl", ".svg", ".psd", ".ico", ".tga", ".jp2", ".j2k", ".eps", ".raw",
                ".dng", ".cr2", ".cr3", ".nef", ".arw", ".orf", ".rw2") if e not in IMG_EXTENSIONS)

#: Images larger than this on their long side are shrunk when decoded (the model sees 64-224 px).
MAX_SIDE: int = 1024


class ImageLoadError(ValueError):
    """An image file could not be decoded; the message names the file and what to do."""


def to_rgb(img: Image.Image) -> Image.Image:
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
_cache_lock = threading.Lock()      # widget callbacks may load images on two threads at once


def clear_image_cache() -> None:
    """Forget every decoded image (e.g. after editing files in place)."""
    global _cache_bytes
    with _cache_lock:
        _cache.clear()
        _cache_bytes = 0


def _decode_cached(path: str, mtime_ns: int, size: int) -> Image.Image:
    global _cache_bytes
    key = (path, mtime_ns, size)
    with _cache_lock:
        img = _cache.get(key)
        if img is not None:
            _cache.move_to_end(key)
            return img
    img = _decode(path)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = img
            _cache_bytes += img.width * img.height * len(img.getbands())
            while _cache_bytes > CACHE_MAX_BYTES and len(_cache) > 1:
                _, old = _cache.popitem(last=False)
                _cache_bytes -= old.width * old.height * len(old.getbands())
    return img


def _decode(path: str) -> Image.Image:
    if os.path.getsize(path) == 0:
        raise ImageLoadError(f"Could not read {path!r}: the file is empty (0 bytes), a download or copy that did not "
                             "finish. Download or copy it again, or delete it from the dataset folder.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:       # an animated GIF/WebP/PNG or a multi-page TIFF: its first frame
                if max(img.size) > MAX_SIDE:
                    img.draft("RGB", (MAX_SIDE, MAX_SIDE))   # JPEG: decode at reduced size
                img.load()
                img = to_rgb(ImageOps.exif_transpose(img))   # phone photos: apply the EXIF rotation
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


def _skip_kind(path: Path) -> str:
    """Why a folder scan does not use a file: ``"other format"`` (an image the scan does not read: convert it),
    ``"misnamed"`` (an image ``load_image`` reads, but without an image file ending, e.g. ``photo.jpg_large``, a
    download saved as ``image``: rename it) or ``"not an image"``. Reads the file's header only."""
    if path.suffix.lower() in OTHER_IMAGE_EXTENSIONS:
        return "other format"
    try:
        with Image.open(path, formats=_IMG_FORMATS):
            return "misnamed"
    except Image.DecompressionBombError:
        return "misnamed"
    except (OSError, SyntaxError, ValueError):
        return "not an image"


#: What a folder scan prints about each kind of file it skips (``i18n.tr``); its errors quote the English
#: line after "Note: skipped ".
_SKIP_NOTES = {
    "not an image": N_("Note: skipped {n} non-image file(s) in {root}: {names}"),
    "misnamed": N_("Note: skipped {n} image(s) without an image file ending in {root}: {names} "
                   "(rename them, e.g. to .jpg)"),
    "other format": N_("Note: skipped {n} image(s) in a format the loaders do not read in {root}: {names} "
                       "(convert them to JPEG or PNG)"),
}


def _skipped_note(root: Path, skipped: list[Path], note: bool = False) -> list[str]:
    """What a folder scan says about the files it does not use: a line per kind, with what to do about it
    (``note``: the lines it prints, "Note: skipped ...", in the helpers' language)."""
    lines, kinds = [], {p: _skip_kind(p) for p in skipped}
    for kind, template in _SKIP_NOTES.items():
        paths = [p for p in skipped if kinds[p] == kind]
        if paths:
            names = ", ".join(p.name for p in paths[:3]) + (" ..." if len(paths) > 3 else "")
            fields = {"n": len(paths), "root": root, "names": names}
            lines.append(tr(template, **fields) if note else template.removeprefix("Note: skipped ").format(**fields))
    return lines


def load_image(path: str | os.PathLike) -> Image.Image:
    """Read an image as 8-bit RGB, whatever its mode (gray, RGBA, palette, CMYK, 16-bit), upright.

    A photo whose EXIF data says it was taken rotated (phones save portrait photos that way) is
    turned as an image viewer shows it. Decoded images are cached for the run (up to
    ``CACHE_MAX_BYTES``), so each file is decoded once; images larger than ``MAX_SIDE`` pixels on
    their long side are shrunk to it. Any format Pillow reads, whatever the file's ending; an animated
    GIF, WebP or PNG (or a multi-page TIFF) gives its first frame.

    Args:
        path: The image file.

    Returns:
        A PIL image in mode ``"RGB"`` (do not modify it in place: it is shared by the cache).

    Raises:
        ImageLoadError: The file is missing, empty, corrupt, truncated, not an image or too large; the
            message names the file and what to do.
    """
    return _decode_cached(*image_key(path))


def image_key(path: str | os.PathLike) -> tuple[str, int, int]:
    """``(resolved path, modification time in ns, size in bytes)``: a file edited in place gets a new key."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError as err:
        raise ImageLoadError(f"Image file {str(p)!r} does not exist.") from err
    return str(p.resolve()), st.st_mtime_ns, st.st_size


def is_colour(image: Image.Image, tolerance: int = 8) -> bool:
    """Does an image hold colour, i.e. do its red, green and blue values differ anywhere?

    Args:
        image: A PIL image (any mode; converted with ``to_rgb``).
        tolerance: Channel differences up to this many levels (of 255) count as gray; JPEG
            compression leaves differences of a level or two in gray photos.

    Returns:
        ``True`` when some pixel's channels differ by more than ``tolerance``.
    """
    arr = np.asarray(to_rgb(image), dtype=np.int16)
    spread = arr.max(axis=2) - arr.min(axis=2)
    return bool(spread.max(initial=0) > tolerance)


# --------------------------------------------------------------------------- transformed tensors, cached

#: Transformed images kept for the run, at most this many bytes (least recently used go first).
TENSOR_CACHE_MAX_BYTES: int = 1024 * 2**20
_DETERMINISTIC = (T.Resize, T.CenterCrop, T.ToTensor, T.PILToTensor, T.ConvertImageDtype, T.Normalize, T.Grayscale,
                  ImageClassification)
_tensors: "OrderedDict[tuple, torch.Tensor]" = OrderedDict()
_tensor_bytes = 0
_tensor_lock = threading.Lock()      # widget callbacks may load images on two threads at once


def is_deterministic(transform: Callable | None) -> bool:
    """Does ``transform`` give the same tensor every time for the same image? (Resize, CenterCrop, ToTensor,
    Normalize, torchvision's weights presets, and a ``Compose`` of those; anything random or unknown: no.)"""
    if isinstance(transform, T.Compose):
        return all(is_deterministic(t) for t in transform.transforms)
    return isinstance(transform, _DETERMINISTIC)


def clear_tensor_cache() -> None:
    """Forget every cached transformed image."""
    global _tensor_bytes
    with _tensor_lock:
        _tensors.clear()
        _tensor_bytes = 0


def transformed(path: str | os.PathLike, transform: Callable) -> torch.Tensor:
    """``transform(load_image(path))``, computed once per file and deterministic transform, then reused.

    An epoch over a fixed set of images then costs no decoding, resizing or normalising: the same bits as
    before, from memory (a copy, so the caller may change it). The cache is keyed by the file (path, size,
    modification time) and the transform's description, and holds at most ``TENSOR_CACHE_MAX_BYTES`` (0: off).
    A random transform (augmentation) is applied anew every time, as it must be.
    """
    global _tensor_bytes
    if TENSOR_CACHE_MAX_BYTES <= 0 or not is_deterministic(transform):
        return transform(load_image(path))
    key = (image_key(path), repr(transform))
    with _tensor_lock:
        hit = _tensors.get(key)
        if hit is not None:
            _tensors.move_to_end(key)
            return hit.clone()
    x = transform(load_image(path))
    if isinstance(x, torch.Tensor):
        with _tensor_lock:
            if key not in _tensors:
                _tensors[key] = x.clone()
                _tensor_bytes += x.numel() * x.element_size()
                while _tensor_bytes > TENSOR_CACHE_MAX_BYTES and len(_tensors) > 1:
                    _, old = _tensors.popitem(last=False)
                    _tensor_bytes -= old.numel() * old.element_size()
    return x
