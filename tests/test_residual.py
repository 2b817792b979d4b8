import io
import math
import threading
import time

import pytest
import torch
from matplotlib.figure import Figure
from PIL import Image
from torch import nn

from tl_helpers import (FASHION_MEAN, FASHION_STD, BasicBlock, GradientFlowExplorer, PlainBlock, ZeroPadShortcut,
                        activation_scales, compare_depths, count_parameters, gradient_flow, layer_grad_norms,
                        load_images, main_path_layers, make_net, plot_flow, plot_losses, train_losses)
from tl_helpers import residual


@pytest.mark.parametrize("depth", [8, 20, 44])
def test_depth_counts_weighted_layers(depth):
    for residual, shortcut, projections in ((False, "A", 0), (True, "A", 0), (True, "B", 2)):
        net = make_net(depth, residual, shortcut=shortcut)
        assert main_path_layers(net) == (depth, projections)
        assert main_path_layers(net)[0] == depth
        assert net(torch.randn(2, 3, 28, 28)).shape == (2, 10)


def test_bad_depth_raises():
    for depth in (7, 21, 2):
        with pytest.raises(ValueError, match="6n"):
            make_net(depth, False)
    with pytest.raises(ValueError, match="init"):
        make_net(8, False, init="xavier")
    with pytest.raises(ValueError, match="shortcut"):
        make_net(8, True, shortcut="C")


def test_plain_and_option_a_residual_nets_differ_only_by_the_shortcut():
    plain, res = make_net(20, False, width=8), make_net(20, True, width=8)
    assert count_parameters(res) == count_parameters(plain)
    assert all(torch.equal(a, b) for a, b in zip(plain.state_dict().values(), res.state_dict().values()))
    assert all(isinstance(b, PlainBlock) for b in plain.blocks)
    assert all(type(b) is BasicBlock for b in res.blocks)
    proj = make_net(20, True, width=8, shortcut="B")
    # two projections: 1x1 conv 8->16 and 16->32, each with a BatchNorm (2 parameters per channel)
    assert count_parameters(proj)[1] - count_parameters(plain)[1] == (8 * 16 + 2 * 16) + (16 * 32 + 2 * 32)


def test_zero_pad_shortcut_subsamples_and_pads_channels():
    x = torch.arange(2 * 3 * 4 * 4, dtype=torch.float).view(2, 3, 4, 4)
    out = ZeroPadShortcut(3, 5, stride=2)(x)
    assert out.shape == (2, 5, 2, 2)
    assert torch.equal(out[:, :3], x[:, :, ::2, ::2]) and not out[:, 3:].any()
    assert not list(ZeroPadShortcut(3, 5, 2).parameters())
    with pytest.raises(ValueError, match="add channels"):
        ZeroPadShortcut(5, 3, 1)


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
    assert max(plain) < 1e-10 and res[0] > 1e-4
    assert all(p.grad is None for p in res_net.parameters())       # gradients are cleared again


def test_activation_scales_match_a_train_mode_pass_and_leave_the_model_alone():
    torch.manual_seed(0)
    x = torch.randn(6, 3, 28, 28)
    net = make_net(14, True, batchnorm=True)
    before = {k: v.clone() for k, v in net.state_dict().items()}
    scales = activation_scales(net, x)
    assert all(torch.equal(v, before[k]) for k, v in net.state_dict().items())   # BatchNorm statistics included
    with torch.no_grad():
        h, expected = net.stem(x), []
        expected.append(h.pow(2).mean().sqrt().item())
        for block in net.blocks:
            h = block(h)
            expected.append(h.pow(2).mean().sqrt().item())
    # equal up to the running variance being the unbiased one: a factor n/(n - 1), n >= 6 * 7 * 7 values
    assert len(scales) == 1 + 3 * 2 and scales == pytest.approx(expected, rel=1e-2)


def test_gradient_flow_and_plot():
    torch.manual_seed(0)
    x, y = torch.randn(4, 3, 28, 28), torch.arange(4)
    flow = gradient_flow(8, x, y, residual=True, init="kaiming", batchnorm=True)
    assert len(flow["grads"]) == 8 and len(flow["acts"]) == 4
    fig = plot_flow({"plain": gradient_flow(8, x, y), "residual": flow}, faint={"old": flow}, title="t")
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 3
    assert fig.axes[0].lines[2].get_linestyle() == "--"
    assert fig.axes[0].lines[1].get_color() == fig.axes[0].lines[2].get_color()


