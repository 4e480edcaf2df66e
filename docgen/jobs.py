"""Jobs that may run long, or forever (a territory's template that loops), run in a worker
process of their own with a real time limit: at its deadline the worker is killed (native code
such as Typst ignores anything gentler), the job fails with a French message, and the caller
goes on. The web workspace keeps such workers warm (docgen already imported), so that a rebuild
after an edit does not pay the imports again.

A worker runs only the tasks named in TASKS (a closed list): a request carries a task's name
and its arguments (paths, options), never code.
"""

from __future__ import annotations

import os
import pickle
import selectors
import struct
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import messages as msg
from .errors import DocgenError

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

PARENT_ENV = "DOCGEN_JOBS_PARENT"  # the pid the worker serves: it dies with it
IDLE_S = 900.0  # a worker nobody asked anything for so long leaves by itself


class Overtime(DocgenError):
    """A job stopped at its time limit."""


class Worker:
    """A warm process running serve(): one job at a time, length-prefixed pickles on its
    standard input and output."""

    def __init__(self) -> None:
        package = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(x for x in (package, env.get("PYTHONPATH")) if x)
        env[PARENT_ENV] = str(os.getpid())
        self.proc = _spawn([sys.executable, "-c", "from docgen.jobs import serve; serve()"],
                           env)

    def call(self, task: str, args: tuple[Any, ...], limit: float,
             note: Callable[[Any], None] | None = None) -> Any:
        """The task's result, or its exception raised here; Overtime (and the worker killed)
        past `limit` seconds; a DocgenError when the worker died. `note` gets what the task
        says of its progress while it runs (jobs.note: a document made)."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        data = pickle.dumps((task, args), pickle.HIGHEST_PROTOCOL)
        try:
            self.proc.stdin.write(struct.pack("<Q", len(data)) + data)
            self.proc.stdin.flush()
        except OSError:
            raise DocgenError(msg.WORKER_DIED.format(status=msg.WORKER_UNKNOWN)) from None
        deadline = time.monotonic() + limit
        while True:
            reply = self._read(deadline, limit)
            if reply is None or reply[0] != "note":
                break
            if note is not None:
                try:
                    note(reply[1])
                except Exception:  # noqa: BLE001 — the caller's bookkeeping must not leave
                    pass  # the rest of this job's messages unread in the worker's pipe
        if reply is None:
            code = self.proc.poll()
            raise DocgenError(msg.WORKER_DIED.format(status=msg.WORKER_UNKNOWN if code is None
                                                     else msg.WORKER_EXIT.format(code=code)))
        _, ok, value = reply
        if not ok:
            raise value
        return value

    def _read(self, deadline: float, limit: float) -> Any:
        """The next message (a note, or the reply), read before `deadline` (Overtime past it,
        `limit` being the job's seconds), None at end of file."""
        assert self.proc.stdout is not None  # started with stdout=PIPE
        fd = self.proc.stdout.fileno()
        buffer = bytearray()
        need = 8
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while len(buffer) < need:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    self.kill()
                    raise Overtime(msg.JOB_OVERTIME.format(seconds=_seconds(limit)))
                chunk = os.read(fd, need - len(buffer))  # never past this message: notes follow
                if not chunk:
                    return None
                buffer += chunk
                if need == 8 and len(buffer) >= 8:
                    need = 8 + struct.unpack("<Q", bytes(buffer[:8]))[0]
        return pickle.loads(bytes(buffer[8:need]))

    def alive(self) -> bool:
        return self.proc.poll() is None

    def signal_kill(self) -> None:
        """SIGKILL only, from another thread than the one waiting on this worker (which then
        reads the end of the pipe, and reaps and closes it itself)."""
        if self.proc.poll() is None:
            self.proc.kill()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass


# the thread that starts workers, for the life of this process
_SPAWNER: list[ThreadPoolExecutor] = []


def _spawn(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The worker process, started from the main thread or from one thread that lives as long
    as this process: the kernel kills a worker when the *thread* that started it ends
    (PR_SET_PDEATHSIG, parallel.die_with_parent), and a web build's thread ends with its build
    while its worker stays warm for the next."""
    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)

    if threading.current_thread() is threading.main_thread():
        return start()
    from concurrent.futures import ThreadPoolExecutor

    with _LOCK:
        if not _SPAWNER:
            _SPAWNER.append(ThreadPoolExecutor(1, thread_name_prefix="docgen-spawner"))
    return _SPAWNER[0].submit(start).result()


_LOCK = threading.Lock()


class Pool:
    """Warm workers shared by the threads of one process (the web workspace): a job takes an
    idle worker, or starts one; a worker killed at its limit is replaced in the background."""

    def __init__(self, size: int = 2) -> None:
        self.size = size
        self.idle: list[Worker] = []
        self.busy: list[Worker] = []  # running a job: killed by close()
        self.lock = threading.Lock()
        self._closed = False
        weakref.finalize(self, _close_all, self.idle)

    def warm(self) -> None:
        """Start a worker now (in the background), so that the first job finds one ready."""
        threading.Thread(target=self._add, daemon=True, name="docgen-jobs-warm").start()

    def _add(self) -> None:
        worker = Worker()
        with self.lock:
            if self._closed or len(self.idle) >= self.size:
                worker.kill()
            else:
                self.idle.append(worker)

    def run(self, task: str, *args: Any, limit: float,
            note: Callable[[Any], None] | None = None) -> Any:
        with self.lock:
            worker = None
            while self.idle and worker is None:
                candidate = self.idle.pop()
                worker = candidate if candidate.alive() else None
        if worker is None:
            worker = Worker()
        with self.lock:
            closed = self._closed
            self.busy.append(worker)
        if closed:  # closed while this job waited for a worker: nothing more is started
            self._give_back(worker)
            raise DocgenError(msg.WORKER_DIED.format(status=msg.WORKER_UNKNOWN))
        try:
            result = worker.call(task, args, limit, note)
        except BaseException:
            if not worker.alive() or isinstance(sys.exc_info()[1], Overtime):
                worker.kill()
                with self.lock:
                    self.busy.remove(worker)
                if not self._closed:
                    self.warm()  # the next job finds a warm one
            else:
                self._give_back(worker)
            raise
        self._give_back(worker)
        return result

    def _give_back(self, worker: Worker) -> None:
        with self.lock:
            if worker in self.busy:
                self.busy.remove(worker)
            if self._closed or len(self.idle) >= self.size:
                worker.kill()
            else:
                self.idle.append(worker)

    def close(self) -> None:
        """No more jobs: the idle workers leave, and a busy one is killed (its job fails with
        WORKER_DIED at once: an interrupted batch does not wait for its territories)."""
        with self.lock:
            self._closed = True
            _close_all(self.idle)
            for worker in self.busy:
                worker.signal_kill()  # its thread reads the end of its pipe and cleans up


def _close_all(workers: list[Worker]) -> None:
    while workers:
        workers.pop().kill()


def _seconds(limit: float) -> str:
    return f"{limit:g}".replace(".", ",")


# ---------------------------------------------------------------- in the worker

def build_task(folder: Path, options: Any) -> dict[str, Any]:
    """A territory's build and the check of what it wrote (the web workspace's « Produire »)."""
    from .pipeline import build
    from .verify import verify

    # the job has its own limit (the worker is killed at it): no forked copy per build,
    # which would lose what this worker keeps warm (Typst's fonts, the compiled templates)
    result = build(folder, replace(options, limit=None), progress=note)
    kept = [str(p.relative_to(result.folder)) for p in result.written.kept]
    problems = verify(result.folder, deep=False)  # the build proved what it wrote
    if kept:  # a document left as edited by hand is said once, as kept, not as an écart
        problems = [p for p in problems if not any(k in p for k in kept)]
    return {"written": [str(p.relative_to(result.folder)) for p in result.written.written],
            "unchanged": len(result.written.unchanged),
            "backups": [str(p.relative_to(result.folder)) for p in result.written.backups],
            "kept": kept, "verify": problems}


def ping_task() -> int:
    """The worker's process id: it is there and answers."""
    return os.getpid()


def relu_task(folder: Path, code: str, source: Path, out: Path, today: Any) -> Any:
    """A reviewed DOCX turned into the act's PDF to sign and recorded (`docgen relu`); the
    job's limit is the typesetting's."""
    from .acts import record_reviewed

    return record_reviewed(folder, code, source, out, None, today)


def signature_task(folder: Path, code: str, source: Path, papier: bool, date: Any,
                   accept: tuple[str, ...], today: Any) -> Any:
    """A signed original verified and recorded (`docgen signature import`)."""
    from .acts import import_signed

    return import_signed(folder, code, source, papier=papier, date=date, authorities=(),
                         accept=accept, today=today)


def remise_task(folder: Path, code: str, out: Path) -> Any:
    """An act's hand-off written (`docgen remise`, without --force: a file of it edited by hand
    is refused), returned without the bytes it wrote: they are on disk."""
    from .remise import write_remise

    done = write_remise(folder, code, out)
    bundle = replace(done.bundle, files={}, zip=b"",
                     pieces=tuple(replace(p, data=b"") for p in done.bundle.pieces))
    return replace(done, bundle=bundle)


def ar_task(folder: Path, code: str, source: Path, stamped: Path | None, today: Any) -> Any:
    """The prefecture's acknowledgement read back and recorded (`docgen remise ar`)."""
    from .acts import record_acknowledgement

    return record_acknowledgement(folder, code, source, stamped, today)


def territory_task(folder: Path, options: Any) -> Any:
    """One territory of a batch (`docgen build` of several): its outcome (batch.Outcome),
    errors included. The job's limit is the territory's: no forked copy per document, so that
    Typst and the compiled templates stay warm from one territory to the next."""
    from .outcome import build_outcome

    return build_outcome(folder, replace(options, limit=None, jobs=1))


TASKS: dict[str, Callable[..., Any]] = {"ar": ar_task, "build": build_task, "ping": ping_task,
                                        "relu": relu_task, "remise": remise_task,
                                        "signature": signature_task,
                                        "territoire": territory_task}


_NOTES: list[int] = []  # in a worker: the file descriptor of its replies, for note()
PIPE_ATOMIC = 4096  # bytes a pipe writes in one piece (PIPE_BUF on Linux)


def note(payload: Any) -> None:
    """Tell the caller of the running job how it progresses (a document made), from the worker
    or from a copy it forked to make documents: one write of one message, which a pipe never
    interleaves with another's. A note too large to be written in one piece is left out; outside
    a worker, nothing happens."""
    if not _NOTES:
        return
    data = pickle.dumps(("note", payload), pickle.HIGHEST_PROTOCOL)
    if len(data) + 8 <= PIPE_ATOMIC:
        os.write(_NOTES[0], struct.pack("<Q", len(data)) + data)


def _preload() -> None:
    """What every job needs, imported once when the worker starts (not on the first job)."""
    import importlib

    for name in ("pipeline", "verify", "finish.pdf", "render.docx"):
        importlib.import_module(f"{__package__}.{name}")


def serve() -> None:
    """The worker's loop: (task, args) in, (True, result) or (False, exception) out."""
    import selectors as sel

    from .parallel import die_with_parent, portable

    die_with_parent(int(os.environ.pop(PARENT_ENV, "0") or 0))
    from . import runtime

    runtime.console()  # one of docgen's own processes (runtime.py)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write on the replies' stream
    _NOTES[:] = [replies.fileno()]
    _preload()
    with sel.DefaultSelector() as selector:
        selector.register(requests, sel.EVENT_READ)
        while selector.select(IDLE_S):
            head = requests.read(8)
            if len(head) < 8:
                return
            task, args = pickle.loads(requests.read(struct.unpack("<Q", head)[0]))
            try:
                outcome: tuple[str, bool, Any] = ("fin", True, TASKS[task](*args))
            except Exception as exc:  # noqa: BLE001 — carried to the caller, raised there
                outcome = ("fin", False, portable(exc))
            data = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
            replies.write(struct.pack("<Q", len(data)) + data)
            replies.flush()
