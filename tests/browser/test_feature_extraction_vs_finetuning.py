"""A learner runs 07_feature_extraction_vs_finetuning.ipynb in JupyterLab and plays with its widgets.

The widget contract (CSS classes the notebook's widgets carry):
``tl-mode-toggle`` ToggleButtons "feature extraction (frozen backbone)" / "fine-tuning (unfrozen stages)";
``tl-unfreeze`` the stage selector (a Dropdown with a "layer4" choice);
``tl-trainable`` "Trainable parameters: N of M (p%): <what trains>"; ``tl-train-button`` the "Train" button;
``tl-result`` "Training..." while it trains, then "Validation accuracy: ... (run k)"; ``tl-details`` what the run
trained ("head first (H epochs), then fine-tuned ... for E epochs"); ``tl-curve`` the live curve, a PNG whose
text chunk "Description" records its x axis (``{"xlim": [lo, hi], "title": ...}``).

The learner double-clicks Train and flips the toggle while it trains: exactly one run must happen, the controls
must be locked during it, and the live curve's x axis must span the whole run (head phase + fine-tuning) from
its first drawing.

``TL_BROWSER_TIMEOUT_S`` sets the Run All timeout (default 900 s).
``TL_BROWSER_BREAK_TOGGLE=1`` appends a cell to the (copied) notebook that detaches every callback from the
toggle, to check that this test then fails (it must).
"""
from __future__ import annotations

import json
import os
import re
import time

import pytest

NOTEBOOK = "07_feature_extraction_vs_finetuning.ipynb"
FREEZE = "feature extraction (frozen backbone)"
FINETUNE = "fine-tuning (unfrozen stages)"
#: Run All may train for minutes in quick mode on a busy 2-core machine; TL_BROWSER_TIMEOUT_S overrides.
RUN_ALL_TIMEOUT_S = float(os.environ.get("TL_BROWSER_TIMEOUT_S", 1800))   # 07 trains 5 seeds x 3 strategies + controls
TRAIN_TIMEOUT_S = 600
WIDGETS = ("tl-mode-toggle", "tl-unfreeze", "tl-trainable", "tl-train-button", "tl-result", "tl-curve")

#: Records every drawing of the live curve: on each new ``src`` of the ``tl-curve`` image, fetch the PNG and keep
#: its "Description" text chunk (the figure's x axis and title) in ``window.__tlCurves``.
CAPTURE_CURVES = r"""el => {
    window.__tlCurves = [];
    const description = buf => {
        const b = new Uint8Array(buf), dv = new DataView(buf);
        for (let i = 8; i + 8 <= b.length; ) {
            const n = dv.getUint32(i), type = String.fromCharCode(...b.subarray(i + 4, i + 8));
            if (type === 'tEXt') {
                const data = new TextDecoder('latin1').decode(b.subarray(i + 8, i + 8 + n)), k = data.indexOf('\0');
                if (data.slice(0, k) === 'Description') return data.slice(k + 1);
            }
            i += 12 + n;
        }
        return 'no Description chunk';
    };
    new MutationObserver(() => fetch(el.src).then(r => r.arrayBuffer())
        .then(b => window.__tlCurves.push(description(b)))
        .catch(e => window.__tlCurves.push('fetch failed: ' + e)))
        .observe(el, {attributes: true, attributeFilter: ['src']});
}"""

#: Are the widget's controls disabled in the page (buttons, toggle buttons, the stage select)?
CONTROLS_DISABLED = """p => ({
    train: p.querySelector('.tl-train-button').disabled,
    toggle: Array.from(p.querySelectorAll('.tl-mode-toggle button')).every(b => b.disabled),
    unfreeze: p.querySelector('.tl-unfreeze select').disabled })"""

#: Appended to the copy when TL_BROWSER_BREAK_TOGGLE=1: unobserve the toggle's callbacks (the widget's own
#: class-level handlers, which keep index/value/label in step, are traitlets EventHandlers and stay).
BREAK_TOGGLE = """\
# TL_BROWSER_BREAK_TOGGLE: simulate a broken toggle callback
from ipywidgets.widgets.widget import _instances
from traitlets import EventHandler
for _w in list(_instances.values()):
    if "tl-mode-toggle" in getattr(_w, "_dom_classes", ()):
        for _kinds in _w._trait_notifiers.values():
            _kinds["change"] = [h for h in _kinds.get("change", []) if isinstance(h, EventHandler)]
"""


