"""The TransferTrainer widget: controls -> trainable count and train() settings, and the Train button."""
from __future__ import annotations

import io
import json
import re
import threading
import time
from types import SimpleNamespace

import pytest
import torch
from PIL import Image
from torch.utils.data import TensorDataset

from tl_helpers import FINETUNE_LR, HEAD_EPOCHS, HEAD_LR, TargetTask, train
from tl_helpers import count_parameters
from tl_helpers import resnet18
from tl_helpers import (ALL, CSS, FINETUNE, FINETUNE_EPOCHS, FREEZE, HEAD_ONLY, UNFREEZE_CHOICES,
                        TransferTrainer, curve_figure, share_text, stages_text, train_kwargs, trainable_counts)
from tl_helpers import controls, transfer_widget


@pytest.fixture
def task():
    """A width-4 ResNet-18 'pretrained' on 2 classes, a 3-class target task of 6 train, test and validation images."""
    torch.manual_seed(0)
    backbone = resnet18(width=4, num_classes=2).eval()
    g = torch.Generator().manual_seed(1)
    ds = [TensorDataset(torch.randn(6, 3, 16, 16, generator=g), torch.tensor([0, 1, 2] * 2)) for _ in range(3)]
    weights = SimpleNamespace(meta={"categories": ["a", "x"]}, width=4)
    return TargetTask(backbone, weights, ds[0], ds[1], ["a", "b", "c"], ds[2])


def test_widget_refuses_a_task_without_validation_images(task):
    task.val_ds = None
    with pytest.raises(ValueError, match=r"TransferTrainer .*validation images.*load_task\(val_split='extra'\)"):
        TransferTrainer(task)


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
    total = w.counts[ALL][1]
    assert w.trainable.value == f"Trainable parameters: 99 of {total:,} ({99 / total:.2%}): the new head fc only"
    assert w.button.description == "Train"
    for key in ("mode", "unfreeze", "button", "trainable", "result", "curve"):
        assert CSS[key] in getattr(w, key)._dom_classes
    assert CSS["mode"] == "tl-mode-toggle" and CSS["result"] == "tl-result"
    assert "tl-transfer-trainer" in w._dom_classes
    assert w.epochs.min == 1 and w.epochs.max == max(HEAD_EPOCHS, FINETUNE_EPOCHS)   # the slider fits the defaults


def test_share_text_has_two_significant_digits_as_notebook_07_prints():
    assert share_text(5_130, 1_480_000) == f"{5_130 / 1_480_000:.2%}" == "0.35%"       # notebook 07's format
    assert [share_text(n, 1000) for n in (0, 5, 35, 350, 664, 1000)] == ["0%", "0.50%", "3.5%", "35%", "66%",
                                                                      "100%"]


def test_labels_name_what_trains():
    assert "feature extraction" in FREEZE and "frozen" in FREEZE and "fine-tuning" in FINETUNE
    assert "all" not in FINETUNE                                  # how much is the selector's job
    assert stages_text(["fc"]) == "the new head fc only"
    assert stages_text(["layer3", "layer4", "fc"]) == "layer3, layer4 + the new head fc"


def test_toggle_and_selector_stay_in_step(task):
    w = TransferTrainer(task)
    w.mode.value = FINETUNE
    assert (w.unfreeze.value, w.lr.value, w.epochs.value) == (ALL, FINETUNE_LR, FINETUNE_EPOCHS)
    total = w.counts[ALL][1]
    assert w.trainable.value.startswith(f"Trainable parameters: {total:,} of {total:,}")
    assert w.trainable.value.endswith("stem, layer1, layer2, layer3, layer4 + the new head fc")
    w.unfreeze.value = "layer4"                      # stays fine-tuning, count shrinks
    assert w.mode.value == FINETUNE and w.trainable_count() == w.counts["layer4"]
    assert w.trainable.value.endswith(": layer4 + the new head fc")
    w.mode.value = FREEZE
    assert w.unfreeze.value == HEAD_ONLY and w.lr.value == HEAD_LR
    w.unfreeze.value = "layer2-4"                    # picking a stage in freeze mode switches the mode
    assert w.mode.value == FINETUNE and w.unfreeze.value == "layer2-4"
    assert w.settings() == {"strategy": "finetune", "unfreeze_from": "layer2", "lr": FINETUNE_LR,
                            "num_epochs": FINETUNE_EPOCHS, "seed": 0}


