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


def test_notes_that_pile_up_in_the_pipe_all_arrive_then_the_reply(tmp_path) -> None:
    """A worker's progress notes and its reply share one pipe: a caller slower than the build
    (here it dawdles over the first note, so the others wait in the pipe together) gets every
    note, in order, then the result."""
    import time

    from docgen.plan import BuildOptions

    from .conftest import EXAMPLE, overlay_case

    folder = overlay_case(tmp_path / "cases" / "alpha", None, base=EXAMPLE)
    said: list[object] = []

    def slow(note: object) -> None:
        if not said:
            time.sleep(1.0)
        said.append(note)

    pool = Pool()
    try:
        done = pool.run("build", folder, BuildOptions(kinds=("convention", "avenant"),
                                                       out=tmp_path / "o", pdf=False),
                        limit=300, note=slow)
    finally:
        pool.close()
    planned = said[0]["prevus"]  # type: ignore[index]
    made = [n["fait"] for n in said[1:]]  # type: ignore[index]
    assert made == planned and len(made) > 3 and "avenant-01.docx" in made
    assert sorted(done["written"]) == sorted(planned)
