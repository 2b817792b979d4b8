"""ResNet from scratch, written like ``torchvision.models.resnet`` and with its state-dict names.

At ``width=64`` these models load torchvision's weights with ``strict=True`` and give the same
outputs; ``width=16`` is the quarter-width ResNet-50 the series bundles as its offline backbone.
This module also holds the one definition of a ResNet's *stages* (``STAGES``), which everything
that cuts, freezes, probes or draws a network by stage uses. Taught in notebooks 02-04 and 06.

Deliberate mirror: the ``forward`` methods of ``BasicBlock``, ``Bottleneck`` and ``ResNet`` repeat one
shape (one operation per line), as torchvision writes them, so they read line by line against the
block diagrams.
"""
from __future__ import annotations

from typing import Callable, Type, Union

import torch
import torchvision
from torch import Tensor, nn

#: The stages of a torchvision-style ResNet, from input to output. ``stem`` is conv1, bn1, relu and
#: maxpool; the global average pooling sits between ``layer4`` and the head ``fc``.
STAGES: tuple[str, ...] = ("stem", "layer1", "layer2", "layer3", "layer4", "fc")
#: The stem's modules, in order (the last one's output is the stem's output).
STEM: tuple[str, ...] = ("conv1", "bn1", "relu", "maxpool")


def conv3x3(in_planes: int, out_planes: int, stride: int = 1) -> nn.Conv2d:
    """3x3 convolution with padding 1 and no bias (a BatchNorm follows)."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)


def conv1x1(in_planes: int, out_planes: int, stride: int = 1) -> nn.Conv2d:
    """1x1 convolution with no bias: changes channels (and, with stride 2, halves the size)."""
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    """Two 3x3 convolutions and a shortcut: ``out = relu(F(x) + x)`` (ResNet-18/34)."""

    expansion: int = 1

    def __init__(self, inplanes: int, planes: int, stride: int = 1,
                 downsample: nn.Module | None = None) -> None:
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        identity = x

        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)

        out = self.conv2(out)
        out = self.bn2(out)

        if self.downsample is not None:
            identity = self.downsample(x)

        out += identity
        out = self.relu(out)
        return out


class Bottleneck(nn.Module):
    """1x1 reduce -> 3x3 -> 1x1 expand (x4), plus a shortcut (ResNet-50/101/152).

    Like torchvision (ResNet v1.5) the stride sits on the 3x3 convolution.
    """

    expansion: int = 4

    def __init__(self, inplanes: int, planes: int, stride: int = 1,
                 downsample: nn.Module | None = None) -> None:
        super().__init__()
        self.conv1 = conv1x1(inplanes, planes)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes, stride)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = conv1x1(planes, planes * self.expansion)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x: Tensor) -> Tensor:
        identity = x

        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)

        out = self.conv2(out)
        out = self.bn2(out)
        out = self.relu(out)

        out = self.conv3(out)
        out = self.bn3(out)

        if self.downsample is not None:
            identity = self.downsample(x)

        out += identity
        out = self.relu(out)
        return out


Block = Type[Union[BasicBlock, Bottleneck]]


class ResNet(nn.Module):
    """The ResNet of He et al. (2016, "Deep Residual Learning for Image Recognition"): stem, four stages of blocks,
    global pooling, ``fc``.

    Args:
        block: ``BasicBlock`` or ``Bottleneck``.
        layers: Blocks per stage, e.g. ``[3, 4, 6, 3]`` for ResNet-50.
        num_classes: Outputs of the final ``fc`` layer.
        zero_init_residual: Start each block's last BatchNorm at zero, so every block
            begins as the identity (the same position as in torchvision).
        width: Keyword only. Channels of the stem and first stage (64 in the paper); stages use
            ``width, 2*width, 4*width, 8*width`` planes.
    """

    def __init__(self, block: Block, layers: list[int], num_classes: int = 1000,
                 zero_init_residual: bool = False, *, width: int = 64) -> None:
        super().__init__()
        self.inplanes = width
        self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, width, layers[0])
        self.layer2 = self._make_layer(block, width * 2, layers[1], stride=2)
        self.layer3 = self._make_layer(block, width * 4, layers[2], stride=2)
        self.layer4 = self._make_layer(block, width * 8, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(width * 8 * block.expansion, num_classes)

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
        if zero_init_residual:
            for m in self.modules():
                if isinstance(m, Bottleneck):
                    nn.init.zeros_(m.bn3.weight)
                elif isinstance(m, BasicBlock):
                    nn.init.zeros_(m.bn2.weight)

    def _make_layer(self, block: Block, planes: int, blocks: int, stride: int = 1) -> nn.Sequential:
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            # Size or channels change: the shortcut must project (stride-2 1x1 conv + BN).
            downsample = nn.Sequential(
                conv1x1(self.inplanes, planes * block.expansion, stride),
                nn.BatchNorm2d(planes * block.expansion),
            )
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.relu(x)
        x = self.maxpool(x)

        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.layer4(x)

        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        x = self.fc(x)
        return x


def resnet18(**kwargs) -> ResNet:
    """ResNet-18: ``BasicBlock`` x [2, 2, 2, 2] (11,689,512 parameters at width 64)."""
    return ResNet(BasicBlock, [2, 2, 2, 2], **kwargs)


def resnet34(**kwargs) -> ResNet:
    """ResNet-34: ``BasicBlock`` x [3, 4, 6, 3] (21,797,672 parameters at width 64)."""
    return ResNet(BasicBlock, [3, 4, 6, 3], **kwargs)


def resnet50(**kwargs) -> ResNet:
    """ResNet-50: ``Bottleneck`` x [3, 4, 6, 3] (25,557,032 parameters at width 64)."""
    return ResNet(Bottleneck, [3, 4, 6, 3], **kwargs)


#: Builders by name, for checkpoints that record their architecture.
ARCHITECTURES: dict[str, Callable[..., ResNet]] = {
    "resnet18": resnet18, "resnet34": resnet34, "resnet50": resnet50,
}


def build_model(arch: str = "resnet50", width: int = 64, num_classes: int = 1000) -> nn.Module:
    """Build a ResNet: ours for other widths, torchvision's at width 64 (same names either way).

    Raises:
        ValueError: ``arch`` is not one of ``ARCHITECTURES``.
    """
    if arch not in ARCHITECTURES:
        raise ValueError(f"Unknown architecture {arch!r}; known: {sorted(ARCHITECTURES)}.")
    if width == 64:
        return getattr(torchvision.models, arch)(weights=None, num_classes=num_classes)
    return ARCHITECTURES[arch](width=width, num_classes=num_classes)


def block_convs(block: nn.Module) -> list[tuple[str, nn.Conv2d]]:
    """``(name, conv)`` of a block's main-path convolutions in forward order (``conv1``, ``conv2``, ...)."""
    return [(n, m) for n, m in block.named_children() if isinstance(m, nn.Conv2d)]


