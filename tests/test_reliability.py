"""Bad inputs get clear errors (or correct handling), runs repeat, saves never lose a file."""
import socket
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from PIL import Image

from tl_helpers import images as tl_data
from tl_helpers import (DatasetLayoutError, ImageFolderDataset, ImageLoadError, load_image,
                             make_loaders, scan_image_folder)
from tl_helpers import BundledWeights, atomic_save, safe_load, save_checkpoint
from tl_helpers import KeepBest, evaluate, fit, load_checkpoint

from imagefolders import write_image_folder


# --------------------------------------------------------------------------- folder layouts

def test_missing_dataset_folder(tmp_path):
    with pytest.raises(DatasetLayoutError, match=r"does not exist\. Check the path.*one sub-folder per class"):
        scan_image_folder(tmp_path / "nope")


def test_file_instead_of_folder(tmp_path):
    (tmp_path / "x.png").write_bytes(b"")
    with pytest.raises(DatasetLayoutError, match="is a file, not a folder"):
        scan_image_folder(tmp_path / "x.png")


def test_images_without_class_folders(tmp_path):
    Image.new("RGB", (8, 8)).save(tmp_path / "a.png")
    with pytest.raises(DatasetLayoutError, match=r"No class folders.*1 images directly: move each into a folder"):
        scan_image_folder(tmp_path)


def test_only_hidden_folders_are_not_classes(tmp_path):
    (tmp_path / ".ipynb_checkpoints").mkdir()
    Image.new("RGB", (8, 8)).save(tmp_path / ".ipynb_checkpoints" / "a.png")
    with pytest.raises(DatasetLayoutError, match=r"No class folders.*hidden folders such as .ipynb_checkpoints"):
        scan_image_folder(tmp_path)


def test_empty_class_folder(tmp_path):
    write_image_folder(tmp_path, classes=("cat",), n=1)
    (tmp_path / "dog").mkdir()
    (tmp_path / "dog" / "readme.txt").write_text("x")
    with pytest.raises(DatasetLayoutError, match=r"'.*dog' has no images.*Add images to it or delete the folder"):
        scan_image_folder(tmp_path, verbose=False)


def test_hidden_and_checkpoint_folders_inside_classes_are_ignored(tmp_path):
    write_image_folder(tmp_path, classes=("cat", "dog"), n=2)
    for hidden in (tmp_path / "cat" / ".ipynb_checkpoints", tmp_path / "__MACOSX"):
        hidden.mkdir()
        Image.new("RGB", (8, 8)).save(hidden / "zzz.png")
    scan = scan_image_folder(tmp_path)
    assert scan.classes == ["cat", "dog"] and len(scan.samples) == 4


def test_non_image_files_are_skipped_with_a_note(tmp_path, capsys):
    write_image_folder(tmp_path, classes=("cat",), n=2)
    for name in ("labels.csv", "model.pt", "Thumbs.db"):
        (tmp_path / "cat" / name).write_text("x")
    ds = ImageFolderDataset(tmp_path)
    assert len(ds) == 2
    assert "skipped 3 non-image file(s)" in capsys.readouterr().out


def test_split_without_train_folder(tmp_path):
    write_image_folder(tmp_path / "test")
    with pytest.raises(DatasetLayoutError, match=r"Missing '.*train'.*needs 'train/' and 'test/'"):
        make_loaders(tmp_path, BundledWeights().transforms())


def test_test_split_with_other_classes(tmp_path):
    write_image_folder(tmp_path / "train", classes=("cat", "dog"))
    write_image_folder(tmp_path / "test", classes=("cat", "fox"))
    with pytest.raises(DatasetLayoutError, match=r"missing \['dog'\], unexpected \['fox'\]"):
        make_loaders(tmp_path, BundledWeights().transforms())


# --------------------------------------------------------------------------- image files

def test_truncated_image(tmp_path):
    path = tmp_path / "t.png"
    Image.fromarray((np.random.default_rng(0).random((64, 64, 3)) * 255).astype(np.uint8)).save(path)
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(ImageLoadError, match=r"t\.png.*truncated or corrupt.*delete it"):
        load_image(path)


def test_garbage_with_image_extension(tmp_path):
    path = tmp_path / "fake.jpg"
    path.write_text("this is not a JPEG")
    with pytest.raises(ImageLoadError, match=r"fake\.jpg.*not an image PIL understands"):
        load_image(path)


def test_missing_image_file(tmp_path):
    with pytest.raises(ImageLoadError, match="does not exist"):
        load_image(tmp_path / "gone.png")


