#!/usr/bin/env python3
"""Execute one notebook headless, the way the book and the benchmark do: nbclient, plus a guard against stalls.

    python book/nbexec.py NOTEBOOK --output EXECUTED.ipynb [--timeout S]     (TL_QUICK etc. from the environment)

``book/build.py`` imports ``execute_notebook``; ``benchmarks/bench.py`` runs this file as a script. Both get the
same guard. Executing notebook 05 headless now and then stalls on its explorer cell: the kernel finishes the cell
and goes idle, and the client keeps waiting for the cell's ``execute_reply``. The guard's printed line showed that
the reply was not lost: this client received it after all, once it had sent its next request. What sets the cell
apart: nbclient, unlike nbval (the test command, which never stalled), writes to the kernel's shell socket *while a
cell runs*. It mimics the Output widget (05's explorer draws into one) by sending a ``comm_msg`` back for every
output. With traffic in both directions on that socket a wake-up is missed and the reply stays stuck until the next
message moves it (ipykernel #1529 fixed one such missed wake-up on the kernel's side in 7.4). The guard turns both
ways of losing a message into an outcome instead of a hang:

* a request the kernel never started (no message at all on IOPub for it ``STARTED_S`` after it was sent) stops
  the run with ``StalledKernelError``, naming the cell, instead of waiting for the cell timeout;
* a cell that finished (its ``idle`` came on IOPub) but whose ``execute_reply`` did not arrive ``LOST_REPLY_S``
  later gets its reply rebuilt from its outputs (an error output stays an error); a line says so, and whether a
  message is waiting unread in this client's shell socket; a later line says if the lost reply arrives after all.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import sys
import time
from pathlib import Path

import nbformat
import zmq
from nbclient import NotebookClient
from nbclient.exceptions import CellControlSignal

LOST_REPLY_S = 30  # s after a cell went idle without an execute_reply: the reply is taken as lost
STARTED_S = 120  # s after an execute_request without any IOPub message for it: the kernel never started the cell


class StalledKernelError(RuntimeError):
    """The kernel never started a cell it was sent: its request was lost on the way."""


class SturdyClient(NotebookClient):
    """nbclient's client, except that a lost request or a lost reply does not hang the run (module docstring).

    Attributes:
        lost_replies: Execution counts of the cells whose reply was rebuilt from their outputs.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lost_replies: list[int | None] = []
        self._heard: set[str] = set()  # requests that the kernel answered on IOPub
        self._shell_seen: list[tuple[str, str | None]] = []  # (type, parent type) of replies for other requests
        self._lost: dict[str, int | None] = {}  # msg_id -> execution count, of the replies taken as lost
        self.late_replies: list[int | None] = []  # execution counts of lost replies that arrived after all

    def _record_shell(self, msg_id: str) -> None:
        """Note every shell message for another request while ``msg_id`` waits (printed if its reply is lost)."""
        self._shell_seen = []
        channel = self.kc.shell_channel
        if getattr(channel, "tl_recording", None) is not None:
            channel.tl_recording = msg_id
            return
        get_msg = channel.get_msg

        async def recording_get_msg(*args, **kwargs):
            msg = await get_msg(*args, **kwargs)
            parent = msg.get("parent_header", {}).get("msg_id")
            if parent in self._lost:
                self.late_replies.append(self._lost[parent])
                print(f"(the reply to cell {self._lost[parent]} arrived after all, during a later request)",
                      end=" ", flush=True)
            elif parent != channel.tl_recording:
                self._shell_seen.append((msg.get("msg_type"), msg.get("parent_header", {}).get("msg_type")))
            return msg
        channel.get_msg, channel.tl_recording = recording_get_msg, msg_id

    def process_message(self, msg, cell, cell_index):
        self._heard.add(msg.get("parent_header", {}).get("msg_id"))
        return super().process_message(msg, cell, cell_index)

    async def _async_poll_for_reply(self, msg_id, cell, timeout, task_poll_output_msg, task_poll_kernel_alive):
        self._record_shell(msg_id)
        reply = asyncio.ensure_future(super()._async_poll_for_reply(
            msg_id, cell, timeout, task_poll_output_msg, task_poll_kernel_alive))
        sent, idle_since = time.monotonic(), None
        try:
            while not (await asyncio.wait([reply], timeout=1))[0]:
                if msg_id not in self._heard and time.monotonic() - sent > STARTED_S:
                    task_poll_kernel_alive.cancel()
                    raise StalledKernelError(
                        f"the kernel did not start this cell {STARTED_S} s after it was sent (no busy status, no "
                        "output): its request was lost. Run the notebook again; if it recurs, update ipykernel.")
                if not task_poll_output_msg.done():
                    continue
                task_poll_output_msg.result()  # its error, if it failed
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > LOST_REPLY_S:
                    waiting = bool(self.kc.shell_channel.socket.get(zmq.EVENTS) & zmq.POLLIN)
                    print(f"(no reply {LOST_REPLY_S} s after cell {cell.get('execution_count')} went idle: "
                          f"taken from its outputs; shell messages for other requests meanwhile: "
                          f"{self._shell_seen or 'none'}; a message waiting unread in this client's shell "
                          f"socket: {waiting})", end=" ", flush=True)
                    task_poll_kernel_alive.cancel()
                    self.lost_replies.append(cell.get("execution_count"))
                    self._lost[msg_id] = cell.get("execution_count")
                    return lost_reply(msg_id, cell)
            return reply.result()
        finally:
            reply.cancel()


