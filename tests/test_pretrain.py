"""The bundled data is reproducible: the pretraining script is deterministic and rebuilds the same files."""
import json

import pytest

from tl_helpers import pretrain
from tl_helpers import data_root
from tl_helpers import DEBIAN_FASHION_DIR
from tl_helpers import BUNDLED_CHECKPOINT, read_manifest

needs_fashion = pytest.mark.skipif(not (DEBIAN_FASHION_DIR / "t10k-images-idx3-ubyte.gz").exists(),
                                   reason="Fashion-MNIST not installed (apt-get install dataset-fashion-mnist)")


def test_check_mode_verifies_the_bundled_files(capsys):
    assert pretrain.main(["--check", "--out", str(data_root())]) == 0
    assert "1501 of 1501 files match" in capsys.readouterr().out


@needs_fashion
def test_pretraining_is_deterministic_and_target_set_reproducible(tmp_path):
    outs = [tmp_path / "a", tmp_path / "b"]
    for out in outs:
        assert pretrain.main(["--epochs", "1", "--limit", "256", "--out", str(out)]) == 0
    a, b = (json.loads((o / "MANIFEST.json").read_text())["files"] for o in outs)
    assert a == b, "two runs with the same seed differ"
    bundled = read_manifest()["files"]
    pngs = {k: v for k, v in bundled.items() if k != BUNDLED_CHECKPOINT}
    assert {k: a[k] for k in pngs} == pngs, "the target set is not what the script makes"
    assert not (tmp_path / "a" / "fashion10.tmp").exists()


def test_missing_fashion_mnist_is_explained(tmp_path, monkeypatch):
    import torchvision.datasets

    def offline(*args, **kwargs):
        raise RuntimeError("no network")
    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", offline)
    from tl_helpers import read_fashion_mnist
    with pytest.raises(FileNotFoundError, match="apt-get install dataset-fashion-mnist"):
        read_fashion_mnist("test", folder=tmp_path)
