"""Widget controls under a kernel that handles their messages on two threads (explorers of 02, 04, 05; 07).

ipykernel 7 hands a control's first message to the main thread and later ones to a widget thread, so two
callbacks of one widget can run at the same time, and whichever finishes last stays on screen. Two small
pieces keep every widget of the series showing what its controls say:

- ``LatestRedraw``: one redraw at a time, each computed from one snapshot of the controls; a change that
  arrives during a redraw does not queue a redraw of its own: the running one starts again from the
  controls' current values when it finishes, so the widget never ends on a stale setting.
- ``RunLock``: for a widget that runs something long with its controls (07's Train button): a run takes the
  settled values (every handler done) and locks the controls in one atomic step, and a change that arrives
  while a run starts or runs (or that the browser sent during the last run) is refused and the control put
  back.

``labelled`` gives a selection widget options whose labels speak the helpers' language (``i18n``) while each
``.value`` stays the English value that the code and the notebooks use.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Iterable, Mapping

from .i18n import tr


def labelled(values: Iterable[str], translated: Iterable[str] | None = None) -> list:
    """Options of a ``ToggleButtons``/``Dropdown``: ``[(tr(value), value), ...]``, or just the values where every
    label is its value (English), so that ``.value`` and ``.options`` are the same in every language.

    Args:
        values: The values the code reads (English texts marked with ``i18n.N_``).
        translated: The values shown in the active language (default: all); the others show themselves.
    """
    translated = None if translated is None else set(translated)
    pairs = [(tr(v) if translated is None or v in translated else v, v) for v in values]
    return [v for _, v in pairs] if all(text == v for text, v in pairs) else pairs


class LatestRedraw:
    """Redraw a widget from its controls' current values, one redraw at a time, never ending on a stale one.

    Call it (it is an ``observe`` callback) whenever a control changes. The caller whose request finds no
    redraw running draws, in its own thread; a request that arrives while one runs only marks it as out of
    date and returns at once, and the running redraw then starts again from the controls' values, as many
    times as needed (a burst of changes costs at most one extra redraw, not one each).

    Args:
        draw: ``draw(values)``, with ``values`` the snapshot ``{name: control.value}`` read once at the start
            of the redraw; it should compute everything it shows and stores from that snapshot alone.
        controls: ``{name: widget}``; each widget's ``value`` is observed.

    Attributes:
        runs: Redraws finished (or failed) so far; requests: calls so far.
    """

    def __init__(self, draw: Callable[[dict[str, Any]], None], controls: Mapping[str, Any]) -> None:
        self.draw, self.controls = draw, dict(controls)
        self.runs = self.requests = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._running = self._stale = False
        for widget in self.controls.values():
            widget.observe(self, names="value")

    def snapshot(self) -> dict[str, Any]:
        """The controls' values now: ``{name: value}``."""
        return {name: widget.value for name, widget in self.controls.items()}

    def __call__(self, _change: Any = None) -> None:
        """Request a redraw: draw now in this thread, or, if one runs, have it start again when it ends."""
        with self._lock:
            self.requests += 1
            if self._running:
                self._stale = True
                return
            self._running = True
        self._redraw_until_current()

    def _redraw_until_current(self) -> None:
        """Draw until no change arrived during the last drawing; an error is raised only by the last one
        (a newer drawing supersedes a failed one)."""
        while True:
            error = None
            try:
                self.draw(self.snapshot())
            except Exception as err:
                error = err
            except BaseException:                    # e.g. KeyboardInterrupt: stop, but stay usable
                self._finish(stop=True)
                raise
            if self._finish(stop=False):
                if error is not None:
                    raise error
                return

    def _finish(self, stop: bool) -> bool:
        """Count a finished drawing; ``True`` (and no longer running) unless a change made it stale."""
        with self._lock:
            self.runs += 1
            if self._stale and not stop:
                self._stale = False
                return False
            self._running = self._stale = False
            self._idle.notify_all()
            return True

    @property
    def busy(self) -> bool:
        """Whether a redraw runs now (in any thread)."""
        return self._running

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no redraw runs (``False`` if ``timeout`` seconds passed first)."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._running, timeout)


def message_sent_at() -> float | None:
    """When the browser sent the widget message being handled (its clock, s; from the message's header),
    else ``None`` (no kernel, as in plain Python and the tests, or a change made by code)."""
    try:
        from IPython import get_ipython
        kernel = getattr(get_ipython(), "kernel", None)
        header = kernel.get_parent("shell").get("header", {}) if kernel is not None else {}
    except Exception:                     # no kernel (plain Python, tests) or an older ipykernel
        return None
    date = header.get("date")
    return date.timestamp() if header.get("msg_type") == "comm_msg" and hasattr(date, "timestamp") else None


