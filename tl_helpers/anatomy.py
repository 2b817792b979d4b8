"""ResNet-50 counted (notebooks 03 and 06): weighted layers, parameters and FLOPs, the paper's layer
table read from the model itself, ILSVRC history, and what the backbone's own head predicts
(to measure the effect of leaving out ``Normalize``).
"""
from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from .data import ImageFolderDataset, bundled_dataset_dir, make_loader
from .downsampling import stage_shapes
from .engine import eval_mode
from .fashion import folder_name
from .resnet import STAGES, block_convs


def count_flops(model: nn.Module, input_size: tuple[int, ...] = (1, 3, 224, 224)) -> int:
    """Floating-point operations of one forward pass, counted by ``torch.utils.flop_counter``.

    A multiply-add counts as 2 FLOPs (so torchvision's ResNet-50 at 224 px is about 8.2 GFLOPs, i.e.
    4.1 G multiply-adds; the paper's 3.8 G is its v1 layout, with the stride on the first 1x1 convolution).

    Args:
        model: The network (put in eval mode for the count).
        input_size: Shape of the input batch.

    Returns:
        Total FLOPs for the batch.
    """
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad(), eval_mode(model):
        model(torch.zeros(input_size))
    return int(counter.get_total_flops())


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
    shapes = stage_shapes(model, size, ("conv1", *STAGES[1:-1], "fc"))
    c1 = model.conv1
    rows = [{"stage": "conv1", "output": "x".join(map(str, shapes["conv1"][1:])),
             "structure": f"{c1.kernel_size[0]}x{c1.kernel_size[1]}, {c1.out_channels}, stride {c1.stride[0]}",
             "blocks": 0}]
    for i, name in enumerate(STAGES[1:-1], start=1):
        layer = getattr(model, name)
        convs = [c for _, c in block_convs(layer[0])]
        inner = "; ".join(f"{c.kernel_size[0]}x{c.kernel_size[1]}, {c.out_channels}" for c in convs)
        structure = f"[{inner}] x {len(layer)}"
        if i == 1:
            structure = f"{model.maxpool.kernel_size}x{model.maxpool.kernel_size} max pool, stride " \
                        f"{model.maxpool.stride}; {structure}"
        rows.append({"stage": f"conv{i + 1}_x", "output": "x".join(map(str, shapes[name][1:])),
                     "structure": structure, "blocks": len(layer)})
    rows.append({"stage": "pool + fc", "output": "1x1",
                 "structure": f"average pool, {shapes['fc'][0]}-d fc", "blocks": 0})
    return rows


def plot_ilsvrc(rows: Sequence[Mapping[str, object]], human: float | None = None) -> Figure:
    """Bar chart of the ILSVRC classification winners' top-5 error by year.

    Args:
        rows: ``{"year", "team", "top5", "layers"}`` per winner (``top5`` in percent; ``layers`` is the
            depth of a deep network, ``None`` for other methods).
        human: Human top-5 error estimate in percent, drawn as a dashed line.

    Returns:
        The figure.
    """
    from matplotlib.patches import Patch
    fig, ax = plt.subplots(figsize=(9, 4.2))
    deep = [r.get("layers") is not None for r in rows]
    ticks = [f"{r['year']}\n{r['team']}" + (f"\n{r['layers']} layers" if r.get("layers") else "") for r in rows]
    bars = ax.bar(range(len(rows)), [r["top5"] for r in rows], color=["C0" if d else "C7" for d in deep])
    for b, r in zip(bars, rows):
        ax.text(b.get_x() + b.get_width() / 2, b.get_height() + 0.4, f"{r['top5']:g}%",
                ha="center", va="bottom", fontsize=9, fontweight="bold")
    handles = [Patch(color="C7", label="no deep network"), Patch(color="C0", label="deep CNN")]
    if human is not None:
        handles.append(ax.axhline(human, color="C3", ls="--", lw=1.2, label=f"human estimate ({human:g}%)"))
    ax.set_xticks(range(len(rows)), ticks, fontsize=8)
    ax.set(ylabel="top-5 error (%)", ylim=(0, max(r["top5"] for r in rows) * 1.15),
           title="ImageNet classification (ILSVRC): winners' top-5 test error")
    ax.legend(handles=handles, fontsize=8, loc="upper right")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    return fig


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
    root = bundled_dataset_dir() if root is None else root
    ds = ImageFolderDataset(f"{root}/{split}", transform, verbose=False)
    index = {folder_name(c): i for i, c in enumerate(categories)}
    keep = [(k, index[ds.classes[t]]) for k, t in enumerate(ds.targets) if ds.classes[t] in index]
    if not keep:
        raise ValueError(f"No class folder in {ds.root} matches the source categories {categories}.")
    subset = torch.utils.data.Subset(ds, [k for k, _ in keep])
    with eval_mode(model):
        preds = torch.cat([model(x).argmax(1) for x, _ in make_loader(subset, batch_size)])
    return preds, torch.tensor([c for _, c in keep])


def source_head_accuracy(model: nn.Module, categories: list[str], transform, root=None,
                         split: str = "test", batch_size: int = 100) -> float:
    """Accuracy of ``source_head_predictions`` (same arguments)."""
    preds, labels = source_head_predictions(model, categories, transform, root, split, batch_size)
    return (preds == labels).float().mean().item()
