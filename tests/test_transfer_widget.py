"""The TransferTrainer widget: controls -> trainable count and train() settings, and the Train button."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
import torch
from torch.utils.data import TensorDataset

from tl_helpers import FINETUNE_LR, HEAD_EPOCHS, HEAD_LR, TargetTask, train
from tl_helpers import count_parameters
from tl_helpers import resnet18
from tl_helpers import (ALL, CSS, FINETUNE, FINETUNE_EPOCHS, FREEZE, HEAD_ONLY, UNFREEZE_CHOICES,
                                TransferTrainer, curve_figure, figure_png, train_kwargs, trainable_counts)


@pytest.fixture
def task():
    """A width-4 ResNet-18 'pretrained' on 2 classes, a 3-class target task of 6 + 6 random images."""
    torch.manual_seed(0)
    backbone = resnet18(width=4, num_classes=2).eval()
    g = torch.Generator().manual_seed(1)
    ds = [TensorDataset(torch.randn(6, 3, 16, 16, generator=g), torch.tensor([0, 1, 2] * 2)) for _ in range(2)]
    weights = SimpleNamespace(meta={"categories": ["a", "x"]}, width=4)
    return TargetTask(backbone, weights, ds[0], ds[1], ["a", "b", "c"])


def test_train_kwargs():
    assert train_kwargs(HEAD_ONLY, 0.01, 5) == {"strategy": "frozen", "lr": 0.01, "num_epochs": 5}
    assert train_kwargs("layer3-4", 3e-4, 2) == {"strategy": "finetune", "unfreeze_from": "layer3",
                                                 "lr": 3e-4, "num_epochs": 2}
    assert train_kwargs(ALL, 1e-4, 1)["unfreeze_from"] == "stem"


def test_trainable_counts_grow_with_each_unfrozen_stage(task):
    counts = trainable_counts(task)
    assert list(counts) == list(UNFREEZE_CHOICES)
    head = 32 * 3 + 3                      # width-4 ResNet-18: 32 features -> 3 classes
    total = count_parameters(task.new_model())[1]
    assert counts[HEAD_ONLY] == (head, total) and counts[ALL] == (total, total)
    trainable = [n for n, _ in counts.values()]
    assert trainable == sorted(set(trainable)), trainable


def test_widget_starts_in_freeze_mode_with_css_classes(task):
    w = TransferTrainer(task)
    assert w.mode.options == (FREEZE, FINETUNE) and w.mode.value == FREEZE
    assert (w.unfreeze.value, w.lr.value, w.epochs.value) == (HEAD_ONLY, HEAD_LR, HEAD_EPOCHS)
    assert w.trainable.value == f"Trainable parameters: 99 of {w.counts[ALL][1]:,} (" + \
        f"{99 / w.counts[ALL][1]:.1%})"
    assert w.button.description == "Train"
    for key in ("mode", "unfreeze", "button", "trainable", "result"):
        assert CSS[key] in getattr(w, key)._dom_classes
    assert CSS["mode"] == "tl-mode-toggle" and CSS["result"] == "tl-result"
    assert "tl-transfer-trainer" in w._dom_classes


def test_toggle_and_selector_stay_in_step(task):
    w = TransferTrainer(task)
    w.mode.value = FINETUNE
    assert (w.unfreeze.value, w.lr.value, w.epochs.value) == (ALL, FINETUNE_LR, FINETUNE_EPOCHS)
    total = w.counts[ALL][1]
    assert w.trainable.value.startswith(f"Trainable parameters: {total:,} of {total:,}")
    w.unfreeze.value = "layer4"                      # stays fine-tuning, count shrinks
    assert w.mode.value == FINETUNE and w.trainable_count() == w.counts["layer4"]
    w.mode.value = FREEZE
    assert w.unfreeze.value == HEAD_ONLY and w.lr.value == HEAD_LR
    w.unfreeze.value = "layer2-4"                    # picking a stage in freeze mode switches the mode
    assert w.mode.value == FINETUNE and w.unfreeze.value == "layer2-4"
    assert w.settings() == {"strategy": "finetune", "unfreeze_from": "layer2", "lr": FINETUNE_LR,
                            "num_epochs": FINETUNE_EPOCHS, "seed": 0}


def test_train_button_shows_training_then_the_same_result_as_train(task):
    w = TransferTrainer(task, redraw_every_s=0.0)
    w.mode.value = FINETUNE
    w.unfreeze.value, w.epochs.value = "layer4", 2
    seen = []
    w.result.observe(lambda c: seen.append(c["new"]), names="value")
    w.button.click()
    assert seen[0] == "Training..." and len(seen) == 2
    assert re.fullmatch(r"Test accuracy: \d\.\d{3} \(run 1\)", w.result.value), w.result.value
    assert w.result.value.startswith(f"Test accuracy: {w.last.test_acc:.3f}")
    assert w.last.trainable == w.counts["layer4"][0]
    assert len(w.last.history["train_loss"]) == HEAD_EPOCHS + 2
    assert w.draws == HEAD_EPOCHS + 2 + 1            # every epoch of the whole run, then the final curve
    assert w.curve.value[:8] == b"\x89PNG\r\n\x1a\n"
    direct = train(task, **w.settings())             # the widget is train() with its settings
    assert direct.test_acc == w.last.test_acc
    w.button.click()
    assert w.result.value.endswith("(run 2)") and not w.button.disabled


def test_curve_figure_marks_the_fine_tuning_start():
    h = {"train_loss": [1.0, 0.8, 0.5], "train_acc": [0.3, 0.5, 0.9],
         "test_loss": [1.1, 0.9, 0.7], "test_acc": [0.2, 0.4, 0.6]}
    fig = curve_figure(h, "t", finetune_from=2)
    assert [ax.lines[-1].get_xdata()[0] for ax in fig.axes] == [2.5, 2.5]
    assert len(fig.axes[0].lines) == 3 and fig.axes[1].lines[0].get_ydata()[-1] == 0.9
    assert figure_png(fig)[:4] == b"\x89PNG"
    assert len(curve_figure(h).axes[0].lines) == 2
