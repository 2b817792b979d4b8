"""Settings for every test run, the notebooks' included (pytest loads this file before it collects anything).

nbval's kernels inherit this process's environment: with ``TL_STRICT_CLAIMS=1`` a notebook claim that the run
does not bear out raises (``tl_helpers.claims``), so the test command fails on it, while a learner's own run
prints it with ✘ and goes on.
"""
import os

os.environ.setdefault("TL_STRICT_CLAIMS", "1")
