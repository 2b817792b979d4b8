"""The built book (``python book/build.py``) read in headless Chromium, the way a learner reads it.

Opens ``index.html`` from ``TL_BOOK_DIR`` (a file:// URL), follows every chapter link and then the
next/previous links from the first page to the last, and checks each page: the notebook's title, no error
output and no traceback, an inline figure wherever the executed notebook has a PNG output, every saved widget
view rendered (on 07: the trainer box with its toggle buttons, dropdowns, slider, button and image), the
footer, and that nothing was requested from the network. It follows every in-text link between notebooks
("Next: [..](08_evaluate_and_improve.ipynb)") to a page with that notebook's title (a notebook left out of the
build shows as plain text), and checks that every saved widget says it is a snapshot, that clicks and keys
change nothing (07's toggle) and that widgets use the page's font. Screenshots of the index and of the widget
page go to ``TL_BROWSER_OUT`` (if set) and ``tests/browser/output/``.

All of this for both editions: the English pages at the root and the Korean ones under ``ko/`` (``lang="ko"``,
their own reading order and in-text links, Korean snapshot captions). Every page's link to its twin in the
other edition ("한국어" / "English" near the top) and each index's language switch lead to the same notebook's
page in the other language and back. A book built with ``--editions en`` has no ``ko/``: its Korean tests skip
(they fail under ``TL_BOOK_REQUIRED=1``).

Without ``TL_BOOK_DIR`` these tests skip (the README's test command builds no book); with
``TL_BOOK_REQUIRED=1`` (``.ci/run``) they fail instead. Run after a build:
``TL_BOOK_DIR=build/book python -m pytest -m browser tests/browser/test_book.py``.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

HERE = Path(__file__).resolve().parent
BOOK_DIR = os.environ.get("TL_BOOK_DIR", "")
REQUIRED = os.environ.get("TL_BOOK_REQUIRED", "0") not in ("", "0")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
TRAINER = "tl-transfer-trainer"  # notebook 07's freeze / fine-tune widget box
RENDER_TIMEOUT = 30_000  # ms for the widget renderer on a busy machine
#: An in-text link to another notebook in a markdown cell: ``[text](07_name.ipynb#Anchor)`` or ``href="07_name.ipynb"``.
NOTEBOOK_LINK = re.compile(r"""(?:\]\(\s*|href=["'])(?:\./)?(\d\d_[\w-]+)\.ipynb(#[^)"'\s]*)?""")
SNAPSHOT_NOTE = "Saved snapshot of the executed run"
#: Each edition: its folder below ``TL_BOOK_DIR``, and the words its snapshot captions start with.
EDITIONS = {"en": {"folder": "", "note": SNAPSHOT_NOTE}, "ko": {"folder": "ko", "note": "실행 결과를 저장한 스냅숏"}}
TWIN_NAMES = {"en": "English", "ko": "한국어"}  # what a link to an edition says

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not BOOK_DIR and not REQUIRED,
                       reason="no built book: set TL_BOOK_DIR to the output of `python book/build.py` "
                              "(TL_BOOK_REQUIRED=1 makes this a failure)"),
]


def chapter_facts(ipynb: Path) -> dict:
    """What a page must show, read from its executed notebook."""
    nb = nbformat.read(ipynb, as_version=4)
    first = next(c.source for c in nb.cells if c.cell_type == "markdown")
    title = next((line[2:].strip() for line in first.splitlines() if line.startswith("# ")), ipynb.stem)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return {"page": f"{ipynb.stem}.html", "title": title, "stem": ipynb.stem,
            "links": [(stem, anchor) for stem, anchor in NOTEBOOK_LINK.findall(markdown)],
            "png": any("image/png" in o.get("data", {}) for o in outputs),
            "views": sum(WIDGET_VIEW in o.get("data", {}) for o in outputs),
            "trainer": any(TRAINER in m.get("state", {}).get("_dom_classes", []) for m in state.values())}


@pytest.fixture(scope="module")
def book() -> Path:
    """The built book's folder (``TL_BOOK_DIR``), with at least an index and one executed notebook."""
    if not BOOK_DIR:
        pytest.fail("TL_BOOK_REQUIRED=1 but TL_BOOK_DIR is not set: build with `python book/build.py` first")
    path = Path(BOOK_DIR).resolve()
    if not (path / "index.html").is_file() or not list((path / "notebooks").glob("*.ipynb")):
        pytest.fail(f"{path} holds no built book (index.html and notebooks/*.ipynb): run python book/build.py")
    return path


