#!/usr/bin/env python3
"""Keep the Korean edition (``notebooks/ko/``) in step with the English notebooks.

    python tools/translations.py sync [NN ...]     # create/update the Korean twins' cells from the English ones
    python tools/translations.py stale [NN ...]    # list the Korean cells that need a (new) translation
    python tools/translations.py set KO_NOTEBOOK CELL_ID FILE   # FILE's text translates that cell's English source

A Korean notebook has the English notebook's cells in the same order with the same cell ids. Its code cells are
the English ones, except ``LANGUAGE_LINE``, added after ``import tl_helpers as tl``. Each markdown cell is a
translation and stores, in ``metadata["tl_translation"]["en_sha256"]``, the sha256 of the English source it
translates: when the English cell changes, the hash no longer matches and the cell is stale (``stale`` lists it,
``tests/test_translations.py`` fails naming it). ``sync`` keeps every translation whose cell id still exists and
gives a new English markdown cell an empty hash (untranslated, listed by ``stale``) with the English text to
translate; it never drops a translation of a cell that still exists.
"""
from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
EN_DIR = REPO / "notebooks"
KO_DIR = EN_DIR / "ko"
IMPORT_LINE = "import tl_helpers as tl"
#: The one line in which a Korean notebook's code differs from the English one.
LANGUAGE_LINE = 'tl.set_language("ko")  # 한국어판: 도우미(tl)가 한국어로 말합니다 (영어로 되돌리려면 "en")'
KEY = "tl_translation"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def english_notebooks(numbers: list[str] | None = None) -> list[Path]:
    paths = sorted(EN_DIR.glob("[0-9][0-9]_*.ipynb"))
    return [p for p in paths if not numbers or p.name[:2] in numbers]


def korean_path(english: Path) -> Path:
    return KO_DIR / english.name


def korean_code(source: str) -> str:
    """The Korean twin of an English code cell: the language line after the import of the helpers."""
    lines = source.split("\n")
    if IMPORT_LINE in lines:
        i = lines.index(IMPORT_LINE)
        lines.insert(i + 1, LANGUAGE_LINE)
    return "\n".join(lines)


def english_code(source: str) -> str:
    """A Korean code cell with the language line taken out (what the English cell must equal)."""
    return "\n".join(line for line in source.split("\n") if line != LANGUAGE_LINE)


def sync(english: Path) -> Path:
    """Create or update ``english``'s Korean twin; existing translations are kept by cell id."""
    en = nbformat.read(english, as_version=4)
    ko_path = korean_path(english)
    old = {}
    if ko_path.exists():
        old = {c.get("id"): c for c in nbformat.read(ko_path, as_version=4).cells if c.cell_type == "markdown"}
    ko = nbformat.v4.new_notebook(metadata=en.metadata)
    ko.nbformat, ko.nbformat_minor = en.nbformat, en.nbformat_minor
    for cell in en.cells:
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(korean_code(cell.source), id=cell.id, metadata=dict(cell.metadata))
        else:
            previous = old.get(cell.id)
            if previous is not None:
                new = nbformat.v4.new_markdown_cell(previous.source, id=cell.id, metadata=dict(previous.metadata))
            else:
                new = nbformat.v4.new_markdown_cell(cell.source, id=cell.id, metadata={KEY: {"en_sha256": None}})
        ko.cells.append(new)
    KO_DIR.mkdir(exist_ok=True)
    nbformat.write(ko, ko_path)
    return ko_path


@dataclass
class Problem:
    notebook: str
    index: int
    cell_id: str
    what: str

    def __str__(self) -> str:
        return f"{self.notebook} cell {self.index} (id {self.cell_id}): {self.what}"


def problems(english: Path) -> list[Problem]:
    """Everything that keeps ``english``'s Korean twin from being a current translation."""
    ko_path = korean_path(english)
    name = f"ko/{english.name}"
    if not ko_path.exists():
        return [Problem(name, -1, "-", "no Korean notebook (run: python tools/translations.py sync)")]
    en = nbformat.read(english, as_version=4)
    ko = nbformat.read(ko_path, as_version=4)
    found = []
    if [c.get("id") for c in en.cells] != [c.get("id") for c in ko.cells]:
        found.append(Problem(name, -1, "-", "cells differ from the English notebook's (ids or order): run sync"))
        return found
    for i, (e, k) in enumerate(zip(en.cells, ko.cells)):
        if e.cell_type != k.cell_type:
            found.append(Problem(name, i, e.id, f"is {k.cell_type}, the English cell is {e.cell_type}"))
        elif e.cell_type == "code":
            if k.source != korean_code(e.source):
                found.append(Problem(name, i, e.id, "code differs from the English cell (beyond the language line "
                                                    f"after {IMPORT_LINE!r}): run sync"))
        else:
            stored = k.metadata.get(KEY, {}).get("en_sha256")
            if stored is None:
                found.append(Problem(name, i, e.id, "not translated yet"))
            elif stored != sha256(e.source):
                found.append(Problem(name, i, e.id, "the English cell changed after this translation was written"))
    if LANGUAGE_LINE not in "\n".join(k.source for k in ko.cells if k.cell_type == "code").split("\n"):
        found.append(Problem(name, -1, "-", "has no language line (tl.set_language(\"ko\"))"))
    return found


def set_translation(ko_path: Path, cell_id: str, text: str) -> None:
    """Store ``text`` as the translation of cell ``cell_id``, with the hash of its current English source."""
    ko_path = Path(ko_path)
    en = {c.id: c for c in nbformat.read(EN_DIR / ko_path.name, as_version=4).cells}
    if cell_id not in en or en[cell_id].cell_type != "markdown":
        raise SystemExit(f"{ko_path.name}: no English markdown cell with id {cell_id}")
    ko = nbformat.read(ko_path, as_version=4)
    cell = next((c for c in ko.cells if c.id == cell_id), None)
    if cell is None:
        raise SystemExit(f"{ko_path.name}: no cell with id {cell_id} in the Korean notebook (run sync first)")
    cell.source = text.rstrip("\n")
    cell.metadata[KEY] = {"en_sha256": sha256(en[cell_id].source)}
    nbformat.write(ko, ko_path)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"sync", "stale", "set"}:
        print(__doc__)
        return 2
    command, args = argv[0], argv[1:]
    if command == "set":
        ko_path, cell_id, file = args
        set_translation(Path(ko_path), cell_id, Path(file).read_text(encoding="utf-8"))
        return 0
    if command == "sync":
        for english in english_notebooks(args):
            path = sync(english)
            print(f"synced {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    found = [p for english in english_notebooks(args) for p in problems(english)]
    for p in found:
        print(p)
    print(f"{len(found)} cell(s) need a translation" if found else "the Korean edition is current")
    return 1 if found and command == "stale" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
