"""Claim lines (tl_helpers.claims): ✔/✘ with the measured value; strict under the tests and the book, lenient for learners."""
from __future__ import annotations

import nbformat
import numpy as np
import pytest
import torch
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tl_helpers import ClaimError, claim, paired_interval, t_interval, t_quantile


def test_a_claim_that_holds_prints_one_line_with_the_value_and_the_bound(capsys, monkeypatch):
    monkeypatch.setenv("TL_STRICT_CLAIMS", "1")
    result = claim("fine-tuning beats scratch by 20 points", 0.3125, at_least=0.2)
    out = capsys.readouterr().out
    assert result and out == "✔ fine-tuning beats scratch by 20 points: measured 0.312 (needs ≥ 0.200)\n"


@pytest.mark.parametrize("value", [np.float32(0.05), torch.tensor(0.05), torch.tensor([0.05]), 0.05])
def test_numbers_of_every_kind_are_read(value, capsys):
    assert claim("small", value, at_most=0.1)
    assert "measured 0.050" in capsys.readouterr().out


def test_a_failed_claim_raises_under_strict_mode(monkeypatch):
    monkeypatch.setenv("TL_STRICT_CLAIMS", "1")
    with pytest.raises(ClaimError, match=r"✘ the gap is small: measured 0\.500 \(needs ≤ 0\.100\)"):
        claim("the gap is small", 0.5, at_most=0.1)


def test_a_failed_claim_lets_a_learners_run_go_on(monkeypatch, capsys):
    monkeypatch.setenv("TL_STRICT_CLAIMS", "0")
    result = claim("the gap is small", 0.5, at_most=0.1, note="Try more epochs.")
    out = capsys.readouterr().out
    assert not result and out.startswith("✘ the gap is small: measured 0.500 (needs ≤ 0.100)\n")
    assert "not confirmed on this run. Try more epochs." in out and len(out.splitlines()) == 2


def test_nan_and_facts(monkeypatch, capsys):
    monkeypatch.setenv("TL_STRICT_CLAIMS", "0")
    assert not claim("a number", float("nan"), at_least=0.0)
    assert claim("the same class", "coat", holds=True)
    assert not claim("the same class", "coat", holds=False)
    out = capsys.readouterr().out
    assert "✔ the same class: measured coat\n" in out and "✘ the same class: measured coat\n" in out


def test_a_claim_needs_a_bound_and_a_number():
    with pytest.raises(ValueError, match="give a bound"):
        claim("no bound", 1.0)
    with pytest.raises(ValueError, match="not a number"):
        claim("a word", "many", at_least=1)


def test_t_intervals_use_the_t_quantile():
    assert t_quantile(4) == 2.776 and t_quantile(1) == 12.706 and t_quantile(22) == 2.086 and t_quantile(500) == 1.96
    m, lo, hi = t_interval([0.70, 0.72, 0.74, 0.71, 0.73])          # std 0.0158 over 5 values
    assert m == pytest.approx(0.72) and hi - m == pytest.approx(2.776 * 0.015811 / 5 ** 0.5, rel=1e-4)
    assert m - lo == pytest.approx(hi - m)
    d, dlo, dhi = paired_interval([0.8, 0.9, 0.85], [0.7, 0.8, 0.76])   # differences 0.1, 0.1, 0.09
    assert d == pytest.approx(0.29 / 3) and dhi - d == pytest.approx(4.303 * 0.0057735 / 3 ** 0.5, rel=1e-4)
    with pytest.raises(ValueError):
        t_interval([0.5])


def _run(cells: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return nb


@pytest.mark.slow
def test_in_a_notebook_a_false_claim_fails_the_tests_and_not_a_learners_run(monkeypatch):
    cells = ["import tl_helpers as tl\ntl.claim('two is at least three', 2, at_least=3)", "print('next cell ran')"]
    monkeypatch.setenv("TL_STRICT_CLAIMS", "1")                    # the test command and the book build
    with pytest.raises(CellExecutionError, match="ClaimError"):
        _run(cells)
    monkeypatch.setenv("TL_STRICT_CLAIMS", "0")                    # a learner's JupyterLab
    nb = _run(cells)
    first, second = ("".join(o.get("text", "") for o in c.outputs) for c in nb.cells)
    assert first.startswith("✘ two is at least three: measured 2 (needs ≥ 3)") and second == "next cell ran\n"


def test_t_quantiles_at_other_levels_are_computed_and_agree_with_the_table():
    from tl_helpers.tables import _t_quantile_numeric
    for df in (1, 2, 4, 9, 30):
        assert abs(_t_quantile_numeric(df, 0.975) - t_quantile(df)) < 1e-3
    assert abs(t_quantile(1, 0.99) - 63.657) < 1e-2            # a published value
    assert t_quantile(4, 1 - 0.05 / 6) > t_quantile(4)          # a Bonferroni correction widens the interval
    m, low, high = t_interval([1.0, 2.0, 3.0], confidence=0.99)
    assert m == 2.0 and high - m > t_interval([1.0, 2.0, 3.0])[2] - m
    # many values (e.g. one per test image): no overflow in the density's constant; near the normal quantile
    assert abs(t_quantile(499, 1 - 0.05 / 4) - 2.504) < 5e-3 and abs(t_quantile(999, 0.99) - 2.581) < 5e-3


def test_unpaired_interval_is_welch_with_conservative_degrees_of_freedom():
    from tl_helpers import unpaired_interval
    m, low, high = unpaired_interval([1.0, 2.0, 3.0], [0.0, 0.0, 0.0, 0.0])
    assert m == 2.0 and high - m == pytest.approx(t_quantile(2) * (1.0 / 3) ** 0.5)
    assert unpaired_interval([1.0, 2.0, 3.0], [0.0, 0.0, 0.0, 0.0], confidence=0.99)[2] > high
