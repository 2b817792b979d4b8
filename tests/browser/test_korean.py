"""The Korean edition in JupyterLab: a learner opens ``notebooks/ko/07_feature_extraction_vs_finetuning.ipynb``,
runs the cells the training widget needs, and the widget speaks Korean.

Only those cells run, one at a time as a learner runs a cell (selected, Ctrl+Enter): the imports with the language
line, the one that loads the task, and the one that shows ``tl.TransferTrainer`` (found in the notebook's code).
The rest of 07 trains for minutes and is executed by the test command's notebook run (both editions) and by
``test_feature_extraction_vs_finetuning.py`` (Run All in the browser), whose checks of behaviour hold in both
languages. The expected texts are the Korean catalogue's (``tl_helpers.i18n.catalogue("ko")``,
``tl_helpers/locales/ko/widgets.py``) for the widget's English labels, so a label the catalogue lacks fails here by
name, and a label that the notebook shows in English (``tl.set_language("ko")`` missing, or a label not passed
through ``tr``) fails too. ``TL_BROWSER_TIMEOUT_S`` sets the timeout of running those cells (default 600 s).
"""
from __future__ import annotations

import os
import re
import string
import time

import nbformat
import pytest

NOTEBOOK = "07_feature_extraction_vs_finetuning.ipynb"
COPY_NAME = f"ko_{NOTEBOOK}"  # the server's root may hold the English 07 as well
WIDGET_CALL = "tl.TransferTrainer("  # the code of the cell that shows the widget
RUN_TIMEOUT_S = float(os.environ.get("TL_BROWSER_TIMEOUT_S", 600))
HANGUL = re.compile(r"[\uac00-\ud7a3]")

#: The widget's labels in English (the values the code reads, and the texts ``tr`` looks up).
MODE_LABELS = ("feature extraction (frozen backbone)", "fine-tuning (unfrozen stages)")
DESCRIPTIONS = {"tl-unfreeze": "unfreeze", "tl-lr": "learning rate", "tl-epochs": "epochs"}
BUTTON, RESULT = "Train", "Press Train to see the validation accuracy."
STAGE_OPTIONS = ("none (head only)", "all")
COUNT_LINE = "Trainable parameters: {n:,} of {total:,} ({share}): {what}"
HEAD_ONLY_WHAT = "the new head fc only"

#: What the page shows of the widget: toggle buttons, the controls' labels, the button, the lines, the options.
SHOWN = """p => {
    const text = sel => { const e = p.querySelector(sel); return e ? e.innerText.trim() : null; };
    return {
        modes: Array.from(p.querySelectorAll('.tl-mode-toggle .widget-toggle-button')).map(b => b.innerText.trim()),
        labels: Object.fromEntries(['tl-unfreeze', 'tl-lr', 'tl-epochs']
            .map(c => [c, text(`.${c} .widget-label`)])),
        button: text('.tl-train-button'), result: text('.tl-result'), count: text('.tl-trainable'),
        options: Array.from(p.querySelectorAll('.tl-unfreeze select option')).map(o => o.text.trim()),
        selected: (s => s ? s.options[s.selectedIndex].text.trim() : null)(p.querySelector('.tl-unfreeze select')),
    }; }"""


def korean(english: str) -> str:
    """The catalogue's Korean for ``english`` (the test fails naming a text that has none)."""
    from tl_helpers.i18n import catalogue
    found = catalogue("ko").get(english)
    if found is None:
        pytest.fail(f"no Korean translation of the widget's label {english!r} in tl_helpers/locales/ko/")
    return found


def template_pattern(template: str) -> re.Pattern:
    """A regex that matches ``template`` with any text in each ``{field}``."""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(r"(.+?)")
    return re.compile("".join(parts) + r"\Z", re.S)


def test_template_pattern():
    p = template_pattern("학습되는 매개변수: {total:,}개 중 {n:,}개 ({share}): {what}")
    assert p.match("학습되는 매개변수: 1,480,000개 중 5,130개 (0.35%): 새 헤드 fc만").groups() == (
        "1,480,000", "5,130", "0.35%", "새 헤드 fc만")
    assert not p.match("Trainable parameters: 5,130 of 1,480,000 (0.35%): the new head fc only")


#: What the widget's cell needs from the cells before it: the imports (with the language line) and the task.
NEEDED = ("import tl_helpers", "task = tl.load_task(")


def needed_cells(src) -> list[int]:
    """Indices (among all cells) of the code cells to run, in order: those holding ``NEEDED``, then the widget's."""
    cells = nbformat.read(src, as_version=4).cells
    code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
    widget = next((i for i in code if WIDGET_CALL in cells[i].source), None)
    if widget is None:
        pytest.fail(f"{src.name} has no code cell with {WIDGET_CALL!r}")
    before = [next((i for i in code if need in cells[i].source and i < widget), None) for need in NEEDED]
    if None in before:
        pytest.fail(f"{src.name}: no code cell before the widget's holds {NEEDED[before.index(None)]!r}")
    return [*sorted(set(before)), widget]


