"""Run only by ``test_config.py::test_parallel_workers_share_the_cores_and_each_has_its_own_runs_folder`` (the
name keeps it out of the test command's collection): each probe records what its parallel worker sees."""
import json
import os
import time
from pathlib import Path

import pytest


@pytest.mark.parametrize("probe", range(6))
def test_worker_probe(probe):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    runs = os.environ.get("TL_RUNS_DIR", "")
    seen = {"worker": worker, "threads": os.environ.get("OMP_NUM_THREADS"), "runs": runs,
            "runs_is_dir": os.path.isdir(runs)}
    (Path(os.environ["TL_WORKER_PROBE_DIR"]) / f"{worker}-{probe}.json").write_text(json.dumps(seen))
    time.sleep(0.3)  # so that both workers get some of the probes
