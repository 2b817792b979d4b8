"""Checkers of notebook 02's "Try it yourself" (residual blocks)."""
from __future__ import annotations

import functools

import torch
from torch import nn

from . import exercise
from ..i18n import N_, tr
from .answers import NotYet, count
from .guard import call, is_stub, spying
from ..residual import ZeroPadShortcut, gradient_flow, load_images, make_net
from ..resnet import BasicBlock, conv1x1
from ..transfer import count_parameters


def _test_blocks() -> list[tuple[str, BasicBlock]]:
    """Blocks in eval mode with non-trivial BatchNorm statistics: identity, option A and option B shortcuts."""
    torch.manual_seed(0)
    blocks = [(N_("an identity shortcut"), BasicBlock(4, 4)),
              (N_("a zero-padding shortcut (option A)"), BasicBlock(4, 8, 2, ZeroPadShortcut(4, 8, 2))),
              (N_("a projection shortcut (option B)"), BasicBlock(4, 8, 2, nn.Sequential(conv1x1(4, 8, 2),
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


def _diagnose(got, want: torch.Tensor, block: BasicBlock, x: torch.Tensor, kind: str) -> str | None:
    """What is off with the learner's output ``got`` for ``block`` (None when it matches); ``kind`` is marked."""
    if got is None:
        return tr("your function returned None: it should return the block's output tensor.")
    if not isinstance(got, torch.Tensor) or got.shape != want.shape:
        shape = tuple(got.shape) if isinstance(got, torch.Tensor) else type(got).__name__
        return tr("for a block with {kind} the output is {shape}, not {want}: the shortcut must have the output's "
                  "shape, and block.downsample (when it is not None) gives it that.", kind=tr(kind), shape=shape,
                  want=tuple(want.shape))
    if torch.allclose(got, want, atol=1e-5):
        return None
    with torch.no_grad():
        identity = x if block.downsample is None else block.downsample(x)
        f = block.bn2(block.conv2(torch.relu(block.bn1(block.conv1(x)))))
    if torch.allclose(got, f + identity, atol=1e-5):
        return tr("the addition is right, but the block's last step after it is missing.")
    if torch.allclose(got, torch.relu(f), atol=1e-5):
        return tr("that is the plain block's output: the shortcut is missing.")
    return tr("the output differs from BasicBlock's for a block with {kind}.", kind=tr(kind))


@exercise("02.1", "write BasicBlock's forward from its layers", asks="function", hints=(
    "a residual block computes a small stack F(x) of layers and adds its input back: the output is built from "
    "F(x) and a shortcut of x, in the order the diagram shows.",
    "F(x) runs the block's layers in the order they are named (conv1, bn1, relu, conv2, bn2); the shortcut is x "
    "itself, or block.downsample(x) when the block changes the shape.",
    "worked step: compute out from the five layers without the last activation, compute the shortcut, add the "
    "two, and apply one more ReLU to the sum before returning it. Use the block's layers; do not call the block."))
def basic_block_forward(answer) -> str | None:
    if not callable(answer) or isinstance(answer, nn.Module):
        raise NotYet(tr("give the function itself, not its result: answer_02_1 = basic_block_forward (no "
                        "parentheses)."))
    if is_stub(answer):
        raise NotYet(tr("the body of your function is not written yet (it is still ...)."))
    x = torch.randn(2, 4, 8, 8, generator=torch.Generator().manual_seed(1))
    for kind, block in _test_blocks():
        with torch.no_grad():
            want = block(x.clone())
            with spying((BasicBlock, "forward")) as calls:
                got = call(answer, block, x.clone())
        if calls:
            return tr("your function calls the block itself (block(x) or block.forward): write the forward from "
                      "its layers.")
        problem = _diagnose(got, want, block, x, kind)
        if problem:
            return problem
    return None


@exercise("02.2", "parameters that projection shortcuts (option B) add to the 20-layer residual net", hints=(
    "only blocks that change the shape (more channels, a smaller map) get a projection; every other block keeps "
    "its parameter-free identity shortcut.",
    "a projection is a 1x1 convolution without bias (C_in·C_out weights) and a BatchNorm (a scale and a shift per "
    "output channel). Find, in tl.make_net's stages, which blocks change the channels and from what to what.",
    "worked step: one projection from C_in to C_out channels adds C_in·C_out + 2·C_out parameters; add that over "
    "the blocks that change shape, then confirm with tl.count_parameters on both networks and subtract."))
def projection_parameters(answer) -> str | None:
    n = count(answer)
    base = count_parameters(make_net(20, True, shortcut="A"))[1]
    right = count_parameters(make_net(20, True, shortcut="B"))[1] - base
    convs_only = sum(m.weight.numel() for m in make_net(20, True, shortcut="B").modules()
                     if isinstance(m, nn.Conv2d) and m.kernel_size == (1, 1))
    if n == right:
        return None
    if n == convs_only:
        return tr("you counted the 1x1 convolutions only; each is followed by a BatchNorm with parameters of its "
                  "own.")
    return tr("that is not the number of parameters the projections add.")


@functools.lru_cache(maxsize=1)
def _first_layer_gradients() -> dict[int, float]:
    x, y = load_images(("train",), n_per_class=2)      # the explorer's batch in notebook 02
    return {depth: gradient_flow(depth, x, y)["grads"][0] for depth in range(8, 57, 6)}


@exercise("02.3", "smallest depth where the plain default-init net's first-layer gradient is below 1e-12", hints=(
    "without shortcuts and BatchNorm each block scales the gradient by about the same factor, so the first "
    "layer's gradient shrinks geometrically as the network gets deeper.",
    "set shortcut and BatchNorm off and PyTorch's default init, then move the depth slider one step at a time and "
    "read the first layer's gradient in the summary line.",
    "worked step: from the 8-layer net's first-layer gradient g, it takes log(g / 1e-12) / log(7) blocks of a "
    "factor of about 7 to reach 1e-12; each slider step adds 3 blocks, so round up to a slider depth and confirm "
    "it with the widget (the one below must still be above 1e-12)."))
def depth_of_vanishing(answer) -> str | None:
    grads = _first_layer_gradients()
    right = min(d for d, g in grads.items() if g < 1e-12)
    depth = count(answer)
    if depth not in grads:
        return tr("that is not one of the slider's depths (8, 14, 20, ..., 56).")
    if depth == right:
        return None
    if depth > right:
        return tr("at a smaller depth on the slider the first layer's gradient is already below 1e-12.")
    return tr("at that depth the first layer's gradient is still above 1e-12 (with shortcut and BatchNorm off and "
              "PyTorch's default init).")
