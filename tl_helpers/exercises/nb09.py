"""Checkers of notebook 09's "Try it yourself": which epoch KeepBest keeps; reload a checkpoint and predict."""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch import nn
from torchvision import transforms as T

from functools import lru_cache

from . import exercise, judgement
from ..i18n import N_, tr
from .answers import NotYet, choice, count, near, number, text
from .guard import call, is_stub
from ..checkpoints import load_checkpoint, save_checkpoint
from ..engine import KeepBest
from ..resnet import resnet18
from ..workflow import predict_image
from ..experiments import load_task, train_seeds
from ..recipe import HEAD_LR

#: Validation accuracies per epoch the checker tries a learner's ``kept_epoch`` on (ties included).
_CURVES = ([0.5, 0.7, 0.6], [0.5, 0.7, 0.7, 0.6], [0.9, 0.8, 0.7], [0.2, 0.4, 0.6, 0.8], [0.3, 0.3, 0.3])


def _keep_best_epoch(val_accs: list[float]) -> int:
    """Run the real ``KeepBest`` callback over ``val_accs`` and return the epoch it kept."""
    with tempfile.TemporaryDirectory() as tmp:
        best = KeepBest(nn.Linear(1, 1), Path(tmp) / "m.pt", ["a"], key="val_acc")
        for epoch in range(len(val_accs)):
            best(epoch, {"val_acc": val_accs[: epoch + 1]})
        return best.epoch


def _epoch_problem(got, accs: list[float]) -> str | None:
    """What is off with the learner's kept epoch ``got`` for the curve ``accs`` (None when right)."""
    want = _keep_best_epoch(list(accs))
    epoch = count(got)
    if epoch == want:
        return None
    if epoch == want - 1:
        return tr("for {accs} your epoch is one too small: are you counting from 0?", accs=accs)
    if 1 <= epoch <= len(accs) and accs[epoch - 1] == max(accs):
        return tr("for {accs} you picked another epoch with the same best accuracy than the one KeepBest keeps.",
                  accs=accs)
    return tr("for validation accuracies {accs} you return {got!r}, not the epoch KeepBest keeps.", accs=accs, got=got)


@exercise("09.1", "which epoch does KeepBest keep?", asks="function", hints=(
    "KeepBest keeps the model of one epoch: think about when, during training, it saves a checkpoint, and what "
    "happens when a later epoch only equals the best accuracy so far.",
    "read its comparison: tl.KeepBest?? shows the source. Does a tie count as an improvement there? Also, epochs "
    "are counted from 1 while list indices start at 0.",
    "worked step: find the best accuracy with max(val_accs), use KeepBest's comparison to decide which of the "
    "epochs reaching it is the one kept, and turn that list index into an epoch number."))
def check_kept_epoch(kept_epoch) -> str | None:
    if not callable(kept_epoch) or isinstance(kept_epoch, nn.Module):
        raise NotYet(tr("give a function kept_epoch(val_accs), written with def, that returns an epoch number."))
    if is_stub(kept_epoch):
        raise NotYet(tr("the body of your function is not written yet (it is still ...)."))
    for accs in _CURVES:
        problem = _epoch_problem(call(kept_epoch, list(accs)), accs)
        if problem:
            return problem
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


#: 09.2 accepts a probability rounded to 2 decimals.
PROBABILITY_TOLERANCE = 0.005


def _prediction_problem(got, want_name: str, want_p: float) -> str | None:
    """What is off with the learner's ``(name, probability)`` (None when right, rounding allowed)."""
    if not (isinstance(got, (tuple, list)) and len(got) == 2):
        return tr("your function returned {got!r:.60}, not a pair (class name, probability).", got=got)
    name, p = got[0], number(got[1])
    if text(name) != text(want_name):
        return tr("on the checker's checkpoint your top-1 class is {name!r}, not the model's: is the model rebuilt "
                  "from the checkpoint file itself?", name=name)
    if near(p, want_p, abs_tol=PROBABILITY_TOLERANCE):
        return None
    if 1 < p <= 100 and near(p / 100, want_p, abs_tol=PROBABILITY_TOLERANCE):
        return tr("that looks like a percentage: give the probability as a number between 0 and 1.")
    return tr("the class is right but the probability {p:.4g} is off (rounding to 2 decimals, within {tolerance}, "
              "is fine).", p=p, tolerance=PROBABILITY_TOLERANCE)