@pytest.fixture(scope="module")
def chapters(book) -> list[dict]:
    return [chapter_facts(p) for p in sorted((book / "notebooks").glob("*.ipynb"))]


def edition_facts(book: Path, code: str) -> dict:
    """One edition of the built book: ``code``, ``dir`` (its pages), ``chapters`` (``chapter_facts``), ``note``."""
    folder = book / EDITIONS[code]["folder"]
    if not (folder / "index.html").is_file():
        (pytest.fail if REQUIRED else pytest.skip)(f"{folder} holds no {code} edition: build both editions "
                                                   "(`python book/build.py`, --editions en ko is the default)")
    return {"code": code, "dir": folder, "note": EDITIONS[code]["note"],
            "chapters": [chapter_facts(p) for p in sorted((folder / "notebooks").glob("*.ipynb"))]}


@pytest.fixture(scope="module", params=list(EDITIONS))
def edition(request, book) -> dict:
    """Each edition in turn (``edition_facts``)."""
    return edition_facts(book, request.param)


@pytest.fixture(scope="module")
def korean(book) -> dict:
    return edition_facts(book, "ko")


@pytest.fixture
def page(browser, book):
    """A fresh tab that records every request that is not a local file, and every script error."""
    tab = browser.new_page()
    tab.remote, tab.js_errors = [], []
    tab.on("request", lambda r: r.url.split(":")[0] not in ("file", "data", "blob", "about")
           and tab.remote.append(r.url))
    tab.on("pageerror", lambda e: tab.js_errors.append(str(e)))
    yield tab
    tab.close()


def keep_screenshot(tab, out: Path, name: str, locator=None) -> None:
    """Screenshot (the locator, or the window) into ``out`` and copy it to tests/browser/output/."""
    path = out / name
    if locator is not None:
        locator.scroll_into_view_if_needed()
        locator.screenshot(path=str(path))
    else:
        tab.screenshot(path=str(path))
    (HERE / "output").mkdir(exist_ok=True)
    shutil.copyfile(path, HERE / "output" / name)


def footer_problems(tab) -> list[str]:
    """The footer stamps mode, date, Python/torch/torchvision versions and a wall time."""
    footer = tab.locator("footer.tl-book-footer")
    if footer.count() != 1:
        return [f"{footer.count()} footers"]
    text = footer.inner_text()
    want = [r"\b(quick|full)\b", r"\d{4}-\d\d-\d\d", r"Python \d", r"torch \d", r"torchvision \d", r"\d+\.\d s"]
    return [f"footer lacks {w!r}: {text!r}" for w in want if not re.search(w, text)]


def widget_problems(tab, facts: dict) -> list[str]:
    """Every saved widget view rendered; on the trainer page the trainer's controls visible."""
    problems = []
    if facts["trainer"]:
        tab.locator(f".{TRAINER} .widget-toggle-button").first.wait_for(state="visible", timeout=RENDER_TIMEOUT)
        labels = [t.strip() for t in tab.locator(f".{TRAINER} .widget-toggle-button").all_inner_texts()]
        if len(labels) < 2 or not all(labels):
            problems.append(f"trainer toggle buttons not shown: {labels}")
        for part in ("select", ".widget-slider", "button.widget-button", "img.widget-image"):
            if not tab.locator(f".{TRAINER} {part}").first.is_visible():
                problems.append(f"trainer's {part} not visible")
    if facts["views"]:
        rendered = tab.locator(".jupyter-widgets .widget-subarea .lm-Widget").first
        rendered.wait_for(state="attached", timeout=RENDER_TIMEOUT)
        empty = tab.evaluate("""sel => Array.from(document.querySelectorAll(`script[type="${sel}"]`))
            .filter(s => !s.parentElement.querySelector('.widget-subarea .lm-Widget')).length""", WIDGET_VIEW)
        if empty:
            problems.append(f"{empty} of {facts['views']} saved widget views not rendered")
    return problems


def page_problems(tab, facts: dict) -> list[str]:
    """Everything wrong with the open page (an empty list when it is right)."""
    problems = []
    h1 = tab.locator("main h1").first.inner_text().replace("¶", "").strip()
    if h1 != facts["title"] or tab.title() != facts["title"]:
        problems.append(f"title {h1!r} / <title> {tab.title()!r}, expected {facts['title']!r}")
    errors = tab.locator(".tl-book-error, .output_error").count()
    if errors or "Traceback" in tab.locator("body").inner_text():
        problems.append(f"error output on the page ({errors} error outputs)")
    if facts["png"] and not tab.locator(".jp-OutputArea-output img").count():
        problems.append("the notebook has a PNG output but the page shows no <img>")
    return problems + widget_problems(tab, facts) + footer_problems(tab)


