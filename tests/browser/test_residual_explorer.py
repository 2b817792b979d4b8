"""A learner runs 02_residual_blocks.ipynb in JupyterLab and plays with the gradient-flow explorer.

The widget contract (CSS classes of ``tl.GradientFlowExplorer``'s widgets):
``tl-grad-depth`` the depth slider (8-56, step 6); ``tl-grad-init`` the initialisation toggle;
``tl-grad-bn`` the BatchNorm checkbox; ``tl-grad-shortcut`` the shortcut checkbox;
``tl-grad-figure`` the image with both panels; ``tl-grad-summary`` one line naming the network
(``plain-44, default init, no BatchNorm: ...``) with what was measured.

``TL_BROWSER_TIMEOUT_S`` sets the Run All timeout (default 900 s).
"""
from __future__ import annotations

import os
import re
import time

import pytest

NOTEBOOK = "02_residual_blocks.ipynb"
RUN_ALL_TIMEOUT_S = float(os.environ.get("TL_BROWSER_TIMEOUT_S", 900))
UPDATE_TIMEOUT_S = 120          # one update is well under a second on an idle laptop; CI machines are busy
WIDGETS = ("tl-grad-depth", "tl-grad-init", "tl-grad-bn", "tl-grad-shortcut", "tl-grad-figure", "tl-grad-summary")


def network_name(summary: str) -> str | None:
    """``"plain-44, default init, no BatchNorm: gradient ..."`` -> ``"plain-44"``."""
    m = re.search(r"\b((?:plain|residual)-\d+),", summary)
    return m.group(1) if m else None


def test_network_name():
    assert network_name("plain-44, default init, no BatchNorm: gradient norm of layer 1 1e-18") == "plain-44"
    assert network_name("residual-20, kaiming init, BatchNorm: ...") == "residual-20"
    assert network_name("Loading...") is None


def _figure_src(panel) -> str:
    return panel.locator(".tl-grad-figure").first.evaluate(
        "e => (e.tagName === 'IMG' ? e : e.querySelector('img')).src")


def _wait_update(panel, summary_before: str, src_before: str, want: str, what: str) -> tuple[str, str, float]:
    """Wait until the summary names ``want`` and the image changed; returns (summary, src, seconds)."""
    summary = panel.locator(".tl-grad-summary").first
    start = time.monotonic()
    while True:
        text, src = summary.inner_text(), _figure_src(panel)
        if network_name(text) == want and text != summary_before and src != src_before:
            return text, src, time.monotonic() - start
        if time.monotonic() - start > UPDATE_TIMEOUT_S:
            raise AssertionError(f"{what}: summary {text!r} (wanted {want}), image changed: {src != src_before}")
        panel.page.wait_for_timeout(250)


def _set_depth(page, panel, depth: int) -> None:
    """Type ``depth`` into the slider's readout, as a learner can (falls back to the arrow keys)."""
    readout = panel.locator(".tl-grad-depth .widget-readout").first
    readout.scroll_into_view_if_needed()
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(depth))
    page.keyboard.press("Enter")


@pytest.mark.browser
def test_explorer_redraws_when_depth_and_shortcut_change(open_notebook, notebook_src):
    src = notebook_src / NOTEBOOK
    if not src.exists():
        pytest.fail(f"{src} is missing")
    nb = open_notebook(src)
    page, panel = nb.page, nb.panel

    nb.run_all_cleanly(RUN_ALL_TIMEOUT_S, WIDGETS)
    summary = panel.locator(".tl-grad-summary").first
    text0, src0 = summary.inner_text(), _figure_src(panel)
    assert network_name(text0) == "plain-44", f"the notebook should leave the explorer at plain-44: {text0!r}"
    assert src0, "the figure has no image"
    nb.screenshot(panel.locator(".tl-grad-figure").first, "02_explorer_before.png")

    # The depth slider: 44 -> 20 layers rebuilds the network and redraws.
    _set_depth(page, panel, 20)
    text1, src1, s1 = _wait_update(panel, text0, src0, "plain-20", "after setting the depth to 20")
    nb.wait_kernel_idle()

    # The shortcut checkbox: the same depth with shortcuts.
    panel.locator(".tl-grad-shortcut input[type=checkbox]").first.click()
    text2, src2, s2 = _wait_update(panel, text1, src1, "residual-20", "after ticking the shortcut")
    nb.wait_kernel_idle()
    print(f"summaries: {text0!r} -> {text1!r} -> {text2!r}; updates seen after {s1:.1f} s and {s2:.1f} s")
    nb.screenshot(panel.locator(".tl-grad-figure").first, "02_explorer_after.png")
    assert not nb.errors(), f"the widget callbacks raised: {nb.errors()}"
