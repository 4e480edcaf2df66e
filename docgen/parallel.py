"""Independent pieces of work spread over forked copies of this process (the documents of one
territory, the files of one `docgen pdf` call).

A forked copy starts at once with everything already loaded (the case, the libraries), which a
fresh process (spawn, fork server) would import again for a second or more. Forking is safe only
while this process runs a single thread: Typst's thread pool, a web server's threads… would be
copied half-alive. So work is spread only from a process that has no other thread yet (checked
with the kernel, which sees native threads too); anywhere else it runs here, one piece after
the other, with the same result. Results are the same bytes whichever process made them.
"""

from __future__ import annotations

import atexit
import os
import pickle
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from . import messages as msg
from .errors import DocgenError

T = TypeVar("T")

_AT_EXIT: list[tuple[int, Callable[[], None]]] = []


def at_exit(clean: Callable[[], None]) -> None:
    """Run `clean` when this process ends, however it ends: normally, through the console
    command's quick exit (cli._leave runs the exit handlers), or as a forked copy leaving with
    os._exit (below) — what a library leaves to a finaliser (WeasyPrint's folder of fonts)
    would stay behind otherwise. A copy never runs what its parent registered."""
    _AT_EXIT.append((os.getpid(), clean))


def run_at_exit() -> None:
    """What at_exit registered in this very process, last first."""
    pid = os.getpid()
    mine = [clean for owner, clean in _AT_EXIT if owner == pid]
    _AT_EXIT[:] = [(owner, clean) for owner, clean in _AT_EXIT if owner != pid]
    for clean in reversed(mine):
        try:
            clean()
        except Exception:  # noqa: BLE001 — cleaning up must not hide the outcome
            pass


atexit.register(run_at_exit)


def workers(requested: int | None) -> int:
    """How many processes to use: `requested` (None: one per core), or 1 where forking is not
    safe (another thread runs, or the system has no fork)."""
    if requested == 1 or not hasattr(os, "fork") or not _single_threaded():
        return 1
    if requested:
        return requested
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _single_threaded() -> bool:
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # no /proc: no way to know that no native thread runs
        return False


def run(tasks: Sequence[Callable[[], T]], processes: int,
        needs: Sequence[str | None] = ()) -> list[T]:
    """Each task's result, in the order of `tasks`. Tasks are taken in that order by whichever
    process is free (put the longest first); `needs[i]` names what task i sets up in the
    process that runs it, the first time (a library to import: "weasyprint"): a process that
    lacks it leaves such a task to a process that has it, while a task it can run at once
    remains. Every task runs even when one fails; then the failure of the first failing task
    (in the order of `tasks`) is raised, so that the error a user sees does not depend on
    which process finished first."""
    processes = min(processes, len(tasks))
    if processes <= 1:
        return [task() for task in tasks]
    import multiprocessing

    needs = list(needs) or [None] * len(tasks)
    context = multiprocessing.get_context("fork")
    kinds = sorted({n for n in needs if n is not None})
    # one lock for both: which tasks are taken, which set-ups some process has done
    taken = context.Array("b", len(tasks) + len(kinds))
    queue = (taken, needs, kinds)
    children: list[tuple[int, int]] = []
    for _ in range(processes - 1):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the copy: take tasks, send what they gave, leave without cleaning up
            status = 1
            try:
                os.close(read_end)
                outcome = pickle.dumps(_take(tasks, queue), pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as out:
                    out.write(outcome)
                status = 0
            finally:
                run_at_exit()
                os._exit(status)
        os.close(write_end)
        children.append((pid, read_end))
    try:
        done = _take(tasks, queue, here=True)
    except BaseException:  # interrupted here (Ctrl-C): stop the copies too
        import signal

        for pid, _ in children:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        raise
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as channel:
            data = channel.read()
        _, status = os.waitpid(pid, 0)
        if not data:
            raise DocgenError(msg.WORKER_DIED.format(status=_status(status)))
        done.update(pickle.loads(data))
    for index in range(len(tasks)):
        if index not in done:  # a copy was interrupted before it could take this one
            raise KeyboardInterrupt
        ok, value = done[index]
        if not ok:
            raise value
    return [done[index][1] for index in range(len(tasks))]


def _take(tasks: Sequence[Callable[[], Any]], queue: Any,
          here: bool = False) -> dict[int, tuple[bool, Any]]:
    """Run the next task not yet taken by any process, until none is left (`here`: in the
    parent, where an interruption stops everything at once)."""
    done: dict[int, tuple[bool, Any]] = {}
    taken, needs, kinds = queue
    n = len(tasks)
    ready: set[str | None] = {None}  # what this process has set up already
    while True:
        with taken.get_lock():
            free = [i for i in range(n) if not taken[i]]
            index = free[0] if free else None
            if index is not None and needs[index] not in ready and taken[n + kinds.index(
                    needs[index])]:  # another process is set up for it: take another if any
                index = next((i for i in free if needs[i] in ready), index)
            if index is not None:
                taken[index] = 1
                if needs[index] is not None:
                    taken[n + kinds.index(needs[index])] = 1
        if index is None:
            return done
        ready.add(needs[index])
        try:
            done[index] = (True, tasks[index]())
        except (KeyboardInterrupt, SystemExit):
            if here:
                raise
            done[index] = (False, KeyboardInterrupt())  # interrupted: take nothing more
            return done
        except Exception as exc:  # noqa: BLE001 — carried to the parent, raised there
            done[index] = (False, _portable(exc))


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it survives pickling, else a plain one saying what it was."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return msg.WORKER_SIGNAL.format(signal=os.WTERMSIG(status))
    return msg.WORKER_EXIT.format(code=os.WEXITSTATUS(status))
