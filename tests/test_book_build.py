"""``book/build.py`` on a tiny synthetic series (two notebooks in two editions, English and Korean under ``ko/``,
a few seconds each): the site, the executed notebooks, the mode and environment the kernels get, the links between
the editions (each page to its twin, each index to the other) and ``lang="ko"``, the atomic swap, and a failing
notebook (``TL_BOOK_BREAK``) that stops the build with its name and cell and leaves the previous site as it was.
The real series is built and checked in Chromium by ``.ci/run`` (``tests/browser/test_book.py``; this file
has another name because pytest cannot collect two test modules with one basename from folders without
``__init__.py``)."""
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "book" / "build.py"
#: A 1x1 PNG, displayed by the first notebook so that its page must carry an inline image.
PNG_B64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def _load_builder():
    spec = importlib.util.spec_from_file_location("book_build", BUILD)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the module executes
    spec.loader.exec_module(module)
    return module


def _load_nbexec():
    """``book/nbexec.py``, the executor the builder and the benchmark share."""
    _load_builder()  # puts book/ on sys.path and imports nbexec
    return sys.modules["nbexec"]


def write_series(folder: Path) -> None:
    """Three tiny notebooks in the series' format: a first markdown cell with title and learning goals; in-text
    links between them as the series has them ("Next: [..](01_beta.ipynb)"); and their Korean twins in ``ko/``.
    The builds below leave out 02."""
    folder.mkdir(parents=True)
    v4 = nbformat.v4
    alpha = v4.new_notebook(cells=[
        v4.new_markdown_cell("# 00 · Alpha\n\nThe first page.\n\n## Learning goals\n- Count to **two**."),
        v4.new_code_cell("import os\nprint('mode', os.environ['TL_QUICK'], 'cwd', os.getcwd())\n"
                         "print('runs', os.environ['TL_RUNS_DIR'])"),
        v4.new_code_cell("import base64\nfrom IPython.display import Image, display\n"
                         f"display(Image(data=base64.b64decode('{PNG_B64}')))"),
        v4.new_markdown_cell("Next: [01 · Beta](01_beta.ipynb), its [goals](01_beta.ipynb#Learning-goals), then "
                             "<a href='02_gamma.ipynb'>02 · Gamma</a>; "
                             "[a page elsewhere](https://example.com/a.ipynb)."),
    ])
    beta = v4.new_notebook(cells=[
        v4.new_markdown_cell("# 01 · Beta\n\n## Learning goals\n- Add one and one, after [Alpha](./00_alpha.ipynb)."),
        v4.new_code_cell("1 + 1"),
    ])
    gamma = v4.new_notebook(cells=[v4.new_markdown_cell("# 02 · Gamma\n\n## Learning goals\n- Not built.")])
    for name, nb in (("00_alpha.ipynb", alpha), ("01_beta.ipynb", beta), ("02_gamma.ipynb", gamma)):
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / name)
    write_korean_twins(folder)


#: The Korean edition of the synthetic series (``ko/``): each English markdown cell's translation, by position.
KOREAN = {
    "00_alpha.ipynb": {0: "# 00 · 알파\n\n첫 페이지입니다.\n\n## 학습 목표\n- **둘**까지 셉니다.",
                       3: "다음: [01 · 베타](01_beta.ipynb), [학습 목표](01_beta.ipynb#학습-목표), 그다음 "
                          "<a href='02_gamma.ipynb'>02 · 감마</a>."},
    "01_beta.ipynb": {0: "# 01 · 베타\n\n## 학습 목표\n- [알파](./00_alpha.ipynb) 다음에 1 더하기 1을 합니다."},
    "02_gamma.ipynb": {0: "# 02 · 감마\n\n## 학습 목표\n- 빌드하지 않습니다."},
}


