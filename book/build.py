#!/usr/bin/env python3
"""Read the series like a book: execute every notebook headless and write a static site.

    python book/build.py [--quick] [--out build/book] [--notebooks 00 07 ...] [--editions en ko]
                         [--ko-notebooks 00 07 ...] [--imagenet-only] [--jobs N]
                         [--notebooks-dir DIR] [--cell-timeout S]

Two editions (``--editions``, default both): the English notebooks (``--notebooks-dir``, default ``notebooks/``)
make the site's root, the Korean edition's (its ``ko/`` folder, kept in step by ``tools/translations.py``) the
same site under ``ko/``, executed from that folder. Each page links to its twin in the other edition (near the
top: "한국어" on an English page, "English" on a Korean one), each index to the other index; previous/next links
stay within an edition; Korean pages say ``lang="ko"`` and speak Korean in the book's own words (navigation,
footer, snapshot captions). ``--imagenet-only`` builds the English edition only.

Writes into ``--out`` (the Korean edition into ``--out``/ko/): ``notebooks/NN_name.ipynb`` (executed, with saved
widget state), ``index.html`` (the series map: title, learning goals, run time), ``NN_name.html`` (nbconvert's lab
template, figures inline, widgets rendered from their saved state, previous/next links, a footer with mode, date,
versions and wall time) and ``_static/`` (style, and the widget renderer from ``book/vendor``, made by
``book/setup_js.sh``; one folder at the site's root for both editions): no page loads anything from the network.
Full mode by default; ``--quick`` gives the kernels ``TL_QUICK=1``. Kernels run in the notebooks' folder with
``TL_RUNS_DIR`` in a temporary folder (one per edition) next to ``--out``, where the site is built and then moved
into place: a failing notebook (of either edition) stops the build with its name, cell and error, and the previous
site stays as it was. ``--jobs N`` executes N notebooks at a time, each kernel on its share of the cores.
``TL_BOOK_BREAK=<stem or number>`` inserts ``raise RuntimeError`` into a copy of that notebook.
``--imagenet-only`` keeps the notebooks whose code can load torchvision's full-width ResNet-50
(``load_backbone("auto")`` and the like, read from the notebooks): what CI's ImageNet path needs to run again.
Links between notebooks (``[Next](08_evaluate_and_improve.ipynb)``) lead to the pages (``link_notebooks``); a link
to a notebook that does not exist stops the build before anything runs. Saved widgets are marked as snapshots.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune

BOOK = Path(__file__).resolve().parent
sys.path.insert(0, str(BOOK))
from nbexec import FAILURES, execute_notebook  # noqa: E402  (book/nbexec.py: nbclient with the stall guard)

REPO = BOOK.parent
TEMPLATES = BOOK / "templates"
VENDOR = BOOK / "vendor"  # filled by book/setup_js.sh
WIDGET_RENDERER = "embed-amd.js"
CELL_TIMEOUT = 3600  # s per cell: a quick-mode cell of 07 took over 1200 s on a 2-core machine at load 10
BREAK_ENV = "TL_BOOK_BREAK"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colours of IPython's tracebacks


class BuildError(Exception):
    """The book cannot be built: a notebook failed, or something the site needs is missing."""


@dataclass(frozen=True)
class Edition:
    """One language of the book: where its notebooks and pages are, what its pages say ``lang=``."""

    code: str  # "en", "ko": the pages' lang attribute, and what --editions names
    folder: str  # below --notebooks-dir (its notebooks) and below --out (its pages): "" for English
    name: str  # the edition's name in its own language: what a link to it says

    @property
    def root(self) -> str:
        """The way from this edition's pages to the site's root (``""`` or ``"../"``)."""
        return "../" * len(Path(self.folder).parts)

    def href(self, page: str, start: "Edition") -> str:
        """The link to ``page`` of this edition from a page of ``start``."""
        return start.root + (f"{self.folder}/" if self.folder else "") + page


#: The editions, in build order: English at the site's root, Korean (``tools/translations.py``) under ``ko/``.
EDITIONS: dict[str, Edition] = {"en": Edition("en", "", "English"), "ko": Edition("ko", "ko", "한국어")}
ENGLISH = EDITIONS["en"]


@dataclass
class Chapter:
    """One notebook of the book: where it comes from, what it is called, how long it ran."""

    source: Path
    title: str
    goals: str  # the first markdown cell without its title line, as HTML
    seconds: float = 0.0
    edition: Edition = ENGLISH

    @property
    def stem(self) -> str:
        """``NN_name``."""
        return self.source.stem

    @property
    def page(self) -> str:
        """The page's file name in its edition's folder of the site."""
        return f"{self.stem}.html"

    @property
    def label(self) -> str:
        """What progress lines and errors call it: ``07_name.ipynb``, ``ko/07_name.ipynb``."""
        return f"{self.edition.folder}/{self.source.name}" if self.edition.folder else self.source.name


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    p = argparse.ArgumentParser(description="Execute every notebook and build a static HTML site of the series.")
    p.add_argument("--quick", action="store_true", help="quick mode: the kernels get TL_QUICK=1 (default: full)")
    p.add_argument("--out", type=Path, default=REPO / "build" / "book", help="output folder (default build/book)")
    p.add_argument("--notebooks", nargs="+", metavar="NN", help="only these notebooks (numbers or stems)")
    p.add_argument("--notebooks-dir", type=Path, default=REPO / "notebooks", help="where the notebooks are")
    p.add_argument("--editions", nargs="+", choices=list(EDITIONS), metavar="LANG",
                   help="the editions to build: en (--notebooks-dir) and/or ko (its ko/ folder, pages under "
                        "--out/ko/); default both (English only with --imagenet-only)")
    p.add_argument("--ko-notebooks", nargs="+", metavar="NN",
                   help="only these notebooks in the Korean edition (default: those of --notebooks); CI builds a few "
                        "Korean pages, since the test command has already executed every Korean notebook")
    p.add_argument("--imagenet-only", action="store_true",
                   help="only the notebooks whose code can load torchvision's full-width ImageNet ResNet-50 "
                        "(English edition only)")
    p.add_argument("--cell-timeout", type=int, default=CELL_TIMEOUT, help=f"s per cell (default {CELL_TIMEOUT})")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="notebooks executed at the same time, each kernel on its share of the cores (default 1)")
    args = p.parse_args(argv)
    if args.jobs < 1:
        p.error(f"--jobs {args.jobs}: give 1 or more notebooks at a time")
    return args


#: A link to a notebook beside the page, in rendered HTML: ``<a href="07_name.ipynb#Anchor">text</a>``.
NOTEBOOK_LINK = re.compile(r"""<a\b(?P<before>[^>]*?)\shref=(?P<q>["'])(?:\./)?(?P<stem>\d\d_[\w-]+)\.ipynb"""
                           r"""(?P<anchor>#[^"']*)?(?P=q)(?P<after>[^>]*)>(?P<text>.*?)</a>""", re.S)


def link_notebooks(html: str, built: set[str], series: set[str]) -> str:
    """Links between notebooks lead to the book's pages: ``NN_name.ipynb#anchor`` becomes ``NN_name.html#anchor``
    for a notebook in this build. A notebook left out of this build (``--notebooks``) has no page to go to, and
    its ``.ipynb`` was not executed either: such a link becomes its plain text, ``span.tl-book-unbuilt`` with a
    title saying why, rather than a link that ends in "file not found"."""
    def replace(m: re.Match) -> str:
        stem, anchor = m["stem"], m["anchor"] or ""
        if stem in built:
            return f'<a{m["before"]} href="{stem}.html{anchor}"{m["after"]}>{m["text"]}</a>'
        why = ("is not in this build of the book (built with --notebooks); build all notebooks to follow this link"
               if stem in series else "is not a notebook of this series")
        return f'<span class="tl-book-unbuilt" title="{stem}.ipynb {why}">{m["text"]}</span>'
    return NOTEBOOK_LINK.sub(replace, html)


def dangling_links(chapters: list[Chapter], series: set[str]) -> list[str]:
    """Links in the chapters' markdown to notebooks that are not in the series (``"05_x.ipynb -> 99_y.ipynb"``,
    ``"ko/05_x.ipynb -> 99_y.ipynb"``)."""
    found = []
    for chapter in chapters:
        for cell in nbformat.read(chapter.source, as_version=4).cells:
            if cell.cell_type == "markdown":
                html = markdown2html_mistune(cell.source)
                found += [f"{chapter.label} -> {m['stem']}.ipynb" for m in NOTEBOOK_LINK.finditer(html)
                          if m["stem"] not in series]
    return found


def select_notebooks(folder: Path, wanted: list[str] | None) -> list[Path]:
    """The ``NN_*.ipynb`` files of ``folder`` in order, or those whose number or stem is in ``wanted``."""
    found = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    unknown = [w for w in wanted or [] if not any(p.stem == w or p.stem[:2] == w for p in found)]
    if not found or unknown:
        raise BuildError(f"no such notebook(s) in {folder}: {' '.join(unknown) or 'NN_name.ipynb'}")
    return [p for p in found if not wanted or p.stem in wanted or p.stem[:2] in wanted]


#: A call that loads torchvision's full-width ImageNet ResNet-50 when it is cached ("auto") or always ("imagenet").
LOADS_IMAGENET = re.compile(r"""load_(?:backbone|task)\(\s*(?:source\s*=\s*)?["'](?:auto|imagenet)["']""")


def loads_imagenet(path: Path) -> bool:
    """Does a code cell of this notebook load the full-width ImageNet network (``load_backbone("auto")`` ...)?"""
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(line.split("#")[0] for c in nb.cells if c.cell_type == "code" for line in c.source.splitlines())
    return LOADS_IMAGENET.search(code) is not None


def read_chapter(path: Path, edition: Edition = ENGLISH) -> Chapter:
    """Title (the first ``# `` line) and learning goals (the rest of the first markdown cell)."""
    nb = nbformat.read(path, as_version=4)
    first = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
    lines = first.splitlines()
    title_at = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    title = lines[title_at][2:].strip() if title_at is not None else path.stem
    rest = "\n".join(lines[:title_at] + lines[title_at + 1:]) if title_at is not None else first
    return Chapter(path, title, markdown2html_mistune(rest), edition=edition)


def load_notebook(chapter: Chapter) -> nbformat.NotebookNode:
    """The notebook to execute: a fresh in-memory copy, with a raising cell when ``TL_BOOK_BREAK`` names it."""
    nb = nbformat.read(chapter.source, as_version=4)
    if os.environ.get(BREAK_ENV, "") in (chapter.stem, chapter.stem[:2]):
        cell = nbformat.v4.new_code_cell(f'raise RuntimeError("{BREAK_ENV}: deliberate failure in {chapter.stem}")')
        nb.cells.insert(1, cell)
    return nb


def kernel_environment(quick: bool, runs_dir: Path) -> None:
    """Environment for the kernels (inherited from this process): mode, strict claims, runs folder, this checkout's
    helpers."""
    os.environ["TL_QUICK"] = "1" if quick else "0"
    os.environ["TL_STRICT_CLAIMS"] = "1"  # a claim the run does not bear out fails the build (claims.claim)
    os.environ["TL_RUNS_DIR"] = str(runs_dir)
    os.environ.pop("MPLBACKEND", None)  # the kernels must use the inline backend, so figures become outputs
    path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(REPO)] + ([path] if path else []))


