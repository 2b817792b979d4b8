"""The bench's pure functions on tiny inputs (no benchmark is run here, and no time is asserted)."""
import math
import os
import subprocess
import sys

import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from benchmarks import bench
from tl_helpers import fit


def test_parse_parts_orders_and_validates():
    assert bench.parse_parts(None) == list(bench.PARTS)
    assert bench.parse_parts("all") == list(bench.PARTS)
    assert bench.parse_parts(" overhead, series ") == ["series", "overhead"]
    with pytest.raises(ValueError, match="speed"):
        bench.parse_parts("series,speed")


def test_select_notebooks_by_stem_or_prefix(tmp_path):
    for name in ("00_start_here.ipynb", "01_idea.ipynb", "02_blocks.ipynb", "scratch.ipynb"):
        (tmp_path / name).write_text("{}")
    assert [p.name for p in bench.select_notebooks(tmp_path)] == [
        "00_start_here.ipynb", "01_idea.ipynb", "02_blocks.ipynb"]
    assert [p.stem for p in bench.select_notebooks(tmp_path, "02,00_start_here")] == ["00_start_here", "02_blocks"]
    assert [p.stem for p in bench.select_notebooks(tmp_path, "01_idea.ipynb")] == ["01_idea"]
    with pytest.raises(ValueError, match="07"):
        bench.select_notebooks(tmp_path, "07")


def test_parse_proc_status_in_bytes():
    text = "Name:\tpython\nVmPeak:\t  500 kB\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\nThreads:\t4\n"
    assert bench.parse_proc_status(text) == {"VmPeak": 500 * 1024, "VmHWM": 2048 * 1024, "VmRSS": 1024 * 1024}


def test_ratio_and_break_even():
    assert bench.ratio(10.0, 2.0) == 5.0
    assert bench.ratio(1.0, 0.0) == math.inf
    assert math.isnan(bench.ratio(0.0, 0.0))
    assert bench.break_even_epochs(10.0, 3.0, 1.0) == 5.0
    assert bench.break_even_epochs(1.0, 1.0, 2.0) == math.inf


def test_paired_median_ratio():
    assert bench.paired_median_ratio([2.0, 3.0, 10.0], [1.0, 3.0, 4.0]) == 2.0     # ratios 2, 1, 2.5
    with pytest.raises(ValueError):
        bench.paired_median_ratio([1.0], [])


def test_train_gflops_counts_backward_as_twice_forward():
    # 8.18 GFLOPs forward per image, batch 16, 2 s per batch: 3 * 8.18 * 16 / 2 = 196.32 GFLOP/s
    assert bench.train_gflops_per_s(8.18e9, 16, 2.0) == pytest.approx(196.32)


def test_histories_agree():
    a = {"train_loss": [1.0, 0.5], "train_acc": [0.1, 0.2], "test_loss": [1.1, 0.6], "test_acc": [0.3, 0.4]}
    b = {k: list(v) for k, v in a.items()}
    assert bench.histories_agree(a, b)
    b["test_acc"][1] = 0.41
    assert not bench.histories_agree(a, b)
    assert not bench.histories_agree(a, {**a, "train_loss": [1.0]})


def _fake_results(full_seconds=120.0, ok=True):
    nb = lambda s, rss, good=True: {"ok": good, "seconds": s, "error": None,  # noqa: E731
                                    "peak_rss_kernel_bytes": rss, "peak_rss_tree_bytes": rss}
    return {
        "environment": {"cpu_count": 2, "loadavg_start": [0.5, 0.4, 0.3], "loadavg_end": [1.0, 0.5, 0.3]},
        "series": {"subset": False, "notebooks": [
            {"name": "00_start_here", "quick": nb(10.0, 7e8), "full": nb(12.0, 7.5e8)},
            {"name": "01_idea", "quick": nb(50.0, 1.2e9), "full": nb(full_seconds, 5e9, ok)}]},
        "cache": {"speedup": 35.0, "cached_epoch_s": 0.01, "recompute_epoch_s": 0.35, "extract_s": 0.6,
                  "break_even_epochs": 1.8, "cached_acc_at_compare": 0.5, "recompute_acc": 0.5},
        "overhead": {"repeats": 3, "network": {"fit_median_s": 1.02, "bare_median_s": 1.0, "ratio": 1.02,
                                               "ratio_min": 1.01, "ratio_cpu": 1.0, "same_history": True},
                     "head": {"fit_median_s": 0.12, "bare_median_s": 0.1, "ratio": 1.2, "ratio_min": 1.1,
                              "ratio_cpu": 1.15, "same_history": True}},
    }


