"""controls: LatestRedraw and RunLock when two threads handle a widget's messages at once (ipykernel 7).

Each race is staged with events, not left to chance: a slow redraw is held while another thread changes a
control, and what the widget ends on is compared with what the controls say. ``DrawAtOnce``, what the
explorers did before, runs the same script and ends on a stale drawing: the scripts can fail.
"""
from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import ipywidgets as widgets
import pytest

from tl_helpers import LatestRedraw, RunLock
from tl_helpers import controls


class GatedDraw:
    """A fake redraw that records what it shows; drawing the value ``hold`` waits for ``release`` (a slow one)."""

    def __init__(self, hold=None, fail=()):
        self.hold, self.fail, self.entered, self.release = hold, fail, threading.Event(), threading.Event()
        self.shown, self.drawn, self.active, self.peak = None, [], 0, 0
        self.lock = threading.Lock()

    def __call__(self, values):
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            if values["x"] == self.hold:
                self.entered.set()
                assert self.release.wait(10), "never released"
            time.sleep(0.002)
            if values["x"] in self.fail:
                raise ValueError(f"cannot draw {values['x']}")
            self.drawn.append(values["x"])
            self.shown = dict(values)
        finally:
            with self.lock:
                self.active -= 1


class DrawAtOnce:
    """The explorers before ``LatestRedraw``: every change redraws at once, in the thread that handles it."""

    def __init__(self, draw, controls):
        def redraw(_change):
            draw({name: w.value for name, w in controls.items()})
        for w in controls.values():
            w.observe(redraw, names="value")


def in_thread(fn) -> threading.Thread:
    t = threading.Thread(target=fn)
    t.start()
    return t


def change_during_a_slow_redraw(redraw_class, then=(2,)):
    """x = 1 in one thread (its redraw held), then x = each of ``then`` in a second thread; returns the slider
    and the fake draw once both threads are done."""
    x, draw = widgets.IntSlider(0, max=100), GatedDraw(hold=1)
    redraw_class(draw, {"x": x})
    first = in_thread(lambda: setattr(x, "value", 1))
    assert draw.entered.wait(10)                          # the redraw of x = 1 runs in the first thread
    second = in_thread(lambda: [setattr(x, "value", v) for v in then])
    second.join(10)
    draw.release.set()
    first.join(10)
    return x, draw


def test_without_latest_redraw_the_widget_ends_on_a_stale_drawing():
    x, draw = change_during_a_slow_redraw(DrawAtOnce)
    assert x.value == 2 and draw.shown == {"x": 1} and draw.drawn == [2, 1]      # the slow old one lands last


def test_a_change_during_a_redraw_restarts_it_from_the_current_values():
    x, draw = change_during_a_slow_redraw(LatestRedraw)
    assert x.value == 2 and draw.shown == {"x": 2} and draw.drawn == [1, 2] and draw.peak == 1


def test_a_burst_of_changes_during_a_redraw_costs_one_more_redraw_of_the_last_value():
    x, draw = change_during_a_slow_redraw(LatestRedraw, then=(5, 6, 7, 8))
    assert draw.drawn == [1, 8] and draw.shown == {"x": x.value} == {"x": 8}


def test_two_threads_changing_two_controls_end_on_their_values():
    x, y, draw = widgets.IntSlider(0, max=100), widgets.Checkbox(False), GatedDraw()
    redraw = LatestRedraw(draw, {"x": x, "y": y})
    threads = [in_thread(lambda: [(setattr(x, "value", v), time.sleep(0.001)) for v in range(1, 40)]),
               in_thread(lambda: [(setattr(y, "value", v % 2 == 1), time.sleep(0.001)) for v in range(1, 40)])]
    for t in threads:
        t.join(20)
    assert redraw.wait(timeout=20) and not redraw.busy
    assert draw.peak == 1 and draw.shown == {"x": 39, "y": True} == redraw.snapshot()
    assert redraw.runs < redraw.requests == 78


def test_a_failed_redraw_that_is_out_of_date_is_superseded_and_the_last_failure_is_raised():
    x, draw = widgets.IntSlider(0, max=100), GatedDraw(hold=1, fail=(1, 3))
    redraw = LatestRedraw(draw, {"x": x})
    errors = []

    def set_x(v):
        try:
            x.value = v
        except ValueError as err:
            errors.append(err)

    first = in_thread(lambda: set_x(1))
    assert draw.entered.wait(10)
    x.value = 2                                          # during the failing redraw of 1: it is superseded
    draw.release.set()
    first.join(10)
    assert errors == [] and draw.shown == {"x": 2}
    with pytest.raises(ValueError, match="cannot draw 3"):
        x.value = 3                                      # the current value fails: the caller sees it
    assert not redraw.busy and redraw.wait(timeout=0)
    x.value = 4
    assert draw.shown == {"x": 4}


