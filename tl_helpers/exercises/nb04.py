"""Checkers of notebook 04's "Try it yourself" (downsampling and shortcuts)."""
from __future__ import annotations

import torch
from torch import nn

from . import close_to, exercise
from ..downsampling import ShapeExplorer
from ..resnet import Bottleneck, resnet50


@exercise("04.1", "output side of a 3x3 stride-2 convolution with padding 1 on a 57 px input")
def side_after_strided_conv(answer) -> str | None:
    with torch.no_grad():
        right = nn.Conv2d(1, 1, 3, stride=2, padding=1)(torch.zeros(1, 1, 57, 57)).shape[-1]
    if close_to(answer, right):
        return None
    if close_to(answer, 57 / 2) or close_to(answer, 57 // 2):
        return ("Close, but the side is a whole number and the formula rounds differently. "
                "Hint: floor((n + 2p - k) / s) + 1.")
    return "Not the output side. Hint: use floor((n + 2p - k) / s) + 1 with n = 57, k = 3, s = 2, p = 1."


@exercise("04.2", "a shortcut that makes Bottleneck(512, 256, stride=2) work (512→1024 channels, 28→14 px)")
def shortcut_for_strided_block(answer) -> str | None:
    if not isinstance(answer, nn.Module):
        return f"Your answer is a {type(answer).__name__}. Hint: give a module, e.g. an nn.Sequential(...)."
    block = Bottleneck(512, 256, stride=2, downsample=answer).eval()
    x = torch.randn(2, 512, 28, 28)
    with torch.no_grad():
        shortcut = answer.eval()(x)
        if tuple(shortcut.shape[1:]) != (1024, 14, 14):
            return (f"Your shortcut turns 512x28x28 into {'x'.join(map(str, shortcut.shape[1:]))}, but F(x) is "
                    "1024x14x14. Hint: change the channels 512→1024 and take every second pixel (stride 2).")
        out = block(x)
    if tuple(out.shape) != (2, 1024, 14, 14):
        return f"The block's output is {tuple(out.shape)}. Hint: the shortcut must return 1024x14x14."
    return None


@exercise("04.3", "smallest input side on the explorer's slider that leaves layer4 a 3x3 map")
def smallest_side_for_3x3(answer) -> str | None:
    explorer = ShapeExplorer(resnet50(width=4), stage="layer4", plot=False)   # the widget itself, thin model
    slider = explorer.size
    for side in range(slider.min, slider.max + 1, slider.step):
        slider.value = side
        if explorer.state["selected"][-1] >= 3:
            right = side
            break
    if close_to(answer, right):
        return None
    if close_to(answer, 96):
        return "96 px gives 3x3, but a smaller slider value does too. Hint: odd sides round up at each stride-2 step."
    return "Not the smallest one. Hint: set the explorer to layer4 and move the slider one step (16 px) at a time."
