import random
import subprocess
import sys

import numpy as np
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