def parse_trainable(text: str) -> tuple[int, int]:
    """``"Trainable parameters: 5,130 of 1,480,000"`` -> ``(5130, 1480000)``."""
    m = re.search(r"Trainable parameters:\s*([\d][\d,.\s\u00a0\u202f']*?)\s*of\s*([\d][\d,.\s\u00a0\u202f']*)", text)
    assert m, f"no 'Trainable parameters: N of M' in {text!r}"
    return tuple(int(re.sub(r"\D", "", g)) for g in m.groups())


def test_parse_trainable():
    assert parse_trainable("Trainable parameters: 5,130 of 1,480,000") == (5130, 1480000)
    assert parse_trainable("Trainable parameters: 12 of 34 (35.3%)") == (12, 34)


def _count_or_none(text: str) -> int | None:
    try:
        return parse_trainable(text)[0]
    except AssertionError:
        return None


def _notebook_copy(src, tmp_path):
    """The notebook to open: the original, or a copy with its toggle callbacks detached."""
    if os.environ.get("TL_BROWSER_BREAK_TOGGLE", "0") in ("", "0"):
        return src
    nb = json.loads(src.read_text())
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "tl-break-toggle",
                        "metadata": {}, "outputs": [], "source": BREAK_TOGGLE})
    dst = tmp_path / src.name
    dst.write_text(json.dumps(nb))
    print("TL_BROWSER_BREAK_TOGGLE=1: the toggle's callbacks are detached in this run (the test must fail)")
    return dst


def _widget_area(page, panel) -> dict:
    """Clip rectangle around every ``tl-*`` widget, after scrolling them to the top of the notebook view."""
    panel.locator(".tl-mode-toggle").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)  # let the scroll and any image settle
    return panel.evaluate("""p => {
        const view = p.querySelector('.jp-Notebook').getBoundingClientRect();
        const rs = Array.from(p.querySelectorAll('[class*="tl-"]'))
                        .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
        const x0 = Math.max(view.left, Math.min(...rs.map(r => r.left)) - 12);
        const y0 = Math.max(view.top, Math.min(...rs.map(r => r.top)) - 12);
        const x1 = Math.min(view.right, Math.max(...rs.map(r => r.right)) + 12);
        const y1 = Math.min(view.bottom, Math.max(...rs.map(r => r.bottom)) + 12);
        return {x: x0, y: y0, width: x1 - x0, height: y1 - y0}; }""")


def _truncated_texts(panel) -> list[str]:
    """Texts of the ``tl-*`` widgets' buttons and labels that do not fit their box (cut off or ellipsised)."""
    return panel.evaluate("""p => Array.from(p.querySelectorAll('[class*="tl-"]'))
        .flatMap(w => [w, ...w.querySelectorAll('button, label, .widget-label, select')])
        .filter(e => e.offsetParent !== null && e.innerText.trim() && e.scrollWidth > e.clientWidth + 1)
        .map(e => (e.className + ': ' + e.innerText.trim()).slice(0, 120))""")


def _wait_text(locator, predicate, timeout_s, what):
    """Poll ``locator``'s text until ``predicate(text)``; returns the text."""
    deadline = time.monotonic() + timeout_s
    text = locator.inner_text()
    while not predicate(text):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still {text!r} after {timeout_s:.0f} s")
        locator.page.wait_for_timeout(250)
        text = locator.inner_text()
    return text


