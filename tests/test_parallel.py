"""parallel: work spread over forked copies of the process — results in order, the first
failure in the tasks' order, a dead copy reported in French, no fork beside another thread."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

from docgen import parallel
from docgen.errors import DocgenError
from docgen.finish.package import DocxRefused

# every test here forks: run alone in a fresh interpreter when this one has other threads
pytestmark = pytest.mark.usefixtures("lone_process")


def _shared() -> Any:
    """Synchronisation that crosses the fork (created before it)."""
    import multiprocessing

    return multiprocessing.get_context("fork")


def test_results_come_back_in_order_from_several_processes() -> None:
    both = _shared().Barrier(2)  # the first two tasks meet: one in each process

    def square(i: int) -> tuple[int, int]:
        if i < 2:
            both.wait(timeout=60)
        return i * i, os.getpid()

    tasks = [lambda i=i: square(i) for i in range(12)]
    results = parallel.run(tasks, 2)
    assert [r for r, _ in results] == [i * i for i in range(12)]
    assert len({pid for _, pid in results}) == 2  # this process and one copy both worked


def test_the_first_failure_in_the_tasks_order_is_raised_whoever_finishes_first() -> None:
    second_failed = _shared().Event()

    def slow_refusal() -> None:  # fails only once the second task has failed
        second_failed.wait(timeout=60)
        raise DocxRefused("a.docx", "corps du document, paragraphe 2", "texte masqué")

    def quick_failure() -> None:
        second_failed.set()
        raise DocgenError("deuxième")

    with pytest.raises(DocxRefused) as caught:
        parallel.run([slow_refusal, quick_failure, lambda: 3], 2)
    assert str(caught.value) == "a.docx : corps du document, paragraphe 2 : texte masqué"
    assert caught.value.place == "corps du document, paragraphe 2"  # the error itself, unchanged


def test_a_copy_that_dies_is_reported_in_french() -> None:
    parent = os.getpid()
    both = _shared().Barrier(2)  # each process has taken one task

    def die_in_the_copy() -> int:
        both.wait(timeout=60)
        if os.getpid() != parent:
            os._exit(9)
        return 1

    with pytest.raises(DocgenError, match="s'est arrêté sans rendre son travail"):
        parallel.run([die_in_the_copy, die_in_the_copy], 2)


def test_no_fork_while_another_thread_runs() -> None:
    assert parallel.workers(1) == 1
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel.workers(2) == 1  # forking now would copy a half-alive thread
    finally:
        stop.set()
        other.join()


def test_a_task_that_needs_a_set_up_goes_to_the_process_that_has_it() -> None:
    """While another process has imported WeasyPrint, this one takes what it can run at once
    and only then the tasks that would make it import WeasyPrint too."""
    import multiprocessing

    ran: list[int] = []
    needs = ["weasyprint", None, "weasyprint", None]
    tasks = [lambda i=i: ran.append(i) for i in range(4)]
    taken = multiprocessing.get_context("fork").Array("b", len(tasks) + 1)
    taken[len(tasks)] = 1  # another process has set WeasyPrint up
    parallel._take(tasks, (taken, needs, ["weasyprint"]), here=True)
    assert ran == [1, 3, 0, 2]
    taken = multiprocessing.get_context("fork").Array("b", len(tasks) + 1)
    ran.clear()  # nobody has it: the tasks' own order
    parallel._take(tasks, (taken, needs, ["weasyprint"]), here=True)
    assert ran == [0, 1, 2, 3]


# ------------------------------------------------------------------ a limit per task

def _endless() -> int:
    """A task that never ends (until its process is killed)."""
    threading.Event().wait()
    return 0


def test_a_task_past_its_limit_is_killed_and_the_others_still_run() -> None:
    tasks = [lambda: 1, _endless, lambda: 3, lambda: 4]
    with pytest.raises(DocgenError, match="trop long : 1") as caught:
        parallel.run(tasks, 2, limit=0.5, overtime=lambda i: DocgenError(f"trop long : {i}"))
    assert str(caught.value) == "trop long : 1"


def test_a_limited_run_gives_every_result_in_order_even_from_one_process() -> None:
    parent = os.getpid()
    results = parallel.run([lambda i=i: (i, os.getpid()) for i in range(5)], 1, limit=30)
    assert [i for i, _ in results] == list(range(5))
    assert parent not in {pid for _, pid in results}  # run in a copy: this process only watches


def test_a_limited_run_raises_the_first_failure_in_order_and_survives_a_dying_copy() -> None:
    def die() -> int:
        os._exit(9)

    def refuse() -> int:
        raise DocxRefused("b.docx", "corps du document, paragraphe 1", "texte masqué")

    with pytest.raises(DocgenError, match="s'est arrêté sans rendre son travail"):
        parallel.run([die, refuse, lambda: 3], 2, limit=30)
    with pytest.raises(DocxRefused):
        parallel.run([lambda: 1, refuse, die], 2, limit=30)


def test_the_tasks_of_a_copy_killed_for_another_task_run_again() -> None:
    """One copy, three tasks: the second runs late and is killed; the third still runs, in a
    fresh copy."""
    ran = []
    with pytest.raises(DocgenError, match="limite"):
        ran = parallel.run([lambda: 1, _endless, lambda: 3], 1, limit=0.5)
    assert ran == []
    assert parallel.run([lambda: 1, lambda: 3], 1, limit=0.5) == [1, 3]


# ------------------------------------------------------------------ copies die with their parent

def _gone(pid: int, seconds: float = 10.0) -> bool:
    """True once pid has ended (absent, or a zombie nobody reaps here) within `seconds`: the
    kernel says so through a pidfd, which becomes readable when the process ends."""
    import select

    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([fd], [], [], seconds)[0])
    finally:
        os.close(fd)


def _orphan_after_kill(script: str) -> tuple[int, bool]:
    """Run `script` (it prints the pid of the process it started, then waits), SIGKILL it, and
    say whether that process ended with it."""
    import contextlib
    import signal
    import subprocess
    import sys

    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = 0
    try:
        child = int(parent.stdout.readline())
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        return child, _gone(child)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if child and not _gone(child, 0):
            with contextlib.suppress(ProcessLookupError):  # the test's own orphan
                os.kill(child, signal.SIGKILL)


_FORKING = """
import os, signal
from docgen import parallel
parent = os.getpid()
def task():
    if os.getpid() != parent:  # one write: two copies' lines never mix
        os.write(1, f"{{os.getpid()}}\\n".encode())
    signal.pause()  # until killed
