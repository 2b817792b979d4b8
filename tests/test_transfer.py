import pytest
import torch
import torchvision
from torch import nn

from tl_helpers import (STAGES, count_parameters, freeze_backbone, replace_head,
                               set_train_mode, stage_of, unfreeze)
from tl_helpers import Bottleneck, resnet18, resnet34, resnet50


@pytest.mark.parametrize("name, count", [("resnet18", 11_689_512), ("resnet34", 21_797_672),
                                         ("resnet50", 25_557_032)])
def test_our_resnet_matches_torchvision(name, count):
    torch.manual_seed(0)
    ours = {"resnet18": resnet18, "resnet34": resnet34, "resnet50": resnet50}[name]()
    theirs = getattr(torchvision.models, name)(weights=None)
    ours.load_state_dict(theirs.state_dict(), strict=True)
    assert count_parameters(ours) == (count, count) == count_parameters(theirs)
    ours.eval(), theirs.eval()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert (ours(x) - theirs(x)).abs().max().item() <= 1e-5


def test_width_scales_channels():
    m = resnet50(width=16, num_classes=5)
    assert m.conv1.out_channels == 16 and m.fc.in_features == 16 * 8 * Bottleneck.expansion
    assert 1_400_000 < count_parameters(m)[1] < 1_600_000


def test_replace_head(tiny_resnet):
    replace_head(tiny_resnet, 7)
    assert tiny_resnet.fc.out_features == 7 and tiny_resnet(torch.randn(2, 3, 32, 32)).shape == (2, 7)
    replace_head(tiny_resnet, 4, dropout=0.3)
    assert isinstance(tiny_resnet.fc[0], nn.Dropout) and tiny_resnet.fc[0].p == 0.3
    assert tiny_resnet.fc[1].out_features == 4
    with pytest.raises(ValueError):
        replace_head(tiny_resnet, 0)


def test_freeze_and_unfreeze_counts(tiny_resnet):
    total = count_parameters(tiny_resnet)[1]
    freeze_backbone(tiny_resnet)
    fc = sum(p.numel() for p in tiny_resnet.fc.parameters())
    assert count_parameters(tiny_resnet) == (fc, total)
    unfreeze(tiny_resnet, "layer4")
    l4 = sum(p.numel() for p in tiny_resnet.layer4.parameters())
    assert count_parameters(tiny_resnet)[0] == fc + l4
    unfreeze(tiny_resnet, "all")
    assert count_parameters(tiny_resnet) == (total, total)
    with pytest.raises(ValueError, match="Unknown stage"):
        unfreeze(tiny_resnet, "layer9")


def test_stage_of_names():
    assert [stage_of(n) for n in ("conv1.weight", "bn1.bias", "layer3.0.conv1.weight", "fc.1.weight")] \
        == ["stem", "stem", "layer3", "fc"]
    assert STAGES[0] == "stem" and STAGES[-1] == "fc"


def test_frozen_batchnorm_stays_in_eval(tiny_resnet):
    freeze_backbone(tiny_resnet)
    set_train_mode(tiny_resnet)
    assert not tiny_resnet.bn1.training and tiny_resnet.fc.training
    unfreeze(tiny_resnet, "layer4")
    set_train_mode(tiny_resnet)
    assert tiny_resnet.layer4[0].bn1.training and not tiny_resnet.layer3[0].bn1.training


def test_width_is_keyword_only_and_positional_args_match_torchvision():
    from tl_helpers import BasicBlock, ResNet
    with pytest.raises(TypeError):
        ResNet(BasicBlock, [1, 1, 1, 1], 10, False, 8)             # width cannot be passed by position
    m = ResNet(BasicBlock, [1, 1, 1, 1], 10, True)                   # torchvision's 4th: zero_init_residual
    assert m.conv1.out_channels == 64 and float(m.layer1[0].bn2.weight.detach().abs().sum()) == 0.0


def test_stages_are_defined_once_and_cover_every_parameter(tiny_resnet):
    from tl_helpers import STAGES, stage_modules, stage_of
    assert {stage_of(n) for n, _ in tiny_resnet.named_parameters()} == set(STAGES)
    parts = stage_modules(tiny_resnet)
    assert list(parts) == [*STAGES[:-1], "pool", "fc"]
    x = torch.randn(2, 3, 32, 32)
    tiny_resnet.eval()
    out = x
    for m in parts.values():
        out = m(out)
    assert torch.allclose(out, tiny_resnet(x), atol=1e-6)
