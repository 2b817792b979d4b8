"""Measuring networks: FLOPs, shapes through the stages, layer counts."""
from __future__ import annotations

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode


def count_flops(model: nn.Module, input_size: tuple[int, ...] = (1, 3, 224, 224)) -> int:
    """Floating-point operations of one forward pass, counted by ``torch.utils.flop_counter``.

    A multiply-add counts as 2 FLOPs (so ResNet-50 at 224 px is about 8.2 GFLOPs, i.e. the
    "4.1 G multiply-adds" of the paper).

    Args:
        model: The network (put in eval mode for the count).
        input_size: Shape of the input batch.

    Returns:
        Total FLOPs for the batch.
    """
    was_training = model.training
    model.eval()
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(torch.zeros(input_size))
    model.train(was_training)
    return int(counter.get_total_flops())


def stage_shapes(model: nn.Module, size: int = 224, stages: tuple[str, ...] = (
        "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc")) -> dict[str, tuple[int, ...]]:
    """Output shape ``(C, H, W)`` (or ``(features,)``) of each named module, found with forward hooks.

    Args:
        model: A ResNet.
        size: Side of the square input image.
        stages: Module names to record, in order (``"maxpool"`` is the end of the stem).

    Returns:
        ``{stage: shape without the batch dimension}``.
    """
    shapes: dict[str, tuple[int, ...]] = {}
    handles = [getattr(model, name).register_forward_hook(
        lambda _m, _i, out, name=name: shapes.__setitem__(name, tuple(out.shape[1:]))) for name in stages]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros(1, 3, size, size))
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    return {name: shapes[name] for name in stages}


def main_path_layers(model: nn.Module) -> tuple[int, int]:
    """Count the weighted layers a ResNet is named after.

    Returns:
        ``(conv + fc layers on the main path, projection-shortcut convs)``; ResNet-50 gives
        ``(50, 4)``: 1 stem conv + 16 blocks x 3 convs + 1 fc on the main path.
    """
    main, shortcut = 0, 0
    for name, m in model.named_modules():
        if isinstance(m, nn.Conv2d):
            if ".downsample." in f".{name}.":
                shortcut += 1
            else:
                main += 1
        elif isinstance(m, nn.Linear):
            main += 1
    return main, shortcut


# --------------------------------------------------------------------------- shapes by formula

