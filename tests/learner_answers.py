"""Answers learners actually type, for every auto-checked exercise, with the verdict each must get.

Independent of ``solutions/``: right answers spelt differently (``"1,114,112"``, ``"Layer3"``, ``"conv5_x"``,
``"80px"``, a rounded probability, a head with dropout), wrong ones that look right (``5130.4`` for a count, a
forward that calls the block), blanks and answers of the wrong type. ``says`` is a phrase the message must contain
(case-insensitive). ``tests/test_learner_answers.py`` runs them all; a blank (``None``, ``...``) is tried for every
exercise there. ``LEAKS`` lists, per exercise, text that would give the answer away in any message or hint.

The judgement exercises (05.3, 06.4, 07.3, 08.3, 09.4, 10.4, 11.6) are checked against validation accuracies the checker measures itself,
by training 5 seeds per choice (minutes for 07.3 and 08.3). Their cases assume the small made-up measurement
``FAKE_VAL_ACCS``, which ``use_fake_measurements`` puts in place of the real one (a pytest fixture in the tests).
"""
from __future__ import annotations

import copy
import importlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import tl_helpers as tl

PASS, FAIL, BLANK = True, False, None


@dataclass(frozen=True)
class Case:
    """One learner answer and the verdict it must get (``PASS``, ``FAIL`` or ``BLANK``)."""

    answer: Any
    verdict: bool | None
    says: str = ""


def cases(verdict: bool | None, *answers: Any, says: str = "") -> list[Case]:
    return [Case(a, verdict, says) for a in answers]


# --------------------------------------------------------------------------- functions learners write

def head_with_dropout(model):                        # the head notebook 05 builds
    model.fc = nn.Sequential(nn.Dropout(0.5), nn.Linear(model.fc.in_features, 7))
    return model


def head_in_place(model):                            # forgets to return the model: fine, it changed in place
    model.fc = nn.Linear(model.fc.in_features, 7)


def head_stub(model):
    ...                     # your code: model.fc = ...
    return model


def head_reinitialises(model):
    for p in model.parameters():
        nn.init.zeros_(p)
    model.fc = nn.Linear(model.fc.in_features, 7)
    return model


def forward_stub(block, x):
    ...                     # your code: compute F(x), the shortcut, and the block's output


def forward_with_torch_relu(block, x):
    out = block.bn2(block.conv2(torch.relu(block.bn1(block.conv1(x)))))
    return F.relu(out + (x if block.downsample is None else block.downsample(x)))


def raises(*args):
    raise ValueError("oops")


class CopyPad(nn.Module):                            # a parameter-free shortcut written by hand
    def forward(self, x):
        x = x[:, :, ::2, ::2]
        return torch.cat([x, torch.zeros_like(x)], 1)


def dropout_by_bernoulli(x, p, training=True):
    return x * torch.bernoulli(torch.full_like(x, 1 - p)) / (1 - p) if training else x


def dropout_calls_f(x, p, training=True):
    return F.dropout(x, p, training)


def dropout_calls_module(x, p, training=True):
    return nn.Dropout(p).train(training)(x)


def dropout_stub(x, p, training=True):
    ...


def freeze(model):
    ...                     # your loop over model.named_parameters()


def freeze_returns(model):
    for name, p in model.named_parameters():
        p.requires_grad_(name.startswith("fc."))
    return model


def freeze_copy(model):                              # returns a new model, the argument untouched
    model = copy.deepcopy(model)
    for name, p in model.named_parameters():
        p.requires_grad = name.split(".")[0] == "fc"
    return model


def freeze_helper(model):
    return tl.freeze_backbone(model)


def freeze_convs_only(model):
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            m.weight.requires_grad = False


def frozen_model():
    return freeze_returns(tl.replace_head(tl.load_backbone("bundled", verbose=False)[0], 10))


def per_class_list(cm):
    return (cm.diag().float() / cm.sum(1).float()).tolist()


def per_class_numpy(cm):
    cm = cm.numpy()
    return np.diag(cm) / cm.sum(axis=1)


