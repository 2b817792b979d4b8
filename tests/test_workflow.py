import math
from types import SimpleNamespace

import numpy as np
import torch
import torchvision
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, Subset, TensorDataset
from torchvision import transforms as T

from tl_helpers import ImageFolderDataset, load_image
from tl_helpers import evaluate
from tl_helpers import count_parameters, freeze_backbone, unfreeze
from tl_helpers import BundledWeights, load_checkpoint, safe_load
from tl_helpers import colour_note, imagenet_weights, is_colour
from tl_helpers import (KeepBest, finetune_model, fit, param_groups, plot_topk, predict_image, runs_dir,
                        train_transforms, with_transform)

TINY = SimpleNamespace(arch="resnet18", width=8)     # what KeepBest reads from weights


def _loader(n=24, classes=3, size=32, seed=0, shuffle=False):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 3, size, size, generator=g)
    y = torch.arange(n) % classes
    x[:, 0] += y.view(-1, 1, 1).float()              # learnable: channel 0's level gives the class
    return DataLoader(TensorDataset(x, y), batch_size=8, shuffle=shuffle, generator=torch.Generator().manual_seed(0))


def test_runs_dir_honours_env_and_creates_it(tmp_path, monkeypatch):
    monkeypatch.setenv("TL_RUNS_DIR", str(tmp_path / "my_runs"))
    assert runs_dir() == (tmp_path / "my_runs").resolve() and runs_dir().is_dir()


def test_train_transforms_match_the_weights_size_and_normalisation():
    w = BundledWeights()
    tf = train_transforms(w)
    x = tf(Image.new("RGB", (28, 28), (102, 102, 102)))        # a flat gray image stays flat under crops
    assert x.shape == (3, 64, 64)
    expected = (102 / 255 - 0.2860) / 0.3530
    assert torch.allclose(x, torch.full_like(x, expected), atol=1e-4)
    names = [type(t).__name__ for t in tf.transforms]
    assert names == ["RandomResizedCrop", "RandomHorizontalFlip", "ToTensor", "Normalize"]
    assert [type(t).__name__ for t in train_transforms(w, hflip=False).transforms][1] == "ToTensor"
    tv = train_transforms(torchvision.models.ResNet50_Weights.IMAGENET1K_V2, scale=(0.5, 1.0))
    assert tv.transforms[0].size == (224, 224) and tv.transforms[0].scale == (0.5, 1.0)
    assert tuple(tv.transforms[-1].mean) == (0.485, 0.456, 0.406)


def test_with_transform_copies_dataset_and_subset(image_folder):
    ds = ImageFolderDataset(image_folder / "train", T.ToTensor())
    flip = T.Compose([T.ToTensor(), T.RandomHorizontalFlip(p=1.0)])
    flipped = with_transform(ds, flip)
    assert ds.transform is not flip and flipped.transform is flip
    assert torch.equal(flipped[0][0], ds[0][0].flip(-1)) and flipped[0][1] == ds[0][1]
    sub = with_transform(Subset(ds, [1, 4]), flip)
    assert isinstance(sub, Subset) and sub.indices == [1, 4]
    assert torch.equal(sub[1][0], ds[4][0].flip(-1))


def test_param_groups_split_backbone_and_head(tiny_resnet):
    unfreeze(tiny_resnet, "layer4")
    groups = param_groups(tiny_resnet, 1e-4, head_lr=1e-2)
    assert [g["lr"] for g in groups] == [1e-4, 1e-2]
    assert {id(p) for p in groups[1]["params"]} == {id(p) for p in tiny_resnet.fc.parameters()}
    assert {id(p) for p in groups[0]["params"]} == {id(p) for p in tiny_resnet.layer4.parameters()}
    single = param_groups(tiny_resnet, 1e-3)
    assert len(single) == 1 and sum(p.numel() for p in single[0]["params"]) == count_parameters(tiny_resnet)[0]
    freeze_backbone(tiny_resnet)
    only_head = param_groups(tiny_resnet, 1e-4, head_lr=1e-2)          # empty backbone group dropped
    assert len(only_head) == 1 and only_head[0]["lr"] == 1e-2
    suffix = nn.Sequential(tiny_resnet.layer4, tiny_resnet.fc)
    unfreeze(tiny_resnet, "layer4")
    assert [len(g["params"]) for g in param_groups(suffix, 1e-4, 1e-2, head=tiny_resnet.fc)] == \
        [len(list(tiny_resnet.layer4.parameters())), 2]


def test_keep_best_callback_keeps_the_best_epoch(tiny_resnet, tmp_path):
    torch.manual_seed(0)
    train_loader, val_loader = _loader(shuffle=True), _loader(seed=1)
    opt = torch.optim.Adam(tiny_resnet.parameters(), lr=3e-2)     # large: a bumpy validation curve
    seen = []
    best = KeepBest(tiny_resnet, tmp_path / "m.pt", ["a", "b", "c"], TINY)
    history = fit(tiny_resnet, train_loader, val_loader, opt, 6, eval_name="val",
                  callbacks=[best, lambda e, h: seen.append(e)])
    assert seen == list(range(6)) and "test_acc" not in history
    accs = history["val_acc"]
    assert best.epoch == int(np.argmax(accs)) + 1 and best.score == max(accs)
    saved = safe_load(best.path)
    assert saved["epoch"] == best.epoch and saved["arch"] == "resnet18" and saved["width"] == 8
    model, classes = load_checkpoint(best.path)
    assert classes == ["a", "b", "c"]
    assert evaluate(model, val_loader)[1] == best.score            # the file holds the best epoch's weights
    assert not list(tmp_path.glob("*.tmp")), "atomic save left a temporary file"


