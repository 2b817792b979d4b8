"""The Korean edition (``notebooks/ko/``) keeps step with the English notebooks, the source of truth (no kernel).

For every English notebook: its Korean twin exists with the same cells, ids and order; its code cells are the
English ones plus the language line (``tools/translations.py``'s ``LANGUAGE_LINE``, after the helpers' import);
and every markdown cell holds a translation of the *current* English source (the sha256 it stores). A failure
names the notebook, the cell's index and id and what is wrong; ``python tools/translations.py stale`` lists the
same, and ``... set`` stores a translation. Also: no Korean notebook without an English one, Korean notebooks
stored without outputs, README.ko.md in step with README.md, and the tool itself on a temporary copy.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import translations  # noqa: E402  (tools/translations.py)

ENGLISH = translations.english_notebooks()
KOREAN = sorted(translations.KO_DIR.glob("*.ipynb"))
HOW = "run `python tools/translations.py stale {nn}` to list them, translate, then `... set` (see its docstring)"


@pytest.mark.parametrize("english", ENGLISH, ids=[p.stem for p in ENGLISH])
def test_the_korean_twin_is_a_current_translation(english):
    found = translations.problems(english)
    assert not found, (f"{len(found)} cell(s) of ko/{english.name} are not a current translation of the English "
                       f"notebook; {HOW.format(nn=english.name[:2])}:\n" + "\n".join(f"  {p}" for p in found))


def test_every_english_notebook_has_a_korean_twin_and_no_other():
    assert ENGLISH, "no English notebooks"
    english = {p.name for p in ENGLISH}
    assert not [p.name for p in KOREAN if p.name not in english], \
        "Korean notebooks without an English one in notebooks/ (rename or remove them)"
    missing = sorted(english - {p.name for p in KOREAN})
    assert not missing, f"no Korean twin of {missing}: run `python tools/translations.py sync`"


@pytest.mark.parametrize("korean", KOREAN, ids=[p.stem for p in KOREAN])
def test_korean_notebooks_are_stored_without_outputs_and_with_a_kernelspec(korean):
    """As the English ones (``tests/test_conventions.py``): no outputs, no execution counts, the python3 kernel."""
    data = json.loads(korean.read_text(encoding="utf-8"))
    for i, cell in enumerate(data["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, \
                f"ko/{korean.name} cell {i} (id {cell.get('id')}) has stored outputs: strip them"
    assert data["metadata"]["kernelspec"]["name"] == "python3", korean.name


# --------------------------------------------------------------------------- README.ko.md

README = (ROOT / "README.md").read_text(encoding="utf-8")
README_KO = ROOT / "README.ko.md"


def bash_blocks(text: str) -> list[str]:
    """The ```bash blocks of a Markdown text, each line without its indentation."""
    return ["\n".join(line.strip() for line in b.strip().splitlines())
            for b in re.findall(r"```bash\n(.*?)```", text, re.S)]


def test_readme_links_the_korean_edition_at_its_top():
    first = README.splitlines()[0]
    assert first == "**한국어판:** [README.ko.md](README.ko.md) · notebooks in Korean: notebooks/ko/", first


def test_korean_readme_has_the_same_commands_and_the_korean_notebooks():
    text = README_KO.read_text(encoding="utf-8")
    english = bash_blocks(README)
    setup, test_cmd = english[0], next(b for b in english if b.startswith("TL_QUICK=1 python -m pytest"))
    assert setup.startswith("python3 -m venv") and setup in bash_blocks(text), "the two set-up commands, verbatim"
    assert test_cmd in bash_blocks(text), "README.md's test command, verbatim"
    assert "jupyter lab notebooks/ko/00_start_here.ipynb" in text and "(README.md)" in text
    listed = re.findall(r"`notebooks/ko/(\d\d_[a-z0-9_]+\.ipynb)`", text)
    assert sorted(set(listed)) == [p.name for p in ENGLISH], "README.ko.md lists every Korean notebook"
    assert re.search(r"[\uac00-\ud7a3]", text) and "tools/translations.py stale" in text


# --------------------------------------------------------------------------- the tool, on a temporary copy

@pytest.fixture
def unsynced(tmp_path, monkeypatch):
    """``tools/translations.py`` pointed at a copy of notebook 00 (``EN_DIR``) and an empty ``ko/``; returns the
    English path."""
    en_dir = tmp_path / "notebooks"
    en_dir.mkdir()
    english = en_dir / ENGLISH[0].name
    english.write_bytes(ENGLISH[0].read_bytes())
    monkeypatch.setattr(translations, "EN_DIR", en_dir)
    monkeypatch.setattr(translations, "KO_DIR", en_dir / "ko")
    return english


@pytest.fixture
def copy(unsynced):
    """The copy of ``unsynced``, synced and every markdown cell "translated"; returns ``(english path, korean
    path)``."""
    english = unsynced
    en_dir = english.parent
    korean = translations.sync(english)
    assert korean == en_dir / "ko" / english.name
    for cell in nbformat.read(korean, as_version=4).cells:
        if cell.cell_type == "markdown":
            translations.set_translation(korean, cell.id, f"번역 {cell.id}\n")
    assert translations.problems(english) == []
    return english, korean


def edit(path: Path, change) -> None:
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def markdown_ids(path: Path) -> list[str]:
    return [c.id for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


def test_a_fresh_sync_is_untranslated_and_set_makes_a_cell_current(unsynced):
    english = unsynced
    assert [p.what for p in translations.problems(english)] == [
        "no Korean notebook (run: python tools/translations.py sync)"]
    korean = translations.sync(english)
    found = translations.problems(english)
    assert {p.cell_id for p in found} == set(markdown_ids(english)) and {p.what for p in found} == {
        "not translated yet"}
    en, ko = (nbformat.read(p, as_version=4) for p in (english, korean))
    assert [c.id for c in en.cells] == [c.id for c in ko.cells]
    assert [c.source for c in ko.cells if c.cell_type == "markdown"] == \
        [c.source for c in en.cells if c.cell_type == "markdown"], "untranslated cells show the English to translate"
    code = [(e.source, k.source) for e, k in zip(en.cells, ko.cells) if e.cell_type == "code"]
    assert all(k == translations.korean_code(e) for e, k in code)
    assert sum(translations.LANGUAGE_LINE in k.split("\n") for _, k in code) == 1
    first = markdown_ids(english)[0]
    translations.set_translation(korean, first, "# 번역\n")
    assert first not in {p.cell_id for p in translations.problems(english)}
    cell = next(c for c in nbformat.read(korean, as_version=4).cells if c.id == first)
    assert cell.source == "# 번역" and cell.metadata["tl_translation"]["en_sha256"] == translations.sha256(
        next(c for c in en.cells if c.id == first).source)
    with pytest.raises(SystemExit, match="no English markdown cell"):
        translations.set_translation(korean, "no-such-id", "x")


def test_changing_an_english_markdown_cell_makes_exactly_that_cell_stale(copy):
    english, korean = copy
    target = markdown_ids(english)[1]
    edit(english, lambda nb: setattr(next(c for c in nb.cells if c.id == target), "source",
                                     next(c for c in nb.cells if c.id == target).source + "\n\nOne more sentence."))
    found = translations.problems(english)
    assert [(p.cell_id, p.what) for p in found] == [
        (target, "the English cell changed after this translation was written")]
    index = [c.id for c in nbformat.read(english, as_version=4).cells].index(target)
    assert str(found[0]) == (f"ko/{english.name} cell {index} (id {target}): the English cell changed after this "
                             "translation was written")
    assert translations.main(["stale"]) == 1
    translations.set_translation(korean, target, "번역, 새로\n")
    assert translations.problems(english) == [] and translations.main(["stale"]) == 0


def test_sync_keeps_the_translations_and_adds_a_new_cell_untranslated(copy):
    english, korean = copy
    before = {c.id: (c.source, c.metadata) for c in nbformat.read(korean, as_version=4).cells}
    changed = markdown_ids(english)[0]
    new = nbformat.v4.new_markdown_cell("A new paragraph.")

    def change(nb):
        next(c for c in nb.cells if c.id == changed).source += "\nChanged."
        nb.cells.insert(2, new)
    edit(english, change)
    translations.sync(english)
    ko = nbformat.read(korean, as_version=4)
    assert [c.id for c in ko.cells] == [c.id for c in nbformat.read(english, as_version=4).cells]
    added = ko.cells[2]
    assert (added.id, added.source, added.metadata["tl_translation"]["en_sha256"]) == (new.id, "A new paragraph.", None)
    for cell in ko.cells:
        if cell.cell_type == "markdown" and cell.id != new.id:
            assert (cell.source, cell.metadata) == before[cell.id], f"sync changed the translation of {cell.id}"
    found = {p.cell_id: p.what for p in translations.problems(english)}
    assert found == {new.id: "not translated yet",
                     changed: "the English cell changed after this translation was written"}
    ko.cells[2].source = "새 문단."
    nbformat.write(ko, korean)
    translations.sync(english)              # a second sync keeps the Korean text of a still untranslated cell too
    assert nbformat.read(korean, as_version=4).cells[2].source == "새 문단."


def test_an_edited_code_cell_or_a_lost_language_line_is_reported(copy):
    english, korean = copy
    ko = nbformat.read(korean, as_version=4)
    with_import = next(i for i, c in enumerate(ko.cells) if translations.LANGUAGE_LINE in c.source)
    other = next(i for i, c in enumerate(ko.cells) if c.cell_type == "code" and i != with_import)
    ko.cells[other].source += "\nprint('한국어판에만 있는 줄')"
    nbformat.write(ko, korean)
    found = translations.problems(english)
    assert [(p.index, p.cell_id) for p in found] == [(other, ko.cells[other].id)]
    assert found[0].what.startswith("code differs from the English cell")
    ko.cells[other].source = nbformat.read(english, as_version=4).cells[other].source
    ko.cells[with_import].source = translations.english_code(ko.cells[with_import].source)
    nbformat.write(ko, korean)
    whats = [(p.index, p.what) for p in translations.problems(english)]
    assert (with_import, whats[0][1]) == whats[0] and whats[0][1].startswith("code differs")
    assert whats[-1] == (-1, 'has no language line (tl.set_language("ko"))')


def test_cells_out_of_order_or_missing_are_reported(copy):
    english, korean = copy
    edit(korean, lambda nb: nb.cells.reverse())
    assert [p.what for p in translations.problems(english)] == [
        "cells differ from the English notebook's (ids or order): run sync"]
    translations.sync(english)
    assert translations.problems(english) == [], "sync puts the cells back in order, translations kept"