def test_gradient_flow_explorer_redraws_on_every_control():
    torch.manual_seed(0)
    x, y = torch.randn(4, 3, 28, 28), torch.arange(4)
    ex = GradientFlowExplorer(x, y, depth=44)
    assert ex.state["depth"] == 44 and not ex.state["residual"] and max(ex.state["grads"]) < 1e-10
    png, summary = ex.figure.value, ex.summary.value
    ex.shortcut.value = True
    assert ex.state["residual"] and ex.state["grads"][0] > 1e-4
    assert ex.figure.value != png and ex.summary.value != summary and "residual-44" in ex.summary.value
    assert legend(ex.figure.value) == ["before: plain-44, default init, no BatchNorm",
                                       "residual-44, default init, no BatchNorm"]        # the PNG says what it shows
    ex.depth.value, ex.init.value, ex.batchnorm.value = 8, "kaiming", True
    assert (ex.state["depth"], ex.state["init"], ex.state["batchnorm"]) == (8, "kaiming", True)
    assert len(ex.state["grads"]) == 8 and ex.state["seconds"] > 0
    assert {"tl-grad-depth", "tl-grad-figure"} <= set(ex.depth._dom_classes) | set(ex.figure._dom_classes)


def legend(png: bytes) -> list[str]:
    """The legend an explorer's PNG shows, from its text ``"Description"``."""
    return Image.open(io.BytesIO(png)).info["Description"].split("\n")


class SlowCounting:
    """Wraps a computation: sleeps in it (so that redraws overlap if they can) and records the most calls
    that ran at the same time."""

    def __init__(self, fn, sleep_s: float = 0.05):
        self.fn, self.sleep_s, self.active, self.peak, self.calls = fn, sleep_s, 0, 0, 0
        self.lock = threading.Lock()

    def __call__(self, *args, **kwargs):
        with self.lock:
            self.active, self.calls = self.active + 1, self.calls + 1
            self.peak = max(self.peak, self.active)
        try:
            time.sleep(self.sleep_s)
            return self.fn(*args, **kwargs)
        finally:
            with self.lock:
                self.active -= 1


def set_from_threads(*moves, pause_s: float = 0.02):
    """Each move, a list of ``(control, value)``, set one after another in its own thread (as ipykernel 7 may
    hand a widget's messages to the main thread and a widget thread); re-raises what a thread raised."""
    errors = []

    def play(move):
        try:
            for control, value in move:
                control.value = value
                time.sleep(pause_s)
        except Exception as err:                     # noqa: BLE001 - re-raised in the test's thread
            errors.append(err)

    threads = [threading.Thread(target=play, args=(m,)) for m in moves]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


def test_gradient_flow_explorer_ends_on_the_controls_values_when_two_threads_change_them(monkeypatch):
    torch.manual_seed(0)
    x, y = torch.randn(4, 3, 28, 28), torch.arange(4)
    ex = GradientFlowExplorer(x, y, depth=8)
    slow = SlowCounting(residual.gradient_flow)
    monkeypatch.setattr(residual, "gradient_flow", slow)
    set_from_threads([(ex.depth, 14), (ex.depth, 20), (ex.depth, 8), (ex.depth, 14)],
                     [(ex.shortcut, True), (ex.init, "kaiming"), (ex.batchnorm, True), (ex.shortcut, False)])
    assert ex.redraws.wait(timeout=60) and not ex.redraws.busy
    assert slow.peak == 1, "two redraws ran at the same time"
    assert ex.redraws.runs < ex.redraws.requests, "no change arrived during a redraw: the test did not overlap"
    want = dict(depth=ex.depth.value, init=ex.init.value, batchnorm=ex.batchnorm.value, residual=ex.shortcut.value)
    assert {k: ex.state[k] for k in want} == want and len(ex.state["grads"]) == want["depth"]
    label = (f"{'residual' if want['residual'] else 'plain'}-{want['depth']}, {want['init']} init, "
             f"{'BatchNorm' if want['batchnorm'] else 'no BatchNorm'}")
    assert ex.state["label"] == label and ex.summary.value.startswith(f"<b>{label}</b>:")
    assert [t for t in legend(ex.figure.value) if not t.startswith("before: ")] == [label]
    assert ex.state["grads"] == gradient_flow(x=x, y=y, **want)["grads"]


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
    fig = plot_losses({"a": [[2.0, 1.0], [2.1, 1.2]], "b": [2.0, 1.5]})
    assert isinstance(fig, Figure) and len(fig.axes[0].lines) == 2
