import numpy as np
import pytest
import torch
from PIL import Image

from tl_helpers import (ImageFolderDataset, bundled_dataset_dir, folder_name, load_image, make_loaders, scan_image_folder, split_train_val,
                             subset_per_class)
from tl_helpers import BundledWeights

from imagefolders import write_image_folder


def test_folder_name():
    assert folder_name("T-shirt/top") == "tshirt_top" and folder_name("Ankle boot") == "ankle_boot"


def test_scan_counts_and_ignores_hidden(tmp_path, capsys):
    write_image_folder(tmp_path, classes=("cat", "dog"), n=2)
    (tmp_path / ".ipynb_checkpoints").mkdir()
    Image.new("RGB", (5, 5)).save(tmp_path / ".ipynb_checkpoints" / "x.png")
    (tmp_path / "cat" / ".hidden.png").write_bytes(b"junk")
    (tmp_path / "dog" / "notes.txt").write_text("not an image")
    scan = scan_image_folder(tmp_path)
    assert scan.classes == ["cat", "dog"] and scan.counts() == {"cat": 2, "dog": 2}
    assert [p.name for p in scan.skipped] == ["notes.txt"]
    assert "skipped 1 non-image file" in capsys.readouterr().out


def test_loaders_with_weights_transforms(image_folder):
    weights = BundledWeights()
    train_loader, test_loader, classes = make_loaders(image_folder, weights.transforms(), batch_size=4)
    x, y = next(iter(train_loader))
    assert classes == ["a", "b"] and x.shape == (4, 3, 64, 64) and x.dtype == torch.float32
    assert len(train_loader.dataset) == 6 and len(test_loader.dataset) == 6


def test_seeded_shuffle_is_repeatable(image_folder):
    orders = [[y.tolist() for _, y in make_loaders(image_folder, BundledWeights().transforms(),
                                                   batch_size=2, seed=5)[0]] for _ in range(2)]
    assert orders[0] == orders[1]


def test_images_are_decoded_once(image_folder):
    path = next((image_folder / "train" / "a").iterdir())
    assert load_image(path) is load_image(path)


def test_image_cache_is_bounded_by_bytes(tmp_path, monkeypatch):
    from tl_helpers import images as tl_data
    tl_data.clear_image_cache()
    monkeypatch.setattr(tl_data, "CACHE_MAX_BYTES", 3 * 10 * 10 * 3)     # room for three 10x10 RGB images
    paths = []
    for i in range(5):
        paths.append(tmp_path / f"{i}.png")
        Image.new("RGB", (10, 10), (i, i, i)).save(paths[-1])
        load_image(paths[-1])
    assert len(tl_data._cache) == 3 and tl_data._cache_bytes == 900
    assert np.asarray(load_image(paths[0]))[0, 0, 0] == 0          # evicted, decoded again, still right
    tl_data.clear_image_cache()
    assert tl_data._cache_bytes == 0


def test_subset_per_class(image_folder):
    ds = ImageFolderDataset(image_folder / "train")
    sub = subset_per_class(ds, 2, seed=0)
    assert sorted(ds.targets[i] for i in sub.indices) == [0, 0, 1, 1]
    with pytest.raises(ValueError, match="only 3 images"):
        subset_per_class(ds, 4)


def test_bundled_target_set_layout():
    root = bundled_dataset_dir()
    counts = {split: scan_image_folder(root / split).counts() for split in ("train", "extra", "test")}
    assert len(counts["train"]) == 10 and set(counts["train"].values()) == {10}
    assert sum(counts["test"].values()) >= 1000 and set(counts["extra"].values()) == {40}
    names = {p.name for split in ("train", "extra", "test") for p in (root / split).rglob("*.png")}
    assert len(names) == 1500, "target splits overlap"
    img = load_image(next((root / "train" / "bag").iterdir()))
    assert img.mode == "RGB" and img.size == (28, 28)
    arr = np.asarray(img)
    assert (arr[..., 0] == arr[..., 1]).all()


def test_split_train_val_is_stratified_seeded_and_disjoint(tmp_path):
    write_image_folder(tmp_path, classes=("a", "b", "c"), n=5)
    ds = ImageFolderDataset(tmp_path)
    train, val = split_train_val(ds, fraction=0.4, seed=1)
    assert sorted(ds.targets[i] for i in val.indices) == [0, 0, 1, 1, 2, 2]          # 0.4 * 5 = 2 per class
    assert sorted(ds.targets[i] for i in train.indices) == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert not set(train.indices) & set(val.indices) and len(train) + len(val) == len(ds)
    again = split_train_val(ds, fraction=0.4, seed=1)[1].indices
    others = {tuple(split_train_val(ds, fraction=0.4, seed=s)[1].indices) for s in range(2, 8)}
    assert again == val.indices and len(others - {tuple(val.indices)}) > 0         # the seed decides the pick
    assert len(split_train_val(ds, val_per_class=1)[1]) == 3
    assert len(split_train_val(ds, fraction=0.01)[1]) == 3                          # at least one per class


def test_split_train_val_refuses_what_it_cannot_do(tmp_path):
    write_image_folder(tmp_path, classes=("a", "b"), n=2)
    ds = ImageFolderDataset(tmp_path)
    with pytest.raises(ValueError, match="exactly one of"):
        split_train_val(ds, val_per_class=1, fraction=0.5)
    with pytest.raises(ValueError, match="exactly one of"):
        split_train_val(ds)
    with pytest.raises(ValueError, match=r"Class 'a' has 2 images.*Add images"):
        split_train_val(ds, val_per_class=2)
