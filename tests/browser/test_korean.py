"""The Korean edition in JupyterLab: a learner opens ``notebooks/ko/07_feature_extraction_vs_finetuning.ipynb``,
runs it down to the training widget, and the widget speaks Korean.

Only the cells up to and including the one that shows ``tl.TransferTrainer`` run (selected from the notebook's
code, then Run > Run All Above Selected Cell on the cell after it): the rest of 07 trains for minutes and is covered
by ``test_feature_extraction_vs_finetuning.py``, whose checks of behaviour hold in both languages. The expected
texts are the Korean catalogue's (``tl_helpers.i18n.catalogue("ko")``, ``tl_helpers/locales/ko/widgets.py``)
for the widget's English labels, so a label the catalogue lacks fails here by name, and a label that the
notebook shows in English (``tl.set_language("ko")`` missing, or a label not passed through ``tr``) fails too.

``TL_BROWSER_TIMEOUT_S`` sets the timeout of the run down to the widget (default 1800 s: it includes 07's
results table, 5 seeds x 3 strategies in quick mode).
"""
from __future__ import annotations

import os
import re
import string

import nbformat
import pytest

NOTEBOOK = "07_feature_extraction_vs_finetuning.ipynb"
COPY_NAME = f"ko_{NOTEBOOK}"  # the server's root may hold the English 07 as well
WIDGET_CALL = "tl.TransferTrainer("  # the code of the cell that shows the widget
RUN_TIMEOUT_S = float(os.environ.get("TL_BROWSER_TIMEOUT_S", 1800))
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


def widget_cell(src) -> tuple[int, int]:
    """(index among all cells, index among code cells) of the cell that shows the widget."""
    cells = nbformat.read(src, as_version=4).cells
    code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
    for k, i in enumerate(code):
        if WIDGET_CALL in cells[i].source:
            if i + 1 >= len(cells):
                pytest.fail(f"{src.name}: the widget's cell is the last cell (expected text after it)")
            return i, k
    pytest.fail(f"{src.name} has no code cell with {WIDGET_CALL!r}")


def run_down_to(nb, cell_index: int, code_index: int, timeout_s: float) -> float:
    """Select the cell after ``cell_index`` and run all cells above it (the widget's cell included) from the Run
    menu, as a learner would; wait until
    each of the first ``code_index + 1`` code cells has an execution count and the kernel is idle. Returns the
    seconds it took; fails on a cell that raised or on the timeout."""
    page = nb.page
    cell = nb.panel.locator(".jp-Notebook .jp-Cell").nth(cell_index + 1)      # select the cell after the widget's
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputArea-prompt").first.click()                       # the prompt column: selects, no edit
    page.keyboard.press("Escape")                                            # command mode, that cell selected
    page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    item = page.locator('.lm-Menu .lm-Menu-item[data-command="notebook:run-all-above"]')
    item.wait_for(state="visible", timeout=5000)
    item.click()                                                             # Run > Run All Above Selected Cell
    seconds = nb.wait_run_finished(timeout_s, upto=code_index + 1)
    if nb.errors():
        pytest.fail(f"cells raised before the widget: {nb.errors()}")
    return seconds


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

    cell_index, code_index = widget_cell(src)
    nb = open_notebook(src, COPY_NAME)
    seconds = run_down_to(nb, cell_index, code_index, RUN_TIMEOUT_S)
    print(f"{COPY_NAME}: the cells down to the widget (cell {cell_index + 1}) ran in {seconds:.0f} s")
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