class Always(nn.Module):
    """A "model" that predicts class ``k`` for every image: its shirt row is all in column ``k``."""

    def __init__(self, k: int):
        super().__init__()
        self.k = k

    def forward(self, x):
        return F.one_hot(torch.full((len(x),), self.k), 10).float()


def top1(checkpoint_path, image_path, preprocess):
    model, classes = tl.load_checkpoint(checkpoint_path)
    return tl.predict_image(model, image_path, preprocess, classes, k=1)[0]


def top1_rounded(*args):
    name, p = top1(*args)
    return name.upper(), round(p, 2)


def top1_percent(*args):
    name, p = top1(*args)
    return name, round(100 * p)


def fix_folder(root):
    train = Path(root) / "train"
    for image in sorted(train.glob("*.png")):
        (train / image.name.split("_")[0]).mkdir(exist_ok=True)
        shutil.move(image, train / image.name.split("_")[0] / image.name)
    (train / "bird").rmdir()


def fix_stub(root):
    ...


def _shirt_cm(taken_for: str = "tshirt_top") -> torch.Tensor:
    """A confusion matrix of the bundled test set (100 images per class) whose shirts go most to ``taken_for``."""
    classes = sorted(p.name for p in (tl.bundled_dataset_dir() / "test").iterdir() if p.is_dir())
    cm = torch.eye(10, dtype=torch.long) * 80 + 2
    shirt, other = classes.index("shirt"), classes.index(taken_for)
    cm[shirt, other] += 10
    cm[shirt, shirt] -= 10
    cm[classes.index("pullover"), shirt] += 12
    cm[classes.index("pullover"), classes.index("pullover")] -= 12
    return cm


#: Made-up validation accuracies (5 seeds) for the judgement exercises. 05.3: 0.5 has the best mean, 0.2 is within
#: the noise of it, 0.0 and 0.8 are detectably below. 07.3: finetune best, frozen within the noise, scratch below.
#: 08.3: one-stage best, two-stage detectably below. 06.4: layer4 best, layer3 within the noise, layer2 below. 09.4:
#: both within the noise. 10.4: 90 best, 30 within the noise, 10 below. 11.6: scaled best, same detectably below.
FAKE_VAL_ACCS = {
    "05.3": {0.0: (0.80, 0.82, 0.79, 0.81, 0.80), 0.2: (0.82, 0.82, 0.80, 0.82, 0.80),
             0.5: (0.82, 0.83, 0.80, 0.82, 0.81), 0.8: (0.76, 0.78, 0.75, 0.77, 0.76)},
    "07.3": {"scratch": (0.35, 0.38, 0.33, 0.36, 0.37), "frozen": (0.80, 0.81, 0.79, 0.82, 0.80),
             "finetune": (0.81, 0.80, 0.81, 0.81, 0.82)},
    "08.3": {"two-stage": (0.80, 0.81, 0.82, 0.80, 0.81), "one-stage": (0.82, 0.83, 0.83, 0.82, 0.83)},
    "06.4": {"layer2": (0.69, 0.70, 0.68, 0.70, 0.69), "layer3": (0.79, 0.77, 0.80, 0.78, 0.79),
             "layer4": (0.80, 0.79, 0.79, 0.80, 0.80)},
    "09.4": {"constant": (0.80, 0.81, 0.79, 0.80, 0.82), "cosine": (0.81, 0.80, 0.80, 0.81, 0.80)},
    "10.4": {10: (0.74, 0.75, 0.76, 0.75, 0.74), 30: (0.79, 0.78, 0.80, 0.80, 0.79), 90: (0.80, 0.79, 0.79, 0.80, 0.80)},
    "11.6": {"same": (0.78, 0.79, 0.78, 0.77, 0.78), "scaled": (0.81, 0.82, 0.81, 0.80, 0.81)},
}
#: The module-level function of each judgement checker that measures the validation accuracies.
MEASUREMENTS = {"05.3": "measure_dropout", "07.3": "measure_strategies", "08.3": "measure_schedules",
                "06.4": "measure_cut", "09.4": "measure_schedules", "10.4": "measure_head_epochs",
                "11.6": "measure_batch_lr"}


