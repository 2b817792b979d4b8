"""Reading image files: any mode (gray, RGBA, palette, CMYK, 16-bit) to 8-bit RGB, upright, decoded once.

Used by every dataset of the series and by ``workflow.predict_image`` (notebooks 09 and 10).
"""
from __future__ import annotations

import os
import warnings
from collections import OrderedDict
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

#: File endings read as images (as in torchvision's ``ImageFolder``).
IMG_EXTENSIONS: tuple[str, ...] = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")

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


def load_image(path: str | os.PathLike) -> Image.Image:
    """Read an image as 8-bit RGB, whatever its mode (gray, RGBA, palette, CMYK, 16-bit), upright.

    A photo whose EXIF data says it was taken rotated (phones save portrait photos that way) is
    turned as an image viewer shows it. Decoded images are cached for the run (up to
    ``CACHE_MAX_BYTES``), so each file is decoded once; images larger than ``MAX_SIDE`` pixels on
    their long side are shrunk to it.

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