class RunLock:
    """The controls a run reads: reading them and locking them is one atomic step, and they stay the run's.

    Every change of a control is first ``admit``-ted under one ``threading.RLock``; an admitted change runs its
    handler under that lock (re-entrant: handlers that set other controls run in the same thread) and becomes
    *settled*. ``start()`` takes the lock, returns the settled values and disables the controls in one step, so a
    run never starts halfway through a handler. A change that has not settled when the run starts (its value
    set, its handler still waiting for the lock: ipykernel 7 handles the click and it on two threads), one that
    arrives during the run, and one that the browser sent during the last run but is handled only after it, are
    refused: the control is put back to its settled value and its handler never runs.

    Args:
        controls: ``{name: widget}``, the controls the run reads and locks; their ``value`` is observed.
        handlers: ``{name: handler(change)}``, run for each admitted change of that control.
        others: Further widgets to disable during a run (e.g. the button that starts it).

    Attributes:
        lock: The ``threading.RLock`` that every handler and ``start`` run under.
        refused: Changes refused so far; busy_until: when the last run ended, in the browser's clock (s).
    """

    def __init__(self, controls: Mapping[str, Any], handlers: Mapping[str, Callable[[dict], None]] | None = None,
                 others: tuple = ()) -> None:
        self.controls, self.others = dict(controls), tuple(others)
        self.lock = threading.RLock()
        self.refused, self.busy_until = 0, -float("inf")
        self._settled = {name: widget.value for name, widget in self.controls.items()}
        self._run: dict[str, Any] | None = None
        self._unsettled: dict[str, Any] = {}      # values put back at a start whose handlers had not run yet
        self._sent, self._started, self._putting_back = None, 0.0, False
        for name, widget in self.controls.items():
            widget.observe(self._observer(name, (handlers or {}).get(name)), names="value")

    def _observer(self, name: str, handler: Callable[[dict], None] | None) -> Callable[[dict], None]:
        """An ``observe`` callback: under ``lock``, ``admit`` the change, settle it and run ``handler(change)``."""
        def observe(change: dict) -> None:
            with self.lock:
                if self.admit(change):
                    self._settled[name] = change["new"]
                    if handler is not None:
                        handler(change)
        return observe

    @property
    def running(self) -> bool:
        """Whether a run has started and not finished."""
        return self._run is not None

    def start(self) -> dict[str, Any] | None:
        """Begin a run: ``None`` if one runs already or the browser sent this request (a click) while the last
        one ran; else disable the controls, put back any whose value has not settled (a change that got in
        just before, its handler not run yet) and return the settled values: the run's."""
        sent = message_sent_at()
        with self.lock:
            if self._run is not None or (sent is not None and sent < self.busy_until):
                return None
            self._run, self._sent, self._started = dict(self._settled), sent, time.time()
            self._disable(True)
            for name, value in self._run.items():
                unsettled = self.controls[name].value
                if self._put_back(name, value):
                    self.refused, self._unsettled[name] = self.refused + 1, unsettled
            return dict(self._run)

    def finish(self) -> None:
        """End the run and unlock; remember when it ended in the browser's clock (from the click's time)."""
        with self.lock:
            self._run = None
            self._disable(False)
            if self._sent is not None:
                self.busy_until = self._sent + time.time() - self._started

    def admit(self, change: Mapping[str, Any]) -> bool:
        """Whether a control's change may take effect; a refused one is put back (and counted)."""
        with self.lock:
            if self._putting_back:                        # the echo of our own putting back
                return False
            name = next(n for n, w in self.controls.items() if w is change["owner"])
            if name in self._unsettled and self._unsettled[name] == change["new"]:
                del self._unsettled[name]                 # put back (and counted) when the run started;
                self._put_back(name, self._settled[name])    # again only if it changed since
                return False
            sent = message_sent_at()
            if self._run is None and (sent is None or sent >= self.busy_until):
                return True
            self.refused += self._put_back(name, self._settled[name])
            return False

    def _put_back(self, name: str, value: Any) -> bool:
        """Set control ``name`` to ``value`` if it differs, its handlers ignoring the change; whether it did."""
        widget = self.controls[name]
        if widget.value == value:
            return False
        self._putting_back = True
        try:
            widget.value = value
        finally:
            self._putting_back = False
        return True

    def _disable(self, locked: bool) -> None:
        """Disable (or enable) the controls and ``others`` in the page."""
        for widget in (*self.controls.values(), *self.others):
            widget.disabled = locked