def lost_reply(msg_id: str, cell: nbformat.NotebookNode) -> dict:
    """An ``execute_reply`` rebuilt from a finished cell: an error reply if the cell shows an error."""
    errors = [o for o in cell.outputs if o.output_type == "error"]
    content = {"status": "error", **{k: errors[0][k] for k in ("ename", "evalue", "traceback")}} if errors \
        else {"status": "ok"}
    header = {"msg_type": "execute_reply", "date": datetime.datetime.now(datetime.timezone.utc)}
    return {"parent_header": {"msg_id": msg_id}, "header": header, "msg_type": "execute_reply",
            "content": {**content, "execution_count": cell.get("execution_count")}, "metadata": {}}


#: What a failed run raises: a cell raised (CellControlSignal), timed out, the kernel died or stalled.
FAILURES = (CellControlSignal, RuntimeError, TimeoutError, AssertionError)


def execute_notebook(nb: nbformat.NotebookNode, cwd: Path, timeout: int, on_cell_start=None,
                     env: dict[str, str] | None = None) -> SturdyClient:
    """Run every cell of ``nb`` in place, in a fresh ``python3`` kernel started in ``cwd``, saving widget state.

    Args:
        on_cell_start: Called with ``(cell, cell_index)`` before each cell (to know which one failed).
        env: The kernel's environment (default: this process's).

    Raises:
        One of ``FAILURES``; nbclient's cleanup error is replaced by its cause.
    """
    client = SturdyClient(nb, timeout=timeout, startup_timeout=300, kernel_name="python3",
                          extra_arguments=["--log-level=ERROR"],  # not the kernel's TCP-encryption warning
                          store_widget_state=True, resources={"metadata": {"path": str(cwd)}})
    if on_cell_start is not None:
        client.on_cell_start = on_cell_start
    try:
        client.execute(**({"env": env} if env is not None else {}))
    except AssertionError as err:  # nbclient's own cleanup assertion hides the real cause
        raise (err.__context__ or err) from None
    return client


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Execute one notebook headless (with the stall guard).")
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--output", type=Path, required=True, help="where the executed notebook goes")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per cell")
    args = parser.parse_args(argv)
    nb = nbformat.read(args.notebook, as_version=4)
    start = time.perf_counter()
    try:
        client = execute_notebook(nb, args.notebook.resolve().parent, args.timeout)
    except FAILURES as err:
        print(f"{args.notebook.name} FAILED after {time.perf_counter() - start:.1f} s: {type(err).__name__}: {err}",
              file=sys.stderr, flush=True)
        return 1
    nbformat.write(nb, args.output)
    print(f"{args.notebook.name} ok in {time.perf_counter() - start:.1f} s; lost replies rebuilt: "
          f"{len(client.lost_replies)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