@exercise("09.2", "reload a checkpoint and classify one image", asks="function", hints=(
    "a checkpoint file holds the weights and what it takes to rebuild the model; predicting one image means the "
    "model in eval mode, the same preprocessing, and a softmax over the logits.",
    "tl.load_checkpoint(path) gives back the model and its class names; tl.predict_image(model, image_path, "
    "preprocess, classes, k=...) returns the top classes with their probabilities.",
    "worked step: rebuild the model and the classes from the file, ask predict_image for the single most "
    "probable class, and return its (name, probability) pair as it comes."))
def check_top1(top1) -> str | None:
    if not callable(top1) or isinstance(top1, nn.Module):
        raise NotYet(tr("give a function top1(checkpoint_path, image_path, preprocess), written with def."))
    if is_stub(top1):
        raise NotYet(tr("the body of your function is not written yet (it is still ...)."))
    with tempfile.TemporaryDirectory() as tmp:
        ckpt, image, preprocess = _tiny_checkpoint(Path(tmp))
        model, classes = load_checkpoint(ckpt)
        want_name, want_p = predict_image(model, image, preprocess, classes, k=1)[0]
        got = call(top1, ckpt, image, preprocess)
    return _prediction_problem(got, want_name, want_p)


#: 09.4: the two schedules notebook 09 compares, the names a learner may give each, and the checker's budget: the
#: bundled run's quick-mode fine-tuning epochs in every mode (full mode's 20 would make the first check long).
SCHEDULE_CHOICES = {"constant": {}, "cosine": {"schedule": "cosine"}}
SCHEDULE_NAMES = {"constant": "constant", "constant lr": "constant", "none": "constant", "no schedule": "constant",
                  "cosine": "cosine", "cosine schedule": "cosine", "cosineannealinglr": "cosine"}
JUDGEMENT_NET_EPOCHS = 5


@lru_cache(maxsize=1)
def measure_schedules() -> dict[str, tuple[float, ...]]:
    """Validation accuracy per schedule and seed (best epoch) of 09's recipe on the bundled task, measured once."""
    task = load_task("bundled", verbose=False)
    return judgement.measure(lambda: {
        name: train_seeds(task, "finetune", judgement.SEEDS, progress=False, unfreeze_from="layer4", head_lr=HEAD_LR,
                          num_epochs=JUDGEMENT_NET_EPOCHS, select="val", **setting)
        for name, setting in SCHEDULE_CHOICES.items()})


@exercise("09.4", "constant learning rate or a cosine schedule, judged on validation", hints=(
    "a choice made on validation data is only as sure as the noise between seeds allows: a schedule is a good "
    "pick when the other one is not detectably better on validation, seed by seed.",
    "section 7 printed the validation accuracy of both, per seed, and the 95 % interval of the difference: "
    "does it lie above 0, below 0, or does it reach 0?",
    "worked step: low = tl.paired_interval(val[best], val[yours])[1], where best has the higher mean; your pick "
    "is defensible when low <= 0. The checker trains its own runs (5 seeds, 5 fine-tuning epochs; the first "
    "check takes a few minutes) and applies this rule."))
def schedule_choice(answer) -> str | None:
    chosen = choice(answer, SCHEDULE_NAMES, N_("'constant' or 'cosine'"))
    if judgement.detectably_worse(chosen, measure_schedules()):
        return tr("on validation, {chosen} is detectably below the other schedule: the seed-by-seed 95 % interval "
                  "of the other's validation accuracy minus yours lies above 0.", chosen=chosen)
    return None
