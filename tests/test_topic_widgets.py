import matplotlib.pyplot as plt
import pytest
import torch
from torch.utils.data import TensorDataset

from tl_helpers import (DropoutExplorer, ShapeExplorer, mean_curves, mean_std, plot_ilsvrc,
                                        plot_mc_dropout, plot_seed_curves, plot_stage_shapes, shapes_html)
from tl_helpers import TargetTask
from tl_helpers import resnet50

SHAPES = {"stem": (64, 56, 56), "layer1": (256, 56, 56), "layer2": (512, 28, 28),
          "layer3": (1024, 14, 14), "layer4": (2048, 7, 7)}


def test_shapes_html_lists_every_stage_and_highlights_one():
    text = shapes_html(SHAPES, highlight="layer3")
    assert text.count("<tr") == 6
    assert "<td>stem</td><td>64</td><td>56</td><td>56</td><td>200,704</td>" in text
    assert 'font-weight:bold"><td>layer3</td>' in text


def test_plot_stage_shapes_draws_three_panels():
    fig = plot_stage_shapes(SHAPES, size=224, highlight="layer4")
    assert len(fig.axes) == 3
    assert [round(b.get_height()) for b in fig.axes[1].patches] == [56, 56, 28, 14, 7]
    assert fig.axes[2].patches[1].get_height() == 256 * 56 * 56
    plt.close(fig)


def test_shape_explorer_updates_when_size_and_stage_change():
    torch.manual_seed(0)
    explorer = ShapeExplorer(resnet50(width=4), size=224, stage="layer4", plot=False)
    assert explorer.state["selected"] == (128, 7, 7)
    explorer.size.value = 160
    assert explorer.state["size"] == 160 and explorer.state["selected"] == (128, 5, 5)
    explorer.stage.value = "stem"
    assert explorer.state["selected"] == (4, 40, 40)
    assert explorer.state["shapes"]["layer2"] == (32, 20, 20)


@pytest.fixture
def tiny_task():
    torch.manual_seed(0)
    backbone = resnet50(width=4, num_classes=2)
    x = torch.randn(24, 3, 32, 32)
    y = torch.arange(24) % 3
    return TargetTask(backbone, None, TensorDataset(x[:12], y[:12]), TensorDataset(x[12:], y[12:]),
                      ["a", "b", "c"])


def test_dropout_explorer_trains_a_head_per_value(tiny_task):
    explorer = DropoutExplorer(tiny_task, p=0.0, num_epochs=2)
    assert explorer.state["p"] == 0.0 and explorer.state["dropout_layers"] == []
    assert len(explorer.state["history"]["train_acc"]) == 2
    explorer.p.value = 0.5
    assert explorer.state["p"] == 0.5 and explorer.state["dropout_layers"] == ["fc.0"]
    assert explorer.state["gap"] == pytest.approx(explorer.state["train_acc"] - explorer.state["test_acc"])
    assert 0.0 <= explorer.state["test_acc"] <= 1.0


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


def test_plot_ilsvrc_bars_and_human_line():
    rows = [{"year": 2011, "team": "XRCE", "top5": 25.8, "layers": None},
            {"year": 2012, "team": "AlexNet", "top5": 16.4, "layers": 8}]
    fig = plot_ilsvrc(rows, human=5.1)
    ax = fig.axes[0]
    assert [b.get_height() for b in ax.patches] == [25.8, 16.4]
    assert ax.lines[0].get_ydata()[0] == 5.1
    plt.close(fig)


def test_summarize_dropout_and_table(tiny_task):
    from tl_helpers import format_dropout_table, summarize_dropout
    from tl_helpers import train
    runs = {0.0: [train(tiny_task, "frozen", s, num_epochs=2) for s in (0, 1)],
            0.5: [train(tiny_task, "frozen", 0, num_epochs=2, dropout=0.5)]}
    rows = summarize_dropout(tiny_task, runs)
    assert [r["p"] for r in rows] == [0.0, 0.5] and [r["seeds"] for r in rows] == [2, 1]
    assert rows[0]["test"][0] == pytest.approx(sum(r.test_acc for r in runs[0.0]) / 2)
    assert rows[1]["test"] == (runs[0.5][0].test_acc, 0.0)
    assert rows[0]["gap"][0] == pytest.approx(rows[0]["train"][0] - rows[0]["test"][0])
    table = format_dropout_table(rows)
    assert table.count("\n") == 3 and "| 0.5 |" in table