def write_korean_twins(folder: Path) -> None:
    """``folder/ko/``: the notebooks of ``folder`` with their markdown in Korean (``KOREAN``), code unchanged."""
    (folder / "ko").mkdir()
    for name, cells in KOREAN.items():
        nb = nbformat.read(folder / name, as_version=4)
        for i, text in cells.items():
            nb.cells[i].source = text
        nbformat.write(nb, folder / "ko" / name)


def files(folder: Path) -> dict[Path, bytes]:
    """Every file below ``folder`` with its bytes."""
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def run_build(src: Path, out: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """``python book/build.py --notebooks-dir src --out out ...`` in a subprocess, output captured."""
    environ = {**os.environ, "TL_QUICK": "1", **env}  # full mode is the default whatever TL_QUICK says
    return subprocess.run([sys.executable, str(BUILD), "--notebooks-dir", str(src), "--out", str(out), *args],
                          capture_output=True, text=True, env=environ, timeout=600)


def git_status() -> str | None:
    try:
        return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True,
                              timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One successful build of the synthetic series (full mode and both editions, the defaults)."""
    tmp = tmp_path_factory.mktemp("book")
    src, out = tmp / "notebooks", tmp / "build" / "book"
    write_series(src)
    before = files(src)
    status = git_status()
    result = run_build(src, out, "--notebooks", "00", "01")
    assert result.returncode == 0, result.stdout + result.stderr
    assert git_status() == status, "the build changed the work tree"
    return {"src": src, "out": out, "result": result, "sources": before}


def test_build_writes_index_pages_and_executed_notebooks(built):
    out = built["out"]
    assert sorted(p.name for p in out.iterdir()) == ["00_alpha.html", "01_beta.html", "_static", "index.html",
                                                      "ko", "notebooks"]
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == ["00_alpha.ipynb", "01_beta.ipynb"]
    nb = nbformat.read(out / "notebooks" / "00_alpha.ipynb", as_version=4)
    nbformat.validate(nb)
    printed = "".join(nb.cells[1].outputs[0]["text"])
    assert "mode 0" in printed, "full mode by default: the kernel must get TL_QUICK=0"
    assert f"cwd {built['src']}" in printed, "kernels run in the notebooks' folder"
    assert str(out.parent) in printed.split("runs ")[1], "TL_RUNS_DIR lies in the build's temporary folder"
    assert "image/png" in nb.cells[2].outputs[0]["data"]
    lines = built["result"].stdout.splitlines()
    assert any(line.startswith("[ 1/2] 00_alpha.ipynb") and " ok " in line for line in lines), lines
    assert any(line.startswith("[ 2/2] 01_beta.ipynb") and " ok " in line for line in lines), lines
    assert any(line.startswith("[ 1/2] ko/00_alpha.ipynb") and " ok " in line for line in lines), lines


def test_pages_have_title_goals_links_figure_and_footer(built):
    out = built["out"]
    index = (out / "index.html").read_text()
    assert 'href="00_alpha.html">00 · Alpha<' in index and 'href="01_beta.html">01 · Beta<' in index
    assert index.count('class="tl-book-title"') == 2
    assert "Count to <strong>two</strong>" in index and index.count('class="tl-book-walltime"') == 3
    alpha, beta = (out / "00_alpha.html").read_text(), (out / "01_beta.html").read_text()
    assert "<title>00 · Alpha</title>" in alpha
    assert 'href="01_beta.html" rel="next"' in alpha and 'rel="prev"' not in alpha
    assert 'href="00_alpha.html" rel="prev"' in beta and 'rel="next"' not in beta
    assert 'src="data:image/png;base64,' in alpha
    for page in (alpha, beta):
        assert 'class="tl-book-footer"' in page and "Python" in page and "torchvision" in page
        assert "<b class=\"tl-book-mode\">full</b>" in page
        assert "cdnjs" not in page and "unpkg" not in page and "mathjax" not in page.lower()


def test_build_leaves_no_temporary_folder_and_sources_untouched(built):
    assert [p.name for p in built["out"].parent.iterdir()] == ["book"]
    assert files(built["src"]) == built["sources"]


def test_a_raising_notebook_stops_the_build_and_keeps_the_previous_site(built):
    out = built["out"]
    snapshot = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = run_build(built["src"], out, "--quick", "--notebooks", "00", "01", TL_BOOK_BREAK="01_beta")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[ 1/2] 00_alpha.ipynb ... ok" in result.stdout
    assert "[ 2/2] 01_beta.ipynb ... FAILED" in result.stdout
    message = result.stderr
    assert "01_beta.ipynb failed in cell 2 of 3" in message, message
    assert "RuntimeError: TL_BOOK_BREAK: deliberate failure in 01_beta" in message, message
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == snapshot
    assert [p.name for p in out.parent.iterdir()] == ["book"], "a temporary folder was left behind"
    assert nbformat.read(built["src"] / "01_beta.ipynb", as_version=4).cells[1].source == "1 + 1"


def test_jobs_runs_notebooks_side_by_side_into_the_same_site_with_a_runs_folder_per_edition(built, tmp_path):
    """``--jobs 2``: the same files as one at a time, each notebook's progress line, each edition's kernels in a
    runs folder of its own (both editions' 09 write a checkpoint of the same name), and a failure still stops the
    build with the notebook's name and leaves the previous site as it was."""
    out = tmp_path / "build" / "book"
    result = run_build(built["src"], out, "--notebooks", "00", "01", "--jobs", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(files(out)) == sorted(files(built["out"]))
    lines = result.stdout.splitlines()
    for label in ("[ 1/2] 00_alpha.ipynb", "[ 2/2] 01_beta.ipynb", "[ 1/2] ko/00_alpha.ipynb", "[ 2/2] ko/01_beta"):
        assert any(line.startswith(label) and " ok " in line for line in lines), (label, lines)
    runs = {edition: "".join(nbformat.read(out / edition / "notebooks" / "00_alpha.ipynb", as_version=4)
                             .cells[1].outputs[0]["text"]).split("runs ")[1].strip() for edition in ("", "ko")}
    assert runs[""] != runs["ko"] and all(str(out.parent) in r for r in runs.values()), runs
    snapshot = files(out)
    broken = run_build(built["src"], out, "--notebooks", "00", "01", "--jobs", "2", TL_BOOK_BREAK="01_beta")
    assert broken.returncode == 1 and "01_beta.ipynb failed in cell 2 of 3" in broken.stderr, broken.stderr
    assert files(out) == snapshot and [p.name for p in out.parent.iterdir()] == ["book"]


def test_selecting_notebooks_by_number_or_stem(tmp_path):
    builder = _load_builder()
    write_series(tmp_path / "nb")
    assert [p.name for p in builder.select_notebooks(tmp_path / "nb", ["01"])] == ["01_beta.ipynb"]
    assert len(builder.select_notebooks(tmp_path / "nb", ["00_alpha", "01"])) == 2
    with pytest.raises(builder.BuildError, match="no such notebook"):
        builder.select_notebooks(tmp_path / "nb", ["07"])
    chapter = builder.read_chapter(tmp_path / "nb" / "00_alpha.ipynb")
    assert chapter.title == "00 · Alpha" and "Learning goals" in chapter.goals and "# 00" not in chapter.goals


@pytest.mark.parametrize("code, fails", [("print(40 + 2)", False), ("1 / 0", True)])
def test_a_lost_execute_reply_is_rebuilt_from_the_outputs(code, fails, monkeypatch):
    """The kernel finishes a cell and goes idle, but its reply never arrives: the run goes on after
    ``LOST_REPLY_S`` with the cell's outputs, and an error output stays an error (``book/nbexec.py``)."""
    nbexec = _load_nbexec()
    monkeypatch.setattr(nbexec, "LOST_REPLY_S", 1)
    v4 = nbformat.v4
    nb = v4.new_notebook(cells=[v4.new_code_cell(code), v4.new_code_cell("print('next cell')")])
    client = nbexec.SturdyClient(nb, timeout=60, kernel_name="python3")
    dropped = []

    def drop_first_reply(notebook):
        channel = client.kc.shell_channel
        get_msg = channel.get_msg

        async def lossy_get_msg(timeout=None):
            msg = await get_msg(timeout=timeout)
            if msg["msg_type"] == "execute_reply" and not dropped:
                dropped.append(msg)
                msg = await get_msg(timeout=timeout)  # wait for another message; none comes
            return msg
        channel.get_msg = lossy_get_msg

    client.on_notebook_start = drop_first_reply
    if fails:
        with pytest.raises(nbexec.CellControlSignal, match="ZeroDivisionError"):
            client.execute()
    else:
        client.execute()
        assert nb.cells[0].outputs[0]["text"] == "42\n" and nb.cells[0].execution_count == 1
        assert nb.cells[1].outputs[0]["text"] == "next cell\n"
        assert client.lost_replies == [1]
    assert len(dropped) == 1


def test_a_request_the_kernel_never_sees_stops_the_run_instead_of_hanging(monkeypatch, tmp_path):
    """An execute_request lost on its way (the kernel stays idle and silent): ``StalledKernelError`` after
    ``STARTED_S``, long before the cell timeout (60 s here), naming the notebook's cell."""
    nbexec = _load_nbexec()
    monkeypatch.setattr(nbexec, "STARTED_S", 2)
    v4 = nbformat.v4
    nb = v4.new_notebook(cells=[v4.new_code_cell("print('first')"), v4.new_code_cell("print('never sent')")])
    started = []

    def lose_second_request(cell, cell_index):
        started.append(cell_index)
        if cell_index == 1:
            kc = client_box[0].kc
            kc.execute = lambda *args, **kwargs: "a-request-that-was-lost"   # nothing reaches the kernel
    client_box = []
    original = nbexec.SturdyClient.__init__

    def remember(self, *args, **kwargs):
        original(self, *args, **kwargs)
        client_box.append(self)
    monkeypatch.setattr(nbexec.SturdyClient, "__init__", remember)
    with pytest.raises(nbexec.StalledKernelError, match="did not start this cell"):
        nbexec.execute_notebook(nb, tmp_path, timeout=60, on_cell_start=lose_second_request)
    assert started == [0, 1] and nb.cells[0].outputs[0]["text"] == "first\n"


def test_imagenet_only_reads_from_the_notebooks_which_ones_load_the_full_network(tmp_path):
    build = _load_builder()
    v4 = nbformat.v4
    calls = {"00_auto": 'model, weights = tl.load_backbone("auto")', "01_bundled": 'tl.load_backbone("bundled")',
             "02_task": "task = tl.load_task(source='imagenet', n_per_class=5)", "03_default": "task = tl.load_task()",
             "04_text": 'x = 1  # see load_backbone("auto") in 09'}
    for stem, code in calls.items():
        nb = v4.new_notebook(cells=[v4.new_markdown_cell(f"# {stem}\nMentions load_backbone(\"auto\")."),
                                    v4.new_code_cell(code)])
        nbformat.write(nb, tmp_path / f"{stem}.ipynb")
    found = [p.stem for p in sorted(tmp_path.glob("*.ipynb")) if build.loads_imagenet(p)]
    assert found == ["00_auto", "02_task"]              # markdown and comments do not count


# --------------------------------------------------------------------------- links between notebooks, saved widgets

def test_links_between_notebooks_lead_to_their_pages(built):
    """In-text links to ``NN_name.ipynb`` lead to ``NN_name.html`` (anchor kept); a link to a notebook of the
    series that this build left out (02) becomes its plain text with a title saying why; the executed
    notebooks keep their ``.ipynb`` links, which work in JupyterLab."""
    out = built["out"]
    alpha, beta, index = ((out / name).read_text() for name in ("00_alpha.html", "01_beta.html", "index.html"))
    assert '<a href="01_beta.html">01 · Beta</a>' in alpha
    assert '<a href="01_beta.html#Learning-goals">goals</a>' in alpha and 'id="Learning-goals"' in beta
    assert '<a href="00_alpha.html">Alpha</a>' in beta and '<a href="00_alpha.html">Alpha</a>' in index
    assert re.search(r'<span class="tl-book-unbuilt" title="02_gamma\.ipynb is not in this build[^"]*">02 · Gamma'
                     r'</span>', alpha), "the link to a notebook left out of the build"
    assert 'href="https://example.com/a.ipynb"' in alpha                     # not a notebook of the series
    for page in (alpha, beta, index):
        hrefs = re.findall(r"""href=["']([^"']+)["']""", page)
        assert not [h for h in hrefs if ".ipynb" in h and not h.startswith(("notebooks/", "https://"))], hrefs
    source = "".join(c.source for c in nbformat.read(out / "notebooks" / "00_alpha.ipynb", as_version=4).cells)
    assert "[01 · Beta](01_beta.ipynb)" in source


def test_link_notebooks_rewrites_exactly_the_links_to_notebooks():
    build = _load_builder()
    html = ('<a href="01_b.ipynb">b</a> <a class="x" href=\'./01_b.ipynb#Top\' target="_blank">top</a> '
            '<a href="02_c.ipynb">c</a> <a href="notebooks/01_b.ipynb" download>file</a> '
            '<a href="https://example.com/01_b.ipynb">web</a> <a href="../solutions/nb10.py">code</a> '
            '<a href="07_x.ipynb"><b>x</b></a>')
    out = build.link_notebooks(html, built={"01_b"}, series={"01_b", "02_c"})
    assert out == ('<a href="01_b.html">b</a> <a class="x" href="01_b.html#Top" target="_blank">top</a> '
                   '<span class="tl-book-unbuilt" title="02_c.ipynb is not in this build of the book (built with '
                   '--notebooks); build all notebooks to follow this link">c</span> '
                   '<a href="notebooks/01_b.ipynb" download>file</a> '
                   '<a href="https://example.com/01_b.ipynb">web</a> <a href="../solutions/nb10.py">code</a> '
                   '<span class="tl-book-unbuilt" title="07_x.ipynb is not a notebook of this series"><b>x</b></span>')
    other = '<a data-href="01_b.ipynb" href="#Top">up</a> <img src="01_b.ipynb"> 01_b.ipynb'
    assert build.link_notebooks(other, built={"01_b"}, series={"01_b"}) == other


def test_a_link_to_a_notebook_that_does_not_exist_stops_the_build_before_anything_runs(tmp_path):
    src = tmp_path / "nb"
    write_series(src)
    nb = nbformat.read(src / "01_beta.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Next: [05 — missing](05_missing.ipynb#Top)"))
    nbformat.write(nb, src / "01_beta.ipynb")
    result = run_build(src, tmp_path / "out")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "01_beta.ipynb -> 05_missing.ipynb" in result.stderr and "[ 1/" not in result.stdout
    assert not (tmp_path / "out").exists()


def test_every_link_between_the_series_notebooks_names_one_of_them():
    """The real series (no kernel): every in-text link to ``NN_name.ipynb`` names a notebook in ``notebooks/``,
    so the book can point each at its page; every notebook but the last links on to another."""
    build = _load_builder()
    paths = build.select_notebooks(ROOT / "notebooks", None)
    chapters = [build.read_chapter(p) for p in paths]
    assert build.dangling_links(chapters, {p.stem for p in paths}) == []
    for path in paths[:-1]:
        text = "".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
        html = build.markdown2html_mistune(text)
        assert [m for m in build.NOTEBOOK_LINK.finditer(html) if m["stem"] != path.stem], f"{path.name} links nowhere"


def test_saved_widgets_are_marked_as_snapshots_that_take_no_input(tmp_path):
    """Each saved widget view gets a caption saying it is a snapshot of the executed run, inside a frame that
    takes no clicks (``book.css``) or keys (the page's guard script); the widgets use the page's font."""
    build = _load_builder()
    write_series(tmp_path / "nb")
    chapter = build.read_chapter(tmp_path / "nb" / "00_alpha.ipynb")
    v4 = nbformat.v4
    view = {"application/vnd.jupyter.widget-view+json": {"model_id": "m1", "version_major": 2, "version_minor": 0},
            "text/plain": "ToggleButtons(...)"}
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# 00 · Alpha"), v4.new_code_cell("w", outputs=[
        v4.new_output("display_data", data=view), v4.new_output("display_data", data=view)])])
    model = {"model_name": "ToggleButtonsModel", "model_module": "@jupyter-widgets/controls",
             "model_module_version": "2.0.0", "state": {}}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"version_major": 2, "version_minor": 0,
                                                                            "state": {"m1": model}}}
    stamp = {"mode": "quick", "date": "today", "python": "3", "torch": "2", "torchvision": "0"}
    book = {"chapter": chapter, "prev": None, "next": None, "stamp": stamp}
    page, _ = build.make_exporter().from_notebook_node(nb, resources={"metadata": {"name": "t"}, "book": book})
    notes = re.findall(r'<p class="tl-book-snapshot-note">(.*?)</p>\s*<div class="tl-book-snapshot-view"', page, re.S)
    assert len(notes) == 2 and page.count('<script type="application/vnd.jupyter.widget-view+json">') == 2
    assert all("Saved snapshot of the executed run" in n and "run the notebook in JupyterLab" in n for n in notes)
    assert 'href="notebooks/00_alpha.ipynb"' in notes[0]
    assert 'closest(".tl-book-snapshot-view")' in page and "preventDefault" in page      # no keys, no scripted clicks
    css = (ROOT / "book" / "static" / "book.css").read_text()
    assert re.search(r"\.tl-book-snapshot-view \.widget-subarea \{[^}]*pointer-events: none", css)
    assert "--jp-ui-font-family: var(--jp-content-font-family)" in css


