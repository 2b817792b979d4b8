"""Notebook 05's helpers: the DropoutExplorer widget, seed curves, the MC dropout figure, the dropout table."""
import matplotlib.pyplot as plt
import pytest
import torch
from torch.utils.data import TensorDataset

from tl_helpers import dropout
from tl_helpers import (DropoutExplorer, TargetTask, format_dropout_table, mean_curves, mean_std, paired_interval,
                        plot_mc_dropout, plot_seed_curves, resnet50, seed_accuracies, summarize_dropout, train)
from test_residual import SlowCounting, set_from_threads


@pytest.fixture
def tiny_task():
    torch.manual_seed(0)
    backbone = resnet50(width=4, num_classes=2)
    x = torch.randn(36, 3, 32, 32)
    y = torch.arange(36) % 3
    return TargetTask(backbone, None, TensorDataset(x[:12], y[:12]), TensorDataset(x[12:24], y[12:24]),
                      ["a", "b", "c"], TensorDataset(x[24:], y[24:]))


def test_dropout_explorer_trains_a_head_per_value(tiny_task):
    explorer = DropoutExplorer(tiny_task, p=0.0, num_epochs=2)
    assert explorer.state["p"] == 0.0 and explorer.state["dropout_layers"] == []
    assert len(explorer.state["history"]["train_acc"]) == 2
    explorer.p.value = 0.5
    assert explorer.state["p"] == 0.5 and explorer.state["dropout_layers"] == ["fc.0"]
    assert explorer.state["gap"] == pytest.approx(explorer.state["train_acc"] - explorer.state["val_acc"])
    assert 0.0 <= explorer.state["val_acc"] <= 1.0 and "test_acc" not in explorer.state
    assert explorer.state["history"]["val_acc"][-1] == pytest.approx(explorer.state["val_acc"])   # curves: validation
    assert "test_acc" not in explorer.state["history"]


def test_dropout_explorer_refuses_a_task_without_validation_images(tiny_task):
    tiny_task.val_ds = None
    with pytest.raises(ValueError, match=r"DropoutExplorer .*validation images.*load_task\(val_split='extra'\)"):
        DropoutExplorer(tiny_task, num_epochs=1)


def test_dropout_explorer_ends_on_the_sliders_value_when_two_threads_move_it(tiny_task, monkeypatch):
    explorer = DropoutExplorer(tiny_task, p=0.0, num_epochs=2)
    slow, titles, real_plot = SlowCounting(dropout.train), [], dropout.plot_seed_curves
    monkeypatch.setattr(dropout, "train", slow)

    def plot(curves, title, split):
        titles.append(title)
        return real_plot(curves, title=title, split=split)

    monkeypatch.setattr(dropout, "plot_seed_curves", plot)
    set_from_threads([(explorer.p, p) for p in (0.1, 0.2, 0.3, 0.4)], [(explorer.p, p) for p in (0.9, 0.8, 0.7)])
    assert explorer.redraws.wait(timeout=60) and not explorer.redraws.busy
    assert slow.peak == 1, "two heads trained at the same time"
    assert explorer.redraws.runs < explorer.redraws.requests, "no move arrived during a redraw"
    p = round(explorer.p.value, 2)
    direct = train(tiny_task, "frozen", 0, num_epochs=2, dropout=p, progress=False, track_val=True)
    assert explorer.state["p"] == p and explorer.state["dropout_layers"] == ["fc.0"]
    assert explorer.state["val_acc"] == direct.val_acc
    assert all(explorer.state["history"][k] == direct.history[k] for k in ("train_loss", "train_acc", "val_acc"))
    assert titles[-1].startswith(f"dropout p={p:.1f}: train {explorer.state['train_acc']:.3f} / validation ")
    plt.close("all")


def test_mean_curves_and_mean_std():
    m, s = mean_curves([{"a": [0.0, 1.0]}, {"a": [1.0, 1.0]}], "a")
    assert m.tolist() == [0.5, 1.0] and s.tolist() == [0.5, 0.0]
    assert mean_std([1.0, 3.0]) == (2.0, pytest.approx(2 ** 0.5))
    assert mean_std([0.7]) == (0.7, 0.0)


def test_plot_seed_curves_and_mc_dropout():
    h = {"train_acc": [0.5, 0.9], "test_acc": [0.4, 0.6]}
    fig = plot_seed_curves({"none": [h, h], "p=0.5": [h]})
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 4
    assert fig.axes[1].lines[0].get_ydata().tolist() == pytest.approx([0.1, 0.3])
    plt.close(fig)
    fig = plot_mc_dropout({"eval": 0.7, "single": [0.6, 0.65], "averaged": [0.6, 0.68]})
    assert len(fig.axes[0].lines) == 2
    plt.close(fig)


def test_summarize_dropout_and_table(tiny_task):
    runs = {0.0: [train(tiny_task, "frozen", s, num_epochs=2) for s in (0, 1)],
            0.5: [train(tiny_task, "frozen", s, num_epochs=2, dropout=0.5) for s in (0, 1)]}
    rows = summarize_dropout(tiny_task, runs)
    assert [r["p"] for r in rows] == [0.0, 0.5] and [r["seeds"] for r in rows] == [2, 2]
    assert rows[0]["test"][0] == pytest.approx(sum(r.test_acc for r in runs[0.0]) / 2)
    assert rows[1]["test"][0] == pytest.approx(sum(r.test_acc for r in runs[0.5]) / 2)
    assert rows[0]["gap"][0] == pytest.approx(rows[0]["train"][0] - rows[0]["test"][0])
    table = format_dropout_table(rows)
    assert table.count("\n") == 3 and "| 0.5 |" in table and "95 % CI" in table and "[" in table


def test_seed_accuracies_and_the_change_column(tiny_task):
    runs = {0.0: [train(tiny_task, "frozen", s, num_epochs=2) for s in (0, 1)],
            0.5: [train(tiny_task, "frozen", s, num_epochs=2, dropout=0.5) for s in (0, 1)]}
    acc = seed_accuracies(tiny_task, runs)
    assert acc[0.0]["test"] == [r.test_acc for r in runs[0.0]]
    assert acc[0.5]["gap"] == pytest.approx([a - b for a, b in zip(acc[0.5]["train"], acc[0.5]["test"])])
    assert acc[0.0]["val"] == [r.val_acc for r in runs[0.0]] and acc[0.0]["epoch"] == [2, 2]
    rows = summarize_dropout(tiny_task, runs)
    assert rows[0]["change"] == (0.0, 0.0, 0.0)
    assert rows[1]["change"] == pytest.approx(paired_interval(acc[0.5]["test"], acc[0.0]["test"]))
    assert rows[1]["val_change"] == pytest.approx(paired_interval(acc[0.5]["val"], acc[0.0]["val"]))