def test_index_maps_every_notebook(page, edition, browser_out):
    book, chapters = edition["dir"], edition["chapters"]
    page.goto((book / "index.html").as_uri())
    assert page.locator("html").get_attribute("lang") == edition["code"]
    links = page.locator("a.tl-book-title")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [c["page"] for c in chapters]
    assert [t.strip() for t in links.all_inner_texts()] == [c["title"] for c in chapters]
    goals = page.locator(".tl-book-goals").all_inner_texts()
    assert len(goals) == len(chapters) and all(g.strip() for g in goals), "each chapter shows its learning goals"
    if edition["code"] == "en":
        assert all("learning goals" in g.lower() for g in goals), "each chapter shows its learning goals"
    times = page.locator(".tl-book-chapter .tl-book-walltime").all_inner_texts()
    assert len(times) == len(chapters) and all(re.fullmatch(r"\d+\.\d s", t) for t in times), times
    for i in range(links.count()):  # every chapter link and executed-notebook link leads to a file
        assert (book / links.nth(i).get_attribute("href")).is_file()
    for href in page.locator(".tl-book-meta a").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        assert (book / href).is_file(), href
    assert footer_problems(page) == []
    keep_screenshot(page, browser_out, f"book_{edition['code']}_index.png" if edition["code"] != "en"
                    else "book_index.png")
    assert page.remote == [] and page.js_errors == []


def test_every_page_in_reading_order(page, edition, browser_out):
    """From the index to the first page, then "next" to the last page and back to the map, in one edition: every
    page has the edition's ``lang``, and previous/next never leave the edition."""
    book, chapters, code = edition["dir"], edition["chapters"], edition["code"]
    page.goto((book / "index.html").as_uri())
    page.locator("a.tl-book-title").first.click()
    problems, shot = [], False
    for i, facts in enumerate(chapters):
        page.wait_for_load_state()
        assert page.url.split("#")[0] == (book / facts["page"]).as_uri(), \
            f"expected {facts['page']} of the {code} edition, at {page.url}"
        problems += [f"{facts['stem']}: {p}" for p in page_problems(page, facts)]
        if page.locator("html").get_attribute("lang") != code:
            problems.append(f"{facts['stem']}: lang is {page.locator('html').get_attribute('lang')!r}, not {code}")
        prev = page.locator("nav.tl-book-nav-top a.tl-book-prev")
        expected_prev = chapters[i - 1]["page"] if i else None
        if (prev.get_attribute("href") if prev.count() else None) != expected_prev:
            problems.append(f"{facts['stem']}: previous link is not {expected_prev}")
        if facts["trainer"] or (facts["views"] and not shot):
            trainer = page.locator(f".{TRAINER}")
            name = f"book_{facts['stem']}.png" if code == "en" else f"book_{code}_{facts['stem']}.png"
            keep_screenshot(page, browser_out, name, trainer if trainer.count() else None)
            shot = True
        if i + 1 < len(chapters):
            page.locator("nav.tl-book-nav-bottom a.tl-book-next").click()
    assert not page.locator("a.tl-book-next").count(), "the last page links to a next one"
    page.locator("nav.tl-book-nav-bottom a.tl-book-index").click()
    page.wait_for_load_state()
    assert page.url == (book / "index.html").as_uri(), f"the map of the {code} edition, not {page.url}"
    assert problems == []
    if any(c["stem"].startswith("07") for c in chapters):
        assert any(c["trainer"] for c in chapters), f"07 saved no widget state with the {TRAINER} box"
    assert page.remote == [], f"pages asked the network for {page.remote}"
    assert page.js_errors == []


