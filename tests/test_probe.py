import pytest
import torch
from matplotlib.figure import Figure
from torch.utils.data import DataLoader, TensorDataset

from tl_helpers import split_at
from tl_helpers import (PROBE_STAGES, ProbeResult, filter_roughness, first_layer_filters, linear_probe,
                              plot_feature_maps, plot_filters, plot_probe_accuracy, pooled_stage_features,
                              probe_stages, stage_outputs)


def test_first_layer_filters_sum_channels_and_scale(tiny_resnet):
    w = torch.zeros_like(tiny_resnet.conv1.weight)          # [8, 3, 7, 7]
    w[0, 0, 0, 0], w[0, 1, 0, 0], w[0, 2, 3, 3] = 1.0, 1.0, -4.0
    with torch.no_grad():
        tiny_resnet.conv1.weight.copy_(w)
    f = first_layer_filters(tiny_resnet)
    assert f.shape == (8, 7, 7)
    assert f[0, 0, 0].item() == pytest.approx(0.75)          # 0.5 + 0.5 * 2 / 4
    assert f[0, 3, 3].item() == pytest.approx(0.0)           # the largest negative weight is black
    assert f[0, 1, 1].item() == pytest.approx(0.5)           # zero is mid-gray
    assert torch.all(f[1:] == 0.5)                           # all-zero filters stay gray (no division by 0)


def test_filter_roughness_noise_vs_ramp():
    g = torch.Generator().manual_seed(0)
    noise = torch.randn(4, 200, 200, generator=g)
    assert filter_roughness(noise).mean().item() == pytest.approx(1.0, abs=0.03)
    ramp = torch.arange(7.0).repeat(7, 1)[None]              # each row 0..6: dx = 1, dy = 0
    variance = 4.0 * 49 / 48                                 # values 0..6, 7 times each (unbiased variance)
    assert filter_roughness(ramp).item() == pytest.approx(1 / (4 * variance), rel=1e-5)   # about 0.061


def test_stage_outputs_shapes_and_hooks_removed(tiny_resnet):
    tiny_resnet.train()
    x = torch.randn(2, 3, 32, 32)
    out = stage_outputs(tiny_resnet, x)
    assert list(out) == list(PROBE_STAGES)
    assert {s: tuple(o.shape) for s, o in out.items()} == {
        "stem": (2, 8, 8, 8), "layer1": (2, 8, 8, 8), "layer2": (2, 16, 4, 4),
        "layer3": (2, 32, 2, 2), "layer4": (2, 64, 1, 1)}
    assert tiny_resnet.training                               # mode restored
    assert all(not m._forward_hooks for m in tiny_resnet.modules())
    tiny_resnet.eval()
    with torch.no_grad():
        assert torch.allclose(out["layer4"].flatten(1), split_at(tiny_resnet, "fc")[0](x), atol=1e-6)


def test_pooled_stage_features_are_channel_means(tiny_resnet):
    x = torch.randn(6, 3, 32, 32)
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    feats, labels = pooled_stage_features(tiny_resnet, DataLoader(TensorDataset(x, y), batch_size=4))
    assert torch.equal(labels, y)
    assert feats["layer2"].shape == (6, 16)
    direct = stage_outputs(tiny_resnet, x, ("layer2",))["layer2"].mean((2, 3))
    assert torch.allclose(feats["layer2"], direct, atol=1e-6)


def test_linear_probe_separable_and_class_accuracy():
    g = torch.Generator().manual_seed(0)
    centers = torch.tensor([[5.0, 0.0], [-5.0, 0.0], [0.0, 5.0]])
    ytr, yte = torch.arange(3).repeat(20), torch.arange(3).repeat(10)
    xtr = centers[ytr] + torch.randn(60, 2, generator=g)
    xte = centers[yte] + torch.randn(30, 2, generator=g)
    res = linear_probe(xtr, ytr, xte, yte)
    assert res.accuracy == 1.0 and torch.equal(res.preds, yte)
    # labels that carry no information give about chance
    noise = linear_probe(torch.randn(300, 5, generator=g), torch.randint(0, 3, (300,), generator=g),
                         torch.randn(600, 5, generator=g), torch.randint(0, 3, (600,), generator=g))
    assert 0.2 < noise.accuracy < 0.45


def test_probe_result_class_accuracy():
    r = ProbeResult(0.5, preds=torch.tensor([0, 1, 1, 2]), targets=torch.tensor([0, 0, 1, 2]))
    assert r.class_accuracy([0]) == 0.5
    assert r.class_accuracy(torch.tensor([1, 2])) == 1.0


def test_probe_result_hits_per_sample():
    r = ProbeResult(0.75, preds=torch.tensor([0, 1, 1, 2]), targets=torch.tensor([0, 0, 1, 2]))
    assert r.hits() == [1.0, 0.0, 1.0, 1.0]
    assert r.hits([0]) == [1.0, 0.0] and r.hits(torch.tensor([1, 2])) == [1.0, 1.0]
    assert sum(r.hits([0])) / len(r.hits([0])) == r.class_accuracy([0])


def test_plot_probe_accuracy_draws_intervals_into_given_axes():
    import matplotlib.pyplot as plt
    fig, axes = plt.subplots(1, 2)
    curves = {"a": [0.5, 0.6], "b": [0.4, 0.45]}
    intervals = {"a": [(0.45, 0.55), (0.55, 0.65)]}
    out = plot_probe_accuracy(curves, stages=("stem", "layer1"), chance=0.1, intervals=intervals, ax=axes[1])
    assert out is fig and len(axes[1].lines) >= 3 and not axes[0].lines
    caps = [c for c in axes[1].collections if c.get_segments()]
    assert len(caps) == 1 and [tuple(seg[:, 1]) for seg in caps[0].get_segments()] == [(0.45, 0.55), (0.55, 0.65)]
    plt.close(fig)


def test_probe_stages_runs_on_a_tiny_model(tiny_resnet):
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(12, 3, 32, 32, generator=g), torch.arange(3).repeat(4)
    loader = DataLoader(TensorDataset(x, y), batch_size=5)
    res = probe_stages(tiny_resnet, loader, loader, stages=("stem", "layer4"))
    assert list(res) == ["stem", "layer4"]
    assert all(r.accuracy == 1.0 for r in res.values())   # 12 points, up to 64 features: memorised


def test_plots_return_figures(tiny_resnet):
    assert isinstance(plot_filters(first_layer_filters(tiny_resnet), ncols=4), Figure)
    maps = {s: o[0] for s, o in stage_outputs(tiny_resnet, torch.randn(1, 3, 32, 32)).items()}
    fig = plot_feature_maps(maps, image=torch.rand(3, 32, 32), n_channels=3)
    assert isinstance(fig, Figure) and len(fig.axes) == 5 * 4
    fig = plot_probe_accuracy({"a": [0.1, 0.2, 0.3, 0.4, 0.5], "b": [0.5] * 5}, chance=0.1)
    assert isinstance(fig, Figure) and len(fig.axes[0].lines) == 3