def test_predict_image_top_k_sorted_and_any_mode(tiny_resnet, tmp_path):
    tf = T.Compose([T.Resize(32), T.ToTensor()])
    classes = ["a", "b", "c"]
    gray = Image.fromarray((np.arange(28 * 28).reshape(28, 28) % 251).astype(np.uint8), "L")
    gray.save(tmp_path / "g.png")
    gray.convert("RGBA").save(tmp_path / "g_rgba.png")
    top = predict_image(tiny_resnet, tmp_path / "g.png", tf, classes, k=2)
    assert len(top) == 2 and top[0][1] >= top[1][1] and {n for n, _ in top} <= set(classes)
    assert predict_image(tiny_resnet, tmp_path / "g_rgba.png", tf, classes, k=2) == top
    assert predict_image(tiny_resnet, gray, tf, classes, k=2) == top
    full = predict_image(tiny_resnet, gray, tf, classes, k=10)               # k is clipped to the classes
    assert len(full) == 3 and math.isclose(sum(p for _, p in full), 1.0, rel_tol=1e-5)
    with torch.no_grad():
        probs = torch.softmax(tiny_resnet(tf(load_image(tmp_path / "g.png"))[None]), 1)[0]
    assert math.isclose(full[0][1], probs.max().item(), rel_tol=1e-5) and full[0][0] == classes[probs.argmax()]


def test_plot_topk_bars_and_colors():
    img = Image.new("L", (28, 28), 128)
    fig = plot_topk(img, [("coat", 0.7), ("shirt", 0.2), ("bag", 0.1)], true_label="shirt")
    ax_img, ax_bar = fig.axes
    labels = [t.get_text() for t in ax_bar.get_yticklabels()]
    assert labels == ["bag", "shirt", "coat"]                    # most probable at the top
    widths = [b.get_width() for b in ax_bar.patches]
    assert widths == [0.1, 0.2, 0.7] and ax_bar.get_xlim() == (0.0, 1.0)
    assert ax_bar.patches[1].get_facecolor() != ax_bar.patches[0].get_facecolor()   # true class marked
    assert ax_img.get_title() == "true: shirt" and "green: true class" in ax_bar.get_title()
    assert ax_img.images[0].get_clim() == (0, 255)                     # a gray image is not contrast-stretched
    assert ax_bar.texts[2].get_color() == "black" and ax_bar.texts[2].get_ha() == "left"
    sure = plot_topk(img, [("coat", 1.0)], true_label="bag").axes[1]
    assert "green" not in sure.get_title() and sure.texts[0].get_color() == "white"   # value inside a long bar


def test_finetune_model_recipe(tmp_path):
    from tl_helpers import resnet18
    torch.manual_seed(0)
    model = resnet18(width=8, num_classes=5)
    model, history, best = finetune_model(model, TINY, _loader(), _loader(seed=1), ["a", "b", "c"],
                                          tmp_path / "ft.pt", num_epochs=2, dropout=0.3, head_epochs=3)
    assert isinstance(model.fc, nn.Sequential) and model.fc[0].p == 0.3 and model.fc[1].out_features == 3
    trainable = {n.split(".")[0] for n, p in model.named_parameters() if p.requires_grad}
    assert trainable == {"layer4", "fc"} and len(history["train_loss"]) == 3 + 2    # head first, then layer4+
    assert best.epoch == int(np.argmax(history["val_acc"])) + 1
    reloaded, classes = load_checkpoint(best.path)
    assert classes == ["a", "b", "c"] and isinstance(reloaded.fc, nn.Sequential)


def test_is_colour_tells_colour_from_gray(tmp_path):
    gray = Image.fromarray((np.arange(400).reshape(20, 20) % 256).astype(np.uint8), "L")
    assert not is_colour(gray) and not is_colour(gray.convert("RGB")) and not is_colour(gray.convert("RGBA"))
    gray.convert("RGB").save(tmp_path / "gray.jpg", quality=75)               # JPEG noise is not colour
    assert not is_colour(load_image(tmp_path / "gray.jpg"))
    tinted = np.asarray(gray.convert("RGB")).copy()
    tinted[5, 5] = (200, 40, 40)                                             # one red pixel is colour
    assert is_colour(Image.fromarray(tinted))


def test_colour_note_only_for_colour_images_on_the_bundled_backbone(tmp_path):
    Image.new("RGB", (8, 8), (120, 120, 120)).save(tmp_path / "gray.png")
    Image.new("RGB", (8, 8), (200, 30, 30)).save(tmp_path / "red.png")
    bundled = BundledWeights()
    assert colour_note(bundled, [tmp_path / "gray.png"]) is None
    note = colour_note(bundled, [tmp_path / "gray.png", tmp_path / "red.png"])
    assert note.count("\n") == 0 and "colour" in note and "bundled" in note
    assert "TL_ALLOW_DOWNLOAD=1" in note and f"weights='{imagenet_weights().name}'" in note
    assert colour_note(imagenet_weights(), [tmp_path / "red.png"]) is None
    assert colour_note(bundled, []) is None