def use_fake_measurements(monkeypatch, val_accs: dict | None = None) -> None:
    """Put ``val_accs`` (for the exercises it names; ``FAKE_VAL_ACCS`` for the others) in place of each judgement
    checker's measurement."""
    for exercise_id, name in MEASUREMENTS.items():
        module = importlib.import_module(f"tl_helpers.exercises.nb{exercise_id[:2]}")
        fake = {**FAKE_VAL_ACCS, **(val_accs or {})}[exercise_id]
        monkeypatch.setattr(module, name, lambda fake=fake: fake)


BAG = 1                                              # index of "bag" in the sorted class folders
W = 452_618                                          # 07.1: layer3 + a 10-class head on the bundled backbone

ANSWERS: dict[str, list[Case]] = {
    "01.1": cases(PASS, "layer3", "Layer3", " layer3 ", "conv4_x", "LAYER 3")
    + cases(FAIL, "layer4", "stem") + cases(FAIL, 3, ["layer3"], True, says="give a name")
    + cases(FAIL, "block3", says="not a stage"),
    "01.2": cases(PASS, head_in_place, head_with_dropout)
    + cases(FAIL, head_stub, says="not written yet") + cases(FAIL, nn.Linear(512, 7), says="function itself")
    + cases(FAIL, raises, says="raised ValueError") + cases(FAIL, head_reinitialises, says="backbone's weights"),
    "01.3": cases(PASS, 20490, "20,490", np.int64(20490), torch.tensor(20490), 20490.0, "20490")
    + cases(FAIL, 20480, says="bias") + cases(FAIL, 20490.4, says="whole number")
    + cases(FAIL, "many", True, [20490], says="not a number"),
    "02.1": cases(PASS, forward_with_torch_relu)
    + cases(FAIL, lambda block, x: block(x), lambda block, x: block.forward(x), says="calls the block itself")
    + cases(FAIL, forward_stub, says="not written yet") + cases(FAIL, lambda block, x: None, says="returned None")
    + cases(FAIL, torch.zeros(1), says="function itself") + cases(FAIL, raises, says="raised"),
    "02.2": cases(PASS, 736, "736", 736.0, np.int64(736)) + cases(FAIL, 640, says="1x1 convolutions only")
    + cases(FAIL, "seven hundred", True, says="not a number"),
    "02.3": cases(PASS, 32, "32", 32.0) + cases(FAIL, 26, 38) + cases(FAIL, 33, says="slider's depths")
    + cases(FAIL, "deep", says="not a number"),
    "03.1": cases(PASS, 1114112, "1,114,112", "1 114 112", "1_114_112", np.int64(1114112), torch.tensor(1114112))
    + cases(FAIL, 1114112 + 3072, says="batchnorm") + cases(FAIL, [1114112], "lots", True, says="give a number")
    + cases(FAIL, 1114112.5, says="whole number"),
    "03.2": cases(PASS, 102760448, 1.0276e8, "1.0276e8", "102,760,448")
    + cases(FAIL, 51380224, says="multiply-adds") + cases(FAIL, 1.0e8, says="0.5%")
    + cases(FAIL, "many", says="not a number"),
    "04.1": cases(PASS, 29, "29", 29.0, "29 px") + cases(FAIL, 28, says="close") + cases(FAIL, 28.5, says="whole")
    + cases(FAIL, 27) + cases(FAIL, "half", says="not a number"),
    "04.2": cases(PASS, nn.Sequential(tl.conv1x1(512, 1024, stride=2), nn.BatchNorm2d(1024)), CopyPad(),
                  tl.ZeroPadShortcut(512, 1024, 2))
    + cases(FAIL, nn.Identity(), tl.conv1x1(512, 1024), says="1024x14x14")
    + cases(FAIL, "conv1x1", says="give a module") + cases(FAIL, nn.Linear(3, 3), says="fails"),
    "04.3": cases(PASS, 80, "80px", "80 px", "80", 80.0) + cases(FAIL, 65, says="not a slider value")
    + cases(FAIL, 64, 32, says="too small") + cases(FAIL, 96, says="smaller slider value")
    + cases(FAIL, 20, says="below") + cases(FAIL, "eighty", says="not a number"),
    "05.1": cases(PASS, [0, 4 / 3], [0, 1.33], (0.0, 1.3333), {0, 4 / 3}, torch.tensor([0.0, 4 / 3]),
                  ["0", "4/3"], np.array([1.33, 0.0]))
    + cases(FAIL, [0, 1], [0, 0.75], [0, 1.3]) + cases(FAIL, [4 / 3], says="missing")
    + cases(FAIL, "0 and 4/3", 1.33, says="list of numbers"),
    "05.2": cases(PASS, dropout_by_bernoulli)
    + cases(FAIL, dropout_calls_f, dropout_calls_module, lambda x, p, training=True: torch.dropout(x, p, training),
            says="calls pytorch's dropout")
    + cases(FAIL, dropout_stub, says="not written yet") + cases(FAIL, lambda x, p, training=True: None, says="shape"),
    "05.3": cases(PASS, 0.5, "0.5", "0.50", np.float64(0.5), torch.tensor(0.5), 0.2, " 0.2 ")
    + cases(FAIL, 0.8, 0.0, 0, "0", says="detectably below") + cases(FAIL, 0.3, 0.25, says="measured values")
    + cases(FAIL, True, [0.5], "half", {0.5: 0.82}, says="not a number") + cases(FAIL, 50, says="between 0 and 1"),
    "06.1": cases(PASS, 101, "101", 101.0) + cases(FAIL, 105, says="projection") + cases(FAIL, 100)
    + cases(FAIL, True, "many", says="not a number"),
    "06.2": cases(PASS, "layer4", "conv5_x", "Layer4", " LAYER4 ", "Conv5_x")
    + cases(FAIL, "layer3", "fc", "conv4_x") + cases(FAIL, 4, says="give a name")
    + cases(FAIL, "block4", says="not a stage"),
    "07.1": cases(PASS, W, str(W), f"{W:,}", float(W), f"{W}.0") + cases(FAIL, W + 0.4, says="whole number")
    + cases(FAIL, 5130.4, says="whole number") + cases(FAIL, "many", True, says="not a number"),
    "07.2": cases(PASS, freeze_returns, freeze_copy)
    + cases(FAIL, freeze, says="not written yet") + cases(FAIL, freeze_convs_only, says="backbone tensors")
    + cases(FAIL, lambda model: model, says="nothing was frozen") + cases(FAIL, freeze_helper, says="helper")
    + cases(FAIL, 5130, says="function itself"),
    "07.3": cases(PASS, "finetune", "Fine-tuning", "fine tuning", "FROZEN", "feature extraction",
                  " Feature-Extraction ")
    + cases(FAIL, "scratch", "from scratch", "Scratch", says="detectably below")
    + cases(FAIL, "transfer", "the pretrained one", says="not one of the choices")
    + cases(FAIL, 2, ["frozen"], {"frozen": 0.8}, says="as a string"),
    "08.1": cases(PASS, per_class_list, per_class_numpy)
    + cases(FAIL, lambda cm: cm.diag().float() / cm.sum(0).float(), says="column sums")
    + cases(FAIL, lambda cm: cm.diag(), says="counts") + cases(FAIL, raises, says="raised"),
    "08.2": cases(PASS, ("tshirt_top", _shirt_cm()), ("T-shirt/top", _shirt_cm()), (" TShirt_Top", _shirt_cm()),
                  ("coat", _shirt_cm("coat")), ("bag", Always(BAG)))
    + cases(FAIL, ("shirt", _shirt_cm()), says="diagonal") + cases(FAIL, ("pullover", _shirt_cm()), says="*for*")
    + cases(FAIL, ("tshirt_top", torch.eye(10, dtype=torch.long)), says="add up")
    + cases(FAIL, ("tshirt_top", _shirt_cm().float()), says="counts")
    + cases(FAIL, ("tshirt_top", _shirt_cm()[:5, :5]), says="10x10") + cases(FAIL, "coat", says="pair"),
    "08.3": cases(PASS, "one-stage", "one stage", "Together", " One Stage ", "one stage, discriminative lrs")
    + cases(FAIL, "two-stage", "head first", "Head-First", "two-stage (baseline)", "2 stage", says="detectably below")
    + cases(FAIL, "three stages", "both", says="not one of the choices") + cases(FAIL, 2, True, says="as a string"),
    "09.1": cases(PASS, lambda accs: int(np.argmax(accs)) + 1)
    + cases(FAIL, lambda accs: int(np.argmax(accs)), says="counting from 0")
    + cases(FAIL, lambda accs: len(accs) - accs[::-1].index(max(accs)), says="same best accuracy")
    + cases(FAIL, 3, says="give a function"),
    "09.2": cases(PASS, top1, top1_rounded) + cases(FAIL, top1_percent, says="between 0 and 1")
    + cases(FAIL, "cat", says="give a function") + cases(FAIL, raises, says="raised"),
    "10.1": cases(PASS, fix_folder) + cases(FAIL, fix_stub, says="not written yet")
    + cases(FAIL, raises, says="raised") + cases(FAIL, lambda root: None),
    "10.2": cases(PASS, "b", "b ", "B", "(b)", " b) ", "Add images to it or delete the folder")
    + cases(FAIL, "a", "c", "d") + cases(FAIL, "e", says="not one of the choices")
    + cases(FAIL, 2, says="give a name"),
    "11.1": cases(PASS, 8, "8", 8.0, np.int64(8)) + cases(FAIL, 64, 512) + cases(FAIL, 8.5, says="whole")
    + cases(FAIL, "eight", says="not a number"),
    "11.2": cases(PASS, 0.4, "0.4", 0.4000000001, np.float32(0.4), "2/5") + cases(FAIL, 0.1, 0.025)
    + cases(FAIL, True, says="not a number"),
    "11.3": cases(PASS, 334, "334") + cases(FAIL, 333, 1000) + cases(FAIL, 334.5, says="whole"),
    "06.4": cases(PASS, "layer4", "Layer 4", "conv5_x", "layer3", " LAYER3 ")
    + cases(FAIL, "layer2", "conv3_x", says="detectably below") + cases(FAIL, "stem", "fc", says="not measured")
    + cases(FAIL, "block4", says="not a stage") + cases(FAIL, 4, True, says="give a name"),
    "09.4": cases(PASS, "constant", "cosine", "Cosine", " constant lr ", "no schedule", "CosineAnnealingLR")
    + cases(FAIL, "step", "linear", says="not one of the choices") + cases(FAIL, 0, True, says="as a string"),
    "10.4": cases(PASS, 90, "90", 30, 30.0, np.int64(30)) + cases(FAIL, 10, "10", says="detectably below")
    + cases(FAIL, 45, 60, says="not measured") + cases(FAIL, 30.5, says="whole")
    + cases(FAIL, "long", True, says="not a number"),
    "11.6": cases(PASS, "scaled", "Scaled", "4x", "linear scaling", " scaled lr ")
    + cases(FAIL, "same", "keep", "unchanged", says="detectably below")
    + cases(FAIL, "double", "sqrt", says="not one of the choices") + cases(FAIL, 4, True, says="as a string"),
}

#: Text that would give an answer away, beyond what the test derives from ``solutions/`` itself.
LEAKS: dict[str, list[str]] = {
    "02.1": ["block.relu(out + identity)", "+ identity)"],
    "04.2": ["conv1x1(512, 1024, stride=2)", "BatchNorm2d(1024)"],
    "05.1": ["4/3", "1.33", "4 / 3"],
    "05.2": [">= p).float()", "/ (1 - p)"],
    "07.1": ["startswith((", "'layer3.', 'fc.'", '"layer3.", "fc."'],
    "07.2": ['name.startswith("fc.")', "name.startswith('fc.')"],
    "08.1": ["cm.sum(1)", "sum(axis=1)"],
    "09.1": [".index(max(val_accs)) + 1"],
    "09.2": ["predict_image(model, image_path, preprocess, classes, k=1)[0]"],
}
