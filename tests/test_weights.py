import os
import shutil
import warnings

import pytest
import torch
import torchvision

from tl_helpers import data_root
from tl_helpers import replace_head
from tl_helpers import resnet18
from tl_helpers import (BUNDLED_CHECKPOINT, BundledWeights, CheckpointError, ChecksumError,
                                WeightsUnavailableError, imagenet_cache_path, load_backbone,
                                load_checkpoint, read_manifest, save_checkpoint, sha256_file, verify_file,
                                hash_in_name_matches, weights_verified)
from tl_helpers import weights as weights_module


def test_every_bundled_file_matches_its_sha256():
    root = data_root()
    files = read_manifest()["files"]
    assert BUNDLED_CHECKPOINT in files and len(files) == 1501
    bad = [f for f, h in files.items() if sha256_file(root / f) != h]
    assert bad == []
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    assert on_disk - set(files) == {"MANIFEST.json"}, "unlisted files in data/"


def test_manifest_records_provenance_and_license():
    m = read_manifest()
    assert m["command"].startswith("python -m tl_helpers.pretrain")
    assert "MIT" in m["license"] and "Zalando" in m["license"]
    assert m["provenance"]["pretraining"]["source_test_accuracy"] > 0.85


def test_bundled_backbone_loads(capsys):
    model, weights = load_backbone("bundled")
    assert isinstance(weights, BundledWeights) and model.fc.out_features == 5
    assert "bundled" in capsys.readouterr().out
    x = weights.transforms()(torchvision.transforms.functional.to_pil_image(torch.rand(3, 28, 28)))
    assert x.shape == (3, 64, 64)
    model.eval()
    assert model(x[None]).shape == (1, 5)


def test_auto_falls_back_to_bundled_offline(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.delenv("TL_ALLOW_DOWNLOAD", raising=False)
    model, weights = load_backbone("auto")
    out = capsys.readouterr().out.strip()
    assert isinstance(weights, BundledWeights) and out.count("\n") == 0
    assert "not cached" in out and str(imagenet_cache_path()) in out


def test_imagenet_path_uses_torchvision_cache(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    path = imagenet_cache_path()
    assert path.name == os.path.basename(torchvision.models.ResNet50_Weights.IMAGENET1K_V2.url)
    path.parent.mkdir(parents=True)
    torch.manual_seed(0)
    reference = torchvision.models.resnet50()
    torch.save(reference.state_dict(), path)          # random weights under torchvision's file name
    for source in ("imagenet", "auto"):
        with pytest.warns(UserWarning, match=r"not hold torchvision's published ResNet-50 weights.*name says 11ad3fa6"):
            model, weights = load_backbone(source)
        assert weights is torchvision.models.ResNet50_Weights.IMAGENET1K_V2
        assert torch.equal(model.fc.weight, reference.fc.weight)     # loaded anyway, with the warning
        assert not weights_verified(weights)
    out = capsys.readouterr().out
    assert "found in the cache" in out and "NOT verified" in out


def test_cached_file_whose_hash_matches_its_name_loads_verified(monkeypatch, tmp_path, capsys):
    torch.manual_seed(1)
    reference = torchvision.models.resnet50()
    unnamed = tmp_path / "resnet50.pth"
    torch.save(reference.state_dict(), unnamed)
    prefix = sha256_file(unnamed)[:8]
    named = tmp_path / f"resnet50-{prefix}.pth"        # named the way torchvision names its files
    unnamed.rename(named)
    assert hash_in_name_matches(named) == (True, prefix, prefix)
    monkeypatch.setattr(weights_module, "imagenet_cache_path", lambda weights=None: named)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                  # no warning at all
        model, weights = load_backbone("imagenet")
    assert torch.equal(model.fc.weight, reference.fc.weight) and weights_verified(weights)
    assert "sha256 verified" in capsys.readouterr().out
    other = tmp_path / "resnet50-00000000.pth"
    other.write_bytes(named.read_bytes())
    assert hash_in_name_matches(other) == (False, "00000000", prefix)
    assert hash_in_name_matches(tmp_path / "resnet50-00000000.pth")[0] is False
    no_hash = tmp_path / "my_resnet.pth"
    no_hash.write_bytes(b"x")
    assert hash_in_name_matches(no_hash)[:2] == (False, "")


def test_bundled_weights_are_verified_on_load():
    assert weights_verified(BundledWeights())


def test_imagenet_offline_error_names_file(monkeypatch, tmp_path):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))

    def no_network(*args, **kwargs):
        raise OSError("Network is unreachable")
    monkeypatch.setattr(torch.hub, "download_url_to_file", no_network)
    with pytest.raises(WeightsUnavailableError) as err:
        load_backbone("imagenet")
    msg = str(err.value)
    assert imagenet_cache_path().name in msg and str(imagenet_cache_path().parent) in msg
    assert "bundled" in msg


def test_tampered_bundled_file_is_refused(monkeypatch, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(data_root(), copy)
    monkeypatch.setenv("TL_DATA_ROOT", str(copy))
    with open(copy / BUNDLED_CHECKPOINT, "r+b") as f:
        f.seek(2000)
        byte = f.read(1)
        f.seek(2000)
        f.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ChecksumError, match="damaged or was changed"):
        load_backbone("bundled")
    with pytest.raises(ChecksumError, match="not listed"):
        (copy / "extra.pt").write_bytes(b"x")
        verify_file(copy / "extra.pt")


def test_checkpoint_roundtrip(tmp_path, tiny_resnet):
    replace_head(tiny_resnet, 4)
    path = save_checkpoint(tiny_resnet, tmp_path / "m.pt", classes=list("abcd"), arch="resnet18", width=8)
    model, classes = load_checkpoint(path)
    assert classes == list("abcd")
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), tiny_resnet.state_dict().values()))


def test_checkpoint_keeps_the_heads_dropout(tmp_path, tiny_resnet):
    replace_head(tiny_resnet, 4, dropout=0.2)
    path = save_checkpoint(tiny_resnet, tmp_path / "m.pt", arch="resnet18", width=8)
    model, _ = load_checkpoint(path)
    assert isinstance(model.fc[0], torch.nn.Dropout) and model.fc[0].p == 0.2


def test_checkpoint_class_count_mismatch(tmp_path, tiny_resnet):
    path = save_checkpoint(tiny_resnet, tmp_path / "m.pt", arch="resnet18", width=8)
    with pytest.raises(CheckpointError, match=r"trained for 3 classes but the model's head has 10"):
        load_checkpoint(path, resnet18(width=8, num_classes=10))


def test_checkpoint_wrong_architecture(tmp_path, tiny_resnet):
    path = save_checkpoint(tiny_resnet, tmp_path / "m.pt", arch="resnet18", width=8)
    with pytest.raises(CheckpointError, match="does not fit this architecture"):
        load_checkpoint(path, resnet18(width=16, num_classes=3))


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


def test_pickled_object_is_never_unpickled(tmp_path):
    path = tmp_path / "evil.pt"
    torch.save({"model": Evil()}, path)
    with pytest.raises(CheckpointError, match="not a plain state-dict"):
        load_checkpoint(path)
