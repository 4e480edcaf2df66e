"""parallel: work spread over forked copies of the process — results in order, the first
failure in the tasks' order, a dead copy reported in French, no fork beside another thread."""

from __future__ import annotations

import os
import threading
import time

import pytest

from docgen import parallel
from docgen.errors import DocgenError
from docgen.finish.package import DocxRefused


def test_results_come_back_in_order_from_several_processes() -> None:
    def square(i: int) -> tuple[int, int]:
        time.sleep(0.05)
        return i * i, os.getpid()

    tasks = [lambda i=i: square(i) for i in range(12)]
    results = parallel.run(tasks, 2)
    assert [r for r, _ in results] == [i * i for i in range(12)]
    assert len({pid for _, pid in results}) == 2  # this process and one copy both worked


def test_the_first_failure_in_the_tasks_order_is_raised_whoever_finishes_first() -> None:
    def slow_refusal() -> None:
        time.sleep(0.3)
        raise DocxRefused("a.docx", "corps du document, paragraphe 2", "texte masqué")

    def quick_failure() -> None:
        raise DocgenError("deuxième")

    with pytest.raises(DocxRefused) as caught:
        parallel.run([slow_refusal, quick_failure, lambda: 3], 2)
    assert str(caught.value) == "a.docx : corps du document, paragraphe 2 : texte masqué"
    assert caught.value.place == "corps du document, paragraphe 2"  # the error itself, unchanged


def test_a_copy_that_dies_is_reported_in_french() -> None:
    parent = os.getpid()

    def die_in_the_copy() -> int:
        if os.getpid() != parent:
            os._exit(9)
        time.sleep(0.5)  # let the copy take the other task
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