def test_judge_bars_pass_and_fail():
    bars = {b["key"]: b for b in bench.judge_bars(_fake_results())}
    assert bars["series_quick_total_s"]["value"] == 60.0 and bars["series_quick_total_s"]["passed"]
    assert bars["notebook_full_max_s"]["value"] == 120.0 and bars["notebook_full_max_s"]["passed"]
    assert bars["notebook_peak_rss_max_bytes"]["value"] == 5e9 and not bars["notebook_peak_rss_max_bytes"]["passed"]
    assert bars["cache_speedup"]["passed"]
    assert bars["fit_overhead_network"]["passed"] and not bars["fit_overhead_head"]["passed"]
    assert "fit_overhead_network" not in {b["key"] for b in bench.judge_bars({"cache": {"speedup": 1.0}})}


def test_a_failed_or_slow_notebook_fails_its_bar():
    slow = {b["key"]: b for b in bench.judge_bars(_fake_results(full_seconds=301.0))}
    assert not slow["notebook_full_max_s"]["passed"]
    failed = {b["key"]: b for b in bench.judge_bars(_fake_results(full_seconds=1.0, ok=False))}
    assert not failed["notebook_full_max_s"]["passed"]
    assert failed["series_quick_total_s"]["passed"]          # quick runs were fine


def test_format_report_shows_tables_and_verdicts():
    text = bench.format_report(_fake_results())
    assert "| 01_idea | 50.0 s | 1.20 GB | 120.0 s | 5.00 GB |" in text
    assert "PASS" in text and "FAIL" in text
    assert "+20.0%" in text                                  # head: fit 20 % slower
    assert "WARNING" not in text
    busy = _fake_results()
    busy["environment"]["loadavg_end"] = [6.0, 3.0, 1.0]
    assert "WARNING: the machine was busy (load average up to 6.0 on 2 CPUs)" in bench.format_report(busy)


def test_a_crashed_part_is_reported_not_tabled():
    res = _fake_results()
    res["cache"] = {"error": "RuntimeError: out of memory", "part_seconds": 1.0}
    text = bench.format_report(res)
    assert "part 'cache' crashed: RuntimeError: out of memory" in text
    assert "cached features vs recomputing" not in text
    assert "cache" in res                                    # the caller's dict is left alone


def test_fmt_value_units():
    assert bench.fmt_value(None, "s") == "-"
    assert bench.fmt_value(45.04, "s") == "45.0 s"
    assert bench.fmt_value(900.0, "s") == "15.0 min"
    assert bench.fmt_value(7.5e8, "B") == "750 MB"
    assert bench.fmt_value(4.2e9, "B") == "4.20 GB"
    assert bench.fmt_value(1.049, "x") == "1.05x"
    assert bench.fmt_value(99.4, "x") == "99x"


def _tiny_loaders():
    g = torch.Generator().manual_seed(0)
    x, y = torch.randn(40, 6, generator=g), torch.arange(40) % 3
    return DataLoader(TensorDataset(x, y), batch_size=8), DataLoader(TensorDataset(x[:20], y[:20]), batch_size=10)


def test_bare_fit_does_the_same_work_as_engine_fit():
    hists = []
    for run in (fit, bench.bare_fit):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))
        opt = torch.optim.Adam(model.parameters(), lr=1e-2)
        kw = {"progress": False} if run is fit else {}
        hists.append(run(model, *_tiny_loaders(), opt, 3, **kw))
    assert bench.histories_agree(*hists, tol=1e-6)
    assert hists[1]["train_loss"][-1] < hists[1]["train_loss"][0]       # it did train


def test_compare_fit_reports_ratios_and_same_history():
    out = bench.compare_fit(lambda: nn.Linear(6, 3), _tiny_loaders, lr=1e-2, num_epochs=2, repeats=2)
    assert out["same_history"] is True
    assert len(out["fit_s"]) == len(out["bare_s"]) == 2
    assert out["ratio"] == pytest.approx(bench.paired_median_ratio(out["fit_s"], out["bare_s"]))
    assert out["ratio_of_medians"] == pytest.approx(out["fit_median_s"] / out["bare_median_s"])


def test_descendants_and_memory_of_a_child_process():
    if not bench.memory_measurable():
        pytest.skip("no /proc and no psutil")
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in bench.descendant_pids(os.getpid())
        rss, _ = bench.process_memory(os.getpid())
        assert rss is not None and rss > 10e6            # this Python process with torch loaded
    finally:
        child.kill()
        child.wait()


def test_proc_fallback_without_psutil(monkeypatch):
    if not os.path.exists("/proc/self/status"):
        pytest.skip("no /proc")
    monkeypatch.setattr(bench, "psutil", None)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert child.pid in bench.child_pids(os.getpid())
        rss, hwm = bench.process_memory(child.pid)
        assert rss is not None and hwm is not None and hwm >= rss > 0
    finally:
        child.kill()
        child.wait()


def test_pretrain_part_reads_the_manifest_without_running():
    out = bench.bench_pretrain(run=False)
    from tl_helpers import read_manifest
    assert out["manifest_total_s"] == read_manifest()["provenance"]["total_seconds"]
    assert "run" not in out


def test_cli_rejects_unknown_parts(capsys):
    assert bench.main(["--parts", "nope"]) == 2
    assert "Unknown part" in capsys.readouterr().err