def execute(chapter: Chapter, nb: nbformat.NotebookNode, timeout: int = CELL_TIMEOUT,
            env: dict[str, str] | None = None) -> None:
    """Run every cell (cwd: the notebook's folder; ``env``: the kernel's environment, default this process's);
    record the wall time; raise ``BuildError`` on failure."""
    current = {"index": None}
    start = time.perf_counter()
    try:
        execute_notebook(nb, chapter.source.parent, timeout,
                         on_cell_start=lambda cell, cell_index: current.update(index=cell_index), env=env)
    except FAILURES as err:  # a cell raised or timed out, the kernel died or stalled
        raise BuildError(failure_message(chapter, nb, current["index"], err)) from None
    finally:
        chapter.seconds = time.perf_counter() - start


def failure_message(chapter: Chapter, nb: nbformat.NotebookNode, index: int | None, err: Exception) -> str:
    """Which notebook and cell failed, the cell's source and the error (with its traceback)."""
    if index is None:
        return f"{chapter.label} failed before its first cell ran: {type(err).__name__}: {err}"
    cell = nb.cells[index]
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    what = f"{errors[0].ename}: {errors[0].evalue}" if errors else f"{type(err).__name__}: {err}"
    detail = str(err) if errors else f"the cell:\n{cell.source}"  # nbclient's message shows cell and traceback
    return (f"{chapter.label} failed in cell {index + 1} of {len(nb.cells)} "
            f"(execution count {cell.get('execution_count')}): {what}\n{ANSI.sub('', detail)}")