@pytest.mark.browser
def test_toggle_and_train_in_the_browser(open_notebook, notebook_src, tmp_path):
    src = notebook_src / NOTEBOOK
    if not src.exists():
        pytest.fail(f"{src} is missing")
    nb = open_notebook(_notebook_copy(src, tmp_path))
    page, panel = nb.page, nb.panel

    # Run > Run All Cells, as a learner would: nothing may raise, and the widgets render.
    nb.run_all_cleanly(RUN_ALL_TIMEOUT_S, WIDGETS)
    toggle = panel.locator(".tl-mode-toggle").first
    trainable = panel.locator(".tl-trainable").first
    result = panel.locator(".tl-result").first
    freeze_button = toggle.get_by_role("button", name=FREEZE, exact=True)
    finetune_button = toggle.get_by_role("button", name=FINETUNE, exact=True)
    assert freeze_button.count() == 1 and finetune_button.count() == 1, toggle.inner_text()

    # Start from "freeze" (the notebook's own checks leave the toggle on fine-tuning).
    count_on_arrival = _count_or_none(trainable.inner_text())
    if "mod-active" not in (freeze_button.get_attribute("class") or ""):
        freeze_button.click()
        _wait_text(trainable, lambda t: _count_or_none(t) not in (None, count_on_arrival), 30,
                   f"tl-trainable after clicking {FREEZE!r} (toggle callback broken?)")
        nb.wait_kernel_idle()
    frozen_text = _wait_text(trainable, lambda t: "Trainable parameters" in t, 30, "tl-trainable")
    frozen_count, total = parse_trainable(frozen_text)
    result_before = result.inner_text()
    nb.screenshot_clip(_widget_area(page, panel), "07_widgets_before.png")
    cut = _truncated_texts(panel)
    assert not cut, f"widget texts cut off (too narrow to read, see 07_widgets_before.png): {cut}"

    # Switch to fine-tuning: the trainable count must follow.
    finetune_button.click()
    finetune_text = _wait_text(trainable, lambda t: _count_or_none(t) not in (None, frozen_count), 30,
                               f"tl-trainable after clicking {FINETUNE!r} (toggle callback broken?)")
    nb.wait_kernel_idle()
    finetune_count, total2 = parse_trainable(trainable.inner_text())
    assert total2 == total and frozen_count < finetune_count <= total, (frozen_text, finetune_text)
    assert "mod-active" in (finetune_button.get_attribute("class") or "")
    print(f"trainable: {frozen_text!r} -> {trainable.inner_text()!r}")

    # The stage selector: unfreezing only layer4 trains fewer parameters; back to all restores the count.
    stage = panel.locator(".tl-unfreeze select").first
    all_label = stage.evaluate("s => s.options[s.selectedIndex].text")
    stage.select_option(label="layer4")
    layer4_text = _wait_text(trainable, lambda t: _count_or_none(t) not in (None, finetune_count), 30,
                             "tl-trainable after choosing layer4 in tl-unfreeze")
    assert frozen_count < parse_trainable(layer4_text)[0] < finetune_count, layer4_text
    stage.select_option(label=all_label)
    _wait_text(trainable, lambda t: _count_or_none(t) == finetune_count, 30,
               f"tl-trainable after choosing {all_label!r} again")
    nb.wait_kernel_idle()

    # Train, as an impatient learner: double-click, then flip the toggle while it trains.
    result.evaluate("""e => { window.__tlResultTexts = [e.innerText];
        new MutationObserver(() => window.__tlResultTexts.push(e.innerText))
            .observe(e, {subtree: true, childList: true, characterData: true}); }""")
    panel.locator(".tl-curve").first.evaluate(CAPTURE_CURVES)
    runs_before = int(re.search(r"\(run (\d+)\)", result_before).group(1)) if "(run" in result_before else 0
    panel.locator(".tl-train-button").first.dblclick()
    start = time.monotonic()
    _wait_text(result, lambda t: "Training" in t, 60, "tl-result after double-clicking Train")
    locked = panel.evaluate(CONTROLS_DISABLED)
    freeze_button.click(force=True)                       # a flip mid-run: the locked toggle must not change
    result_after = _wait_text(result, lambda t: "Validation accuracy:" in t and t != result_before, TRAIN_TIMEOUT_S,
                              "tl-result after clicking Train")
    nb.wait_kernel_idle()
    page.wait_for_timeout(3000)                           # time for a queued second click to start a second run
    nb.wait_kernel_idle()
    seen = page.evaluate("window.__tlResultTexts")
    result_after, details = result.inner_text(), panel.locator(".tl-details").first.inner_text()
    print(f"training took {time.monotonic() - start:.0f} s; tl-result went {seen}; controls while training: "
          f"{locked}; details: {details!r}")
    assert all(locked.values()), f"controls not locked while training: {locked}"
    starts = sum("Training" in t and (i == 0 or "Training" not in seen[i - 1]) for i, t in enumerate(seen))
    assert starts == 1, f"not exactly one run after a double click: {seen}"
    assert re.search(r"Validation accuracy:\s*0\.\d{3} \(run %d\)" % (runs_before + 1), result_after), result_after

    # The toggle and the texts are consistent with what was trained: fine-tuning of every stage.
    assert "mod-active" in (finetune_button.get_attribute("class") or ""), "the locked toggle flipped"
    assert parse_trainable(trainable.inner_text())[0] == finetune_count, trainable.inner_text()
    assert trainable.inner_text().endswith("stem, layer1, layer2, layer3, layer4 + the new head fc")
    assert f"{finetune_count:,} trainable" in details and "layer4 + the new head fc" in details, details

    # The live curve kept one x axis, the whole run, from its first drawing (cleared at the start).
    head, tune = (int(n) for n in re.search(r"head first \((\d+) epochs\).* for (\d+) epochs", details).groups())
    curves = [json.loads(c) for c in page.evaluate("window.__tlCurves")]
    print(f"{len(curves)} drawings of the curve: {[c['title'] for c in curves]}")
    assert len(curves) >= 3 and "starting" in curves[0]["title"], curves[:2]
    assert all(c["xlim"] == [0.5, head + tune + 0.5] for c in curves), [c["xlim"] for c in curves]
    epochs = [c for c in curves if re.search(r": epoch \d+ of", c["title"])]      # never empty axes, from epoch 1
    assert epochs and all(c["points"] and min(c["points"]) >= 1 for c in epochs), epochs[:2]
    nb.screenshot_clip(_widget_area(page, panel), "07_widgets_after.png")
    _train_then_toggle_at_once(nb, runs_before + 1)
    assert not nb.errors(), f"the widget callbacks raised: {nb.errors()}"


