"""Checkers of notebook 09's "Try it yourself": which epoch KeepBest keeps; reload a checkpoint and predict."""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn
from torchvision import transforms as T

from . import close_to, exercise
from ..checkpoints import load_checkpoint, save_checkpoint
from ..engine import KeepBest
from ..resnet import resnet18
from ..workflow import predict_image

#: Validation accuracies per epoch the checker tries a learner's ``kept_epoch`` on (ties included).
_CURVES = ([0.5, 0.7, 0.6], [0.5, 0.7, 0.7, 0.6], [0.9, 0.8, 0.7], [0.2, 0.4, 0.6, 0.8], [0.3, 0.3, 0.3])


def _keep_best_epoch(val_accs: list[float]) -> int:
    """Run the real ``KeepBest`` callback over ``val_accs`` and return the epoch it kept."""
    with tempfile.TemporaryDirectory() as tmp:
        best = KeepBest(nn.Linear(1, 1), Path(tmp) / "m.pt", ["a"], key="val_acc")
        for epoch in range(len(val_accs)):
            best(epoch, {"val_acc": val_accs[: epoch + 1]})
        return best.epoch


@exercise("09.1", "which epoch does KeepBest keep?")
def check_kept_epoch(kept_epoch) -> str | None:
    if not callable(kept_epoch):
        return "give a function kept_epoch(val_accs) that returns an epoch number. Hint: def kept_epoch(val_accs): ..."
    for accs in _CURVES:
        got, want = kept_epoch(list(accs)), _keep_best_epoch(list(accs))
        if got == want:
            continue
        if got == want - 1:
            return (f"for {accs} your epoch is one too small. Hint: history lists start at index 0, but "
                    "KeepBest counts epochs from 1.")
        if isinstance(got, int) and 1 <= got <= len(accs) and accs[got - 1] == max(accs):
            return (f"for {accs} you picked another epoch with the same best accuracy. Hint: KeepBest saves "
                    "only when an epoch *beats* every earlier one; which of the tied epochs does that keep?")
        return f"for validation accuracies {accs} you return {got!r}. Hint: KeepBest keeps the epoch of the highest one."
    return None


def _tiny_checkpoint(folder: Path) -> tuple[Path, Path, T.Compose]:
    torch.manual_seed(9)
    model = resnet18(width=8, num_classes=3)
    with torch.no_grad():                      # BatchNorm statistics that differ from a fresh model's
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
    ckpt = save_checkpoint(model, folder / "tiny.pt", ["cat", "dog", "fox"], arch="resnet18", width=8)
    rng = np.random.default_rng(9)
    image = folder / "photo.png"
    Image.fromarray((rng.random((40, 40, 3)) * 255).astype(np.uint8)).save(image)
    return ckpt, image, T.Compose([T.Resize(64), T.ToTensor()])


@exercise("09.2", "reload a checkpoint and classify one image")
def check_top1(top1) -> str | None:
    if not callable(top1):
        return "give a function top1(checkpoint_path, image_path, preprocess). Hint: def top1(...): ..."
    with tempfile.TemporaryDirectory() as tmp:
        ckpt, image, preprocess = _tiny_checkpoint(Path(tmp))
        model, classes = load_checkpoint(ckpt)
        want_name, want_p = predict_image(model, image, preprocess, classes, k=1)[0]
        try:
            got = top1(ckpt, image, preprocess)
        except Exception as err:            # e.g. a model left in train mode, a wrong path
            return (f"your function raised {type(err).__name__}: {err}. Hint: tl.load_checkpoint(path) returns "
                    "(model, classes); tl.predict_image(model, image_path, preprocess, classes, k=1) does the rest.")
    if not (isinstance(got, (tuple, list)) and len(got) == 2):
        return f"your function returned {got!r}. Hint: return a pair (class name, probability)."
    name, p = got
    if name != want_name:
        return (f"on the checker's checkpoint your top-1 class is {name!r}, not the model's. Hint: rebuild the model "
                "from the checkpoint file itself (tl.load_checkpoint) and take the most probable class.")
    if not close_to(p, want_p, abs_tol=1e-4):
        return (f"the class is right but the probability {p} is off. Hint: is the model in eval mode (BatchNorm "
                "uses its stored statistics), and do you apply softmax to the logits?")
    return None
