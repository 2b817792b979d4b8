import numpy as np
import torch
from matplotlib.figure import Figure

from tl_helpers import (bar_with_errors, confusion_matrix, denormalize, plot_confusion_matrix,
                              plot_history, show_images)


def test_plot_history_one_and_many():
    h = {"train_loss": [1.0, 0.5], "train_acc": [0.4, 0.8], "test_loss": [1.1, 0.7], "test_acc": [0.3, 0.6]}
    fig = plot_history(h)
    assert isinstance(fig, Figure) and len(fig.axes) == 2 and len(fig.axes[0].lines) == 2
    fig = plot_history({"frozen": h, "fine-tuned": h})
    assert len(fig.axes[1].lines) == 4


def test_confusion_matrix_counts():
    cm = confusion_matrix(torch.tensor([0, 1, 1, 2]), torch.tensor([0, 1, 2, 2]), 3)
    assert cm.tolist() == [[1, 0, 0], [0, 1, 0], [0, 1, 1]]
    fig = plot_confusion_matrix(cm, ["a", "b", "c"])
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["a", "b", "c"]


def test_show_images_titles_and_colors():
    imgs = [torch.rand(3, 8, 8), torch.rand(8, 8)]
    fig = show_images(imgs, labels=["a", "b"], preds=["a", "c"], probs=[0.9, 0.6], ncols=2)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["true: a\npred: a (90%)", "true: b\npred: c (60%)"]
    assert fig.axes[1].title.get_color() == "red"


def test_denormalize_inverts_normalize():
    x = torch.rand(3, 4, 4)
    mean, std = [0.5, 0.4, 0.3], [0.2, 0.25, 0.3]
    normed = (x - torch.tensor(mean).view(3, 1, 1)) / torch.tensor(std).view(3, 1, 1)
    assert torch.allclose(denormalize(normed, mean, std), x, atol=1e-6)


def test_bar_with_errors():
    fig = bar_with_errors(["a", "b"], [0.5, 0.7], [0.05, 0.02])
    assert len(fig.axes[0].patches) == 2 and np.isclose(fig.axes[0].patches[1].get_height(), 0.7)