def _png_info(png: bytes) -> dict:
    return json.loads(Image.open(io.BytesIO(png)).info["Description"])


def test_train_button_shows_training_then_the_same_result_as_train(task):
    w = TransferTrainer(task, redraw_every_s=0.0)
    w.mode.value = FINETUNE
    w.unfreeze.value, w.epochs.value = "layer4", 2
    seen, draws = [], []
    w.result.observe(lambda c: seen.append(c["new"]), names="value")
    controls = (w.mode, w.unfreeze, w.lr, w.epochs, w.button)
    w.curve.observe(lambda c: draws.append((_png_info(c["new"]), [x.disabled for x in controls])), names="value")
    w.button.click()
    assert seen[0] == "Training..." and len(seen) == 2
    assert re.fullmatch(r"Validation accuracy: \d\.\d{3} \(run 1\)", w.result.value), w.result.value
    assert w.result.value.startswith(f"Validation accuracy: {w.last.val_acc:.3f}")
    assert w.last.history["val_acc"][-1] == pytest.approx(w.last.val_acc) and "test_acc" not in w.last.history
    assert w.last.trainable == w.counts["layer4"][0]
    n = HEAD_EPOCHS + 2
    assert len(w.last.history["train_loss"]) == n
    assert w.draws == len(draws) == 1 + n + 1        # cleared at the start, every epoch, the final curve
    assert all(info["xlim"] == [0.5, n + 0.5] for info, _ in draws)   # one x axis: the whole run
    assert draws[0][0]["title"].endswith("starting, waiting for the first epoch")   # no empty axes unexplained
    assert draws[-1][0]["title"] == f"run 1: validation accuracy {w.last.val_acc:.3f}"
    assert all(all(disabled) for _, disabled in draws[:-1])         # locked while it trains
    assert not any(c.disabled for c in controls)
    assert "layer4 + the new head fc" in w.details.value
    direct = train(task, **w.settings())             # the widget is train() with its settings
    assert direct.val_acc == w.last.val_acc and direct.test_acc == w.last.test_acc
    w.button.click()
    assert w.result.value.endswith("(run 2)") and not w.button.disabled


def test_a_click_made_during_a_run_is_ignored(task, monkeypatch):
    w = TransferTrainer(task, redraw_every_s=10.0)
    sent = iter([100.0, 100.05, 1e6])                # a double click, then a click long after the run
    monkeypatch.setattr(controls, "message_sent_at", lambda: next(sent))
    w.button.click()
    assert w.runs == 1 and w.ignored == 0
    w.button.click()                                 # queued during run 1, handed over after it
    assert w.runs == 1 and w.ignored == 1 and w.details.value.endswith("(ignored 1 click(s) made while it trained)")
    assert "the new head for" in w.details.value                # what run 1 trained is still shown
    assert w.result.value.endswith("(run 1)")
    w.button.click()
    assert w.runs == 2 and w.ignored == 1


def test_a_click_handled_while_a_run_trains_is_ignored(task, monkeypatch):
    w = TransferTrainer(task, redraw_every_s=10.0)
    real_train = transfer_widget.train

    def train_and_click(*args, **kwargs):            # JupyterLab may hand a click over beside a running one
        w.button.click()
        return real_train(*args, **kwargs)

    monkeypatch.setattr(transfer_widget, "train", train_and_click)
    w.button.click()
    assert w.runs == 1 and w.ignored == 1 and w.result.value.endswith("(run 1)")
    assert w.details.value.endswith("(ignored 1 click(s) made while it trained)")


