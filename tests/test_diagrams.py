"""The block diagrams draw what the modules hold: every channel count, kernel, stride and shortcut kind in a
diagram's labels is compared with the module it was drawn from."""
import re
import time

import matplotlib.pyplot as plt
import pytest
from torch import nn

import tl_helpers as tl


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


class ZeroPad(nn.Module):
    """Option A: subsample, then append zero channels (no parameters)."""

    def __init__(self, extra: int, stride: int) -> None:
        super().__init__()
        self.extra, self.stride = extra, stride

    def forward(self, x):
        return nn.functional.pad(x[:, :, ::self.stride, ::self.stride], (0, 0, 0, 0, 0, self.extra))


def _check_block(labels: dict, block: nn.Module) -> None:
    convs = [(n, m) for n, m in block.named_children() if isinstance(m, nn.Conv2d)]
    assert [k for k in labels if k.startswith("conv")] == [n for n, _ in convs]
    for name, conv in convs:
        stride = [conv.stride[0]] if conv.stride[0] > 1 else []
        expected = [*conv.kernel_size, conv.in_channels, conv.out_channels, *stride]
        assert _numbers(labels[name]) == expected, (name, labels[name])
    assert _numbers(labels["input"]) == [convs[0][1].in_channels]
    assert _numbers(labels["output"]) == [convs[-1][1].out_channels]


@pytest.mark.parametrize("block", [tl.BasicBlock(64, 64), tl.Bottleneck(256, 64), tl.resnet50(width=8).layer2[0],
                                   tl.resnet18(width=8).layer3[0]])
def test_block_diagram_channels_match_the_module(block):
    fig = tl.draw_block(block)
    (labels,) = tl.drawn_labels(fig)
    _check_block(labels, block)
    if block.downsample is None:
        assert labels["shortcut"] == "identity"
    else:
        conv = block.downsample[0]
        assert "projection" in labels["shortcut"]
        assert _numbers(labels["shortcut"]) == [1, 1, conv.in_channels, conv.out_channels, conv.stride[0]]
    plt.close(fig)


def test_shortcut_kinds_and_line_styles():
    blocks = [tl.Bottleneck(512, 128), tl.Bottleneck(256, 128, 2, nn.Sequential(tl.conv1x1(256, 512, 2),
                                                                                 nn.BatchNorm2d(512))),
              tl.Bottleneck(256, 128, 2, ZeroPad(256, 2))]
    fig = tl.draw_blocks(blocks, ["identity", "projection", "option A"])
    kinds = [tl.shortcut_kind(b)[0] for b in blocks]
    assert kinds == ["identity", "projection", "parameter-free"]
    styles = [ln.get_linestyle() for ax in fig.axes for ln in ax.lines if ln.get_gid() == "shortcut"]
    assert styles == ["-", ":", "--"]          # identity solid, projection dotted (as in the paper)
    option_a = tl.drawn_labels(fig)[2]["shortcut"]
    assert _numbers(option_a) == [256, 512, 2] and "no parameters" in option_a
    with pytest.raises(ValueError, match="one title per block"):
        tl.draw_blocks(blocks, ["only one"])
    plt.close("all")


def test_draw_basic_block_is_a_quick_figure():
    start = time.perf_counter()
    fig = tl.draw_basic_block()
    assert time.perf_counter() - start < 1.0
    assert isinstance(fig, plt.Figure)
    _check_block(tl.drawn_labels(fig)[0], tl.BasicBlock(64, 64))
    plt.close(fig)


@pytest.mark.parametrize("build, size", [(lambda: tl.resnet50(width=8), 224), (lambda: tl.resnet18(width=4), 96)])
def test_stage_layout_matches_the_model_and_its_layer_table(build, size):
    model = build()
    fig = tl.draw_stage_layout(model, size)
    (labels,) = tl.drawn_labels(fig)
    shapes = tl.stage_shapes(model, size)
    for stage in tl.STAGES[1:-1]:
        layer = getattr(model, stage)
        convs = [m for n, m in layer[0].named_children() if n.startswith("conv")]
        lines = labels[stage].split("\n")
        assert lines[0] == stage and _numbers(lines[1]) == [len(layer)]
        assert [_numbers(ln) for ln in lines[2:2 + len(convs)]] == [[*c.kernel_size, c.out_channels] for c in convs]
    for stage in tl.STAGES[:-1]:
        assert tuple(_numbers(labels[f"shape:{stage}"])) == shapes[stage]
    assert _numbers(labels["stem"])[:4] == [7, 7, 3, model.conv1.out_channels]
    assert _numbers(labels["head"]) == [model.fc.in_features, model.fc.out_features]
    rows = tl.layer_table(model, size)
    assert [r["blocks"] for r in rows[1:5]] == [_numbers(labels[s].split("\n")[1])[0] for s in tl.STAGES[1:-1]]
    plt.close(fig)
