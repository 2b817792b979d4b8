"""A real JupyterLab in a real (headless) browser: the fixtures behind ``tests/browser``.

``lab`` starts ``python -m jupyter lab`` from this environment on 127.0.0.1 (random port, a token, no
browser) with a temporary root folder that holds *copies* of the notebooks under test, temporary Jupyter
config/data/runtime/settings folders (autosave off, no news, no update checks) and ``TL_QUICK=1``;
it always shuts the server and its kernels down. ``browser`` is Debian's Chromium driven by Playwright
(never a downloaded browser). ``open_notebook(path)`` opens a copy of a notebook the way a learner does and
returns a ``Notebook`` with the few actions the tests need: run all cells from the Run menu, wait, read
errors and take screenshots (``page``/``panel`` are Playwright objects for clicking widgets).

Run only these tests with ``TL_QUICK=1 python -m pytest -m browser tests/browser``.
Environment: ``TL_CHROMIUM`` (default ``/usr/bin/chromium``), ``TL_BROWSER_REQUIRED=1`` (fail instead of
skip when Chromium or Playwright is missing), ``TL_BROWSER_OUT`` (screenshot folder; they are
also copied to ``tests/browser/output/``), ``TL_BROWSER_NOTEBOOKS`` (folder to take the notebooks from,
default ``notebooks/``).
"""
from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("TL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--no-proxy-server"]
VIEWPORT = {"width": 1400, "height": 1000}
SERVER_START_TIMEOUT = 120  # s; a cold JupyterLab on a busy 2-core machine is slow
KERNEL_READY_TIMEOUT = 120_000  # ms

#: JupyterLab user settings: no autosave (only explicit saves, and those land in the temporary copies),
#: every cell kept in the DOM (so execution counts and outputs can be read), no news or toasts.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False,
                                                     "doNotDisturbMode": True},
}