def test_a_click_from_code_is_never_ignored(task):
    assert controls.message_sent_at() is None        # no kernel here: no browser timestamp
    w = TransferTrainer(task, redraw_every_s=10.0)
    w.button.click()
    w.button.click()
    assert w.runs == 2 and w.ignored == 0


def _layer4_trainer(task) -> TransferTrainer:
    w = TransferTrainer(task, redraw_every_s=10.0)
    w.mode.value = FINETUNE
    w.unfreeze.value, w.epochs.value = "layer4", 1
    return w


def _assert_shows_the_layer4_run(w: TransferTrainer) -> None:
    """Controls, count line, result and details all describe the layer4 run that trained."""
    assert (w.mode.value, w.unfreeze.value, w.lr.value, w.epochs.value) == (FINETUNE, "layer4", FINETUNE_LR, 1)
    assert w.last.strategy == "finetune" and w.last.trainable == w.counts["layer4"][0]
    assert len(w.last.history["train_loss"]) == HEAD_EPOCHS + 1
    assert w.trainable.value.endswith(": layer4 + the new head fc")
    assert w.result.value == f"Validation accuracy: {w.last.val_acc:.3f} (run 1)"
    assert f"then fine-tuned layer4 + the new head fc for 1 epochs at lr {FINETUNE_LR:g};" in w.details.value
    assert w.settings() == {"strategy": "finetune", "unfreeze_from": "layer4", "lr": FINETUNE_LR, "num_epochs": 1,
                            "seed": 0}
    assert not any(c.disabled for c in (w.mode, w.unfreeze, w.lr, w.epochs, w.button))


def _slip_in(w: TransferTrainer, monkeypatch, control, value) -> list[threading.Thread]:
    """The ~50 ms race: as Train takes the run's lock, another thread (ipykernel 7's widget thread) sets ``control``
    to ``value``; the value is set, its handler waits for the lock. Returns the thread (join it)."""
    real_start, other = w.run_lock.start, []

    def start_while_the_control_changes(*args):
        with w.run_lock.lock:                     # held, as Train holds it while it reads the settings
            other.append(threading.Thread(target=lambda: setattr(control, "value", value)))
            other[0].start()
            deadline = time.monotonic() + 10
            while control.value != value and time.monotonic() < deadline:   # set; its handler waits for the lock
                time.sleep(0.001)
            assert control.value == value
            return real_start(*args)

    monkeypatch.setattr(w.run_lock, "start", start_while_the_control_changes)
    return other


def test_a_toggle_change_that_gets_in_as_a_run_starts_is_put_back(task, monkeypatch):
    """The issue's sequence: layer4 fine-tuning set, Train clicked, the toggle clicked ~50 ms later; the run is the
    layer4 one, the toggle is put back to it and the toggle's handler never resets the settings."""
    w = _layer4_trainer(task)
    other = _slip_in(w, monkeypatch, w.mode, FREEZE)
    w.button.click()
    other[0].join()
    assert w.run_lock.refused == 1 and w.runs == 1
    _assert_shows_the_layer4_run(w)


def test_a_stage_change_that_gets_in_as_a_run_starts_is_put_back(task, monkeypatch):
    """From feature extraction, "layer4" picked in the same instant as Train: the run is the one the controls were
    settled on (the head only), the selector is put back and the count line, result and details all say so."""
    w = TransferTrainer(task, redraw_every_s=10.0)
    other = _slip_in(w, monkeypatch, w.unfreeze, "layer4")
    w.button.click()
    other[0].join()
    assert w.run_lock.refused == 1 and w.runs == 1 and w.last.strategy == "frozen"
    assert (w.mode.value, w.unfreeze.value, w.lr.value, w.epochs.value) == (FREEZE, HEAD_ONLY, HEAD_LR, HEAD_EPOCHS)
    assert w.trainable.value.endswith(": the new head fc only") and w.last.trainable == w.counts[HEAD_ONLY][0]
    assert w.details.value.startswith(f"&nbsp;&nbsp;trained the new head for {HEAD_EPOCHS} epochs at lr {HEAD_LR:g};")


