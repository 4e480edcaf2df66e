"""jobs: warm worker processes shared by threads, stopped at a time limit."""

from __future__ import annotations

import threading

import pytest

from docgen.jobs import Pool


def _in_thread(pool: Pool) -> int:
    found: list[int] = []
    thread = threading.Thread(target=lambda: found.append(pool.run("ping", limit=120)))
    thread.start()
    thread.join()
    assert found, "the job failed"
    return found[0]


def test_a_worker_stays_warm_after_the_thread_that_used_it_ends() -> None:
    """The kernel kills a child when the thread that started it ends (PR_SET_PDEATHSIG): a
    worker is started from a thread that lives as long as the process, so a web build's thread
    can end and its worker still serve the next build."""
    pool = Pool()
    try:
        first = _in_thread(pool)
        assert _in_thread(pool) == first
    finally:
        pool.close()


def test_only_the_tasks_of_the_closed_list_run() -> None:
    pool = Pool()
    try:
        with pytest.raises(KeyError):
            pool.run("os.system", "true", limit=120)
    finally:
        pool.close()