def test_pages_without_widgets_have_no_snapshot_caption(built):
    assert "tl-book-snapshot" not in (built["out"] / "00_alpha.html").read_text()


# --------------------------------------------------------------------------- the two editions: English and Korean

def test_the_korean_edition_is_built_under_ko_from_its_own_folder(built):
    """``ko/`` holds the Korean pages, index and executed notebooks, run from ``notebooks/ko/`` (the kernels' cwd),
    and shares the site's ``_static/``; its pages say ``lang="ko"`` and speak Korean in the book's own words."""
    out, ko = built["out"], built["out"] / "ko"
    assert sorted(p.name for p in ko.iterdir()) == ["00_alpha.html", "01_beta.html", "index.html", "notebooks"]
    assert sorted(p.name for p in (ko / "notebooks").iterdir()) == ["00_alpha.ipynb", "01_beta.ipynb"]
    nb = nbformat.read(ko / "notebooks" / "00_alpha.ipynb", as_version=4)
    assert nb.cells[0].source.startswith("# 00 · 알파")
    assert f"cwd {built['src'] / 'ko'}" in "".join(nb.cells[1].outputs[0]["text"]), "Korean kernels run in ko/"
    alpha, beta, index = ((ko / name).read_text() for name in ("00_alpha.html", "01_beta.html", "index.html"))
    for page in (alpha, beta, index):
        assert '<html lang="ko">' in page and 'href="../_static/book.css"' in page
        assert "모드로" in page and 'class="tl-book-footer"' in page and "Python" in page
    for page in ((out / name).read_text() for name in ("00_alpha.html", "01_beta.html", "index.html")):
        assert '<html lang="en">' in page and 'href="_static/book.css"' in page and "모드로" not in page
    assert "<title>00 · 알파</title>" in alpha and ">시리즈 목차</a>" in alpha
    assert 'href="01_beta.html">01 · 베타<' in index and "<strong>둘</strong>" in index
    assert "PyTorch로 직접 해 보는 전이 학습과 ResNet" in index


