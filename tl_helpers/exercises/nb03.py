"""Checkers of notebook 03's "Try it yourself" (the bottleneck block)."""
from __future__ import annotations

from torch import nn

from . import exercise
from ..i18n import tr
from .answers import count, near, number
from ..anatomy import count_flops
from ..resnet import Bottleneck

#: 03.2 accepts a FLOP count within this relative tolerance (a rounded 1.03e8 is the same idea).
FLOPS_TOLERANCE = 0.005


def _conv_weights(module: nn.Module) -> int:
    return sum(m.weight.numel() for m in module.modules() if isinstance(m, nn.Conv2d))


@exercise("03.1", "conv weights of Bottleneck(1024, 256), ResNet-50's conv4_x block, by formula", hints=(
    "a bottleneck block has three convolutions on its main path; count each one's weights and add them up "
    "(BatchNorm's parameters are not conv weights).",
    "a k x k convolution from C_in to C_out channels without bias has k·k·C_in·C_out weights. Read k, C_in and "
    "C_out of each of the three convolutions from the exercise text.",
    "worked step: the first term is the 1x1 reduction, 1·1·1024·256; write the 3x3 and the 1x1 expansion the "
    "same way and add the three products."))
def conv_weights_of_conv4_block(answer) -> str | None:
    n = count(answer)
    block = Bottleneck(1024, 256)
    right, with_bn = _conv_weights(block), sum(p.numel() for p in block.parameters())
    if n == right:
        return None
    if n == with_bn:
        return tr("that count includes the BatchNorm parameters, which are not conv weights.")
    return tr("that is not the number of the block's conv weights.")


@exercise("03.2", "FLOPs of a 1x1 convolution 256→64 on one 56x56 feature map", values={"tolerance": FLOPS_TOLERANCE},
          hints=(
    "a convolution does the same multiply-adds at every output pixel; FLOPs count a multiply-add as two "
    "operations (a multiply and an add).",
    "at one output pixel a k x k convolution from C_in to C_out channels does k·k·C_in·C_out multiply-adds; the "
    "map has H·W output pixels.",
    "worked step: multiply-adds = 1·1·256·64 per pixel times 56·56 pixels; the FLOPs are twice that. Any answer "
    "within {tolerance:.1%} of the exact count is accepted."))
def flops_of_1x1_conv(answer) -> str | None:
    value = number(answer)
    right = count_flops(nn.Conv2d(256, 64, kernel_size=1, bias=False), (1, 256, 56, 56))
    if near(value, right, rel=FLOPS_TOLERANCE):
        return None
    if near(value, right / 2, rel=FLOPS_TOLERANCE):
        return tr("that is the number of multiply-adds, and a multiply-add counts as 2 FLOPs.")
    return tr("that is not the FLOP count (answers within {tolerance:.1%} of it count as right).",
              tolerance=FLOPS_TOLERANCE)