def versions(quick: bool) -> dict[str, str]:
    """What the footer stamps: mode, date and the versions of Python, torch and torchvision."""
    def version(name: str) -> str:
        """The installed version of a distribution."""
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"
    now = datetime.datetime.now(datetime.timezone.utc)
    return {"mode": "quick (TL_QUICK=1)" if quick else "full", "date": now.strftime("%Y-%m-%d %H:%M UTC"),
            "python": platform.python_version(), "torch": version("torch"), "torchvision": version("torchvision")}


def make_exporter(edition: Edition = ENGLISH) -> HTMLExporter:
    """nbconvert's lab template, extended by ``templates/page.html.j2``, with widget scripts from the site's
    ``_static/`` and the edition's ``lang``."""
    static = f"{edition.root}_static"
    return HTMLExporter(template_name="lab", template_file="page.html.j2", extra_template_paths=[str(TEMPLATES)],
                        widget_renderer_url=f"{static}/{WIDGET_RENDERER}", require_js_url=f"{static}/require.js",
                        language_code=edition.code)


def twin_links(chapter: Chapter | None, editions: dict[Edition, list[Chapter]], start: Edition) -> list[dict]:
    """Links from a page of ``start`` (``chapter``'s page, or the index for ``None``) to the same page in the
    other editions of this build: ``{"href", "lang", "name"}``; none where an edition lacks that notebook."""
    links = []
    for edition, chapters in editions.items():
        if edition == start or (chapter is not None and chapter.stem not in {c.stem for c in chapters}):
            continue
        page = chapter.page if chapter is not None else "index.html"
        links.append({"href": edition.href(page, start), "lang": edition.code, "name": edition.name})
    return links