def run_cells(nb, indices: list[int], timeout_s: float) -> float:
    """Run each cell of ``indices`` in turn as a learner runs one cell (click its prompt column, Escape, Ctrl+Enter),
    waiting for its execution count and an idle kernel. Returns the seconds it took; fails on a cell that raised
    or on the timeout."""
    start = time.monotonic()
    for i in indices:
        cell = nb.panel.locator(".jp-Notebook .jp-Cell").nth(i)
        cell.scroll_into_view_if_needed()
        prompt = cell.locator(".jp-InputArea-prompt").first
        prompt.click()                                                       # selects the cell, no edit
        nb.page.keyboard.press("Escape")                                     # command mode
        nb.page.keyboard.press("Control+Enter")                              # run the selected cell
        while not (re.fullmatch(r"\[\d+\]:", prompt.inner_text().strip()) and nb.kernel_status() == "idle"):
            if nb.errors():
                pytest.fail(f"cell {i + 1} raised: {nb.errors()}")
            if time.monotonic() - start > timeout_s:
                raise AssertionError(f"cell {i + 1} did not finish within {timeout_s:.0f} s: prompt "
                                     f"{prompt.inner_text()!r}, kernel {nb.kernel_status()!r}")
            nb.dismiss_dialogs()
            nb.page.wait_for_timeout(250)
    return time.monotonic() - start


@pytest.mark.browser
def test_the_korean_notebook_shows_the_widget_in_korean(open_notebook, notebook_src):
    src = notebook_src / "ko" / NOTEBOOK
    if not src.exists():
        pytest.fail(f"{src} is missing (python tools/translations.py sync makes it)")
    expected = {"modes": [korean(m) for m in MODE_LABELS],
                "labels": {cls: korean(text) for cls, text in DESCRIPTIONS.items()},
                "button": korean(BUTTON), "result": korean(RESULT),
                "options": [korean(o) for o in STAGE_OPTIONS]}
    count_line, head_only = template_pattern(korean(COUNT_LINE)), korean(HEAD_ONLY_WHAT)
    english = set(MODE_LABELS) | set(DESCRIPTIONS.values()) | {BUTTON, RESULT, *STAGE_OPTIONS}
    assert all(HANGUL.search(t) for t in expected["modes"] + list(expected["labels"].values()) +
               [expected["button"], expected["result"]] + expected["options"]), \
        f"a catalogue entry of the widget has no Korean letters: {expected}"

    cells = needed_cells(src)
    nb = open_notebook(src, COPY_NAME)
    seconds = run_cells(nb, cells, RUN_TIMEOUT_S)
    print(f"{COPY_NAME}: cells {[i + 1 for i in cells]} (the widget's last) ran in {seconds:.0f} s")
    box = nb.panel.locator(".tl-transfer-trainer").first
    box.wait_for(state="visible", timeout=60_000)
    box.locator(".tl-mode-toggle .widget-toggle-button").first.wait_for(state="visible", timeout=60_000)
    shown = nb.panel.evaluate(SHOWN)
    nbsp = lambda t: t.replace("\xa0", " ")     # a dropdown shows the spaces of its options as no-break spaces
    shown["options"], shown["selected"] = [nbsp(o) for o in shown["options"]], nbsp(shown["selected"] or "")
    nb.screenshot(box, "ko_07_widget.png")
    print(f"the widget shows: {shown}")

    assert shown["modes"] == expected["modes"], shown["modes"]
    assert shown["labels"] == expected["labels"], shown["labels"]
    assert shown["button"] == expected["button"] and shown["result"] == expected["result"], shown
    assert all(o in shown["options"] for o in expected["options"]), shown["options"]
    assert shown["selected"] == expected["options"][0], "feature extraction starts with the head only"
    match = count_line.match(shown["count"] or "")
    assert match and shown["count"].endswith(head_only), f"count line {shown['count']!r}, expected the pattern " \
                                                          f"{count_line.pattern!r} ending in {head_only!r}"
    texts = [*shown["modes"], *shown["labels"].values(), shown["button"], shown["result"], shown["count"]]
    assert not [t for t in texts if not HANGUL.search(t or "")], f"texts without Korean: {texts}"
    assert not english & set(texts + shown["options"]), f"English labels on the Korean widget: {english & set(texts)}"
    cut = nb.panel.evaluate("""p => Array.from(p.querySelectorAll('.tl-transfer-trainer :is(button, label, '
        + '.widget-label, select)')).filter(e => e.offsetParent !== null && e.innerText.trim()
        && e.scrollWidth > e.clientWidth + 1).map(e => (e.className + ': ' + e.innerText.trim()).slice(0, 120))""")
    assert not cut, f"Korean widget texts cut off (see ko_07_widget.png): {cut}"
    assert not nb.errors(), f"cells raised: {nb.errors()}"
