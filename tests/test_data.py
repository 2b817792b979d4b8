import numpy as np
import pytest
import torch
from PIL import Image
from torchvision import transforms as T

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


def test_deterministic_transforms_are_computed_once_and_give_the_same_bits(image_folder, monkeypatch):
    import tl_helpers.images as data
    data.clear_tensor_cache()
    tf = BundledWeights().transforms()
    path = sorted((image_folder / "train").rglob("*.png"))[0]
    direct = tf(load_image(path))
    calls = []
    real = data.load_image
    monkeypatch.setattr(data, "load_image", lambda p: calls.append(p) or real(p))
    first, second = data.transformed(path, tf), data.transformed(path, tf)
    assert torch.equal(first, direct) and torch.equal(second, direct) and len(calls) == 1
    second.zero_()                                        # the caller's copy: the cache keeps its own
    assert torch.equal(data.transformed(path, tf), direct)
    other = T.Compose([T.Resize(16), T.ToTensor()])      # another transform: another entry
    assert data.transformed(path, other).shape[-1] == 16 and len(calls) == 2


def test_random_transforms_are_applied_anew_every_time(image_folder):
    import tl_helpers.images as data
    from tl_helpers import train_transforms
    aug = train_transforms(BundledWeights())
    assert not data.is_deterministic(aug) and data.is_deterministic(BundledWeights().transforms())
    path = sorted((image_folder / "train").rglob("*.png"))[0]
    torch.manual_seed(0)
    draws = [data.transformed(path, aug) for _ in range(4)]
    assert any(not torch.equal(draws[0], d) for d in draws[1:])


def test_a_file_edited_in_place_is_transformed_anew(tmp_path):
    import os
    import tl_helpers.images as data
    tf = T.Compose([T.ToTensor()])
    path = tmp_path / "a.png"
    Image.new("RGB", (4, 4), (0, 0, 0)).save(path)
    assert data.transformed(path, tf).max() == 0
    Image.new("RGB", (4, 4), (255, 255, 255)).save(path)
    os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 10**9))
    assert data.transformed(path, tf).min() == 1


def test_the_tensor_cache_is_safe_from_two_threads(image_folder):
    import threading
    import tl_helpers.images as data
    data.clear_tensor_cache()
    ds = ImageFolderDataset(image_folder / "train", BundledWeights().transforms(), verbose=False)
    expected = [BundledWeights().transforms()(load_image(p)) for p, _ in ds.samples]
    errors = []

    def read():
        try:
            for _ in range(20):
                for i in range(len(ds)):
                    if not torch.equal(ds[i][0], expected[i]):
                        errors.append(i)
        except Exception as err:                 # noqa: BLE001 - any error in a thread fails the test
            errors.append(err)

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# --------------------------------------------------------------------------- folders of images from the web