#: Click Train, then the "feature extraction" button ``gap`` ms later, from the page itself (before the kernel
#: has disabled the toggle); resolves to whether the toggle was still enabled when clicked.
TRAIN_THEN_TOGGLE = """(p, [freeze, gap]) => new Promise(done => {
    p.querySelector('.tl-train-button').click();
    setTimeout(() => {
        const b = Array.from(p.querySelectorAll('.tl-mode-toggle button')).find(e => e.innerText.trim() === freeze);
        const enabled = !b.disabled;
        b.click();
        done(enabled);
    }, gap); })"""


def _train_then_toggle_at_once(nb, runs: int) -> None:
    """Issue 22's race: layer4 fine-tuning, Train, and the toggle ~50 ms later. Exactly one run; once the kernel is
    idle, toggle, stage selector, count line and details all describe the run that trained (the toggle refused
    and put back: layer4; or, had it been handled first, feature extraction)."""
    panel, page = nb.panel, nb.page
    stage, trainable = panel.locator(".tl-unfreeze select").first, panel.locator(".tl-trainable").first
    result, details = panel.locator(".tl-result").first, panel.locator(".tl-details").first
    stage.select_option(label="layer4")
    _wait_text(trainable, lambda t: t.endswith(": layer4 + the new head fc"), 30, "tl-trainable after layer4")
    nb.wait_kernel_idle()
    enabled = panel.evaluate(TRAIN_THEN_TOGGLE, [FREEZE, 50])
    _wait_text(result, lambda t: f"(run {runs + 1})" in t, TRAIN_TIMEOUT_S, "tl-result after Train + toggle")
    nb.wait_kernel_idle()
    page.wait_for_timeout(3000)                           # a queued toggle or click would land by now
    nb.wait_kernel_idle()
    shown = {"toggle": panel.locator(".tl-mode-toggle button.mod-active").first.inner_text().strip(),
             "stage": stage.evaluate("s => s.options[s.selectedIndex].text"), "trainable": trainable.inner_text(),
             "details": details.inner_text(), "result": result.inner_text()}
    print(f"Train, then the toggle 50 ms later (toggle still enabled when clicked: {enabled}): {shown}")
    assert shown["result"].endswith(f"(run {runs + 1})"), shown
    if "then fine-tuned layer4 + the new head fc" in shown["details"]:      # the toggle was refused, put back
        assert (shown["toggle"], shown["stage"]) == (FINETUNE, "layer4"), shown
        assert shown["trainable"].endswith(": layer4 + the new head fc"), shown
    else:                                                                    # it got in first: the page says so
        assert "trained the new head for" in shown["details"] and shown["toggle"] == FREEZE, shown
        assert shown["trainable"].endswith(": the new head fc only") and "none" in shown["stage"], shown
