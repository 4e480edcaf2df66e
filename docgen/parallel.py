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
    command's quick exit (runtime.leave runs the exit handlers), or as a forked copy leaving with
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


PR_SET_PDEATHSIG = 1  # prctl(2) option: the signal this process gets when its parent dies


def _parent_death_signal() -> Callable[[], int] | None:
    """prctl(PR_SET_PDEATHSIG, SIGKILL) for a forked copy to call on itself, looked up before
    forking (ctypes is loaded once, here); None where the kernel has no such thing (not
    Linux)."""
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes
        import signal

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: int(prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0))


def die_with_parent(parent: int, arm: Callable[[], int] | None = None) -> None:
    """Called first thing in a process docgen started (a forked copy, the Typst worker): the
    kernel kills it when `parent` dies, even by SIGKILL (an orphan would go on holding the
    output folder's lock, memory and a core). The parent may have died before this was
    armed: then leave at once. Nothing happens where the kernel offers no such signal."""
    arm = arm or _parent_death_signal()
    if arm is not None:
        arm()
    if parent and os.getppid() != parent:
        os._exit(1)


def run(tasks: Sequence[Callable[[], T]], processes: int,
        needs: Sequence[str | None] = (), limit: float | None = None,
        overtime: Callable[[int], BaseException] | None = None) -> list[T]:
    """Each task's result, in the order of `tasks`. Tasks are taken in that order by whichever
    process is free (put the longest first); `needs[i]` names what task i sets up in the
    process that runs it, the first time (a library to import: "weasyprint"): a process that
    lacks it leaves such a task to a process that has it, while a task it can run at once
    remains. Every task runs even when one fails; then the failure of the first failing task
    (in the order of `tasks`) is raised, so that the error a user sees does not depend on
    which process finished first.

    With a `limit` (seconds per task), every task runs in a forked copy, even a single one,
    and this process only watches: a task still running at its deadline has its process
    killed (native code such as Typst ignores any signal Python could catch) and fails with
    `overtime(index)`; the other tasks go on in a fresh copy. Where forking is not safe
    (another thread runs here) the tasks run here, without a limit."""
    if limit is not None and tasks and hasattr(os, "fork") and _single_threaded():
        return _run_limited(tasks, max(1, min(processes, len(tasks))), limit,
                            overtime or (lambda index: DocgenError(msg.TASK_OVERTIME.format(
                                seconds=in_seconds(limit)))))
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
    parent, arm = os.getpid(), _parent_death_signal()
    for _ in range(processes - 1):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the copy: take tasks, send what they gave, leave without cleaning up
            status = 1
            try:
                die_with_parent(parent, arm)
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
            done[index] = (False, portable(exc))


def in_seconds(limit: float) -> str:
    """120 → « 120 », 0.5 → « 0,5 »: a limit as a French text."""
    return f"{limit:g}".replace(".", ",")