def test_in_text_links_lead_to_the_pages_of_their_notebooks(page, edition):
    """Every link to another notebook in the text leads to that notebook's page in the same edition (its title,
    and its anchor when the link has one); one to a notebook left out of this build is plain text; no link in a
    page's cells leads to an ``.ipynb`` but the executed notebook's own (the widget captions' download link)."""
    book, chapters = edition["dir"], edition["chapters"]
    built = {c["stem"]: c for c in chapters}
    problems, followed = [], 0
    for facts in chapters:
        page.goto((book / facts["page"]).as_uri())
        hrefs = page.locator(".jp-Cell a[href]").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        problems += [f"{facts['stem']}: link to {h}" for h in hrefs if ".ipynb" in h   # executed notebooks only
                     and not (h.startswith("notebooks/") and (book / h).is_file())]
        shown = [h for h in page.locator(".jp-MarkdownCell a[href]").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))") if re.fullmatch(r"\d\d_[\w-]+\.html(#.*)?", h)]
        expected = [f"{stem}.html{anchor}" for stem, anchor in facts["links"] if stem in built]
        unbuilt = page.locator(".jp-MarkdownCell .tl-book-unbuilt").all_inner_texts()
        if sorted(shown) != sorted(expected) or len(unbuilt) != len(facts["links"]) - len(expected):
            problems.append(f"{facts['stem']}: links {shown} and {len(unbuilt)} unbuilt, expected {expected} and "
                            f"{len(facts['links']) - len(expected)}")
        for href in shown:
            page.locator(f'.jp-MarkdownCell a[href="{href}"]').first.click()
            page.wait_for_load_state()
            target, anchor = built[href.split(".html")[0]], href.partition("#")[2]
            h1 = page.locator("main h1").first.inner_text().replace("¶", "").strip()
            if not page.url.split("#")[0].endswith("/" + target["page"]) or target["title"] not in (h1, page.title()):
                problems.append(f"{facts['stem']}: {href} led to {page.url} titled {page.title()!r}")
            elif anchor and not page.locator(f"[id='{anchor}']").count():
                problems.append(f"{facts['stem']}: {href} has no element with id {anchor!r}")
            followed += 1
            page.go_back()
            page.wait_for_load_state()
    assert problems == []
    if any(stem in built for c in chapters for stem, _ in c["links"]):
        assert followed, "no in-text link was followed"
    assert page.remote == [] and page.js_errors == []


def font_families(tab, selector: str) -> set[str]:
    """The computed font-family of every element the selector finds."""
    return set(tab.locator(selector).evaluate_all("els => els.map(e => getComputedStyle(e).fontFamily)"))


def controls_state(tab) -> list:
    """What the saved widgets show: which toggle button is selected, which boxes are ticked, each widget's text."""
    return tab.evaluate("""() => [
        Array.from(document.querySelectorAll('.tl-book-snapshot-view .widget-toggle-button'))
            .map(b => b.classList.contains('mod-active')),
        Array.from(document.querySelectorAll('.tl-book-snapshot-view input[type=checkbox]')).map(c => c.checked),
        Array.from(document.querySelectorAll('.tl-book-snapshot-view')).map(v => v.innerText)]""")


def poke(tab, locator) -> None:
    """Try to change a control every way a reader could: a mouse click where it is, a click from a script, and
    Space and Enter with the keyboard focus on it."""
    locator.click(force=True)
    locator.dispatch_event("click")
    locator.focus()
    tab.keyboard.press("Space")
    tab.keyboard.press("Enter")


def test_saved_widgets_say_they_are_snapshots_and_ignore_clicks_and_keys(page, edition):
    """Each saved widget view has a caption saying it is a snapshot of the executed run (in the edition's
    language); clicks and keys on its controls change nothing (an unselected toggle button, every checkbox, 07's
    Train button); buttons, labels and dropdowns use the page's font."""
    book, chapters = edition["dir"], edition["chapters"]
    with_views = [c for c in chapters if c["views"]]
    if not with_views:
        pytest.skip("no notebook of this book saved widgets")
    poked = 0
    for facts in with_views:
        page.goto((book / facts["page"]).as_uri())
        assert widget_problems(page, facts) == []
        notes = page.locator(".tl-book-snapshot-note")
        assert notes.count() == facts["views"] and notes.first.is_visible()
        assert all(edition["note"] in t and "JupyterLab" in t for t in notes.all_inner_texts())
        text_font = font_families(page, ".jp-RenderedMarkdown p")
        controls = ".tl-book-snapshot-view :is(button, select, .widget-label, .widget-toggle-button)"
        assert len(text_font) == 1 and font_families(page, controls) <= text_font, font_families(page, controls)
        saved = controls_state(page)
        targets = [page.locator(".tl-book-snapshot-view .widget-toggle-button:not(.mod-active)"),
                   page.locator(".tl-book-snapshot-view input[type=checkbox]"),
                   page.locator(f".tl-book-snapshot-view .{TRAINER} button.widget-button")]
        for found in targets:
            for i in range(min(found.count(), 3)):
                poke(page, found.nth(i))
                poked += 1
        page.wait_for_timeout(300)
        assert controls_state(page) == saved, f"{facts['stem']}: a saved widget changed"
    if any(c["trainer"] for c in chapters):
        assert poked, "07's trainer has a toggle and a Train button to try"
    assert page.remote == [] and page.js_errors == []


# --------------------------------------------------------------------------- between the editions

def twin_link(tab, where: str = "nav.tl-book-nav-top"):
    """The link to the other edition in ``where`` (the top navigation bar, or the index's language switch)."""
    link = tab.locator(f"{where} a.tl-book-twin")
    assert link.count() == 1, f"{link.count()} links to the other edition in {where} of {tab.url}"
    assert link.is_visible(), f"the link to the other edition is not visible on {tab.url}"
    return link


def test_every_page_links_to_its_twin_in_the_other_edition(page, book, chapters, korean):
    """Near the top of each English page whose Korean twin was built, "한국어" leads to it (``lang="ko"``, its Korean
    title), whose "English" leads back; a page whose twin was not built (CI builds a few Korean pages: the test
    command has already executed every Korean notebook) has no such link."""
    titles = {c["stem"]: c["title"] for c in korean["chapters"]}
    assert titles and set(titles) <= {c["stem"] for c in chapters}, "Korean pages without an English one"
    problems = []
    for facts in chapters:
        page.goto((book / facts["page"]).as_uri())
        if facts["stem"] not in titles:
            if page.locator("nav.tl-book-nav-top a.tl-book-twin").count():
                problems.append(f"{facts['stem']}: a link to a Korean page that was not built")
            continue
        link = twin_link(page)
        href, text = link.get_attribute("href"), link.inner_text().strip()
        if (href, text) != (f"ko/{facts['page']}", TWIN_NAMES["ko"]) or not (book / href).is_file():
            problems.append(f"{facts['stem']}: twin link {text!r} -> {href}")
            continue
        link.click()
        page.wait_for_load_state()
        h1 = page.locator("main h1").first.inner_text().replace("¶", "").strip()
        if not page.url.endswith(f"/ko/{facts['page']}") or page.locator("html").get_attribute("lang") != "ko" \
                or h1 != titles[facts["stem"]]:
            problems.append(f"{facts['stem']}: 한국어 led to {page.url} (lang "
                            f"{page.locator('html').get_attribute('lang')!r}, title {h1!r})")
            continue
        back = twin_link(page)
        if back.inner_text().strip() != TWIN_NAMES["en"] or back.get_attribute("href") != f"../{facts['page']}":
            problems.append(f"{facts['stem']}: Korean twin link {back.inner_text()!r} -> {back.get_attribute('href')}")
            continue
        back.click()
        page.wait_for_load_state()
        if page.url != (book / facts["page"]).as_uri() or page.locator("html").get_attribute("lang") != "en":
            problems.append(f"{facts['stem']}: English led to {page.url}")
    assert problems == []
    assert page.remote == [] and page.js_errors == []


def test_each_index_switches_to_the_other_language(page, book, korean):
    """The English map's "한국어" opens the Korean map (``ko/index.html``, ``lang="ko"``, the Korean pages), whose
    "English" opens the English map again."""
    page.goto((book / "index.html").as_uri())
    link = twin_link(page, "nav.tl-book-lang-switch")
    assert (link.inner_text().strip(), link.get_attribute("href")) == (TWIN_NAMES["ko"], "ko/index.html")
    link.click()
    page.wait_for_load_state()
    assert page.url == (korean["dir"] / "index.html").as_uri() and page.locator("html").get_attribute("lang") == "ko"
    titles = page.locator("a.tl-book-title")
    assert [titles.nth(i).get_attribute("href") for i in range(titles.count())] == \
        [c["page"] for c in korean["chapters"]]
    back = twin_link(page, "nav.tl-book-lang-switch")
    assert (back.inner_text().strip(), back.get_attribute("href")) == (TWIN_NAMES["en"], "../index.html")
    back.click()
    page.wait_for_load_state()
    assert page.url == (book / "index.html").as_uri() and page.locator("html").get_attribute("lang") == "en"
    assert page.remote == [] and page.js_errors == []
