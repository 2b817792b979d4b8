"""Measured speed of the series and its helpers, with a PASS/FAIL line per performance bar.

    python -m benchmarks.bench                                   # everything (up to an hour on 2 cores)
    python -m benchmarks.bench --parts series --quick-only       # quick-mode time of every notebook
    python -m benchmarks.bench --parts cache,overhead,io --smoke # small settings, a minute or two
    python -m benchmarks.bench --parts pretrain --pretrain-run   # also re-run pretraining (~4 min)

Parts (``--parts``, comma-separated):

* ``series``: wall time of each notebook executed headless (``book/nbexec.py``: nbclient with a stall guard, into a temp
  folder, never into ``notebooks/``) in quick mode (``TL_QUICK=1``) and in full mode, and the
  peak memory (RSS) of the kernel and its child processes.
* ``runs``: one full-mode fine-tuning run (``experiments.train(task, "finetune", seed=1)``) on the old path (the
  test set scored after every epoch, transforms re-applied to the same images every epoch) vs the new one (scored
  once at the end, transformed images cached), interleaved, with the evaluation's share of the old run, whether
  both give the same bits, and the per-seed time of ``experiments.train_seeds``.
* ``cache``: time per epoch of training the new head on cached features
  (``experiments.train(task, "frozen")``) vs recomputing the frozen backbone every epoch (the same
  head training through the whole model on image loaders), and their ratio.
* ``overhead``: ``engine.fit`` vs a bare PyTorch loop doing the same work (same model, data,
  steps and evaluation; their histories must agree), median of interleaved repeats.
* ``throughput``: full-width ResNet-50 forward+backward at 224 px on CPU in images/s and GFLOP/s,
  contiguous vs ``channels_last``.
* ``pretrain``: minutes to pretrain the bundled backbone, from ``data/MANIFEST.json`` (and
  re-measured with ``--pretrain-run``).
* ``io``: CPU data-loading settings and decoding cost (first vs second pass over the test set).

Deliberate mirror: ``bare_fit`` repeats the training step of ``tl_helpers.engine.train_one_epoch``
without its bookkeeping, since the overhead benchmark measures exactly the difference between the two.

Results are printed as a table and written as JSON (default ``benchmarks/results/bench.json``).
The bench reports; it never fails because a bar is missed (exit code 1 only if a part crashed;
the other parts still run and are written).
Timings depend on what else runs on the machine: the load average is recorded with the results.
"""
from __future__ import annotations

import argparse
import copy
import cProfile
import datetime as _dt
import inspect
import io
import json
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from tl_helpers.config import PROJECT_ROOT, data_root

PARTS: tuple[str, ...] = ("series", "runs", "cache", "overhead", "throughput", "pretrain", "io")
DEFAULT_OUT: Path = PROJECT_ROOT / "benchmarks" / "results" / "bench.json"
NOTEBOOK_DIR: Path = PROJECT_ROOT / "notebooks"
NBEXEC: Path = PROJECT_ROOT / "book" / "nbexec.py"  # the executor the book uses (with its stall guard)

#: The performance bars: key -> (description, comparison, limit, unit).
BARS: dict[str, tuple[str, str, float, str]] = {
    "series_quick_total_s": ("whole series, quick mode", "<=", 600.0, "s"),
    "notebook_quick_max_s": ("slowest notebook, quick mode (target ~60 s)", "<=", 60.0, "s"),
    "notebook_full_max_s": ("slowest notebook, full mode", "<=", 300.0, "s"),
    "notebook_peak_rss_max_bytes": ("peak RSS of any notebook kernel", "<=", 4e9, "B"),
    "run_speedup": ("one full-mode fine-tuning run, old path / new path", ">=", 3.0, "x"),
    "cache_speedup": ("cached features vs recomputing backbone, per epoch", ">=", 20.0, "x"),
    "fit_overhead_network": ("engine.fit / bare loop, whole network", "<=", 1.05, "x"),
    "fit_overhead_head": ("engine.fit / bare loop, head on cached features", "<=", 1.05, "x"),
}


# =========================================================================== pure helpers

def parse_parts(text: str | None) -> list[str]:
    """Parse ``--parts``: comma-separated part names (``all`` or empty: every part), in ``PARTS`` order.

    Raises:
        ValueError: An unknown part name.
    """
    names = [t.strip().lower() for t in (text or "").split(",") if t.strip()]
    if not names or names == ["all"]:
        return list(PARTS)
    unknown = sorted(set(names) - set(PARTS))
    if unknown:
        raise ValueError(f"Unknown part(s) {unknown}; choose from {', '.join(PARTS)}.")
    return [p for p in PARTS if p in names]


def select_notebooks(folder: Path, names: str | None = None) -> list[Path]:
    """Notebooks ``NN_*.ipynb`` in ``folder``, sorted; ``names`` (comma-separated stems or
    prefixes such as ``00_start_here`` or ``03``) keeps only the matching ones.

    Raises:
        ValueError: A name matches no notebook.
    """
    books = sorted(p for p in Path(folder).glob("*.ipynb") if re.match(r"\d\d_", p.name))
    if not names:
        return books
    chosen: list[Path] = []
    for name in (n.strip().removesuffix(".ipynb") for n in names.split(",") if n.strip()):
        hits = [p for p in books if p.stem == name or p.stem.startswith(name)]
        if not hits:
            raise ValueError(f"No notebook matches {name!r} in {folder}.")
        chosen += [p for p in hits if p not in chosen]
    return sorted(chosen)


