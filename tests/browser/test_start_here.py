"""A learner opens 00_start_here.ipynb in JupyterLab and runs every cell: no cell may raise."""
import pytest

pytestmark = pytest.mark.browser


def test_start_here_runs_all_cells_without_errors(open_notebook, notebook_src):
    nb = open_notebook(notebook_src / "00_start_here.ipynb")
    assert nb.prompts() and all(p == "[ ]:" for p in nb.prompts()), f"not a fresh notebook: {nb.prompts()}"
    nb.run_all()
    seconds = nb.wait_run_finished(timeout_s=300)
    errors = nb.errors()
    assert not errors, f"cells raised: {errors}"
    prompts = nb.prompts()
    assert all(p.startswith("[") and p[1:-2].isdigit() for p in prompts), f"cells not run: {prompts}"
    numbers = [int(p[1:-2]) for p in prompts]
    assert numbers == list(range(1, len(prompts) + 1)), f"cells ran out of order: {numbers}"
    nb.screenshot_clip(None, "00_start_here_after_run_all.png")
    print(f"00_start_here: {len(prompts)} code cells ran in {seconds:.1f} s")
