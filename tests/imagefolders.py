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


RED, BLUE = (255, 0, 0), (0, 0, 255)

#: Images the way they come from phones, cameras and the web; each is red at its first frame (animated and multi-page
#: files are blue after it). ``name: (size, format, frames)``.
WEB_IMAGES = {
    "upper.JPG": ((30, 20), "JPEG", 1), "photo.jpeg": ((20, 30), "JPEG", 1), "old.jfif": ((16, 16), "JPEG", 1),
    "anim.gif": ((24, 24), "GIF", 2), "anim.webp": ((24, 24), "WEBP", 2), "anim.png": ((24, 24), "PNG", 2),
    "scan.tif": ((20, 20), "TIFF", 2), "scan.TIFF": ((20, 20), "TIFF", 1), "icon.bmp": ((8, 8), "BMP", 1),
    "tiny.png": ((1, 1), "PNG", 1), "wide.png": ((900, 2), "PNG", 1), "tall.WebP": ((2, 900), "WEBP", 1),
}
#: Files a scan must skip and say why: an image without an image file ending, a format the loaders do not read,
#: a text file (a hidden ``.DS_Store`` is ignored without a word).
WEB_SKIPPED = {"photo.jpg_large": "rename them", "IMG_0001.HEIC": "convert them to JPEG or PNG",
               "desc.txt": "non-image"}


def write_image(path: Path, size=(20, 20), fmt="PNG", frames=1) -> Path:
    """One image of ``size``: red, then blue frames (saved as an animation or pages when ``frames > 1``)."""
    first, *rest = [Image.new("RGB", size, RED if i == 0 else BLUE) for i in range(frames)]
    extra = {"save_all": True, "append_images": rest, "duration": 100} if rest else {}
    first.save(path, format=fmt, **({"lossless": True} if fmt == "WEBP" else {}), **extra)
    return path


def write_web_folder(folder: Path) -> Path:
    """``WEB_IMAGES`` and ``WEB_SKIPPED`` in ``folder`` (a class folder), plus a hidden ``.DS_Store``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (size, fmt, frames) in WEB_IMAGES.items():
        write_image(folder / name, size, fmt, frames)
    write_image(folder / "photo.jpg_large", (12, 12), "JPEG")
    (folder / "IMG_0001.HEIC").write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(64))
    (folder / "desc.txt").write_text("downloaded from somewhere")
    (folder / ".DS_Store").write_bytes(bytes(16))
    return folder