def parse_proc_status(text: str) -> dict[str, int]:
    """Memory lines of a Linux ``/proc/<pid>/status`` (``VmRSS``, ``VmHWM``, ...) in bytes."""
    out: dict[str, int] = {}
    for line in text.splitlines():
        m = re.match(r"(Vm\w+|Rss\w+):\s+(\d+)\s*kB", line)
        if m:
            out[m.group(1)] = int(m.group(2)) * 1024
    return out


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``; ``inf`` when the denominator is zero (and the numerator is not)."""
    if denominator == 0:
        return float("nan") if numerator == 0 else float("inf")
    return numerator / denominator


def train_gflops_per_s(forward_flops_per_image: float, batch_size: int, seconds_per_batch: float) -> float:
    """Achieved GFLOP/s of forward+backward, counted as 3x the forward FLOPs (backward ~ 2x forward)."""
    return 3.0 * forward_flops_per_image * batch_size / seconds_per_batch / 1e9


def paired_median_ratio(a: Sequence[float], b: Sequence[float]) -> float:
    """Median of ``a[i] / b[i]``: the ratio of runs made back to back, robust to drifting load."""
    if len(a) != len(b) or not a:
        raise ValueError("need two equally long, non-empty lists of timings")
    return statistics.median(ratio(x, y) for x, y in zip(a, b))


def break_even_epochs(one_off_s: float, slow_epoch_s: float, fast_epoch_s: float) -> float:
    """Epochs after which paying ``one_off_s`` once (e.g. caching features) beats the slow path."""
    saved = slow_epoch_s - fast_epoch_s
    return float("inf") if saved <= 0 else one_off_s / saved


def histories_agree(a: dict[str, list[float]], b: dict[str, list[float]], tol: float = 1e-5,
                    keys: Sequence[str] = ("train_loss", "train_acc", "test_loss", "test_acc")) -> bool:
    """Do two training histories hold the same numbers (same work was done)?"""
    for k in keys:
        if len(a.get(k, [])) != len(b.get(k, [])):
            return False
        for x, y in zip(a[k], b[k]):
            if not abs(x - y) <= tol * max(1.0, abs(x), abs(y)):
                return False
    return True


def _get(results: dict, path: str) -> Any:
    node: Any = results
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def bar_values(results: dict) -> dict[str, float | None]:
    """The measured value behind each bar in ``BARS`` (``None`` when that part was not run)."""
    books = _get(results, "series.notebooks") or []

    def worst(mode: str, key: str) -> float | None:
        vals = [b[mode][key] for b in books if b.get(mode) and b[mode].get(key) is not None]
        return max(vals) if vals else None

    quick = [b["quick"]["seconds"] for b in books if b.get("quick")]
    failed_quick = any(not b["quick"]["ok"] for b in books if b.get("quick"))
    rss = [b[m].get("peak_rss_tree_bytes") for b in books for m in ("quick", "full") if b.get(m)]
    rss = [r for r in rss if r is not None]
    return {
        "series_quick_total_s": (float("inf") if failed_quick else sum(quick)) if quick else None,
        "notebook_quick_max_s": worst("quick", "seconds"),
        "notebook_full_max_s": worst("full", "seconds"),
        "notebook_peak_rss_max_bytes": max(rss) if rss else None,
        "run_speedup": _get(results, "runs.speedup"),
        "cache_speedup": _get(results, "cache.speedup"),
        "fit_overhead_network": _get(results, "overhead.network.ratio"),
        "fit_overhead_head": _get(results, "overhead.head.ratio"),
    }


def judge_bars(results: dict) -> list[dict[str, Any]]:
    """PASS/FAIL of every bar whose part was run: ``[{key, what, op, limit, unit, value, passed}]``.

    A failed notebook counts as an infinite time (FAIL).
    """
    rows = []
    for key, value in bar_values(results).items():
        if value is None:
            continue
        what, op, limit, unit = BARS[key]
        ok = value <= limit if op == "<=" else value >= limit
        for b in _get(results, "series.notebooks") or []:
            mode = {"notebook_quick_max_s": "quick", "notebook_full_max_s": "full"}.get(key)
            if mode and b.get(mode) and not b[mode]["ok"]:
                ok = False
        rows.append({"key": key, "what": what, "op": op, "limit": limit, "unit": unit,
                     "value": value, "passed": bool(ok)})
    return rows


def fmt_value(value: float | None, unit: str) -> str:
    """Human-readable value: seconds as s / min, bytes as MB / GB, ratios as x."""
    if value is None:
        return "-"
    if value != value:          # nan
        return "n/a"
    if unit == "B":
        return f"{value / 1e9:.2f} GB" if value >= 1e9 else f"{value / 1e6:.0f} MB"
    if unit == "s":
        return f"{value / 60:.1f} min" if value >= 600 else f"{value:.1f} s"
    if unit == "x":
        return f"{value:.2f}x" if value < 10 else f"{value:.0f}x"
    return f"{value:.3g} {unit}".strip()


def busy_warning(env: dict) -> str | None:
    """A warning when the load average exceeded the CPU count during the run (timings inflated)."""
    loads = [v for key in ("loadavg_start", "loadavg_end") for v in (env.get(key) or [])[:1]]
    cpus = env.get("cpu_count") or 1
    if loads and max(loads) > cpus:
        return (f"WARNING: the machine was busy (load average up to {max(loads):.1f} on {cpus} CPUs): "
                "timings are inflated and ratios noisy; re-run on an idle machine for the bars.")
    return None


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def format_report(results: dict) -> str:
    """The printed report: one table per part that ran, then the bars with PASS/FAIL."""
    out: list[str] = []
    env = results.get("environment", {})
    if env:
        out.append(f"{env.get('cpu', '?')}, {env.get('cpu_count')} logical CPUs, torch "
                   f"{env.get('torch')} ({env.get('torch_threads')} threads); load average at start "
                   f"{env.get('loadavg_start')}, at end {env.get('loadavg_end')}")
    busy = busy_warning(env)
    if busy:
        out.append(busy)
    results = dict(results)
    for part in PARTS:
        if isinstance(results.get(part), dict) and "error" in results[part]:
            out.append(f"part {part!r} crashed: {results.pop(part)['error']}")
    series = results.get("series")
    if series:
        rows = []
        for b in series["notebooks"]:
            cells = [b["name"]]
            for mode in ("quick", "full"):
                r = b.get(mode)
                cells.append("-" if not r else fmt_value(r["seconds"], "s") + ("" if r["ok"] else " (FAILED)"))
                cells.append("-" if not r else fmt_value(r.get("peak_rss_tree_bytes"), "B"))
            rows.append(cells)
        out += ["", "Notebooks (headless, wall time incl. kernel start; peak RSS of the kernel's process tree)",
                markdown_table(["notebook", "quick", "quick peak RSS", "full", "full peak RSS"], rows)]
    runs = results.get("runs")
    if runs:
        med = runs["median_s"]
        out += ["", f"One full-mode fine-tuning run ({runs['epochs']} epochs, median of {runs['repeats']} "
                "interleaved repeats)", markdown_table(["path", "s / run", ""], [
                    ["old: test set scored every epoch, transforms every epoch", f"{med['old']:.1f}", ""],
                    ["old without the per-epoch scoring", f"{med['no_eval']:.1f}",
                     f"evaluation was {runs['eval_share']:.0%} of the old run"],
                    ["new: scored once, transformed images cached", f"{med['new']:.1f}",
                     f"transforms were {runs['transform_share']:.0%} of the rest"],
                    ["new, first run (fills the cache)", f"{runs['new_cold_s']:.1f}", ""],
                    ["speed-up (old / new)", fmt_value(runs["speedup"], "x"),
                     "same bits (losses, weights, predictions): " + ("yes" if runs["same_bits"] else "NO")],
                    [f"train_seeds, per seed ({runs['seeds']} seeds)", f"{runs['per_seed_s']:.1f}",
                     f"{fmt_value(runs['per_seed_vs_one_run'], 'x')} one new run"]])]
    cache = results.get("cache")
    if cache:
        out += ["", "Frozen backbone: training the head",
                markdown_table(["path", "s / epoch", "test acc after the same epochs"], [
                    ["cached features (experiments.train 'frozen')", f"{cache['cached_epoch_s']:.4f}",
                     f"{cache['cached_acc_at_compare']:.3f}"],
                    ["backbone recomputed every epoch", f"{cache['recompute_epoch_s']:.3f}",
                     f"{cache['recompute_acc']:.3f}"],
                    ["speed-up", fmt_value(cache["speedup"], "x"), ""],
                    ["one-off feature extraction", f"{cache['extract_s']:.2f}",
                     f"break-even after {cache['break_even_epochs']:.2f} epochs"]])]
    over = results.get("overhead")
    if over:
        rows = [[name, f"{r['fit_median_s']:.4f}", f"{r['bare_median_s']:.4f}",
                 f"{(r['ratio'] - 1) * 100:+.1f}%", f"{(r['ratio_min'] - 1) * 100:+.1f}%",
                 f"{(r['ratio_cpu'] - 1) * 100:+.1f}%", "yes" if r["same_history"] else "NO"]
                for name, r in over.items() if isinstance(r, dict) and "ratio" in r]
        out += ["", f"engine.fit vs a bare loop ({over.get('repeats')} interleaved repeats; "
                "'fit slower' = median of the back-to-back ratios)",
                markdown_table(["workload", "fit s (median)", "bare s (median)", "fit slower (median)",
                                "(fastest runs)", "(CPU time)", "same history"], rows)]
    thr = results.get("throughput")
    if thr:
        rows = [[lay, f"{r['s_per_batch']:.2f}", f"{r['images_per_s']:.1f}", f"{r['gflops_per_s']:.1f}"]
                for lay, r in thr["layouts"].items()]
        out += ["", f"ResNet-50 (width 64) forward+backward, {thr['image_size']} px, batch {thr['batch_size']}, "
                f"{thr['forward_gflops_per_image']:.2f} GFLOPs/image forward, {thr['iters']} timed iterations",
                markdown_table(["layout", "s / batch", "images / s", "GFLOP/s (3x fwd)"], rows),
                f"faster here: {thr['faster']} ({thr['speedup']:.2f}x)"]
    pre = results.get("pretrain")
    if pre:
        rows = [["recorded (data/MANIFEST.json)", fmt_value(pre.get("manifest_total_s"), "s"),
                 fmt_value(pre.get("manifest_train_s"), "s")]]
        if pre.get("run"):
            r = pre["run"]
            rows.append([f"re-run now ({r['args']})", fmt_value(r["wall_s"], "s"),
                         fmt_value(r.get("train_s"), "s") + ("" if r["ok"] else " (FAILED)")])
        out += ["", "Pretraining the bundled backbone",
                markdown_table(["", "end to end", "training loop"], rows)]
    io_ = results.get("io")
    if io_:
        out += ["", "Data loading on CPU", markdown_table(["check", "result"], [
            ["make_loader default num_workers", io_["make_loader_num_workers_default"]],
            ["evaluate() runs under torch.inference_mode", io_["evaluate_inference_mode"]],
            ["train_one_epoch sees a seeded loader's batches in plain-loop order",
             io_.get("engine_batch_order_matches_plain_loop")],
            [f"decode {io_['images']} test PNGs: first / second pass",
             f"{io_['decode_first_s']:.3f} s / {io_['decode_second_s']:.4f} s "
             f"({fmt_value(io_['decode_speedup'], 'x')})"],
            ["dataset pass incl. transforms: first / second",
             f"{io_['dataset_first_s']:.3f} s / {io_['dataset_second_s']:.3f} s"],
            ["decode cache hits in the second pass", io_["cache_hits_second_pass"]]])]
    bars = judge_bars(results)
    if bars:
        out += ["", "Bars", markdown_table(["bar", "measured", "limit", "result"], [
            [b["what"], fmt_value(b["value"], b["unit"]), f"{b['op']} {fmt_value(b['limit'], b['unit'])}",
             "PASS" if b["passed"] else "FAIL"] for b in bars])]
        if series and series.get("subset"):
            out.append("(series bars over the selected notebooks only)")
    return "\n".join(out)


# =========================================================================== process memory

try:                                   # optional: cross-platform process-tree memory
    import psutil  # type: ignore
except ImportError:                    # pragma: no cover - depends on the environment
    psutil = None


def _read(path: str) -> str | None:
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def child_pids(pid: int) -> list[int]:
    """Direct children of ``pid`` (psutil, else Linux ``/proc``; empty if neither works)."""
    if psutil is not None:
        try:
            return [c.pid for c in psutil.Process(pid).children()]
        except psutil.Error:
            return []
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = _read(str(task / "children"))
        kids += [int(t) for t in (text or "").split()]
    return kids


def descendant_pids(pid: int) -> list[int]:
    """All descendants of ``pid``, breadth first."""
    out, todo = [], [pid]
    while todo:
        kids = child_pids(todo.pop(0))
        out += kids
        todo += kids
    return out


def process_memory(pid: int) -> tuple[int | None, int | None]:
    """``(current RSS, peak RSS so far)`` of one process in bytes; the peak needs Linux ``/proc``."""
    text = _read(f"/proc/{pid}/status")
    if text is not None:
        st = parse_proc_status(text)
        return st.get("VmRSS"), st.get("VmHWM")
    if psutil is not None:
        try:
            return psutil.Process(pid).memory_info().rss, None
        except psutil.Error:
            return None, None
    return None, None


def _cmdline(pid: int) -> str:
    text = _read(f"/proc/{pid}/cmdline")
    if text is not None:
        return text.replace("\0", " ")
    if psutil is not None:
        try:
            return " ".join(psutil.Process(pid).cmdline())
        except psutil.Error:
            return ""
    return ""


class KernelMemorySampler(threading.Thread):
    """Poll the memory of the Jupyter kernel(s) started under ``root_pid`` and their children.

    The kernel is found among the executor's child processes by its command line (``ipykernel``).
    Peak of the tree = the largest sum of RSS over one poll; the kernel's own peak also uses its
    ``VmHWM`` (exact high-water mark, Linux).
    """

    def __init__(self, root_pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.root_pid, self.interval = root_pid, interval
        self.kernel_pids: set[int] = set()
        self.peak_tree = 0
        self.peak_kernel = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval)

    def sample(self) -> None:
        for pid in descendant_pids(self.root_pid):
            if pid not in self.kernel_pids and "ipykernel" in _cmdline(pid):
                self.kernel_pids.add(pid)
        total = 0
        for k in list(self.kernel_pids):
            rss, hwm = process_memory(k)
            if rss is None:
                continue
            self.peak_kernel = max(self.peak_kernel, rss, hwm or 0)
            total += rss + sum(process_memory(c)[0] or 0 for c in descendant_pids(k))
        self.peak_tree = max(self.peak_tree, total, self.peak_kernel if len(self.kernel_pids) == 1 else 0)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def memory_measurable() -> bool:
    """Can this machine measure process memory (Linux ``/proc`` or psutil)?"""
    return psutil is not None or Path("/proc/self/status").exists()


# =========================================================================== part: series

def run_notebook(path: Path, quick: bool, timeout: float = 1200.0, interval: float = 0.1) -> dict[str, Any]:
    """Execute one notebook headless into a temp folder and measure time and peak memory.

    Runs ``book/nbexec.py``, the book's executor: nbclient with a guard that turns a lost request or reply
    into an error or a recovered cell instead of a hang (the kernel starts in the notebook's folder, as in
    JupyterLab), with ``TL_QUICK`` set; the executed copy is thrown away.

    Returns:
        ``{ok, seconds, peak_rss_kernel_bytes, peak_rss_tree_bytes, error, lost_replies}``.
    """
    env = dict(os.environ, TL_QUICK="1" if quick else "0", TL_STRICT_CLAIMS="1", PYTHONUNBUFFERED="1")
    env.pop("TL_DEVICE", None)
    with tempfile.TemporaryDirectory(prefix="tl_bench_nb_") as tmp:
        log_path = Path(tmp) / "log.txt"
        cmd = [sys.executable, str(NBEXEC), str(path), "--timeout", str(int(timeout)),
               "--output", str(Path(tmp) / f"{path.stem}_{'quick' if quick else 'full'}.ipynb")]
        with open(log_path, "w") as log:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=path.parent)
            sampler = KernelMemorySampler(proc.pid, interval)
            sampler.start()
            try:
                rc = proc.wait(timeout=timeout + 60)
            except subprocess.TimeoutExpired:
                _kill_tree(proc)
                rc = -9
            seconds = time.perf_counter() - start
            sampler.stop()
        text = log_path.read_text(errors="replace")
    error = None
    if rc != 0:
        lines = [ln for ln in re.sub(r"\x1b\[[0-9;]*m", "", text).splitlines() if ln.strip()]
        error = "timed out" if rc == -9 else " / ".join(lines[-3:])[-500:]
    measurable = memory_measurable()
    lost = re.search(r"lost replies rebuilt: (\d+)", text)
    return {"ok": rc == 0, "seconds": seconds, "error": error, "lost_replies": int(lost.group(1)) if lost else None,
            "peak_rss_kernel_bytes": sampler.peak_kernel if measurable else None,
            "peak_rss_tree_bytes": sampler.peak_tree if measurable else None}


def _kill_tree(proc: subprocess.Popen) -> None:
    for pid in reversed(descendant_pids(proc.pid)):
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    proc.kill()
    proc.wait()


def bench_series(notebooks: Sequence[Path], quick_only: bool = False, timeout: float = 1200.0,
                 log: Callable[[str], None] = print) -> dict[str, Any]:
    """Quick-mode (and full-mode) time and peak memory of each notebook, one after another."""
    rows = []
    for nb in notebooks:
        row: dict[str, Any] = {"name": nb.stem}
        for mode in ("quick",) if quick_only else ("quick", "full"):
            log(f"  {nb.name} ({mode}) ...")
            row[mode] = run_notebook(nb, quick=(mode == "quick"), timeout=timeout)
            r = row[mode]
            log(f"    {r['seconds']:.1f} s, peak RSS {fmt_value(r['peak_rss_tree_bytes'], 'B')}"
                + (f", lost replies rebuilt: {r['lost_replies']}" if r["ok"] else f", FAILED: {r['error']}"))
        rows.append(row)
    all_books = select_notebooks(NOTEBOOK_DIR)
    return {"notebooks": rows, "quick_only": quick_only,
            "subset": [p.stem for p in notebooks] != [p.stem for p in all_books]}


# =========================================================================== part: cache

def bench_runs(repeats: int = 2, seeds: int = 3, num_epochs: int | None = None,
               log: Callable[[str], None] = print) -> dict:
    """One fine-tuning run, old path vs new path, side by side (interleaved ``repeats`` times).

    * old: ``track_test=True`` (the test set scored after every epoch, the default before) and no tensor cache
      (``images.TENSOR_CACHE_MAX_BYTES = 0``: each epoch re-applies the transforms to the decoded images);
    * no eval: the old path without the per-epoch scoring (its difference to old is the evaluation's share);
    * new: the defaults now (scored once at the end; transformed images cached, warmed by one run first).

    Returns seconds per run of each, ``speedup`` (median old / median new), ``eval_share`` (of the old run),
    ``same_bits`` (old and new give identical training losses, weights and test predictions) and the per-seed
    time of ``train_seeds(task, "finetune", seeds)`` against one run.
    """
    import torch

    import tl_helpers.images as tl_data
    from tl_helpers import experiments as ex

    task = ex.load_task("bundled", verbose=False)
    kw = {"seed": 1, "progress": False, **({"num_epochs": num_epochs} if num_epochs else {})}
    cache_bytes = tl_data.TENSOR_CACHE_MAX_BYTES

    def timed(track_test: bool, cache: bool):
        tl_data.TENSOR_CACHE_MAX_BYTES = cache_bytes if cache else 0
        tl_data.clear_tensor_cache() if not cache else None
        start = time.perf_counter()
        try:
            run = ex.train(task, "finetune", track_test=track_test, **kw)
        finally:
            tl_data.TENSOR_CACHE_MAX_BYTES = cache_bytes
        return time.perf_counter() - start, run

    times: dict[str, list[float]] = {"old": [], "no_eval": [], "new": []}
    new_cold_s, _ = timed(False, True)           # fills the tensor cache, as the first seed of a notebook does
    log(f"  new path, first run (fills the cache): {new_cold_s:.1f} s")
    runs = {}
    for i in range(repeats):
        for name, (track, cache) in {"old": (True, False), "no_eval": (False, False), "new": (False, True)}.items():
            s, runs[name] = timed(track, cache)
            times[name].append(s)
            log(f"  repeat {i + 1}: {name} {s:.1f} s")
    old, new = runs["old"], runs["new"]
    same = (old.history["train_loss"] == new.history["train_loss"] and torch.equal(old.preds, new.preds)
            and all(torch.equal(a, b) for a, b in zip(old.model.state_dict().values(),
                                                      new.model.state_dict().values())))
    start = time.perf_counter()
    ex.train_seeds(task, "finetune", seeds, **{k: v for k, v in kw.items() if k != "seed"})
    per_seed = (time.perf_counter() - start) / seeds
    med = {k: statistics.median(v) for k, v in times.items()}
    log(f"  train_seeds: {per_seed:.1f} s per seed ({seeds} seeds)")
    return {"epochs": len(new.history["train_loss"]), "repeats": repeats, "seconds": times, "median_s": med,
            "new_cold_s": new_cold_s, "speedup": ratio(med["old"], med["new"]),
            "eval_share": 1 - med["no_eval"] / med["old"], "transform_share": 1 - med["new"] / med["no_eval"],
            "same_bits": bool(same), "seeds": seeds, "per_seed_s": per_seed,
            "per_seed_vs_one_run": ratio(per_seed, med["new"])}


def bench_cache(cached_epochs: int = 30, recompute_epochs: int = 2, log: Callable[[str], None] = print) -> dict:
    """Per-epoch time of head training on cached features vs through the frozen backbone.

    Both paths train the same new head (same seed, same shuffles, learning rate ``HEAD_LR``) and
    evaluate on the whole test set every epoch; the backbone is in eval mode, so they compute the
    same thing and should reach the same test accuracy.
    """
    import torch

    from tl_helpers import experiments as ex
    from tl_helpers.config import seed_everything
    from tl_helpers.data import make_loader
    from tl_helpers.engine import fit
    from tl_helpers.transfer import freeze_backbone

    task = ex.load_task("bundled", verbose=False)
    start = time.perf_counter()
    task.activations("fc", "train")
    task.activations("fc", "test")
    extract_s = time.perf_counter() - start
    log(f"  features of {len(task.train_ds)} + {len(task.test_ds)} images cached in {extract_s:.2f} s")

    cached = ex.train(task, "frozen", seed=0, num_epochs=cached_epochs, progress=False, track_test=True)
    cached_epoch = statistics.median(cached.history["seconds"])
    log(f"  cached: {cached_epoch * 1000:.1f} ms / epoch ({cached_epochs} epochs)")

    seed_everything(0)
    model = freeze_backbone(task.new_model(pretrained=True))
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=ex.HEAD_LR)
    hist = fit(model, make_loader(task.train_ds, 32, shuffle=True, seed=0), make_loader(task.test_ds, 200),
               opt, recompute_epochs, progress=False)
    recompute_epoch = statistics.median(hist["seconds"])
    log(f"  recomputed: {recompute_epoch:.2f} s / epoch ({recompute_epochs} epochs)")
    n = min(recompute_epochs, len(cached.history["test_acc"]))
    return {"train_images": len(task.train_ds), "test_images": len(task.test_ds),
            "cached_epochs": cached_epochs, "recompute_epochs": recompute_epochs,
            "extract_s": extract_s, "cached_epoch_s": cached_epoch, "recompute_epoch_s": recompute_epoch,
            "speedup": ratio(recompute_epoch, cached_epoch),
            "break_even_epochs": break_even_epochs(extract_s, recompute_epoch, cached_epoch),
            "cached_acc_at_compare": cached.history["test_acc"][n - 1], "recompute_acc": hist["test_acc"][n - 1],
            "same_result": abs(cached.history["test_acc"][n - 1] - hist["test_acc"][n - 1]) <= 0.01}


# =========================================================================== part: overhead

def bare_fit(model, train_loader, test_loader, optimizer, num_epochs: int) -> dict[str, list[float]]:
    """A plain PyTorch loop doing what ``engine.fit`` does: per epoch, train (tracking the mean
    loss and accuracy) and evaluate under ``torch.inference_mode``."""
    import torch
    from torch import nn

    loss_fn = nn.CrossEntropyLoss()
    hist: dict[str, list[float]] = {"train_loss": [], "train_acc": [], "test_loss": [], "test_acc": []}
    for _ in range(num_epochs):
        model.train()
        total, correct, seen = 0.0, 0, 0
        for x, y in train_loader:
            optimizer.zero_grad(set_to_none=True)
            logits = model(x)
            loss = loss_fn(logits, y)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
            seen += len(y)
        hist["train_loss"].append(total / seen)
        hist["train_acc"].append(correct / seen)
        model.eval()
        total, correct, seen = 0.0, 0, 0
        with torch.inference_mode():
            for x, y in test_loader:
                logits = model(x)
                total += loss_fn(logits, y).item() * len(y)
                correct += (logits.argmax(1) == y).sum().item()
                seen += len(y)
        hist["test_loss"].append(total / seen)
        hist["test_acc"].append(correct / seen)
    return hist


def compare_fit(make_model: Callable[[], Any], make_loaders: Callable[[], tuple], lr: float, num_epochs: int,
                repeats: int) -> dict[str, Any]:
    """Time ``engine.fit`` and ``bare_fit`` on identical fresh copies, interleaved (AB BA AB ...),
    after one untimed warm-up round.

    ``make_loaders`` should not shuffle, so both sides see the same batches and must end with the
    same history (``same_history``): proof that they did the same work.

    Returns:
        Wall and CPU seconds per run, medians, ``ratio`` (median over the repeats of fit / bare,
        wall time; each pair ran back to back, so a change in machine load hits both sides),
        ``ratio_min`` (fastest fit / fastest bare) and ``ratio_cpu`` (medians of CPU time).
    """
    import torch

    from tl_helpers.engine import fit

    wall: dict[str, list[float]] = {"fit": [], "bare": []}
    cpu: dict[str, list[float]] = {"fit": [], "bare": []}
    hists: dict[str, dict] = {}
    schedule = [("fit", "bare")] + [("fit", "bare") if r % 2 == 0 else ("bare", "fit") for r in range(repeats)]
    for r, order in enumerate(schedule):          # the first round is an untimed warm-up
        for name in order:
            torch.manual_seed(0)
            model = make_model()
            train_loader, test_loader = make_loaders()
            opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=lr)
            start, start_cpu = time.perf_counter(), time.process_time()
            if name == "fit":
                h = fit(model, train_loader, test_loader, opt, num_epochs, progress=False)
            else:
                h = bare_fit(model, train_loader, test_loader, opt, num_epochs)
            if r > 0:
                wall[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - start_cpu)
            hists[name] = h
    med = {k: statistics.median(v) for k, v in wall.items()}
    return {"epochs": num_epochs, "fit_s": wall["fit"], "bare_s": wall["bare"], "fit_cpu_s": cpu["fit"],
            "bare_cpu_s": cpu["bare"], "fit_median_s": med["fit"], "bare_median_s": med["bare"],
            "ratio": paired_median_ratio(wall["fit"], wall["bare"]),
            "ratio_of_medians": ratio(med["fit"], med["bare"]),
            "ratio_min": ratio(min(wall["fit"]), min(wall["bare"])),
            "ratio_cpu": ratio(statistics.median(cpu["fit"]), statistics.median(cpu["bare"])),
            "same_history": histories_agree(hists["fit"], hists["bare"])}


def bench_overhead(repeats: int = 7, head_epochs: int = 100, net_epochs: int = 3, profile: bool = False,
                   log: Callable[[str], None] = print) -> dict[str, Any]:
    """``engine.fit`` vs ``bare_fit`` on two workloads: the bundled backbone fine-tuned on the 100
    target images (evaluated on 200 test images), and a new head on cached features (where any
    per-batch overhead shows most).

    The loaders do not shuffle (same cost as shuffling), so both sides must produce the same history.
    """
    from torch import nn

    from tl_helpers import experiments as ex
    from tl_helpers.data import make_loader, subset_per_class
    from tl_helpers.engine import feature_loader

    task = ex.load_task("bundled", verbose=False)
    test_small = subset_per_class(task.test_ds, 20, seed=0)
    base = task.new_model(pretrained=True)
    for m in (task.train_ds, test_small):          # decode once, so neither side pays for it
        for i in range(len(m)):
            m[i]
    out: dict[str, Any] = {"repeats": repeats}
    out["network"] = compare_fit(
        lambda: copy.deepcopy(base),
        lambda: (make_loader(task.train_ds, 32), make_loader(test_small, 200)),
        ex.FINETUNE_LR, net_epochs, repeats)
    out["network"]["workload"] = (f"bundled ResNet-50 w16, all layers, {len(task.train_ds)} train / "
                                  f"{len(test_small)} test images, {net_epochs} epoch(s)")
    log(f"  network: fit {out['network']['fit_median_s']:.3f} s vs bare {out['network']['bare_median_s']:.3f} s")
    ftr, ytr = task.activations("fc", "train")
    fte, yte = task.activations("fc", "test")
    out["head"] = compare_fit(
        lambda: nn.Linear(ftr.shape[1], task.num_classes),
        lambda: (feature_loader(ftr, ytr, 32), feature_loader(fte, yte, 500)),
        ex.HEAD_LR, head_epochs, repeats)
    out["head"]["workload"] = f"linear head on cached features, {head_epochs} epochs"
    log(f"  head: fit {out['head']['fit_median_s'] * 1000:.1f} ms vs bare {out['head']['bare_median_s'] * 1000:.1f} ms")
    if profile:
        out["profile_head"] = profile_fit(lambda: nn.Linear(ftr.shape[1], task.num_classes),
                                          feature_loader(ftr, ytr, 32, shuffle=True, seed=0),
                                          feature_loader(fte, yte, 500), head_epochs * 10)
        log(out["profile_head"])
    return out


def profile_fit(make_model: Callable[[], Any], train_loader, test_loader, num_epochs: int, top: int = 25) -> str:
    """cProfile of ``engine.fit`` (sorted by own time): where a helper's overhead goes."""
    import torch

    from tl_helpers.engine import fit

    model = make_model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    prof = cProfile.Profile()
    prof.enable()
    fit(model, train_loader, test_loader, opt, num_epochs, progress=False)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    return buf.getvalue()


# =========================================================================== part: throughput

def bench_throughput(batch_size: int = 16, image_size: int = 224, iters: int = 3, warmup: int = 1,
                     log: Callable[[str], None] = print) -> dict[str, Any]:
    """Forward+backward of the full-width ResNet-50 on CPU, contiguous vs ``channels_last``.

    Timed iterations alternate between the two layouts so that a change in machine load hits both.
    """
    import torch
    from torch import nn

    from tl_helpers.anatomy import count_flops
    from tl_helpers.resnet import resnet50

    torch.manual_seed(0)
    base = resnet50()                                   # width 64: torchvision's ResNet-50
    flops = count_flops(base, (1, 3, image_size, image_size))
    x = torch.randn(batch_size, 3, image_size, image_size)
    y = torch.randint(0, 1000, (batch_size,))
    loss_fn = nn.CrossEntropyLoss()
    setups = {}
    for layout, fmt in (("contiguous", torch.contiguous_format), ("channels_last", torch.channels_last)):
        m = copy.deepcopy(base).to(memory_format=fmt).train()
        setups[layout] = (m, x.contiguous(memory_format=fmt))

    def step(layout: str) -> float:
        m, xb = setups[layout]
        start = time.perf_counter()
        for p in m.parameters():
            p.grad = None
        loss_fn(m(xb), y).backward()
        return time.perf_counter() - start

    for layout in setups:
        for _ in range(warmup):
            step(layout)
    times: dict[str, list[float]] = {k: [] for k in setups}
    for i in range(iters):
        for layout in (list(setups) if i % 2 == 0 else list(setups)[::-1]):
            times[layout].append(step(layout))
            log(f"  {layout}: {times[layout][-1]:.2f} s / batch")
    layouts = {}
    for layout, ts in times.items():
        s = statistics.median(ts)
        layouts[layout] = {"s_per_batch": s, "times": ts, "images_per_s": batch_size / s,
                           "gflops_per_s": train_gflops_per_s(flops, batch_size, s)}
    fast = min(layouts, key=lambda k: layouts[k]["s_per_batch"])
    slow = max(layouts, key=lambda k: layouts[k]["s_per_batch"])
    return {"model": "ResNet-50 (tl_helpers.resnet.resnet50, width 64)", "batch_size": batch_size,
            "image_size": image_size, "iters": iters, "warmup": warmup,
            "forward_gflops_per_image": flops / 1e9, "layouts": layouts, "faster": fast,
            "speedup": ratio(layouts[slow]["s_per_batch"], layouts[fast]["s_per_batch"])}


# =========================================================================== part: pretrain

def bench_pretrain(run: bool = False, limit: int | None = None, epochs: int | None = None,
                   log: Callable[[str], None] = print) -> dict[str, Any]:
    """Pretraining time recorded in the manifest, and optionally a fresh run into a temp folder."""
    from tl_helpers.weights import read_manifest

    prov = read_manifest(data_root())["provenance"]
    out: dict[str, Any] = {"manifest_total_s": prov.get("total_seconds"),
                           "manifest_train_s": prov.get("pretraining", {}).get("train_seconds"),
                           "manifest_epochs": prov.get("pretraining", {}).get("epochs")}
    if run:
        args = (["--limit", str(limit)] if limit else []) + (["--epochs", str(epochs)] if epochs else [])
        with tempfile.TemporaryDirectory(prefix="tl_bench_pretrain_") as tmp:
            log(f"  python -m tl_helpers.pretrain --out {tmp} {' '.join(args)}")
            start = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "tl_helpers.pretrain", "--out", tmp, *args],
                                  capture_output=True, text=True, cwd=PROJECT_ROOT)
            wall = time.perf_counter() - start
            run_info: dict[str, Any] = {"args": " ".join(args) or "defaults", "wall_s": wall,
                                        "ok": proc.returncode == 0, "full": not args}
            man = Path(tmp) / "MANIFEST.json"
            if man.exists():
                p = json.loads(man.read_text())["provenance"]
                run_info.update(total_s=p.get("total_seconds"), train_s=p["pretraining"].get("train_seconds"),
                                source_test_accuracy=p["pretraining"].get("source_test_accuracy"))
            if proc.returncode != 0:
                run_info["error"] = (proc.stderr or proc.stdout)[-500:]
        out["run"] = run_info
        log(f"  re-run: {wall:.1f} s")
    return out