def render_page(exporter: HTMLExporter, nb: nbformat.NotebookNode, chapters: list[Chapter], i: int,
                stamp: dict[str, str], series: set[str] | None = None, twins: list[dict] | None = None) -> str:
    """One notebook's page, with links to the previous and next notebook of its edition, to its ``twins`` in the
    other editions (``twin_links``) and the footer; links to other notebooks of the ``series`` (stems) lead to
    their pages (``link_notebooks``)."""
    chapter = chapters[i]
    if WIDGET_STATE in nb.metadata.get("widgets", {}) and not (VENDOR / WIDGET_RENDERER).exists():
        raise BuildError(f"{chapter.label} has widgets, but their renderer is missing from {VENDOR}: "
                         "run `bash book/setup_js.sh` once (needs npm and the network)")
    book = {"chapter": chapter, "prev": chapters[i - 1] if i > 0 else None,
            "next": chapters[i + 1] if i + 1 < len(chapters) else None, "stamp": stamp,
            "lang": chapter.edition.code, "static": f"{chapter.edition.root}_static", "twins": twins or []}
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": chapter.title}, "book": book})
    return link_notebooks(body, {c.stem for c in chapters}, series or set())


def render_index(chapters: list[Chapter], stamp: dict[str, str], total: float, edition: Edition = ENGLISH,
                 twins: list[dict] | None = None) -> str:
    """The series map of an edition: every notebook's title, learning goals and run time, and a link to the
    other editions' maps (``twins``)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    return env.get_template("index.html.j2").render(chapters=chapters, stamp=stamp, total=total, lang=edition.code,
                                                    static=f"{edition.root}_static", twins=twins or [])


def copy_static(site: Path) -> None:
    """``_static/``: the book's style sheet and, when set up, the widget renderer with require.js and fonts."""
    static = site / "_static"
    shutil.copytree(BOOK / "static", static)
    if (VENDOR / WIDGET_RENDERER).exists():
        shutil.copytree(VENDOR, static, dirs_exist_ok=True)
    else:
        print(f"note: no widget renderer in {VENDOR} (run `bash book/setup_js.sh` once, online); "
              "a notebook with widgets will stop the build", flush=True)