def test_each_page_links_to_its_twin_and_each_index_to_the_other(built):
    """A visible link near the top of every page leads to the same notebook in the other edition ("한국어" on
    English pages, "English" on Korean ones); the indexes link to each other; previous/next stay in the edition."""
    out = built["out"]
    for stem in ("00_alpha", "01_beta"):
        en, ko = (out / f"{stem}.html").read_text(), (out / "ko" / f"{stem}.html").read_text()
        top_en, top_ko = (re.search(r'<nav class="tl-book-nav tl-book-nav-top">.*?</nav>', p, re.S).group(0)
                          for p in (en, ko))
        assert f'<a class="tl-book-twin" href="ko/{stem}.html" hreflang="ko" lang="ko">한국어</a>' in top_en
        assert f'<a class="tl-book-twin" href="../{stem}.html" hreflang="en" lang="en">English</a>' in top_ko
    index_en, index_ko = (out / "index.html").read_text(), (out / "ko" / "index.html").read_text()
    assert '<a class="tl-book-twin" href="ko/index.html" hreflang="ko" lang="ko">한국어</a>' in index_en
    assert '<a class="tl-book-twin" href="../index.html" hreflang="en" lang="en">English</a>' in index_ko
    alpha_ko, beta_ko = (out / "ko" / "00_alpha.html").read_text(), (out / "ko" / "01_beta.html").read_text()
    assert 'href="01_beta.html" rel="next"' in alpha_ko and 'rel="prev"' not in alpha_ko
    assert 'href="00_alpha.html" rel="prev"' in beta_ko and 'rel="next"' not in beta_ko
    assert '<a href="01_beta.html">01 · 베타</a>' in alpha_ko and '<a href="00_alpha.html">알파</a>' in beta_ko
    assert 'class="tl-book-unbuilt" title="02_gamma.ipynb is not in this build' in alpha_ko