# =========================================================================== part: io

def bench_io(log: Callable[[str], None] = print) -> dict[str, Any]:
    """DataLoader settings on CPU, inference mode in ``evaluate``, and the decode cache at work."""
    import torch
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    from tl_helpers import data as D
    from tl_helpers import images as I
    from tl_helpers.engine import evaluate
    from tl_helpers.weights import BundledWeights

    workers = inspect.signature(D.make_loader).parameters["num_workers"].default

    class Probe(nn.Module):
        seen: list[bool] = []

        def forward(self, x):
            Probe.seen.append(torch.is_inference_mode_enabled())
            return torch.zeros(len(x), 2)

    evaluate(Probe(), DataLoader(TensorDataset(torch.zeros(4, 1), torch.zeros(4, dtype=torch.long)), batch_size=2))
    inference = bool(Probe.seen) and all(Probe.seen)

    # Does train_one_epoch see a seeded loader's batches in the order a plain `for` loop does?
    from tl_helpers.engine import feature_loader, train_one_epoch

    feats, labels = torch.arange(64.0).unsqueeze(1), torch.arange(64) % 2
    plain = [x[:, 0].tolist() for x, _ in feature_loader(feats, labels, 16, shuffle=True, seed=0)]
    seen_order: list[list[float]] = []
    head = nn.Linear(1, 2)
    head.register_forward_hook(lambda _m, inp, _o: seen_order.append(inp[0][:, 0].tolist()))
    train_one_epoch(head, feature_loader(feats, labels, 16, shuffle=True, seed=0), nn.CrossEntropyLoss(),
                    torch.optim.SGD(head.parameters(), lr=0.0))
    same_order = seen_order == plain

    test_dir = D.bundled_dataset_dir() / "test"
    paths = [p for p, _ in D.scan_image_folder(test_dir, verbose=False).samples]
    I.clear_image_cache()
    timings, hits = [], []
    for _ in range(2):
        before = len(I._cache)
        start = time.perf_counter()
        for p in paths:
            I.load_image(p)
        timings.append(time.perf_counter() - start)
        hits.append(len(paths) - (len(I._cache) - before))   # files not newly decoded
    I.clear_image_cache()
    ds = D.ImageFolderDataset(test_dir, BundledWeights().transforms(), verbose=False)
    ds_t = []
    for _ in range(2):
        start = time.perf_counter()
        for i in range(len(ds)):
            ds[i]
        ds_t.append(time.perf_counter() - start)
    log(f"  decode: first {timings[0]:.3f} s, second {timings[1]:.4f} s")
    return {"make_loader_num_workers_default": workers, "evaluate_inference_mode": inference,
            "engine_batch_order_matches_plain_loop": same_order,
            "images": len(paths), "decode_first_s": timings[0], "decode_second_s": timings[1],
            "decode_speedup": ratio(timings[0], timings[1]), "cache_hits_second_pass": hits[1],
            "dataset_first_s": ds_t[0], "dataset_second_s": ds_t[1]}