def test_corrupt_image_inside_a_dataset_names_the_file(tmp_path):
    write_image_folder(tmp_path, classes=("cat",), n=1)
    (tmp_path / "cat" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    ds = ImageFolderDataset(tmp_path, BundledWeights().transforms())
    with pytest.raises(ImageLoadError, match="broken.png"):
        [ds[i] for i in range(len(ds))]


@pytest.mark.parametrize("mode", ["L", "RGBA", "P", "CMYK", "LA", "1"])
def test_every_mode_becomes_rgb(tmp_path, mode):
    rgb = Image.new("RGB", (10, 6), (200, 100, 50))
    img = rgb.convert(mode)
    path = tmp_path / f"img.{'jpg' if mode == 'CMYK' else 'png'}"
    img.save(path)
    out = load_image(path)
    assert out.mode == "RGB" and out.size == (10, 6)
    expected = np.asarray(img.convert("RGB"), dtype=int)
    assert np.abs(np.asarray(out, dtype=int) - expected).max() <= 3


def test_rgba_transparency_is_composited_on_white(tmp_path):
    path = tmp_path / "a.png"
    Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(path)
    assert np.asarray(load_image(path)).min() == 255


def test_16_bit_image_is_scaled_not_clipped(tmp_path):
    path = tmp_path / "deep.png"
    arr = np.array([[0, 32768, 65535]], dtype=np.uint16).repeat(3, 0)
    Image.fromarray(arr).save(path)
    assert Image.open(path).mode.startswith("I")
    out = np.asarray(load_image(path))
    assert out.shape == (3, 3, 3) and out[0, :, 0].tolist() == [0, 128, 255]


@pytest.mark.parametrize("orientation, turned", [(6, Image.Transpose.ROTATE_270), (8, Image.Transpose.ROTATE_90)])
def test_phone_photo_comes_out_upright(tmp_path, orientation, turned):
    """A phone stores a portrait photo as landscape pixels plus an EXIF Orientation tag (6 or 8)."""
    stored = np.zeros((40, 60, 3), np.uint8)           # 60 wide, 40 high, as the sensor saw it
    stored[:, :20] = (255, 0, 0)                      # red band on the stored image's left
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / f"portrait_{orientation}.jpg"
    Image.fromarray(stored).save(path, quality=95, exif=exif.tobytes())
    out = load_image(path)
    assert out.size == (40, 60)                        # upright: portrait, as a viewer shows it
    expected = np.asarray(Image.fromarray(stored).transpose(turned), dtype=int)
    assert np.abs(np.asarray(out, dtype=int) - expected).mean() < 3
    assert load_image(path) is out                     # still decoded once (cached)


def test_big_phone_photo_is_shrunk_and_upright(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "big.jpg"
    Image.new("RGB", (3000, 2000), (90, 90, 90)).save(path, exif=exif.tobytes())
    width, height = load_image(path).size
    assert height == tl_data.MAX_SIDE and abs(width - tl_data.MAX_SIDE * 2 / 3) <= 1     # portrait, shrunk


def test_huge_image_is_shrunk(tmp_path):
    path = tmp_path / "big.png"
    Image.new("L", (6000, 3000), 128).save(path)
    out = load_image(path)
    assert out.size == (tl_data.MAX_SIDE, tl_data.MAX_SIDE // 2) and out.mode == "RGB"


def test_decompression_bomb_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "bomb.png"
    Image.new("L", (300, 300)).save(path)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 10_000)
    tl_data.clear_image_cache()
    with pytest.raises(ImageLoadError, match="too large to decode safely"):
        load_image(path)


# --------------------------------------------------------------------------- files and runs

def test_interrupted_save_keeps_the_old_checkpoint(tmp_path, tiny_resnet, monkeypatch):
    path = save_checkpoint(tiny_resnet, tmp_path / "best.pt", arch="resnet18", width=8)
    good = path.read_bytes()

    def crash_mid_write(obj, f, *args, **kwargs):
        f.write(b"half a checkpoint")
        raise KeyboardInterrupt("simulated crash mid-write")
    monkeypatch.setattr(torch, "save", crash_mid_write)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint(tiny_resnet, path, arch="resnet18", width=8)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["best.pt"], "temporary file left behind"
    monkeypatch.undo()
    assert "state_dict" in safe_load(path)


def test_stop_button_mid_epoch_keeps_the_best_checkpoint(tmp_path, tiny_resnet):
    """The stop button raises KeyboardInterrupt inside an epoch: the best checkpoint so far survives."""
    torch.manual_seed(0)
    x, y = torch.randn(16, 3, 32, 32), torch.arange(16) % 3
    val_loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=8)

    class StopInSecondEpoch:
        def __init__(self):
            self.batches = 0

        def __iter__(self):
            for batch in val_loader:
                self.batches += 1
                if self.batches == 3:                  # epoch 1 has 2 batches: stop in epoch 2
                    raise KeyboardInterrupt
                yield batch
    best = KeepBest(tiny_resnet, tmp_path / "best.pt", ["a", "b", "c"], SimpleNamespace(arch="resnet18", width=8))
    opt = torch.optim.SGD(tiny_resnet.parameters(), lr=0.1)
    with pytest.raises(KeyboardInterrupt):
        fit(tiny_resnet, StopInSecondEpoch(), val_loader, opt, 5, callbacks=[best], eval_name="val")
    assert best.epoch == 1 and safe_load(best.path)["epoch"] == 1
    model, classes = load_checkpoint(best.path)
    assert classes == ["a", "b", "c"] and evaluate(model, val_loader)[1] == best.score
    assert [p.name for p in tmp_path.iterdir()] == ["best.pt"]


def test_atomic_save_creates_parent_folders(tmp_path):
    path = atomic_save({"w": torch.ones(2)}, tmp_path / "a" / "b" / "c.pt")
    assert torch.equal(safe_load(path)["w"], torch.ones(2))


def test_same_seed_same_metrics_on_the_bundled_task():
    from tl_helpers import load_task, train
    task = load_task(verbose=False)
    for strategy, kwargs in (("frozen", {}), ("finetune", {"unfreeze_from": "layer4", "head_first": False})):
        a, b = (train(task, strategy, seed=4, num_epochs=3, **kwargs) for _ in range(2))
        assert a.history["train_loss"] == b.history["train_loss"] and a.test_acc == b.test_acc
        assert torch.equal(a.preds, b.preds)


def test_no_network_is_touched_without_asking(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.delenv("TL_ALLOW_DOWNLOAD", raising=False)
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    from tl_helpers import load_task
    task = load_task("auto")
    assert attempts == [] and len(task.train_ds) == 100
    assert "bundled" in capsys.readouterr().out