def edition_folder(root: Path, edition: Edition) -> Path:
    """Where ``edition``'s notebooks are: ``root`` (``--notebooks-dir``) or its ``ko/`` folder."""
    return root / edition.folder if edition.folder else root


def execute_chapters(editions: dict[Edition, list[Chapter]], args: argparse.Namespace
                     ) -> dict[int, tuple[nbformat.NotebookNode, float, float]]:
    """Execute every chapter of every edition, ``args.jobs`` at a time (a progress line each), each kernel with its
    edition's folder below ``TL_RUNS_DIR`` (``kernel_environment``; both editions' 09 write a checkpoint of the
    same name) and, when several run at once, its share of the cores (``OMP_NUM_THREADS``). Returns
    ``{id(chapter): (executed notebook, start, end)}`` (``time.perf_counter``).

    With several at once, each edition's wall time on its index page overlaps the other's.

    Raises:
        BuildError: The first notebook that failed; the others already running finish, the queued ones are
            cancelled (as on Ctrl-C).
    """
    todo = [(i, len(chapters), chapter) for chapters in editions.values() for i, chapter in enumerate(chapters)]
    jobs = max(1, min(getattr(args, "jobs", 1), len(todo)))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    done: dict[int, tuple[nbformat.NotebookNode, float, float]] = {}

    def run(i: int, n: int, chapter: Chapter) -> None:
        env = dict(os.environ, TL_RUNS_DIR=str(Path(os.environ["TL_RUNS_DIR"]) / chapter.edition.code))
        if jobs > 1:
            env.setdefault("OMP_NUM_THREADS", str(max(1, cores // jobs)))     # unless set for the build
        nb, start = load_notebook(chapter), time.perf_counter()
        head = f"[{i + 1:2d}/{n}] {chapter.label} ... "
        if jobs == 1:  # one at a time: the line starts now, the result ends it
            print(head, end="", flush=True)
            head = ""
        try:
            execute(chapter, nb, args.cell_timeout, env)
        except BuildError:
            print(f"{head}FAILED after {chapter.seconds:.1f} s", flush=True)
            raise
        print(f"{head}ok {chapter.seconds:.1f} s", flush=True)
        done[id(chapter)] = (nb, start, time.perf_counter())

    if jobs == 1:
        for job in todo:
            run(*job)
        return done
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run, *job) for job in todo]
        try:
            for future in concurrent.futures.as_completed(futures):
                if future.exception() is not None:
                    raise future.exception()
        except BaseException:  # a failed notebook, or Ctrl-C: start no other
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return done


def build_site(editions: dict[Edition, list[Chapter]] | list[Chapter], site: Path, args: argparse.Namespace) -> None:
    """Execute each edition's chapters (``execute_chapters``) and write them into its folder of ``site``, then its
    index. A list of chapters is the English edition alone."""
    if isinstance(editions, list):
        editions = {ENGLISH: editions}
    stamp = versions(args.quick)
    copy_static(site)
    executed = execute_chapters(editions, args)
    for edition, chapters in editions.items():
        exporter, start, folder = make_exporter(edition), time.perf_counter(), site / edition.folder
        series = {p.stem for p in select_notebooks(edition_folder(args.notebooks_dir.resolve(), edition), None)}
        for chapter in chapters:  # the series map shows the goals, with their links
            chapter.goals = link_notebooks(chapter.goals, {c.stem for c in chapters}, series)
        (folder / "notebooks").mkdir(parents=True)
        for i, chapter in enumerate(chapters):
            nb = executed[id(chapter)][0]
            nbformat.write(nb, folder / "notebooks" / chapter.source.name)
            page = render_page(exporter, nb, chapters, i, stamp, series, twin_links(chapter, editions, edition))
            (folder / chapter.page).write_text(page, encoding="utf-8")
        ran = [executed[id(c)][1:] for c in chapters] or [(start, start)]   # the edition's wall time: from its
        total = max(e for _, e in ran) - min(s for s, _ in ran) + time.perf_counter() - start  # first start, + pages
        index = render_index(chapters, stamp, total, edition, twin_links(None, editions, edition))
        (folder / "index.html").write_text(index, encoding="utf-8")


def publish(site: Path, out: Path, work: Path) -> None:
    """Move the finished ``site`` to ``out``; a previous ``out`` is moved aside into ``work`` first."""
    if out.exists():
        out.rename(work / "previous")
    site.rename(out)


def select_editions(args: argparse.Namespace) -> dict[Edition, list[Chapter]]:
    """The chapters of each edition to build (``--editions``; the Korean edition from ``--notebooks-dir``/ko/).

    Raises:
        BuildError: An edition's folder or one of the ``--notebooks`` is missing, ``--imagenet-only`` with the
            Korean edition, or a link to a notebook that is not in the series (found before anything runs).
    """
    imagenet_only = getattr(args, "imagenet_only", False)
    codes = getattr(args, "editions", None) or (["en"] if imagenet_only else list(EDITIONS))
    if imagenet_only and set(codes) != {"en"}:
        raise BuildError("--imagenet-only builds the English edition only: leave out --editions or use --editions en")
    root, editions = args.notebooks_dir.resolve(), {}
    for edition in (EDITIONS[code] for code in EDITIONS if code in codes):
        folder = edition_folder(root, edition)
        if not folder.is_dir():
            raise BuildError(f"no {edition.name} edition ({edition.code}) in {folder}: make it with "
                             "`python tools/translations.py sync`, or build the others (--editions)")
        wanted = getattr(args, "ko_notebooks", None) if edition.code == "ko" else None
        paths = select_notebooks(folder, wanted or args.notebooks)
        if imagenet_only:
            paths = [p for p in paths if loads_imagenet(p)]
            if not paths:
                raise BuildError(f"--imagenet-only: no notebook in {args.notebooks_dir} loads the ImageNet network")
        chapters = [read_chapter(p, edition) for p in paths]
        dangling = dangling_links(chapters, {p.stem for p in select_notebooks(folder, None)})
        if dangling:  # found before anything runs: a link to a notebook that does not exist
            raise BuildError("links to notebooks that are not in the series (notebooks are named NN_name.ipynb; "
                             f"fix the link): {'; '.join(dangling)}")
        editions[edition] = chapters
    return editions


def build(args: argparse.Namespace) -> Path:
    """Build the whole book (every edition) in a temporary folder next to ``args.out`` and swap it into place."""
    editions = select_editions(args)
    out = args.out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    try:
        kernel_environment(args.quick, work / "runs")
        build_site(editions, work / "site", args)
        publish(work / "site", out, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    """Build; print where the site is, or what failed (exit status 1; the previous site is left as it was)."""
    args = parse_args(argv)
    mode = "quick" if args.quick else "full"
    print(f"building the book in {mode} mode into {args.out}", flush=True)
    start = time.perf_counter()
    try:
        out = build(args)
    except BuildError as err:
        print(f"\nbook build FAILED: {err}\n{args.out} was left as it was.", file=sys.stderr, flush=True)
        return 1
    print(f"built in {time.perf_counter() - start:.0f} s: open {out / 'index.html'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
