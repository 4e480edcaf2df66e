"""Many territories: a folder of territories is each of them, built by the warm worker processes
of docgen's job runner (jobs.py), each failure reported without stopping the others."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import messages as msg
from .errors import DocgenError
from .outcome import Outcome, build_outcome
from .plan import BuildOptions

__all__ = ["Outcome", "build_many", "build_outcome", "expand_cases", "in_pool", "is_case"]


def is_case(path: Path) -> bool:
    return (path / "convention.yaml").exists() or (path / "territoire.yaml").exists()


def expand_cases(paths: Sequence[Path]) -> list[Path]:
    """A territory folder is itself; a folder of territories is each of them."""
    out: list[Path] = []
    for path in paths:
        if is_case(path):
            out.append(path)
            continue
        children = sorted(p for p in path.iterdir() if p.is_dir() and is_case(p)) if path.is_dir() else []
        out.extend(children or [path])
    return out


Work = Callable[[Path, BuildOptions], Outcome]


def build_many(folders: Sequence[Path], options: BuildOptions,
               step: Callable[[Outcome], None], work: Work = build_outcome) -> list[Outcome]:
    """Every territory, options.jobs at a time (default: one per core); `step` after each.
    One at a time, each is built here by `work`; several, each is a job of docgen's one job
    runner (jobs.Pool, as the web workspace's builds): a warm worker process per core, each
    territory with `options.limit` seconds in all, past which its worker is killed and the
    territory fails in French while the others go on."""
    jobs = options.jobs or os.cpu_count() or 1
    options = replace(options, jobs=1)
    if jobs == 1 or len(folders) == 1:
        outcomes: list[Outcome] = []
        for f in folders:
            outcomes.append(work(f, options))
            step(outcomes[-1])
        return outcomes
    return _pooled(folders, options, step, min(jobs, len(folders)))


TERRITORY_LIMIT_S = 300.0  # a territory of a batch, when the options give no limit


def _pooled(folders: Sequence[Path], options: BuildOptions, step: Callable[[Outcome], None],
            size: int) -> list[Outcome]:
    """The territories as jobs of a pool of `size` workers, a thread here waiting on each; an
    interruption (Ctrl-C, SIGTERM) kills the workers, so the threads return at once."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from .jobs import Pool

    limit = options.limit or TERRITORY_LIMIT_S
    pool = Pool(size)
    threads = ThreadPoolExecutor(size, thread_name_prefix="docgen-lot")
    outcomes: list[Outcome] = []
    try:
        futures = [threads.submit(in_pool, pool, f, options, limit) for f in folders]
        for fut in as_completed(futures):
            outcomes.append(fut.result())
            step(outcomes[-1])
    finally:
        pool.close()  # first: a worker still busy is killed, its thread returns
        threads.shutdown(wait=True, cancel_futures=True)
    return outcomes


def in_pool(pool: Any, folder: Path, options: BuildOptions, limit: float) -> Outcome:
    """One territory built by a worker of the pool (jobs.TASKS « territoire »): its outcome,
    or its failure when the worker was stopped at the limit or died (a crash in C, memory)."""
    from .jobs import Overtime

    try:
        outcome: Outcome = pool.run("territoire", folder, options, limit=limit)
        return outcome
    except Overtime as exc:
        return Outcome(folder.name, msg.STATUS_FAILED, message=str(exc))
    except DocgenError:  # its worker died, or the pool was closed by an interruption
        return Outcome(folder.name, msg.STATUS_FAILED, message=msg.BATCH_CRASHED)