parallel.run([task, task], 2{limit})
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="Linux only")
@pytest.mark.parametrize("limit", ["", ", limit=600"])
def test_a_forked_copy_dies_when_its_parent_is_killed(limit: str) -> None:
    child, gone = _orphan_after_kill(_FORKING.format(limit=limit))
    assert gone, f"copy {child} outlived its killed parent"


_TYPST = """
import datetime as dt, os, time
from docgen.finish.chunks import Worker, _send
from docgen.package_data import FONTS
worker = Worker(FONTS, dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)).__enter__()
_send(worker.proc.stdin, (str(FONTS), worker.when,
                          b"#for i in range(100000) { for j in range(100000) { } }"))
deadline = time.monotonic() + 60
while time.monotonic() < deadline:  # until Typst is at work (the loop above lasts minutes)
    with open(f"/proc/{worker.proc.pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    if int(fields[11]) + int(fields[12]) > 1.5 * os.sysconf("SC_CLK_TCK"):
        break
    time.sleep(0.05)
print(worker.proc.pid, flush=True)
import signal; signal.pause()  # until killed
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="Linux only")
def test_the_typst_worker_dies_when_its_parent_is_killed_mid_compilation() -> None:
    worker, gone = _orphan_after_kill(_TYPST)
    assert gone, f"Typst worker {worker} outlived its killed parent"


def test_dying_with_a_parent_that_is_already_gone_leaves_at_once() -> None:
    pid = os.fork()
    if pid == 0:
        parallel.die_with_parent(os.getppid() + 1_000_000)  # not its parent: as if it had died
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 1
