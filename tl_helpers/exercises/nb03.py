"""Checkers of notebook 03's "Try it yourself" (the bottleneck block)."""
from __future__ import annotations

from torch import nn

from . import close_to, exercise
from ..anatomy import count_flops
from ..resnet import Bottleneck


def _conv_weights(module: nn.Module) -> int:
    return sum(m.weight.numel() for m in module.modules() if isinstance(m, nn.Conv2d))


@exercise("03.1", "conv weights of Bottleneck(1024, 256), ResNet-50's conv4_x block, by formula")
def conv_weights_of_conv4_block(answer) -> str | None:
    block = Bottleneck(1024, 256)
    right, with_bn = _conv_weights(block), sum(p.numel() for p in block.parameters())
    if close_to(answer, right):
        return None
    if close_to(answer, with_bn):
        return "That count includes the BatchNorm parameters. Hint: count only the three convolutions' weights."
    return ("That is not the number of conv weights. Hint: the block is 1x1 1024→256, 3x3 256→256, "
            "1x1 256→1024; a k x k convolution has k·k·C_in·C_out weights (no bias).")


@exercise("03.2", "FLOPs of a 1x1 convolution 256→64 on one 56x56 feature map")
def flops_of_1x1_conv(answer) -> str | None:
    conv = nn.Conv2d(256, 64, kernel_size=1, bias=False)
    right = count_flops(conv, (1, 256, 56, 56))
    if close_to(answer, right):
        return None
    if close_to(answer, right / 2):
        return "That is the number of multiply-adds. Hint: FLOPs count a multiply-add as 2 operations."
    return ("Not the FLOP count. Hint: each of the 56·56 output pixels needs k·k·C_in·C_out multiply-adds, "
            "and a multiply-add is 2 FLOPs.")