def conv_output_side(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Side of a convolution's (or pooling's) output: ``floor((size + 2 * padding - kernel) / stride) + 1``.

    Args:
        size: Side of the square input.
        kernel: Kernel side.
        stride: Step between kernel positions.
        padding: Zeros added on each border.

    Returns:
        Side of the square output.
    """
    return (size + 2 * padding - kernel) // stride + 1


def resnet_sides(size: int = 224) -> dict[str, int]:
    """Spatial side after each part of a torchvision-style ResNet, computed by formula (no model).

    The stem is a 7x7 stride-2 convolution (padding 3) and a 3x3 stride-2 max pool (padding 1);
    ``layer2`` to ``layer4`` each start with a 3x3 stride-2 convolution (padding 1).

    Args:
        size: Side of the square input image.

    Returns:
        ``{"conv1", "maxpool", "layer1", ..., "layer4": side}``.
    """
    sides = {"conv1": conv_output_side(size, 7, 2, 3)}
    sides["maxpool"] = sides["layer1"] = conv_output_side(sides["conv1"], 3, 2, 1)
    for i in (2, 3, 4):
        sides[f"layer{i}"] = conv_output_side(sides[f"layer{i - 1}"], 3, 2, 1)
    return sides


# --------------------------------------------------------------------------- blocks and shortcuts

def shortcut_table(model: nn.Module) -> list[dict]:
    """One row per residual block: where the shortcut is an identity and where it must project.

    Args:
        model: A torchvision-style ResNet (ours or torchvision's).

    Returns:
        Rows ``{"block": "layer2.0", "in": 256, "out": 512, "stride": 2, "projection": True}``
        in forward order; ``stride`` is the block's stride (the projection conv uses the same).
    """
    rows = []
    for i in range(1, 5):
        for j, block in enumerate(getattr(model, f"layer{i}")):
            convs = [m for n, m in block.named_children() if n.startswith("conv")]
            rows.append({"block": f"layer{i}.{j}", "in": convs[0].in_channels, "out": convs[-1].out_channels,
                         "stride": max(c.stride[0] for c in convs), "projection": block.downsample is not None})
    return rows


def layer_table(model: nn.Module, size: int = 224) -> list[dict]:
    """The layer table of He et al. (2016, Table 1) for one ResNet, read from the model itself.

    Output sizes come from forward hooks; the block structure from the first block of each stage.

    Args:
        model: A torchvision-style ResNet.
        size: Side of the square input image.

    Returns:
        Rows ``{"stage", "output", "structure", "blocks"}``: ``conv1``, ``conv2_x`` ... ``conv5_x``, and
        the pooling + ``fc`` row, e.g. ``{"stage": "conv2_x", "output": "56x56",
        "structure": "[1x1, 64; 3x3, 64; 1x1, 256] x 3", "blocks": 3}``.
    """
    shapes = stage_shapes(model, size, ("conv1", "layer1", "layer2", "layer3", "layer4", "fc"))
    c1 = model.conv1
    rows = [{"stage": "conv1", "output": "x".join(map(str, shapes["conv1"][1:])),
             "structure": f"{c1.kernel_size[0]}x{c1.kernel_size[1]}, {c1.out_channels}, stride {c1.stride[0]}",
             "blocks": 0}]
    for i in range(1, 5):
        layer = getattr(model, f"layer{i}")
        convs = [m for n, m in layer[0].named_children() if n.startswith("conv")]
        inner = "; ".join(f"{c.kernel_size[0]}x{c.kernel_size[1]}, {c.out_channels}" for c in convs)
        structure = f"[{inner}] x {len(layer)}"
        if i == 1:
            structure = f"{model.maxpool.kernel_size}x{model.maxpool.kernel_size} max pool, stride " \
                        f"{model.maxpool.stride}; {structure}"
        rows.append({"stage": f"conv{i + 1}_x", "output": "x".join(map(str, shapes[f"layer{i}"][1:])),
                     "structure": structure, "blocks": len(layer)})
    rows.append({"stage": "pool + fc", "output": "1x1",
                 "structure": f"average pool, {shapes['fc'][0]}-d fc", "blocks": 0})
    return rows


# --------------------------------------------------------------------------- dropout

def dropout_layers(model: nn.Module) -> list[str]:
    """Names of the dropout modules (``nn.Dropout``, ``Dropout2d``, ``AlphaDropout`` ...) in a model."""
    kinds = (nn.modules.dropout._DropoutNd,)
    return [name for name, m in model.named_modules() if isinstance(m, kinds)]


@torch.no_grad()
def mc_dropout_accuracy(head: nn.Module, features: torch.Tensor, labels: torch.Tensor,
                        num_samples: int = 50, seed: int = 0) -> dict[str, object]:
    """Monte Carlo dropout: average the softmax of many passes with dropout on, versus one pass.

    Args:
        head: A head with dropout (e.g. ``model.fc`` after ``replace_head(..., dropout=p)``).
        features: Its inputs (e.g. cached pooled features), ``[N, D]``.
        labels: True labels ``[N]``.
        num_samples: Stochastic passes.
        seed: Seed of the dropout masks.

    Returns:
        ``{"eval": accuracy in eval mode (dropout off, one deterministic pass),
        "single": [accuracy of each stochastic pass], "averaged": [accuracy of the mean of the
        first t passes' probabilities, for t = 1 .. num_samples]}``.
    """
    was_training = head.training
    head.eval()
    eval_acc = (head(features).argmax(1) == labels).float().mean().item()
    head.train()
    gen_state = torch.random.get_rng_state()
    torch.manual_seed(seed)
    probs = torch.stack([torch.softmax(head(features), dim=1) for _ in range(num_samples)])
    torch.random.set_rng_state(gen_state)
    head.train(was_training)
    single = (probs.argmax(2) == labels).float().mean(1).tolist()
    running = probs.cumsum(0) / torch.arange(1, num_samples + 1).view(-1, 1, 1)
    averaged = (running.argmax(2) == labels).float().mean(1).tolist()
    return {"eval": eval_acc, "single": single, "averaged": averaged}


@torch.no_grad()
def head_accuracy(head: nn.Module, features: torch.Tensor, labels: torch.Tensor) -> float:
    """Accuracy of a head on cached features, in eval mode (dropout off)."""
    was_training = head.training
    head.eval()
    acc = (head(features).argmax(1) == labels).float().mean().item()
    head.train(was_training)
    return acc


# --------------------------------------------------------------------------- input pipeline

@torch.no_grad()
def source_head_predictions(model: nn.Module, categories: list[str], transform, root=None,
                            split: str = "test", batch_size: int = 100) -> tuple[torch.Tensor, torch.Tensor]:
    """Predictions of a backbone's own source head on target images of its source classes.

    Images of the target set whose class folder matches a source category (compared with
    ``data.folder_name``, e.g. ``"T-shirt/top"`` -> ``tshirt_top``) are classified by the unchanged
    model; the label is the index of that category in ``categories``.

    Args:
        model: The pretrained model with its source head (e.g. ``load_backbone("bundled")[0]``).
        categories: Its source classes, ``weights.meta["categories"]``.
        transform: Input transforms to test (e.g. ``weights.transforms()``).
        root: Dataset root (default: the bundled target set).
        split: Sub-folder to read.
        batch_size: Images per forward pass.

    Returns:
        ``(predicted category indices [N], true category indices [N])``.

    Raises:
        ValueError: No folder matches a source category.
    """
    from .data import ImageFolderDataset, bundled_dataset_dir, folder_name, make_loader
    root = bundled_dataset_dir() if root is None else root
    ds = ImageFolderDataset(f"{root}/{split}", transform, verbose=False)
    index = {folder_name(c): i for i, c in enumerate(categories)}
    keep = [(k, index[ds.classes[t]]) for k, t in enumerate(ds.targets) if ds.classes[t] in index]
    if not keep:
        raise ValueError(f"No class folder in {ds.root} matches the source categories {categories}.")
    subset = torch.utils.data.Subset(ds, [k for k, _ in keep])
    was_training = model.training
    model.eval()
    preds = torch.cat([model(x).argmax(1) for x, _ in make_loader(subset, batch_size)])
    model.train(was_training)
    return preds, torch.tensor([c for _, c in keep])


def source_head_accuracy(model: nn.Module, categories: list[str], transform, root=None,
                         split: str = "test", batch_size: int = 100) -> float:
    """Accuracy of ``source_head_predictions`` (same arguments)."""
    preds, labels = source_head_predictions(model, categories, transform, root, split, batch_size)
    return (preds == labels).float().mean().item()
