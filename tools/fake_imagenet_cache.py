#!/usr/bin/env python3
"""Put a *random* full-width ResNet-50 where torchvision keeps its ImageNet weights, to walk the ImageNet path offline.

    python tools/fake_imagenet_cache.py DIR        # writes DIR/hub/checkpoints/resnet50-11ad3fa6.pth
    TORCH_HOME=DIR python book/build.py --quick --out build/book-imagenet

With ``TORCH_HOME=DIR``, ``tl.load_backbone("auto")`` finds the file and takes the ImageNet path: torchvision's
``ResNet50_Weights.IMAGENET1K_V2``, 224 px inputs, 1000 output classes, 23.5 M parameters. The file's sha256 does
not match the prefix in its name, so the series warns that these are not the published weights and
``tl.weights_verified`` is ``False``: claims that need real ImageNet accuracy print why they are not checked, and
everything else runs and is asserted as usual. ``.ci/run`` does this for every notebook.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

import torch
import torchvision


def write_random_imagenet_cache(torch_home: str | os.PathLike, seed: int = 0) -> Path:
    """Save a seeded random ``torchvision.models.resnet50()`` state dict under torchvision's cache file name.

    Returns:
        The file's path, ``<torch_home>/hub/checkpoints/<name of IMAGENET1K_V2's file>``.
    """
    weights = torchvision.models.ResNet50_Weights.IMAGENET1K_V2
    path = Path(torch_home) / "hub" / "checkpoints" / os.path.basename(weights.url)
    if path.exists():
        raise FileExistsError(f"{path} exists; this tool never overwrites a weights file (it may be the real one). "
                              "Pick an empty folder.")
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    model = torchvision.models.resnet50()
    tmp = path.with_suffix(".tmp")
    torch.save(model.state_dict(), tmp)
    tmp.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("torch_home", help="a folder to use as TORCH_HOME (created if missing)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    path = write_random_imagenet_cache(args.torch_home, args.seed)
    print(f"random full-width ResNet-50 ({path.stat().st_size / 1e6:.0f} MB) in {path}; "
          f"now run with TORCH_HOME={Path(args.torch_home).resolve()}")


if __name__ == "__main__":
    main()
