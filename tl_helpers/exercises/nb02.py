"""Checkers of notebook 02's "Try it yourself" (residual blocks)."""
from __future__ import annotations

import functools

import torch
from torch import nn

from . import close_to, exercise
from ..residual import ZeroPadShortcut, gradient_flow, load_images, make_net
from ..resnet import BasicBlock, conv1x1
from ..transfer import count_parameters


def _test_blocks() -> list[tuple[str, BasicBlock]]:
    """Blocks in eval mode with non-trivial BatchNorm statistics: identity, option A and option B shortcuts."""
    torch.manual_seed(0)
    blocks = [("an identity shortcut", BasicBlock(4, 4)),
              ("a zero-padding shortcut (option A)", BasicBlock(4, 8, 2, ZeroPadShortcut(4, 8, 2))),
              ("a projection shortcut (option B)", BasicBlock(4, 8, 2, nn.Sequential(conv1x1(4, 8, 2),
                                                                                      nn.BatchNorm2d(8))))]
    for _, block in blocks:
        for m in block.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.data.uniform_(0.5, 1.5)
                m.bias.data.uniform_(-0.5, 0.5)
        block.eval()
    return blocks


@exercise("02.1", "write BasicBlock's forward from its layers")
def basic_block_forward(answer) -> str | None:
    if not callable(answer):
        return "give the function itself, not its result. Hint: answer_02_1 = basic_block_forward (no parentheses)."
    x = torch.randn(2, 4, 8, 8)
    for kind, block in _test_blocks():
        with torch.no_grad():
            want = block(x.clone())
            try:
                got = answer(block, x.clone())
            except RuntimeError as err:          # typically adding tensors of different shapes
                return (f"for a block with {kind} your function raised: {err}. Hint: when block.downsample is "
                        "not None, the shortcut is block.downsample(x), which has the output's shape; x has not.")
            identity = x if block.downsample is None else block.downsample(x)
            f = block.bn2(block.conv2(torch.relu(block.bn1(block.conv1(x)))))
        if got is None:
            return "your function returned None. Hint: end it with return out."
        if not isinstance(got, torch.Tensor) or got.shape != want.shape:
            shape = tuple(got.shape) if isinstance(got, torch.Tensor) else type(got).__name__
            return (f"for a block with {kind} the output is {shape}, not {tuple(want.shape)}. "
                    "Hint: when block.downsample is not None, the shortcut is block.downsample(x), not x.")
        if torch.allclose(got, want, atol=1e-5):
            continue
        if torch.allclose(got, f + identity, atol=1e-5):
            return "the addition is right, but something is missing after it. Hint: BasicBlock ends with relu(F(x) + x)."
        if torch.allclose(got, torch.relu(f), atol=1e-5):
            return "that is the plain block's output: the shortcut is missing. Hint: add x (or downsample(x)) before the last ReLU."
        return (f"the output differs from BasicBlock's for a block with {kind}. Hint: F(x) = bn2(conv2(relu(bn1(conv1(x))))); "
                "then relu(F(x) + shortcut).")
    return None


@exercise("02.2", "parameters that projection shortcuts (option B) add to the 20-layer residual net")
def projection_parameters(answer) -> str | None:
    base = count_parameters(make_net(20, True, shortcut="A"))[1]
    right = count_parameters(make_net(20, True, shortcut="B"))[1] - base
    convs_only = sum(m.weight.numel() for m in make_net(20, True, shortcut="B").modules()
                     if isinstance(m, nn.Conv2d) and m.kernel_size == (1, 1))
    if close_to(answer, right):
        return None
    if close_to(answer, convs_only):
        return "you counted the 1x1 convolutions only. Hint: each is followed by a BatchNorm with 2 parameters per channel."
    return ("not the number of added parameters. Hint: two blocks change shape (8→16 and 16→32 channels); "
            "each projection is a 1x1 convolution without bias plus a BatchNorm (scale and shift per channel).")


@functools.lru_cache(maxsize=1)
def _first_layer_gradients() -> dict[int, float]:
    x, y = load_images(("train",), n_per_class=2)      # the explorer's batch in notebook 02
    return {depth: gradient_flow(depth, x, y)["grads"][0] for depth in range(8, 57, 6)}


@exercise("02.3", "smallest depth where the plain default-init net's first-layer gradient is below 1e-12")
def depth_of_vanishing(answer) -> str | None:
    grads = _first_layer_gradients()
    right = min(d for d, g in grads.items() if g < 1e-12)
    try:
        depth = float(answer)
    except (TypeError, ValueError):
        depth = None
    if depth not in grads:
        return "give one of the slider's depths (8, 14, 20, ..., 56). Hint: move the depth slider and read the summary line."
    if depth == right:
        return None
    if depth > right:
        return ("at a smaller depth the first layer's gradient is already below 1e-12. Hint: go down the slider "
                "until it is above; the answer is the next depth up.")
    return ("at that depth the first layer's gradient is still above 1e-12. Hint: check that shortcut and "
            "BatchNorm are off and the init is PyTorch's default, then move the slider up.")
