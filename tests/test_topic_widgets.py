import matplotlib.pyplot as plt
import torch

from tl_helpers import ShapeExplorer, plot_ilsvrc, plot_stage_shapes, shapes_html, stage_shapes
from tl_helpers import resnet50
from tl_helpers import downsampling
from test_residual import SlowCounting, set_from_threads

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


def test_shape_explorer_ends_on_the_controls_values_when_two_threads_change_them(monkeypatch):
    torch.manual_seed(0)
    model = resnet50(width=4)
    explorer = ShapeExplorer(model, size=224, stage="layer4", plot=False)
    slow, shown = SlowCounting(downsampling.shapes_html), []
    monkeypatch.setattr(downsampling, "shapes_html", slow)             # every redraw renders the table
    monkeypatch.setattr(downsampling, "display", lambda obj: shown.append(obj.data))
    set_from_threads([(explorer.size, s) for s in (64, 96, 128, 160, 96)],
                     [(explorer.stage, s) for s in ("stem", "layer2", "layer3", "layer1")])
    assert explorer.redraws.wait(timeout=60) and not explorer.redraws.busy
    assert slow.peak == 1, "two redraws ran at the same time"
    assert explorer.redraws.runs < explorer.redraws.requests, "no change arrived during a redraw"
    size, stage = explorer.size.value, explorer.stage.value
    shapes = stage_shapes(model, size, explorer.state["shapes"])
    assert (explorer.state["size"], explorer.state["stage"]) == (size, stage)
    assert explorer.state["shapes"] == shapes and explorer.state["selected"] == shapes[stage]
    c, h, w = shapes[stage]
    assert shown[-1].startswith(f"<b>{size} px input &rarr; {stage}: {c} x {h} x {w}</b>")


def test_plot_ilsvrc_bars_and_human_line():
    rows = [{"year": 2011, "team": "XRCE", "top5": 25.8, "layers": None},
            {"year": 2012, "team": "AlexNet", "top5": 16.4, "layers": 8}]
    fig = plot_ilsvrc(rows, human=5.1)
    ax = fig.axes[0]
    assert [b.get_height() for b in ax.patches] == [25.8, 16.4]
    assert ax.lines[0].get_ydata()[0] == 5.1
    plt.close(fig)