def main_path_weights(model: nn.Module) -> list[tuple[str, nn.Parameter]]:
    """``(name, weight)`` of every conv / linear layer on the main path, from input to output."""
    return [(name, m.weight) for name, m in model.named_modules()
            if isinstance(m, (nn.Conv2d, nn.Linear)) and ".downsample." not in f".{name}."]


def main_path_layers(model: nn.Module) -> tuple[int, int]:
    """Count the weighted layers a ResNet is named after.

    Returns:
        ``(conv + fc layers on the main path, projection-shortcut convs)``; ResNet-50 gives
        ``(50, 4)``: 1 stem conv + 16 blocks x 3 convs + 1 fc on the main path.
    """
    main = len(main_path_weights(model))
    shortcut = sum(isinstance(m, nn.Conv2d) and ".downsample." in f".{name}." for name, m in model.named_modules())
    return main, shortcut


# --------------------------------------------------------------------------- stages

def check_stage(stage: str, allowed: tuple[str, ...] = STAGES) -> str:
    """Return ``stage`` if it is one of ``allowed``, else raise a ``ValueError`` listing them."""
    if stage not in allowed:
        raise ValueError(f"Unknown stage {stage!r}; choose one of {allowed}.")
    return stage


def stage_of(param_name: str) -> str:
    """The stage (``stem``, ``layer1`` ... ``layer4``, ``fc``) a parameter or module name belongs to."""
    top = param_name.split(".")[0]
    return "stem" if top in STEM else top


def stage_output_module(model: nn.Module, stage: str) -> nn.Module:
    """The module whose output is ``stage``'s output (``maxpool`` for the stem): where to hook."""
    return getattr(model, STEM[-1] if check_stage(stage) == "stem" else stage)


def stage_modules(model: nn.Module) -> dict[str, nn.Module]:
    """A ResNet as its stages, input to output, with ``"pool"`` (average pool + flatten) before ``fc``.

    The modules share their parameters with ``model``; running them in order equals ``model(x)``.
    """
    parts: dict[str, nn.Module] = {"stem": nn.Sequential(*(getattr(model, n) for n in STEM))}
    parts.update({s: getattr(model, s) for s in STAGES[1:-1]})
    parts["pool"] = nn.Sequential(model.avgpool, nn.Flatten(1))
    parts["fc"] = model.fc
    return parts


def split_at(model: nn.Module, stage: str) -> tuple[nn.Sequential, nn.Sequential]:
    """Cut a ResNet before ``stage``: ``(prefix, suffix)``; they share parameters with ``model``.

    Cutting before ``"fc"`` puts the global pooling in the prefix, so its output is the pooled features.
    """
    parts = stage_modules(model)
    cut = list(parts).index(check_stage(stage))
    modules = list(parts.values())
    return nn.Sequential(*modules[:cut]), nn.Sequential(*modules[cut:])