def test_every_relative_link_of_the_site_leads_to_a_file(built):
    """Every ``href``/``src`` of every page that is not a web address or an anchor names a file of the site."""
    out, missing, checked = built["out"], [], 0
    for page in out.rglob("*.html"):
        for ref in re.findall(r"""(?:href|src)=["']([^"'#]+)""", page.read_text()):
            if not re.match(r"[a-z]+:", ref):
                checked += 1
                if not (page.parent / ref).resolve().is_file():
                    missing.append(f"{page.relative_to(out)} -> {ref}")
    assert missing == [] and checked > 20, missing


def test_editions_are_chosen_with_editions_and_imagenet_only_stays_english(tmp_path):
    """``--editions`` (default both) picks the editions without running anything; ``--imagenet-only`` is English
    only; a missing Korean folder, a missing Korean notebook and a Korean link to no notebook are errors that say
    what to do."""
    build = _load_builder()
    src = tmp_path / "nb"
    write_series(src)

    def editions(*argv):
        return build.select_editions(build.parse_args(["--notebooks-dir", str(src), *argv]))
    assert [(e.code, [c.label for c in cs]) for e, cs in editions("--notebooks", "00").items()] == [
        ("en", ["00_alpha.ipynb"]), ("ko", ["ko/00_alpha.ipynb"])]
    assert [e.code for e in editions("--editions", "en")] == ["en"]
    assert [e.code for e in editions("--editions", "ko", "en")] == ["en", "ko"]
    only_ko = editions("--editions", "ko", "--notebooks", "01")
    assert [(e.code, [c.title for c in cs]) for e, cs in only_ko.items()] == [("ko", ["01 · 베타"])]
    gamma = nbformat.read(src / "02_gamma.ipynb", as_version=4)       # now gamma's code loads the full network
    gamma.cells.append(nbformat.v4.new_code_cell('task = tl.load_task("auto")'))
    nbformat.write(gamma, src / "02_gamma.ipynb")
    assert [[c.label for c in cs] for cs in editions("--imagenet-only").values()] == [["02_gamma.ipynb"]]
    with pytest.raises(build.BuildError, match="--imagenet-only builds the English edition only"):
        editions("--imagenet-only", "--editions", "ko")
    with pytest.raises(SystemExit):                                        # argparse: not an edition
        build.parse_args(["--editions", "fr"])
    beta = nbformat.read(src / "ko" / "01_beta.ipynb", as_version=4)
    beta.cells.append(nbformat.v4.new_markdown_cell("다음: [05 — 없음](05_missing.ipynb)"))
    nbformat.write(beta, src / "ko" / "01_beta.ipynb")
    with pytest.raises(build.BuildError, match="ko/01_beta.ipynb -> 05_missing.ipynb"):
        editions()
    (src / "ko" / "01_beta.ipynb").unlink()
    with pytest.raises(build.BuildError, match=r"no such notebook.*ko.*: 01"):
        editions("--notebooks", "01")
    shutil.rmtree(src / "ko")
    with pytest.raises(build.BuildError, match=r"no 한국어 edition \(ko\).*translations\.py sync.*--editions"):
        editions()
    assert [e.code for e in editions("--editions", "en")] == ["en"]


