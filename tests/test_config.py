import random
import subprocess
import sys

import numpy as np
import pytest
import torch

from tl_helpers import config


def test_seed_everything_repeats():
    config.seed_everything(7)
    a = (random.random(), np.random.rand(), torch.rand(1).item())
    config.seed_everything(7)
    assert a == (random.random(), np.random.rand(), torch.rand(1).item())


def test_quick_flag_from_env():
    code = "import tl_helpers.config as c; print(c.QUICK, c.pick('q', 'f'))"
    for value, expected in (("1", "True q"), ("0", "False f"), ("", "False f")):
        out = subprocess.run([sys.executable, "-c", code], env={"TL_QUICK": value, "PATH": ""},
                             capture_output=True, text=True, check=True).stdout.strip()
        assert out == expected


def test_device_is_cpu_by_default(monkeypatch):
    monkeypatch.delenv("TL_DEVICE", raising=False)
    assert config.get_device() == torch.device("cpu")
    assert config.get_device("cuda").type in ("cuda", "cpu")


def test_data_root(monkeypatch, tmp_path):
    assert (config.data_root() / "MANIFEST.json").exists()
    monkeypatch.setenv("TL_DATA_ROOT", str(tmp_path))
    assert config.data_root() == tmp_path.resolve()


def test_env_flag_parses_yes_and_no_alike(monkeypatch):
    for value in ("1", "true", "TRUE", "Yes", "on", " 1 "):
        monkeypatch.setenv("TL_X", value)
        assert config.env_flag("TL_X") is True, value
    for value in ("0", "false", "False", "no", "NO", "off", ""):
        monkeypatch.setenv("TL_X", value)
        assert config.env_flag("TL_X", default=True) is False, value
    monkeypatch.delenv("TL_X")
    assert config.env_flag("TL_X") is False and config.env_flag("TL_X", default=True) is True


def test_unknown_flag_value_is_a_clear_error():
    code = "import tl_helpers.config"
    proc = subprocess.run([sys.executable, "-c", code], env={"TL_QUICK": "maybe", "PATH": ""},
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "TL_QUICK='maybe' is neither yes nor no" in proc.stderr and "1/true/yes/on" in proc.stderr


def test_downloads_stay_off_unless_asked_for(monkeypatch, tmp_path):
    """``TL_ALLOW_DOWNLOAD=no``, ``False``, ``0`` or unset never download: ``auto`` falls back to the
    bundled backbone without calling torchvision's download."""
    import tl_helpers.weights as w

    def no_download(*_a, **_k):
        raise AssertionError("a download was attempted")

    monkeypatch.setenv("TORCH_HOME", str(tmp_path))        # an empty cache
    monkeypatch.setattr(w.torchvision.models.ResNet50_Weights.IMAGENET1K_V2.__class__, "get_state_dict",
                        no_download, raising=False)
    for value in ("no", "False", "0", None):
        if value is None:
            monkeypatch.delenv("TL_ALLOW_DOWNLOAD", raising=False)
        else:
            monkeypatch.setenv("TL_ALLOW_DOWNLOAD", value)
        assert config.allow_download() is False
        _, weights = w.load_backbone("auto", verbose=False)
        assert isinstance(weights, w.BundledWeights), value
    monkeypatch.setenv("TL_ALLOW_DOWNLOAD", "maybe")
    with pytest.raises(ValueError, match="TL_ALLOW_DOWNLOAD='maybe'"):
        w.load_backbone("auto", verbose=False)
