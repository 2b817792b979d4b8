"""The ImageNet path, walked offline: the notebooks that load the full-width ResNet-50, executed with one in the cache.

Real users often have torchvision's ImageNet weights in their cache; then ``tl.load_backbone("auto")`` takes them:
notebooks 00, 09 and 10 load the 224-px, 25.6 M-parameter network, and 06 measures one thing on it when verified.
``.ci/run`` walks that path: it writes a *random* full-width ResNet-50 under torchvision's file name into a
temporary ``TORCH_HOME`` (``tools/fake_imagenet_cache.py``) and builds, in quick mode, the notebooks whose code
can load it (``python book/build.py --quick --imagenet-only``, which reads them from the notebooks); the build
fails if any cell raises or a claim fails. It runs them with one thread and oneDNN limited to AVX2
(``OMP_NUM_THREADS=1 ONEDNN_MAX_CPU_ISA=AVX2``; the project's machines have AVX-512): other kernels than the tests' run, so a float comparison
between two computation paths with a tolerance too tight for some processor fails here, not on a contributor's
machine. These tests then read the executed notebooks: the ImageNet path was really taken, the file was flagged
as not the published weights, and exactly the claims that need real ImageNet accuracy printed why they are not
checked; nothing else was skipped.

Without ``TL_IMAGENET_BOOK_DIR`` they skip (the README's test command builds no book); with
``TL_IMAGENET_BOOK_REQUIRED=1`` (``.ci/run``) they fail instead.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "book"))
from build import loads_imagenet  # noqa: E402  (book/build.py's rule: which notebooks load the full network)

BOOK_DIR = os.environ.get("TL_IMAGENET_BOOK_DIR", "")
REQUIRED = os.environ.get("TL_IMAGENET_BOOK_REQUIRED", "0") not in ("", "0")
#: A printed line that says a claim was not checked, and why.
NOT_CHECKED = re.compile(r"^(?:Not measured|[A-Z][a-z]+ not checked)\b.*$", re.M)
#: Per notebook, the claims that need the published ImageNet weights (all others are asserted as usual).
EXPECTED_NOT_CHECKED = {
    "06_resnet50_anatomy": ["Not measured: the published ImageNet weights"],
    "09_resnet50_finetuning_end_to_end": ["Accuracy not checked", "Gap not checked"],
    "10_your_own_images": ["Accuracy not checked"],
}

pytestmark = pytest.mark.skipif(
    not BOOK_DIR and not REQUIRED,
    reason="no ImageNet-path book: see this module's docstring (TL_IMAGENET_BOOK_REQUIRED=1 makes this a failure)")


def texts(nb: nbformat.NotebookNode) -> str:
    """Everything the notebook printed or displayed as text, stdout and stderr."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            text = out.get("text", "") if out.output_type == "stream" else out.get("data", {}).get("text/plain", "")
            parts.append(text)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    if not BOOK_DIR:
        pytest.fail("TL_IMAGENET_BOOK_REQUIRED=1 but TL_IMAGENET_BOOK_DIR is not set")
    folder = Path(BOOK_DIR) / "notebooks"
    return {p.stem: nbformat.read(p, as_version=4) for p in sorted(folder.glob("*.ipynb"))}


def test_every_notebook_that_loads_the_network_ran_without_an_error(executed):
    assert sorted(executed) == sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb") if loads_imagenet(p))
    for stem, nb in executed.items():
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), f"{stem}: a code cell did not run"
        errors = [o.ename for c in code for o in c.outputs if o.output_type == "error"]
        assert not errors, f"{stem}: {errors}"


def test_auto_took_the_unverified_imagenet_weights(executed):
    chose = ("in use: torchvision's ImageNet weights (ResNet50_Weights.IMAGENET1K_V2); the cached file is the published "
             "one (its sha256 matches the prefix in its name): False")
    assert chose in texts(executed["00_start_here"])
    for stem in ("09_resnet50_finetuning_end_to_end", "10_your_own_images"):
        out = texts(executed[stem])
        assert "does not hold torchvision's published ResNet-50 weights" in out, stem   # the warning, on stderr
    out = texts(executed["09_resnet50_finetuning_end_to_end"])
    assert "crop_size=[224]" in out and "published weights, checksum verified: False" in out


def test_only_the_imagenet_claims_say_why_they_are_not_checked(executed):
    for stem, nb in executed.items():
        lines = NOT_CHECKED.findall(texts(nb))
        expected = EXPECTED_NOT_CHECKED.get(stem, [])
        assert len(lines) == len(expected) and all(any(line.startswith(e) for line in lines) for e in expected), \
            f"{stem}: {lines}"
