import json
import os
import random
import subprocess
import sys
from pathlib import Path

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


# The test command's parallel workers (conftest.py): each gets its share of the cores and its own runs folder.
def test_parallel_workers_share_the_cores_and_each_has_its_own_runs_folder(tmp_path):
    """Two workers run tests/worker_probe.py: each sees OMP_NUM_THREADS = its share of the cores and a runs folder
    of its own (both editions of notebook 09 write a checkpoint of the same name), removed when it ends."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("OMP_NUM_THREADS", "TL_RUNS_DIR") and not k.startswith("PYTEST_XDIST")}
    env["TL_WORKER_PROBE_DIR"] = str(tmp_path)
    run = subprocess.run([sys.executable, "-m", "pytest", "-n", "2", "--dist", "load", "-q", "-p", "no:cacheprovider",
                          str(Path(__file__).with_name("worker_probe.py"))], env=env, cwd=Path(__file__).parents[1],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    seen = [json.loads(p.read_text()) for p in tmp_path.glob("*.json")]
    workers = {s["worker"]: s for s in seen}
    assert len(seen) == 6 and set(workers) == {"gw0", "gw1"}, seen
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert all(s["threads"] == str(max(1, cores // 2)) for s in seen), (cores, seen)
    assert all(s["runs_is_dir"] for s in seen) and workers["gw0"]["runs"] != workers["gw1"]["runs"], seen
    assert not any(os.path.exists(s["runs"]) for s in seen), "the workers' runs folders are removed at their end"
