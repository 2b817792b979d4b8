"""Settings for every test run, the notebooks' included (pytest loads this file before it collects anything).

nbval's kernels inherit this process's environment: with ``TL_STRICT_CLAIMS=1`` a notebook claim that the run
does not bear out raises (``tl_helpers.claims``), so the test command fails on it, while a learner's own run
prints it with ✘ and goes on.

The test command runs in parallel (pytest-xdist: ``-n auto --dist loadfile`` in ``pyproject.toml``; a notebook's
cells stay together, in order, in one worker). Each worker, and so each kernel it starts, gets its share of the
cores as ``OMP_NUM_THREADS`` (two PyTorch processes using every core each oversubscribe OpenMP and both crawl) and
its own runs folder (``TL_RUNS_DIR``: both editions of notebook 09 write a checkpoint of the same name). The
claims do not depend on the thread count (README, "The same numbers on every machine?").
"""
import atexit
import os
import shutil
import tempfile

os.environ.setdefault("TL_STRICT_CLAIMS", "1")


def _cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _WORKERS > 1:
    os.environ.setdefault("OMP_NUM_THREADS", str(max(1, _cores() // _WORKERS)))
    if "TL_RUNS_DIR" not in os.environ:
        os.environ["TL_RUNS_DIR"] = tempfile.mkdtemp(prefix=f"tl_runs_{os.environ['PYTEST_XDIST_WORKER']}_")
        atexit.register(shutil.rmtree, os.environ["TL_RUNS_DIR"], ignore_errors=True)


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker per core, at most 4 (each holds a kernel of about 1-3 GB)."""
    return max(1, min(_cores(), 4))
