import math

import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

from tl_helpers import main_path_layers
from tl_helpers import count_parameters
from tl_helpers import (PlainBlock, compare_depths, main_path_layers, layer_grad_norms, load_images,
                                  make_net, plot_grad_norms, plot_losses, train_losses)
from tl_helpers import BasicBlock
from tl_helpers import FASHION_MEAN, FASHION_STD


@pytest.mark.parametrize("depth", [8, 20, 44])
def test_depth_counts_weighted_layers(depth):
    for residual in (False, True):
        net = make_net(depth, residual)
        assert main_path_layers(net) == (depth, 2 if residual else 0)
        assert main_path_layers(net)[0] == depth
        assert net(torch.randn(2, 3, 28, 28)).shape == (2, 10)


def test_bad_depth_raises():
    for depth in (7, 21, 2):
        with pytest.raises(ValueError, match="6n"):
            make_net(depth, False)
    with pytest.raises(ValueError, match="init"):
        make_net(8, False, init="xavier")


def test_plain_and_residual_differ_only_by_the_shortcut_projections():
    plain, res = make_net(20, False, width=8), make_net(20, True, width=8)
    # two projections: 1x1 conv 8->16 and 16->32, each with a BatchNorm (2 parameters per channel)
    assert count_parameters(res)[1] - count_parameters(plain)[1] == (8 * 16 + 2 * 16) + (16 * 32 + 2 * 32)
    assert all(isinstance(b, PlainBlock) for b in plain.blocks)
    assert all(type(b) is BasicBlock for b in res.blocks)


def test_plain_block_is_basic_block_without_shortcut():
    torch.manual_seed(0)
    basic = BasicBlock(4, 4).eval()
    plain = PlainBlock(4, 4).eval()
    plain.load_state_dict(basic.state_dict(), strict=True)
    x = torch.randn(2, 4, 6, 6)
    with torch.no_grad():
        f = basic.bn2(basic.conv2(basic.relu(basic.bn1(basic.conv1(x)))))
        assert torch.allclose(plain(x), torch.relu(f), atol=1e-6)
        assert torch.allclose(basic(x), torch.relu(f + x), atol=1e-6)


def test_batchnorm_switch_and_init():
    net = make_net(8, True, batchnorm=False)
    assert not any(isinstance(m, nn.BatchNorm2d) for m in net.modules())
    assert any(isinstance(m, nn.BatchNorm2d) for m in make_net(8, True).modules())
    w_default = make_net(8, False, width=32, init="default").blocks[0].conv2.weight   # fan_in = fan_out = 288
    w_kaiming = make_net(8, False, width=32, init="kaiming").blocks[0].conv2.weight
    assert w_default.std().item() == pytest.approx(1 / math.sqrt(3 * 288), rel=0.05)   # uniform(+-1/sqrt(fan_in))
    assert w_kaiming.std().item() == pytest.approx(math.sqrt(2 / 288), rel=0.05)       # He et al.


def test_make_net_is_seeded():
    a, b, c = make_net(8, True, seed=1), make_net(8, True, seed=1), make_net(8, True, seed=2)
    assert torch.equal(a.stem[0].weight, b.stem[0].weight)
    assert not torch.equal(a.stem[0].weight, c.stem[0].weight)


def test_gradients_vanish_without_shortcuts():
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(10, 3, 28, 28, generator=g), torch.arange(10)
    plain = layer_grad_norms(make_net(44, False, batchnorm=False, seed=0), x, y)
    res_net = make_net(44, True, batchnorm=False, seed=0)
    res = layer_grad_norms(res_net, x, y)
    assert len(plain) == len(res) == 44
    assert plain[0] < 1e-10 and res[0] > 1e-4
    assert all(p.grad is None for p in res_net.parameters())       # gradients are cleared again


def test_load_images_balanced_and_normalised():
    x, y = load_images(("train",), n_per_class=2)
    assert x.shape == (20, 3, 28, 28) and y.tolist() == [c for c in range(10) for _ in range(2)]
    assert x.min().item() == pytest.approx(-FASHION_MEAN / FASHION_STD, abs=1e-4)   # black pixels
    assert torch.equal(x[:, 0], x[:, 1])                                            # gray copied to RGB
    x_all, y_all = load_images(("train", "extra"))
    assert len(x_all) == 500 and torch.bincount(y_all).tolist() == [50] * 10


def test_train_losses_decrease_and_repeat():
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(20, 3, 28, 28, generator=g), torch.arange(10).repeat(2)
    runs = [train_losses(make_net(8, True, width=4, seed=0), x, y, num_epochs=5, lr=1e-2, batch_size=10, seed=0)
            for _ in range(2)]
    assert len(runs[0]) == 5 and runs[0] == runs[1]
    assert runs[0][-1] < runs[0][0] - 0.3


def test_compare_depths_structure():
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(10, 3, 28, 28, generator=g), torch.arange(10)
    out = compare_depths({"a": (8, False), "b": (8, True)}, x, y, num_epochs=2, seeds=(0, 1), width=2)
    assert list(out) == ["a", "b"] and all(len(runs) == 2 and len(runs[0]) == 2 for runs in out.values())


def test_plots_return_figures():
    fig = plot_grad_norms({"p1": {"a": [1, 0.1], "a (trained)": [1, 0.2]}, "p2": {"b": [1e-3, 1e-5]}})
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    assert fig.axes[0].lines[1].get_linestyle() == "--"
    assert fig.axes[0].lines[0].get_color() == fig.axes[0].lines[1].get_color()
    fig = plot_losses({"a": [[2.0, 1.0], [2.1, 1.2]], "b": [2.0, 1.5]})
    assert isinstance(fig, Figure) and len(fig.axes[0].lines) == 2