def notebooks_dir() -> Path:
    """The folder the notebooks under test are copied from."""
    return Path(os.environ.get("TL_BROWSER_NOTEBOOKS", REPO / "notebooks")).resolve()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# No proxy for loopback, whatever the environment says.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class LabServer:
    """One JupyterLab server process with its own temporary folders.

    Attributes:
        root: The server's root folder (holds copies of the notebooks, never the repo's files).
        base: ``http://127.0.0.1:<port>``.
        token: The access token.
    """

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.root = workdir / "root"
        self.root.mkdir()
        self.token = uuid.uuid4().hex
        self.port = 0
        self.base = ""
        self.proc: subprocess.Popen | None = None
        self.log_path = workdir / "jupyterlab.log"
        self._workspaces = itertools.count(1)

    # -- lifecycle -------------------------------------------------------------------------------------
    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        for var in ("MPLBACKEND", "JUPYTER_PREFER_ENV_PATH", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH"):
            env.pop(var, None)  # the kernel must use the inline backend and this environment's Jupyter files
        dirs = {}
        for name in ("config", "data", "runtime", "ipython", "settings", "workspaces"):
            dirs[name] = self.workdir / name
            dirs[name].mkdir(exist_ok=True)
        for plugin, values in LAB_SETTINGS.items():
            path = dirs["settings"] / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env.update({
            "TL_QUICK": "1",
            "JUPYTER_CONFIG_DIR": str(dirs["config"]),
            "JUPYTER_DATA_DIR": str(dirs["data"]),
            "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
            "IPYTHONDIR": str(dirs["ipython"]),
            "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
            "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
            "JUPYTER_PLATFORM_DIRS": "1",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
            "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
        })
        return env

    def start(self) -> None:
        """Start the server and wait until ``/api/status`` answers (a few tries on a port clash)."""
        for attempt in range(3):
            self.port = _free_port()
            self.base = f"http://127.0.0.1:{self.port}"
            cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser",
                   "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                   "--ServerApp.open_browser=False",
                   "--LabApp.news_url=None",
                   "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
                   "--LabApp.expose_app_in_browser=True"]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                cmd.append("--allow-root")  # CI containers run as root
            log = open(self.log_path, "ab")
            log.write(f"\n=== attempt {attempt + 1}: {' '.join(cmd)}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(cmd, cwd=self.root, env=self._env(), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
            log.close()
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    self.api("GET", "/api/status", timeout=5)
                    return
                except (urllib.error.URLError, ConnectionError, OSError):
                    time.sleep(0.5)
            self.stop()
            if "already in use" not in self.log():  # only a port clash is worth another try
                break
        raise RuntimeError(f"JupyterLab did not start; its log:\n{self.log()}")

    def stop(self) -> None:
        """Shut the kernels and the server down: REST shutdown, then SIGTERM, then SIGKILL (whole tree)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            import psutil
            family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
        except Exception:  # psutil missing or the process already gone
            family = []
        if proc.poll() is None:
            try:
                self.api("POST", "/api/shutdown", timeout=10)
                proc.wait(timeout=20)
            except Exception:
                pass
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)
        for p in family[1:]:  # kernels live in their own sessions: make sure none outlives the server
            try:
                p.kill()
            except Exception:
                pass

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:] if self.log_path.exists() else "(no log)"

    # -- helpers ---------------------------------------------------------------------------------------
    def api(self, method: str, path: str, timeout: float = 10) -> object:
        """Call the server's REST API with the token; returns the decoded JSON (or None)."""
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with _OPENER.open(req, timeout=timeout) as r:
            body = r.read()
        return json.loads(body) if body else None

    def copy_notebook(self, src: Path, name: str | None = None) -> str:
        """Copy a notebook into the server's root; returns its name there."""
        name = name or src.name
        shutil.copyfile(src, self.root / name)
        return name

    def url(self, name: str) -> str:
        """URL that opens ``name`` in a fresh workspace (so earlier tests' tabs are not restored)."""
        return f"{self.base}/lab/workspaces/t{next(self._workspaces)}/tree/{name}?reset&token={self.token}"

    def shutdown_kernels(self) -> None:
        for session in self.api("GET", "/api/sessions") or []:
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            except Exception:
                pass


@pytest.fixture(scope="session")
def playwright_api():
    """Playwright's sync API, or a skip with the reason (never a silent pass)."""
    # TL_BROWSER_REQUIRED=1 (CI) turns a missing browser or Playwright into a failure instead of a skip.
    missing = pytest.fail if os.environ.get("TL_BROWSER_REQUIRED", "0") not in ("", "0") else pytest.skip
    if not CHROMIUM.exists():
        missing(f"browser tests need Chromium at {CHROMIUM} (Debian package 'chromium'; or set TL_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        missing(f"browser tests need Playwright for Python (pip package 'playwright'): {e}")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def lab(playwright_api, tmp_path_factory):
    """A running JupyterLab (see ``LabServer``); always shut down at the end of the session."""
    server = LabServer(tmp_path_factory.mktemp("jupyterlab"))

    def _on_sigterm(signum, frame):  # e.g. a CI timeout: still run the teardown below
        raise KeyboardInterrupt("SIGTERM")

    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread
        previous = None
    try:
        server.start()
        yield server
    finally:
        server.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


@pytest.fixture(scope="session")
def browser(playwright_api, tmp_path_factory):
    """Headless Debian Chromium with a fresh profile; Playwright never downloads a browser."""
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    context = playwright_api.chromium.launch_persistent_context(
        str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
        args=CHROMIUM_ARGS, viewport=VIEWPORT, device_scale_factor=1)
    context.set_default_timeout(60_000)  # clicks and waits on a busy 2-core machine
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="session")
def browser_out(tmp_path_factory) -> Path:
    """Screenshot folder: ``TL_BROWSER_OUT`` or one under pytest's tmp dir (copies go to tests/browser/output)."""
    out = os.environ.get("TL_BROWSER_OUT")
    path = Path(out) if out else tmp_path_factory.mktemp("browser_out")
    path.mkdir(parents=True, exist_ok=True)
    for old in (HERE / "output").glob("*.png"):  # no stale screenshots from an earlier run
        old.unlink()
    return path


class Notebook:
    """A notebook open in JupyterLab, driven through the UI like a learner would."""

    PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

    def __init__(self, page, lab: LabServer, name: str, out: Path):
        self.page, self.lab, self.name, self.out = page, lab, name, out
        self.panel = page.locator(self.PANEL)

    # -- state -----------------------------------------------------------------------------------------
    def kernel_status(self) -> str:
        """``idle``, ``busy``, ``starting``... from the notebook toolbar's execution indicator."""
        ind = self.panel.locator(".jp-Notebook-ExecutionIndicator")
        if not ind.count():
            return ""
        return ind.first.get_attribute("data-status") or ""

    def prompts(self) -> list[str]:
        """Execution prompts of the code cells, e.g. ``['[1]:', '[*]:', '[ ]:']``."""
        return self.page.evaluate(
            """sel => Array.from(document.querySelectorAll(sel + ' .jp-CodeCell .jp-InputArea-prompt'))
                       .map(e => e.textContent.trim())""", self.PANEL)

    def model_errors(self) -> list[str] | None:
        """Outputs of type ``error`` in the open notebook's model (``None`` if the app is not reachable)."""
        return self.page.evaluate(r"""() => {
            const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
            if (!nb || !nb.content || !nb.content.model) return null;
            const errs = [];
            let n = 0;
            for (const cell of nb.content.model.cells) {
                n += 1;
                if (cell.type !== 'code') continue;
                for (let i = 0; i < cell.outputs.length; i++) {
                    const o = cell.outputs.get(i).toJSON();
                    if (o.output_type !== 'error') continue;
                    const line = (o.traceback || []).map(t => t.replace(/\x1b\[[0-9;]*m/g, ''))
                        .join('\n').split('\n').filter(l => l.startsWith('---->')).pop() || '';
                    errs.push(`cell ${n} [${cell.executionCount}]: ${o.ename}: ${o.evalue}` +
                              (line ? `  (${line.trim()})` : ''));
                }
            }
            return errs; }""")

    def rendered_errors(self) -> list[str]:
        """Rendered outputs that show an exception (last line of each).

        JupyterLab renders an error output as stderr text (``data-mime-type`` stderr) holding the
        traceback; warnings are stderr too, so an error is told apart by its traceback or its final
        ``SomeError: message`` line.
        """
        return self.page.evaluate(
            r"""sel => Array.from(document.querySelectorAll(sel +
                    ' .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
                 .map(e => e.textContent)
                 .filter(t => /Traceback \(most recent call last\)/.test(t) ||
                              /^(\w+\.)*\w*(Error|Exception|Interrupt): /m.test(t))
                 .map(t => t.trim().split('\n').slice(-1)[0])""", self.PANEL)

    def errors(self) -> list[str]:
        """Every exception the notebook shows: from its model and from the rendered page."""
        return (self.model_errors() or []) + [f"(rendered) {t}" for t in self.rendered_errors()]

    # -- actions ---------------------------------------------------------------------------------------
    def dismiss_dialogs(self) -> None:
        """Accept any modal dialog (e.g. kernel selection) so it cannot block the page."""
        dialog = self.page.locator(".jp-Dialog")
        for _ in range(3):
            if not dialog.count():
                return
            text = dialog.first.inner_text()
            accept = dialog.first.locator("button.jp-mod-accept")
            (accept if accept.count() else dialog.first.locator("button").last).click()
            print(f"dismissed a dialog: {text[:200]!r}")
            self.page.wait_for_timeout(300)

    def wait_kernel_idle(self, timeout_ms: int = KERNEL_READY_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout_ms / 1000
        while self.kernel_status() != "idle":
            if time.monotonic() > deadline:
                raise AssertionError(f"kernel not idle after {timeout_ms / 1000:.0f} s "
                                     f"(status {self.kernel_status()!r}); server log:\n{self.lab.log()}")
            self.dismiss_dialogs()
            self.page.wait_for_timeout(250)

    def run_all(self) -> None:
        """Run > Run All Cells, from the menu bar (falls back to the command palette)."""
        page = self.page
        self.panel.locator(".jp-Notebook").first.click(position={"x": 5, "y": 5})  # focus the notebook
        page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        item = page.locator('.lm-Menu .lm-Menu-item[data-command="notebook:run-all-cells"]')
        try:
            item.wait_for(state="visible", timeout=5000)
            item.click()
        except Exception:
            page.keyboard.press("Escape")
            page.keyboard.press("Control+Shift+C")
            page.locator(".lm-CommandPalette-input").fill("Run All Cells")
            page.keyboard.press("Enter")

    def wait_run_finished(self, timeout_s: float, upto: int | None = None) -> float:
        """Wait until the kernel is idle and every code cell (the first ``upto`` ones, when given) has an
        execution count, or a cell failed.

        Returns:
            Seconds waited.
        """
        start = time.monotonic()
        last_report = start
        while True:
            prompts = self.prompts()[:upto]
            done = prompts and (upto is None or len(prompts) == upto) and \
                all(re.fullmatch(r"\[\d+\]:", p) for p in prompts)
            if self.kernel_status() == "idle" and (done or (any(p != "[ ]:" for p in prompts) and self.errors())):
                # idle with an error: JupyterLab stops Run All at the failing cell
                return time.monotonic() - start
            now = time.monotonic()
            if now - start > timeout_s:
                raise AssertionError(f"run all did not finish in {timeout_s:.0f} s: prompts {prompts}, "
                                     f"kernel {self.kernel_status()!r}, errors {self.errors()}")
            if now - last_report > 30:
                print(f"  ... {now - start:.0f} s: {prompts}")
                last_report = now
            self.dismiss_dialogs()
            self.page.wait_for_timeout(500)

    def run_all_cleanly(self, timeout_s: float, widgets: tuple[str, ...] = ()) -> float:
        """Run All as a learner would, then assert that no cell raised, every cell ran and each widget
        class in ``widgets`` is visible (the widget manager works in this JupyterLab).

        Returns:
            Seconds the run took.
        """
        self.run_all()
        seconds = self.wait_run_finished(timeout_s=timeout_s)
        print(f"{self.name}: run all took {seconds:.0f} s")
        assert not self.errors(), f"cells raised: {self.errors()}"
        assert all(re.fullmatch(r"\[\d+\]:", p) for p in self.prompts()), f"cells not run: {self.prompts()}"
        for cls in widgets:
            self.panel.locator(f".{cls}").first.wait_for(state="visible", timeout=60_000)
        return seconds

    def screenshot(self, locator, name: str) -> Path:
        """Screenshot ``locator`` (scrolled into view) into the output folder, copied to tests/browser/output/."""
        locator.scroll_into_view_if_needed()
        self.page.wait_for_timeout(300)
        path = self.out / name
        locator.screenshot(path=str(path))
        return self._keep(path)

    def screenshot_clip(self, clip: dict | None, name: str) -> Path:
        """Screenshot a rectangle of the page (``{x, y, width, height}``; ``None``: the whole window)."""
        path = self.out / name
        self.page.screenshot(path=str(path), clip=clip)
        return self._keep(path)

    @staticmethod
    def _keep(path: Path) -> Path:
        copy_dir = HERE / "output"
        copy_dir.mkdir(exist_ok=True)
        shutil.copyfile(path, copy_dir / path.name)
        print(f"  screenshot {path} (copy in {copy_dir})")
        return path


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell that the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def open_notebook(lab, browser, browser_out, request):
    """Factory: ``open_notebook(src_path, name=None)`` copies the notebook into the server root, opens it in
    a new tab and waits for its kernel. Closes the tab and shuts the kernels down afterwards; when the test
    failed, first saves a screenshot of each tab (``FAILED_<test>_<n>.png``)."""
    pages = []

    def _open(src: Path, name: str | None = None) -> Notebook:
        if not Path(src).exists():
            pytest.fail(f"{src} does not exist")
        name = lab.copy_notebook(Path(src), name)
        page = browser.new_page()
        pages.append(page)
        page.on("response", lambda r: r.status >= 400 and print(f"  [browser] HTTP {r.status} {r.url.split('?')[0]}"))
        page.goto(lab.url(name))
        page.locator(f"{Notebook.PANEL} .jp-Notebook").first.wait_for(state="visible", timeout=KERNEL_READY_TIMEOUT)
        nb = Notebook(page, lab, name, browser_out)
        nb.wait_kernel_idle()
        return nb

    yield _open
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for i, page in enumerate(pages):
        try:
            if failed:
                Notebook(page, lab, "", browser_out).screenshot_clip(None, f"FAILED_{request.node.name}_{i}.png")
            page.close()
        except Exception:
            pass
    try:
        lab.shutdown_kernels()
    except Exception:
        pass


@pytest.fixture(scope="session")
def notebook_src() -> Path:
    """Folder the notebooks under test are copied from (``TL_BROWSER_NOTEBOOKS`` or ``notebooks/``)."""
    return notebooks_dir()
