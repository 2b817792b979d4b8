"""Checkers of notebook 04's "Try it yourself" (downsampling and shortcuts)."""
from __future__ import annotations

from functools import lru_cache

import torch
from IPython.utils.capture import capture_output
from torch import nn

from . import exercise
from ..i18n import tr
from .answers import NotYet, count, number
from ..downsampling import ShapeExplorer, resnet_sides
from ..resnet import Bottleneck, resnet50


@exercise("04.1", "output side of a 3x3 stride-2 convolution with padding 1 on a 57 px input", hints=(
    "a stride-2 convolution moves its kernel two pixels at a time, so the output side is about half the input "
    "side; padding widens the input on both borders, and the kernel must fit entirely.",
    "the output side is floor((n + 2p - k) / s) + 1 for input side n, kernel k, stride s and padding p.",
    "worked step: n + 2p - k is how far the kernel can travel across the padded input; count the stride-s "
    "steps that fit into it (round down), then add 1 for the kernel's first position."))
def side_after_strided_conv(answer) -> str | None:
    value = number(answer, unit="px")
    with torch.no_grad():
        right = nn.Conv2d(1, 1, 3, stride=2, padding=1)(torch.zeros(1, 1, 57, 57)).shape[-1]
    if value == 57 / 2:
        return tr("a side is a whole number of pixels, and the formula rounds in its own way.")
    if count(value) == right:
        return None
    if value == 57 // 2:
        return tr("close, but the formula rounds differently for an odd side with this padding.")
    return tr("that is not the output side.")


@exercise("04.2", "a shortcut that makes Bottleneck(512, 256, stride=2) work (512→1024 channels, 28→14 px)", hints=(
    "the shortcut is added to F(x), so its output must have F(x)'s shape: more channels and a smaller map than x.",
    "a 1x1 convolution changes the number of channels; a stride of 2 takes every second pixel and halves the side.",
    "worked step: one 1x1 convolution from the input's channels to the output's, with stride 2, usually followed "
    "by a BatchNorm of the output's channels, both inside nn.Sequential, is ResNet's projection (option B)."))
def shortcut_for_strided_block(answer) -> str | None:
    if not isinstance(answer, nn.Module):
        raise NotYet(tr("your answer is a {kind}: give a module, e.g. an nn.Sequential(...).",
                        kind=type(answer).__name__))
    block = Bottleneck(512, 256, stride=2, downsample=answer).eval()
    x = torch.randn(2, 512, 28, 28)
    with torch.no_grad():
        try:
            shortcut = answer.eval()(x)
        except RuntimeError as err:
            return tr("your shortcut fails on a 512x28x28 input: {error}.", error=str(err)[:150])
        if tuple(shortcut.shape[1:]) != (1024, 14, 14):
            return tr("your shortcut turns 512x28x28 into {shape}, but F(x) is 1024x14x14.",
                      shape="x".join(map(str, shortcut.shape[1:])))
        out = block(x)
    if tuple(out.shape) != (2, 1024, 14, 14):
        return tr("the block's output is {shape}, not 1024x14x14 per image.", shape=tuple(out.shape))
    return None


@lru_cache(maxsize=1)
def _smallest_slider_side() -> int:
    """The widget's answer: the smallest slider value whose layer4 map is at least 3x3, read off the explorer
    (its displays are captured, so the check's cell shows only the verdict)."""
    with capture_output():
        explorer = ShapeExplorer(resnet50(width=4), stage="layer4", plot=False)   # the widget itself, thin model
        slider = explorer.size
        for side in range(slider.min, slider.max + 1, slider.step):
            slider.value = side
            if explorer.state["selected"][-1] >= 3:
                return side
    raise RuntimeError(tr("no slider value gives layer4 a 3x3 map"))


@exercise("04.3", "smallest input side on the explorer's slider that leaves layer4 a 3x3 map", hints=(
    "each stride-2 step halves the side, so layer4's map is the input side divided by 32, roughly; but an odd "
    "side rounds up at each step.",
    "choose layer4 in the explorer and move the slider one step (16 px) at a time, from small sides up, reading "
    "layer4's map size; or compute it with tl.resnet_sides(side)['layer4'].",
    "worked step: find the smallest side, on the slider's steps (32 to 448 by 16), where layer4 reaches 3x3 and "
    "check that the slider value just below it gives less."))
def smallest_side_for_3x3(answer) -> str | None:
    side = count(answer, unit="px")
    right = _smallest_slider_side()
    if side == right:
        return None
    if side < 32:
        return tr("{side} px is below the explorer's smallest input side (32 px).", side=side)
    if resnet_sides(side)["layer4"] < 3:
        return tr("{side} px is too small: layer4's map is smaller than 3x3 there.", side=side)
    if (side - 32) % 16:
        return (tr("{side} px does give layer4 a 3x3 map (it is in fact the smallest such side), but it is not a "
                   "slider value: the slider goes from 32 px in steps of 16.", side=side)
                if resnet_sides(side - 1)["layer4"] < 3
                else tr("{side} px works, but it is not a slider value (32 px, then steps of 16).", side=side))
    return tr("{side} px gives layer4 at least 3x3, but a smaller slider value does too.", side=side)
