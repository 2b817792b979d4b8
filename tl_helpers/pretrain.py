"""Make the bundled offline backbone and target dataset, reproducibly.

    python -m tl_helpers.pretrain            # pretrain, write data/ and data/MANIFEST.json
    python -m tl_helpers.pretrain --check    # recompute the sums and compare with the manifest

Source task: the 5 Fashion-MNIST classes T-shirt/top, Trouser, Pullover, Dress, Coat from the
*training* split (30,000 images), at 64 px, on our quarter-width ResNet-50.
Target set: 10 classes drawn from the *test* split, which pretraining never sees:
10 training images per class (``train/``, the series' "100 images, 10 classes"), 40 more per
class (``extra/``, for the label-count experiment) and 100 per class for testing (``test/``).
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torchvision
from PIL import Image
from torch import nn
from tqdm.auto import tqdm

from .checkpoints import atomic_save
from .config import data_root, seed_everything
from .fashion import FASHION_CLASSES, FASHION_MEAN, FASHION_STD, SOURCE_CLASSES, folder_name, read_fashion_mnist
from .resnet import resnet50
from .weights import BUNDLED_CHECKPOINT, MANIFEST_NAME, sha256_file

SIZE = 64
PAD = 4
SPLITS = {"train": 10, "extra": 40, "test": 100}    # images per class in each target split

FASHION_MNIST_LICENSE = """\
Fashion-MNIST (https://github.com/zalandoresearch/fashion-mnist)
The MIT License (MIT) Copyright (c) 2017 Zalando SE, https://tech.zalando.com

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def upscale(images: np.ndarray, size: int = SIZE) -> np.ndarray:
    """Resize 28x28 images to ``size`` exactly as ``transforms.Resize`` does on a PIL image."""
    return np.stack([np.asarray(Image.fromarray(a).resize((size, size), Image.Resampling.BILINEAR))
                     for a in images])


def to_input(batch_u8: torch.Tensor) -> torch.Tensor:
    """uint8 [B, H, W] -> normalised float [B, 3, H, W] (gray copied to 3 channels)."""
    x = (batch_u8.float() / 255.0 - FASHION_MEAN) / FASHION_STD
    return x.unsqueeze(1).expand(-1, 3, -1, -1).contiguous()


def augment(batch_u8: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Random horizontal flip and random shift by up to ``PAD`` pixels (zero padding)."""
    b, h, w = batch_u8.shape
    flip = torch.rand(b, generator=gen) < 0.5
    batch_u8 = torch.where(flip[:, None, None], batch_u8.flip(-1), batch_u8)
    padded = nn.functional.pad(batch_u8, (PAD, PAD, PAD, PAD))
    dx, dy = (torch.randint(0, 2 * PAD + 1, (b,), generator=gen) for _ in range(2))
    return torch.stack([padded[i, dy[i]:dy[i] + h, dx[i]:dx[i] + w] for i in range(b)])


def target_indices(labels: np.ndarray, seed: int) -> dict[str, dict[int, np.ndarray]]:
    """Disjoint picks from the test split: ``{split: {fashion label: indices}}``."""
    rng = np.random.default_rng(seed)
    picks: dict[str, dict[int, np.ndarray]] = {s: {} for s in SPLITS}
    for c in range(len(FASHION_CLASSES)):
        idx = rng.permutation(np.flatnonzero(labels == c))
        start = 0
        for split, n in SPLITS.items():
            picks[split][c] = np.sort(idx[start:start + n])
            start += n
    return picks


@torch.inference_mode()
def accuracy(model: nn.Module, images_u8: torch.Tensor, labels: torch.Tensor, batch: int = 500) -> float:
    model.eval()
    correct = sum((model(to_input(images_u8[i:i + batch])).argmax(1) == labels[i:i + batch]).sum().item()
                  for i in range(0, len(labels), batch))
    return correct / len(labels)


def pretrain(epochs: int, seed: int, batch_size: int = 128, lr: float = 0.1,
             limit: int | None = None) -> tuple[nn.Module, dict]:
    """Train the quarter-width ResNet-50 on the 5 source classes; return it and its stats."""
    seed_everything(seed)
    x_tr, y_tr = read_fashion_mnist("train")
    x_te, y_te = read_fashion_mnist("test")
    used = set(np.concatenate([v for s in target_indices(y_te, seed).values() for v in s.values()]))
    src = list(range(len(SOURCE_CLASSES)))
    tr = np.flatnonzero(np.isin(y_tr, src))[:limit]
    te = np.array([i for i in np.flatnonzero(np.isin(y_te, src)) if i not in used])
    print(f"Source task: {len(SOURCE_CLASSES)} classes, {len(tr)} training and {len(te)} held-out "
          f"test images at {SIZE} px.")
    train_x = torch.from_numpy(upscale(x_tr[tr]))
    train_y = torch.from_numpy(y_tr[tr].astype(np.int64))
    test_x = torch.from_numpy(upscale(x_te[te]))
    test_y = torch.from_numpy(y_te[te].astype(np.int64))

    model = resnet50(width=16, num_classes=len(SOURCE_CLASSES), zero_init_residual=True)
    steps = epochs * ((len(tr) + batch_size - 1) // batch_size)
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=5e-4, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=max(steps, 8), pct_start=0.25)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(seed)
    start = time.perf_counter()
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(tr), generator=gen)
        bar = tqdm(range(0, len(tr), batch_size), desc=f"epoch {epoch + 1}/{epochs}")
        for i in bar:
            idx = order[i:i + batch_size]
            x = to_input(augment(train_x[idx], gen))
            loss = loss_fn(model(x), train_y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            bar.set_postfix(loss=f"{loss.item():.3f}")
        acc = accuracy(model, test_x, test_y)
        print(f"epoch {epoch + 1}: source test accuracy {acc:.4f}")
    stats = {"epochs": epochs, "seed": seed, "batch_size": batch_size, "max_lr": lr,
             "train_images": int(len(tr)), "test_images": int(len(te)),
             "source_test_accuracy": round(acc, 4),
             "train_seconds": round(time.perf_counter() - start, 1)}
    return model, stats


def write_target_set(out: Path, seed: int) -> None:
    """Write the 10-class target set as 28x28 grayscale PNGs in ImageFolder layout."""
    x_te, y_te = read_fashion_mnist("test")
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for split, per_class in target_indices(y_te, seed).items():
        for c, idx in per_class.items():
            folder = tmp / split / folder_name(FASHION_CLASSES[c])
            folder.mkdir(parents=True, exist_ok=True)
            for i in idx:
                Image.fromarray(x_te[i], mode="L").save(folder / f"fmnist_test_{i:05d}.png")
    old = out.with_name(out.name + ".old")
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def bundled_files(root: Path) -> list[Path]:
    """Every file the manifest covers."""
    return sorted([root / BUNDLED_CHECKPOINT] + list((root / "fashion10").rglob("*.png")))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=data_root())
    ap.add_argument("--limit", type=int, default=None, help="use only this many source images (a test run)")
    ap.add_argument("--check", action="store_true", help="only verify the files against the manifest")
    args = ap.parse_args(argv)
    out: Path = args.out
    if args.check:
        files = json.loads((out / MANIFEST_NAME).read_text())["files"]
        bad = [f for f, h in files.items() if not (out / f).exists() or sha256_file(out / f) != h]
        print(f"{len(files) - len(bad)} of {len(files)} files match the manifest.")
        return 1 if bad else 0
    start = time.perf_counter()
    model, stats = pretrain(args.epochs, args.seed, limit=args.limit)
    out.mkdir(parents=True, exist_ok=True)
    atomic_save(model.state_dict(), out / BUNDLED_CHECKPOINT)
    write_target_set(out / "fashion10", args.seed)
    files = {p.relative_to(out).as_posix(): sha256_file(p) for p in bundled_files(out)}
    manifest = {
        "description": "Bundled offline backbone and target dataset of the transfer-learning series.",
        "command": "python -m tl_helpers.pretrain " + " ".join(argv if argv is not None else sys.argv[1:]),
        "provenance": {
            "checkpoint": f"{BUNDLED_CHECKPOINT}: plain state dict of tl_helpers.resnet.resnet50(width=16, "
                          f"num_classes=5), trained from scratch on the Fashion-MNIST training split, "
                          f"classes {list(SOURCE_CLASSES)}, {SIZE} px, normalised with mean {FASHION_MEAN}, "
                          f"std {FASHION_STD}.",
            "fashion10": f"PNG copies (28x28, grayscale, unchanged pixels) of Fashion-MNIST *test-split* "
                         f"images, per class: {SPLITS}; file names carry the test-split index. Never "
                         f"used to train the checkpoint.",
            "pretraining": stats,
            "versions": {"python": platform.python_version(), "torch": torch.__version__,
                         "torchvision": torchvision.__version__},
            "total_seconds": round(time.perf_counter() - start, 1),
        },
        "license": FASHION_MNIST_LICENSE,
        "files": files,
    }
    tmp = out / (MANIFEST_NAME + ".tmp")
    tmp.write_text(json.dumps(manifest, indent=1) + "\n")
    tmp.replace(out / MANIFEST_NAME)
    print(f"Wrote {out / BUNDLED_CHECKPOINT}, {len(files) - 1} PNGs and {MANIFEST_NAME} "
          f"in {manifest['provenance']['total_seconds']:.0f} s; source test accuracy "
          f"{stats['source_test_accuracy']:.4f}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
