"""The harness itself: it must see an exception in a cell and must not take a warning for one.

Guards against a JupyterLab upgrade silently changing the DOM so that the other tests could no longer fail.
"""
import nbformat
import pytest

pytestmark = pytest.mark.browser


def test_harness_reports_exceptions_but_not_warnings(open_notebook, tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}}
    nb.cells = [nbformat.v4.new_code_cell("import warnings\nwarnings.warn('only a warning')\nprint('ok')"),
                nbformat.v4.new_code_cell("1 / 0"),
                nbformat.v4.new_code_cell("print('never runs')")]
    src = tmp_path / "harness_check.ipynb"
    nbformat.write(nb, src)
    page_nb = open_notebook(src)
    page_nb.run_all()
    page_nb.wait_run_finished(timeout_s=120)
    assert page_nb.model_errors() == ["cell 2 [2]: ZeroDivisionError: division by zero  (----> 1 1 / 0)"]
    assert page_nb.rendered_errors() == ["ZeroDivisionError: division by zero"]
    stderr = page_nb.panel.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    assert stderr.count() == 2 and "only a warning" in stderr.first.inner_text(), "the warning was not rendered"
    assert page_nb.prompts() == ["[1]:", "[2]:", "[ ]:"], "Run All should stop at the failing cell"