def test_every_ending_the_scan_uses_is_one_the_loader_reads_in_any_case(tmp_path):
    """The one rule: ``IMG_EXTENSIONS`` decides at scan, and every file with such an ending (any case) decodes;
    no ending that Pillow gives to these formats is left out of it."""
    from tl_helpers.images import IMG_EXTENSIONS
    from imagefolders import write_image
    registered = Image.registered_extensions()
    formats = {registered[e] for e in IMG_EXTENSIONS}
    assert {".jpg", ".jpeg", ".jfif", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"} <= set(IMG_EXTENSIONS)
    assert {e for e, f in registered.items() if f in formats} <= set(IMG_EXTENSIONS)
    (tmp_path / "c").mkdir()
    for i, ending in enumerate(IMG_EXTENSIONS):
        write_image(tmp_path / "c" / f"{i}{ending if i % 2 else ending.upper()}", (5, 3), registered[ending])
    scan = scan_image_folder(tmp_path, verbose=False)
    assert len(scan.samples) == len(IMG_EXTENSIONS) and scan.skipped == []
    for path, _ in scan.samples:
        img = load_image(path)
        assert img.mode == "RGB" and img.size == (5, 3), path.name


def test_a_folder_from_the_web_uses_every_image_and_says_what_it_skips(tmp_path, capsys):
    from imagefolders import RED, WEB_IMAGES, WEB_SKIPPED, write_web_folder
    write_web_folder(tmp_path / "web")
    scan = scan_image_folder(tmp_path)
    assert sorted(p.name for p, _ in scan.samples) == sorted(WEB_IMAGES)
    assert sorted(p.name for p in scan.skipped) == sorted(WEB_SKIPPED)      # .DS_Store: ignored, not reported
    notes = capsys.readouterr().out.splitlines()
    assert len(notes) == 3 and all(line.startswith("Note: skipped 1 ") for line in notes), notes
    for name, advice in WEB_SKIPPED.items():
        assert any(name in line and advice in line for line in notes), (name, notes)
    for path, _ in scan.samples:
        size, _, frames = WEB_IMAGES[path.name]
        with Image.open(path) as raw:
            assert getattr(raw, "n_frames", 1) == frames, path.name           # the animations are animated
        img = load_image(path)
        assert img.mode == "RGB" and img.size == size, path.name
        assert np.abs(np.asarray(img, dtype=int) - RED).max() <= 3, f"{path.name}: not the first frame"


def test_loaders_over_a_folder_from_the_web_give_whole_batches(tmp_path):
    from imagefolders import WEB_IMAGES, write_web_folder
    for split in ("train", "test"):
        write_web_folder(tmp_path / split / "web")
        write_image_folder(tmp_path / split, classes=("plain",), n=2)
    train_loader, test_loader, classes = make_loaders(tmp_path, BundledWeights().transforms(), batch_size=5)
    assert classes == ["plain", "web"]
    for loader in (train_loader, test_loader):
        batches = list(loader)
        assert sum(len(y) for _, y in batches) == len(WEB_IMAGES) + 2
        assert all(x.shape[1:] == (3, 64, 64) and x.dtype == torch.float32 for x, _ in batches)


@pytest.mark.parametrize("name, content, message", [
    ("page.jpg", b"<html><body>403 Forbidden</body></html>", r"page\.jpg.*not an image PIL understands.*Delete it"),
    ("empty.PNG", b"", r"empty\.PNG.*empty \(0 bytes\).*Download or copy it again"),
    ("cut.jpeg", None, r"cut\.jpeg.*truncated or corrupt.*delete it"),
])
def test_an_image_that_cannot_be_decoded_is_named_with_the_fix(tmp_path, name, content, message):
    """The ending decides at scan (no decoding there); decoding it raises ``ImageLoadError`` naming the file and
    what to do, also from inside a loader's batch (never a collate or PIL error)."""
    from tl_helpers import ImageLoadError
    from imagefolders import write_image
    for split in ("train", "test"):
        write_image_folder(tmp_path / split, classes=("a",), n=2)
    bad = tmp_path / "train" / "a" / name
    if content is None:
        write_image(bad, (64, 64), "JPEG")
        bad.write_bytes(bad.read_bytes()[:200])
    else:
        bad.write_bytes(content)
    assert bad in [p for p, _ in scan_image_folder(tmp_path / "train").samples]
    with pytest.raises(ImageLoadError, match=message):
        load_image(bad)
    train_loader, _, _ = make_loaders(tmp_path, BundledWeights().transforms(), batch_size=8)
    with pytest.raises(ImageLoadError, match=message):
        list(train_loader)


def test_make_loaders_without_a_transform_says_which_argument_is_missing(image_folder, tmp_path):
    with pytest.raises(TypeError, match=r"needs transform=.*transform=weights\.transforms\(\)"):
        make_loaders(image_folder)
    with pytest.raises(TypeError, match=r"needs transform="):
        make_loaders(image_folder, train_transform=BundledWeights().transforms())
    from tl_helpers import DatasetLayoutError
    with pytest.raises(DatasetLayoutError, match="needs 'train/' and 'test/'"):   # the folder is checked first
        make_loaders(tmp_path / "typo")


def test_a_loader_of_images_that_cannot_form_a_batch_says_what_to_do(image_folder):
    from tl_helpers import make_loader
    with pytest.raises(TypeError, match=r"tensors of one size; these are Image: .*weights\.transforms\(\)"):
        next(iter(make_loader(ImageFolderDataset(image_folder / "train"), batch_size=4)))
    Image.new("RGB", (7, 9)).save(image_folder / "train" / "a" / "odd.png")
    ds = ImageFolderDataset(image_folder / "train", T.ToTensor())
    with pytest.raises(TypeError, match=r"these are \(3, 20, 20\), \(3, 9, 7\): .*weights\.transforms\(\)"):
        list(make_loader(ds, batch_size=8))
    x, y = next(iter(make_loader(ImageFolderDataset(image_folder / "test", T.ToTensor()), batch_size=6)))
    assert x.shape == (6, 3, 20, 20) and y.tolist() == [0, 0, 0, 1, 1, 1]


def test_a_class_of_photos_in_another_format_says_to_convert_them(tmp_path):
    from tl_helpers import DatasetLayoutError
    write_image_folder(tmp_path, classes=("cat",), n=1)
    (tmp_path / "dog").mkdir()
    for i in range(2):
        (tmp_path / "dog" / f"IMG_{i}.heic").write_bytes(b"\x00\x00\x00\x18ftypheic")
    with pytest.raises(DatasetLayoutError, match=r"'.*dog' has no images.*Found only 2 image\(s\) in a format the "
                                                 r"loaders do not read.*IMG_0\.heic.*convert them to JPEG or PNG\)\. "
                                                 r"Add images to it or delete the folder\.$"):
        scan_image_folder(tmp_path, verbose=False)
