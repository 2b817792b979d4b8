"""Which exercises a learner has passed, across the series: a small local JSON file, no network.

``check`` records each pass (exercise id and time) in ``runs/progress.json`` (``TL_PROGRESS_FILE`` elsewhere;
the tests point it at a temporary folder). Writes are atomic (a temporary file, then ``os.replace``) and one at a
time (a lock), so two threads checking at once lose nothing. A file that cannot be read is never dropped
silently: it is kept as ``progress.json.corrupt`` and the record starts afresh, with a note saying so.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from ..config import env_path, runs_dir
from ..i18n import tr

_LOCK = threading.Lock()


def progress_file() -> Path:
    """Where passes are recorded: ``TL_PROGRESS_FILE``, else ``<project>/runs/progress.json``."""
    explicit = os.environ.get("TL_PROGRESS_FILE")
    return env_path("TL_PROGRESS_FILE", Path()) if explicit else runs_dir() / "progress.json"


def _keep_corrupt(path: Path) -> Path:
    """Copy an unreadable file beside it as ``<name>.corrupt`` (``.corrupt.1`` ... if that exists)."""
    target, n = path.with_name(path.name + ".corrupt"), 0
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt.{n}")
    shutil.copy2(path, target)
    return target


def read_progress(path: Path | None = None) -> tuple[dict[str, str], str | None]:
    """The passes recorded so far ``{id: ISO time}``, and a note when the file was corrupt (kept aside)."""
    path = path or progress_file()
    if not path.exists():
        return {}, None
    try:
        passed = json.loads(path.read_text(encoding="utf-8"))["passed"]
        if not isinstance(passed, dict) or not all(isinstance(v, str) for v in passed.values()):
            raise ValueError("unexpected content")
        return passed, None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as err:
        kept = _keep_corrupt(path)
        return {}, tr("The progress file {path} could not be read ({error}); it is kept as {kept} and the record "
                      "starts afresh.", path=path, error=type(err).__name__, kept=kept.name)


def _write(path: Path, passed: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"passed": dict(sorted(passed.items()))}, f, indent=1)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def record_pass(exercise_id: str) -> str | None:
    """Record that ``exercise_id`` passed now (the first pass's time is kept); returns a note, if any."""
    with _LOCK:
        try:
            path = progress_file()
            passed, note = read_progress(path)
            if exercise_id not in passed or note:
                passed.setdefault(exercise_id, time.strftime("%Y-%m-%dT%H:%M:%S"))
                _write(path, passed)
        except OSError as err:          # a read-only disk must not turn a pass into a traceback
            return tr("(The pass could not be recorded for tl.progress(): {error}: {message}.)",
                      error=type(err).__name__, message=err)
        return note


def progress_lines(passed: dict[str, str], all_ids: list[str]) -> list[str]:
    """``"5 of 26 exercises passed:"`` and one line per notebook, ``01: 01.1 ✔  01.2 ○ ...``."""
    done = [k for k in all_ids if k in passed]
    if not done:
        return [tr("No exercise passed yet (0 of {total}).", total=len(all_ids))]
    lines = [tr("{done} of {total} exercises passed (✔ passed, ○ not yet):", done=len(done), total=len(all_ids))]
    for nb in sorted({k.split(".")[0] for k in all_ids}):
        marks = [f"{k} {'✔' if k in passed else '○'}" for k in all_ids if k.startswith(nb + ".")]
        lines.append(f"  {nb}: " + "  ".join(marks))
    return lines