def test_wait_times_out_while_a_redraw_runs():
    x, draw = widgets.IntSlider(0, max=100), GatedDraw(hold=1)
    redraw = LatestRedraw(draw, {"x": x})
    first = in_thread(lambda: setattr(x, "value", 1))
    assert draw.entered.wait(10) and redraw.busy and not redraw.wait(timeout=0.05)
    draw.release.set()
    first.join(10)
    assert redraw.wait(timeout=10) and redraw.runs == redraw.requests == 1


# --------------------------------------------------------------------------- RunLock

class Panel:
    """A mode toggle whose handler sets a dependent value (as 07's toggle loads its defaults), an lr control,
    and a RunLock over both; ``handled`` records the handler's calls."""

    def __init__(self, handler_s: float = 0.0):
        self.mode, self.lr = widgets.ToggleButtons(options=["a", "b"], value="a"), widgets.FloatText(1.0)
        self.handled, self.handler_s = [], handler_s
        self.lock = RunLock({"mode": self.mode, "lr": self.lr}, {"mode": self.on_mode})

    def on_mode(self, change):
        self.handled.append(change["new"])
        time.sleep(self.handler_s)                           # a slow handler: a run must not start halfway
        self.lr.value = {"a": 1.0, "b": 2.0}[change["new"]]

    def shown(self):
        return {"mode": self.mode.value, "lr": self.lr.value}


def test_a_change_that_has_not_settled_when_a_run_starts_is_put_back_and_never_handled():
    """Its handler waits for the lock through the whole (here: instant) run, and still never runs: the queued
    change does not reset the settings under the result of the run, browser timestamps or not."""
    p = Panel()
    with p.lock.lock:                                        # the run's thread reads the settings
        other = in_thread(lambda: setattr(p.mode, "value", "b"))
        deadline = time.monotonic() + 10
        while p.mode.value != "b" and time.monotonic() < deadline:   # set; its handler waits for the lock
            time.sleep(0.001)
        values = p.lock.start()
        assert p.mode.disabled and p.lock.running and p.shown() == values
        p.lock.finish()
    other.join(10)
    assert values == {"mode": "a", "lr": 1.0} == p.shown() and p.handled == [] and p.lock.refused == 1
    assert not p.mode.disabled and not p.lock.running
    p.mode.value = "b"                                       # after the run: taken, handled
    assert p.shown() == {"mode": "b", "lr": 2.0} and p.handled == ["b"]


def test_a_run_never_starts_halfway_through_a_handler():
    p = Panel(handler_s=0.2)
    other = in_thread(lambda: setattr(p.mode, "value", "b"))
    while not p.handled:                                     # the handler runs (and holds the lock)
        time.sleep(0.001)
    values = p.lock.start()                                  # waits for it: the handler's whole result
    other.join(10)
    assert values == {"mode": "b", "lr": 2.0} == p.shown() and p.lock.refused == 0


def test_changes_during_a_run_are_put_back_from_any_thread():
    p = Panel()
    assert p.lock.start() == {"mode": "a", "lr": 1.0}
    assert p.lock.start() is None                            # one run at a time
    in_thread(lambda: setattr(p.mode, "value", "b")).join(10)
    p.lr.value = 5.0
    assert p.shown() == {"mode": "a", "lr": 1.0} and p.handled == [] and p.lock.refused == 2
    p.lock.finish()


def test_what_the_browser_sent_during_a_run_is_refused_when_handled_after_it(monkeypatch):
    p, browser = Panel(), {"sent": 100.0}
    monkeypatch.setattr(controls, "message_sent_at", lambda: browser["sent"])
    monkeypatch.setattr(controls, "time", SimpleNamespace(time=iter([1000.0, 1002.0]).__next__))   # a 2 s run
    p.lock.start()
    p.lock.finish()
    assert p.lock.busy_until == 102.0
    browser["sent"] = 101.0                                  # a toggle clicked during the run, handled after it
    p.mode.value = "b"
    assert p.shown() == {"mode": "a", "lr": 1.0} and p.handled == [] and p.lock.refused == 1
    assert p.lock.start() is None                            # and so is a click made during it
    browser["sent"] = 103.0                                  # after the run: taken
    p.mode.value = "b"
    assert p.shown() == {"mode": "b", "lr": 2.0}