def test_a_toggle_change_from_another_thread_while_a_run_trains_is_refused(task, monkeypatch):
    w = _layer4_trainer(task)
    real_train, seen = transfer_widget.train, []

    def train_and_toggle(*args, **kwargs):        # the widget thread hands a toggle click over mid-run
        t = threading.Thread(target=lambda: setattr(w.mode, "value", FREEZE))
        t.start()
        t.join()
        seen.append((w.mode.value, w.unfreeze.value, w.lr.value))
        return real_train(*args, **kwargs)

    monkeypatch.setattr(transfer_widget, "train", train_and_toggle)
    w.button.click()
    assert seen == [(FINETUNE, "layer4", FINETUNE_LR)]           # put back at once, nothing else moved
    assert w.run_lock.refused == 1
    _assert_shows_the_layer4_run(w)


def test_a_change_sent_during_a_run_and_handled_after_it_is_refused(task, monkeypatch):
    w = _layer4_trainer(task)
    browser = {"sent": 100.0}                    # when the browser sent the message being handled
    monkeypatch.setattr(controls, "message_sent_at", lambda: browser["sent"])
    w.button.click()
    browser["sent"] = 100.05                     # a toggle and an lr change made during the run, queued behind it
    w.mode.value = FREEZE
    w.lr.value = 1e-2
    _assert_shows_the_layer4_run(w)
    assert w.run_lock.refused == 2
    browser["sent"] = 1e6                        # sent after the run: taken, with its defaults
    w.mode.value = FREEZE
    assert (w.unfreeze.value, w.lr.value) == (HEAD_ONLY, HEAD_LR)


def test_curve_figure_marks_the_fine_tuning_start_and_spans_the_run():
    h = {"train_loss": [1.0, 0.8, 0.5], "train_acc": [0.3, 0.5, 0.9],
         "test_loss": [1.1, 0.9, 0.7], "test_acc": [0.2, 0.4, 0.6]}
    fig = curve_figure(h, "t", finetune_from=2, num_epochs=7)
    assert [ax.lines[-1].get_xdata()[0] for ax in fig.axes] == [2.5, 2.5]
    assert all(ax.get_xlim() == (0.5, 7.5) for ax in fig.axes)
    assert len(fig.axes[0].lines) == 3 and fig.axes[1].lines[0].get_ydata()[-1] == 0.9
    assert len(fig.legends) == 1 and not any(ax.get_legend() for ax in fig.axes)   # legend beside the panels
    assert _png_info(transfer_widget._png_with_axis(fig))["xlim"] == [0.5, 7.5]
    assert curve_figure(h).axes[0].get_xlim() == (0.5, 3.5)
    one = curve_figure({k: v[:1] for k, v in h.items()}, num_epochs=42)     # epoch 1 of 42: a point per curve
    for ax in one.axes:                              # large, whole, train filled and test hollow: never "empty"
        assert [(ln.get_marker(), ln.get_markersize(), len(ln.get_xdata())) for ln in ax.lines] == [("o", 7, 1),
                                                                                                  ("s", 7, 1)]
        assert ax.lines[1].get_markerfacecolor() == "white" and not any(ln.get_clip_on() for ln in ax.lines)
    assert fig.axes[0].lines[0].get_markersize() == 3 and fig.axes[0].lines[0].get_clip_on()
    assert _png_info(transfer_widget._png_with_axis(one))["points"] == [1, 1]          # what a browser test reads
    assert _png_info(transfer_widget._png_with_axis(fig))["points"] == [3, 3]
    empty = curve_figure({"train_loss": []}, num_epochs=5)         # the start of a run: axes, no lines
    assert not empty.axes[0].lines and not empty.legends and empty.axes[0].get_xlim() == (0.5, 5.5)
    assert _png_info(transfer_widget._png_with_axis(empty))["points"] == []
    nan_start = dict(h, train_loss=[float("nan"), 0.8, 0.5])        # a curve may start later
    assert len(curve_figure({"a": h, "b": nan_start}).axes[0].lines) == 4