def _run_limited(tasks: Sequence[Callable[[], T]], processes: int, limit: float,
                 overtime: Callable[[int], BaseException]) -> list[T]:
    """run() with a deadline per task: `processes` forked copies take the tasks in order and
    send each result as soon as it is made; this process reads them, and kills a copy whose
    task has run for more than `limit` seconds, then forks another for the tasks left."""
    import multiprocessing
    import selectors
    import signal
    import time

    n = len(tasks)
    context = multiprocessing.get_context("fork")
    taken = context.Array("b", n)  # 0 free, 1 running, 2 done (its result on its way here)
    started = context.Array("d", n, lock=False)  # time.monotonic() when taken: one clock
    owner = context.Array("i", n, lock=False)  # for every process of the machine
    parent, arm = os.getpid(), _parent_death_signal()
    done: dict[int, tuple[bool, Any]] = {}
    children: dict[int, tuple[int, bytearray]] = {}  # pid → (read end, bytes not yet read)
    selector = selectors.DefaultSelector()
    forks_left = processes + n  # enough for a fresh copy after each kill, never a fork loop

    def fork() -> None:
        nonlocal forks_left
        forks_left -= 1
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                die_with_parent(parent, arm)
                os.close(read_end)
                _serve(tasks, (taken, started, owner), write_end)
                status = 0
            finally:
                run_at_exit()
                os._exit(status)
        os.close(write_end)
        children[pid] = (read_end, bytearray())
        selector.register(read_end, selectors.EVENT_READ, pid)

    def receive(pid: int, data: bytes) -> None:
        buffer = children[pid][1]
        buffer += data
        while len(buffer) >= 8:
            size = int.from_bytes(buffer[:8], "little")
            if len(buffer) < 8 + size:
                break
            index, outcome = pickle.loads(bytes(buffer[8:8 + size]))
            del buffer[:8 + size]
            done[index] = outcome

    def reap(pid: int) -> int:
        """Read what the copy sent until its end, then wait for it: its status."""
        read_end, _ = children[pid]
        while chunk := os.read(read_end, 1 << 20):
            receive(pid, chunk)
        selector.unregister(read_end)
        os.close(read_end)
        del children[pid]
        return os.waitpid(pid, 0)[1]

    def orphans(pid: int, status: int, late: int | None) -> None:
        """The tasks a copy that ended had taken without sending their result: the one that
        ran late fails with overtime, the others are taken again (or fail as the copy died)."""
        with taken.get_lock():
            for index in range(n):
                if owner[index] != pid or index in done or not taken[index]:
                    continue
                if index == late:
                    done[index] = (False, overtime(index))
                elif late is not None:
                    taken[index] = 0  # killed for another task's sake: run it again
                    continue
                else:
                    done[index] = (False, DocgenError(msg.WORKER_DIED.format(
                        status=_status(status))))
                taken[index] = 2  # over: no deadline of its own any more

    try:
        for _ in range(processes):
            fork()
        while children:
            now = time.monotonic()
            late: dict[int, int] = {}
            with taken.get_lock():
                running = [i for i in range(n) if taken[i] == 1 and owner[i] in children]
                for index in running:
                    if now - started[index] > limit:
                        late.setdefault(owner[index], index)
                deadline = min((started[i] + limit for i in running), default=now + limit)
            ended = False
            for pid, index in late.items():
                os.kill(pid, signal.SIGKILL)  # a copy of ours: reaped only below
                orphans(pid, reap(pid), index)
                ended = True
            if not late:
                for key, _ in selector.select(max(0.01, deadline - time.monotonic())):
                    chunk = os.read(key.fd, 1 << 20)
                    if chunk:
                        receive(key.data, chunk)
                    else:  # the copy is done (or died): its pipe is closed
                        orphans(key.data, reap(key.data), None)
                        ended = True
            if ended:  # tasks left that no copy will take: a fresh copy for them
                with taken.get_lock():
                    left = sum(1 for i in range(n) if not taken[i])
                for _ in range(min(left, processes - len(children), forks_left)):
                    fork()
    except BaseException:  # interrupted here (Ctrl-C, SIGTERM): stop the copies too
        stop(list(children))
        raise
    finally:
        selector.close()
    for index in range(n):
        ok, value = done.get(index, (False, DocgenError(msg.WORKER_DIED.format(
            status=msg.WORKER_UNKNOWN))))
        if not ok:
            raise value
    return [done[index][1] for index in range(n)]


STOP_GRACE_S = 3.0  # how long an interrupted copy has to unwind before it is killed


def stop(pids: list[int]) -> None:
    """Stop these forked copies: SIGTERM first, so that each unwinds (docgen's console
    process and its copies leave through every `finally`: temporary folders removed), then
    SIGKILL for one still running after STOP_GRACE_S (native code that does not return)."""
    import signal
    import time

    for pid in pids:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    left = list(pids)
    while left and time.monotonic() < deadline:
        left = [pid for pid in left if os.waitpid(pid, os.WNOHANG) == (0, 0)]
        if left:
            time.sleep(0.01)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _serve(tasks: Sequence[Callable[[], Any]], state: Any, write_end: int) -> None:
    """A forked copy of _run_limited: take the next free task (saying when), run it, send its
    outcome at once (length-prefixed pickle), until none is left."""
    import time

    taken, started, owner = state
    pid = os.getpid()
    with os.fdopen(write_end, "wb") as out:
        while True:
            with taken.get_lock():
                index = next((i for i in range(len(tasks)) if not taken[i]), None)
                if index is None:
                    return
                taken[index], owner[index], started[index] = 1, pid, time.monotonic()
            try:
                outcome: tuple[bool, Any] = (True, tasks[index]())
            except (KeyboardInterrupt, SystemExit):
                return  # interrupted: take nothing more (the watcher says so)
            except Exception as exc:  # noqa: BLE001 — carried to the watcher, raised there
                outcome = (False, portable(exc))
            taken[index] = 2  # no longer running: its deadline no longer counts
            try:
                data = pickle.dumps((index, outcome), pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # noqa: BLE001 — a result that cannot travel
                data = pickle.dumps((index, (False, portable(exc))), pickle.HIGHEST_PROTOCOL)
            out.write(len(data).to_bytes(8, "little") + data)
            out.flush()


def portable(exc: BaseException) -> BaseException:
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