def test_a_book_of_one_edition_has_no_links_to_the_other():
    build = _load_builder()
    en, ko = build.EDITIONS["en"], build.EDITIONS["ko"]
    chapter = build.Chapter(Path("nb/00_alpha.ipynb"), "00 · Alpha", "")
    twin = build.Chapter(Path("nb/ko/00_alpha.ipynb"), "00 · 알파", "", edition=ko)
    assert build.twin_links(chapter, {en: [chapter]}, en) == []
    assert build.twin_links(chapter, {en: [chapter], ko: []}, en) == []     # no Korean 00 in this build
    assert build.twin_links(twin, {en: [chapter], ko: [twin]}, ko) == [
        {"href": "../00_alpha.html", "lang": "en", "name": "English"}]
    assert build.twin_links(None, {en: [chapter], ko: [twin]}, en) == [
        {"href": "ko/index.html", "lang": "ko", "name": "한국어"}]
    stamp = {"mode": "quick", "date": "today", "python": "3", "torch": "2", "torchvision": "0"}
    assert "tl-book-twin" not in build.render_index([chapter], stamp, 1.0)
    assert "tl-book-twin" in build.render_index([chapter], stamp, 1.0, en, build.twin_links(None, {en: [], ko: []}, en))


def test_a_failing_korean_notebook_is_named_with_its_folder(tmp_path):
    src = tmp_path / "nb"
    write_series(src)
    result = run_build(src, tmp_path / "out", "--quick", "--editions", "ko", "--notebooks", "01", TL_BOOK_BREAK="01")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "[ 1/1] ko/01_beta.ipynb ... FAILED" in result.stdout
    assert "ko/01_beta.ipynb failed in cell 2 of 3" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_every_link_between_the_korean_notebooks_names_one_of_them():
    """The real Korean edition (no kernel): its in-text links name notebooks of ``notebooks/ko/``, whose pages
    the Korean book has (a translation keeps each link's target)."""
    build = _load_builder()
    ko = build.EDITIONS["ko"]
    paths = build.select_notebooks(ROOT / "notebooks" / "ko", None)
    chapters = [build.read_chapter(p, ko) for p in paths]
    assert build.dangling_links(chapters, {p.stem for p in paths}) == []