# =========================================================================== driver

def environment() -> dict[str, Any]:
    """Machine and library versions, and the load average (how busy the CPU was)."""
    import torch

    cpu = platform.processor() or platform.machine()
    text = _read("/proc/cpuinfo")
    if text:
        m = re.search(r"model name\s*:\s*(.+)", text)
        cpu = m.group(1).strip() if m else cpu
    return {"cpu": cpu, "cpu_count": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(), "torch": torch.__version__,
            "torch_threads": torch.get_num_threads(), "psutil": psutil is not None,
            "deterministic_algorithms": torch.are_deterministic_algorithms_enabled(),
            "omp_env": {k: os.environ[k] for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OMP_WAIT_POLICY")
                        if k in os.environ},
            "loadavg_start": _loadavg(), "started": _dt.datetime.now().isoformat(timespec="seconds")}


def _loadavg() -> list[float] | None:
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parts", default="all", help=f"comma-separated, from: {', '.join(PARTS)} (default all)")
    ap.add_argument("--notebooks", default=None, help="comma-separated notebook stems or prefixes (default all)")
    ap.add_argument("--quick-only", action="store_true", help="series: quick mode only, no full-mode runs")
    ap.add_argument("--timeout", type=float, default=1200.0, help="series: seconds per notebook run")
    ap.add_argument("--repeats", type=int, default=7, help="overhead: interleaved repeats")
    ap.add_argument("--net-epochs", type=int, default=3, help="overhead: epochs per run, whole network")
    ap.add_argument("--head-epochs", type=int, default=100, help="overhead: epochs per run, head on features")
    ap.add_argument("--run-repeats", type=int, default=2, help="runs: interleaved repeats of old and new")
    ap.add_argument("--run-seeds", type=int, default=3, help="runs: seeds for train_seeds' per-seed time")
    ap.add_argument("--cached-epochs", type=int, default=30, help="cache: epochs on cached features")
    ap.add_argument("--recompute-epochs", type=int, default=2, help="cache: epochs through the backbone")
    ap.add_argument("--iters", type=int, default=3, help="throughput: timed batches per layout")
    ap.add_argument("--warmup", type=int, default=1, help="throughput: warm-up batches per layout")
    ap.add_argument("--batch-size", type=int, default=16, help="throughput: batch size")
    ap.add_argument("--image-size", type=int, default=224, help="throughput: image side in px")
    ap.add_argument("--pretrain-run", action="store_true", help="pretrain: re-run pretraining into a temp dir")
    ap.add_argument("--pretrain-limit", type=int, default=None, help="pretrain: only this many source images")
    ap.add_argument("--pretrain-epochs", type=int, default=None, help="pretrain: epochs of the re-run")
    ap.add_argument("--smoke", action="store_true",
                    help="small settings for a quick check (2 repeats of 1 epoch, 1 recompute epoch, 1 timed batch)")
    ap.add_argument("--profile", action="store_true", help="overhead: print a cProfile of engine.fit")
    ap.add_argument("--threads", type=int, default=None,
                    help="torch threads here and OMP_NUM_THREADS for notebook kernels (default: torch's own)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON results (default {DEFAULT_OUT})")
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        parts = parse_parts(args.parts)
        notebooks = select_notebooks(NOTEBOOK_DIR, args.notebooks) if "series" in parts else []
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
        os.environ["OMP_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = str(args.threads)
    if args.smoke:
        args.repeats, args.recompute_epochs, args.cached_epochs, args.run_repeats, args.run_seeds = 2, 1, 10, 1, 2
        args.net_epochs, args.head_epochs = 1, 20
        args.iters, args.warmup = 1, 1
    results: dict[str, Any] = {"environment": environment(), "args": {k: str(v) for k, v in vars(args).items()}}
    runners: dict[str, Callable[[], dict]] = {
        "series": lambda: bench_series(notebooks, args.quick_only, args.timeout),
        "runs": lambda: bench_runs(args.run_repeats, args.run_seeds, 2 if args.smoke else None),
        "cache": lambda: bench_cache(args.cached_epochs, args.recompute_epochs),
        "overhead": lambda: bench_overhead(args.repeats, args.head_epochs, args.net_epochs, args.profile),
        "throughput": lambda: bench_throughput(args.batch_size, args.image_size, args.iters, args.warmup),
        "pretrain": lambda: bench_pretrain(args.pretrain_run, args.pretrain_limit, args.pretrain_epochs),
        "io": lambda: bench_io(),
    }
    crashed = False
    for part in parts:
        print(f"[{part}]", flush=True)
        start = time.perf_counter()
        try:
            results[part] = runners[part]()
        except Exception as err:          # keep the other parts' results
            traceback.print_exc()
            results[part] = {"error": f"{type(err).__name__}: {err}"}
            crashed = True
        results[part]["part_seconds"] = time.perf_counter() - start
        results[part]["loadavg_after"] = _loadavg()
    results["environment"]["loadavg_end"] = _loadavg()
    results["bars"] = judge_bars(results)
    print()
    print(format_report(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, default=str) + "\n")
    print(f"\nWrote {args.out}")
    return 1 if crashed else 0


if __name__ == "__main__":
    raise SystemExit(main())
