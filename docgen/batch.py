"""Many territories: a folder of territories is each of them, built in parallel processes, each
failure reported without stopping the others."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import messages as msg
from .errors import CaseInvalid, DocgenError
from .plan import BuildOptions

# Workers start from a clean server process, never forked from one where Typst's threads run.
_CONTEXT = multiprocessing.get_context("forkserver" if hasattr(os, "fork") else "spawn")


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


@dataclass(frozen=True)
class Outcome:
    """What became of one territory in a batch."""

    case: str
    status: str  # msg.STATUS_BUILT, STATUS_UNCHANGED or STATUS_FAILED
    written: int = 0
    message: str = ""
    warnings: tuple[str, ...] = ()


def build_outcome(folder: Path, options: BuildOptions) -> Outcome:
    """One territory, errors caught: a broken case never stops the others."""
    from .pipeline import build

    try:
        result = build(folder, options)
    except CaseInvalid as exc:
        first = exc.errors[0].format() if exc.errors else exc.render().splitlines()[0]
        return Outcome(folder.name, msg.STATUS_FAILED,
                       message=msg.BATCH_ERRORS.format(first=first, n=len(exc.errors)))
    except DocgenError as exc:
        return Outcome(folder.name, msg.STATUS_FAILED, message=exc.render().splitlines()[0])
    except Exception as exc:  # noqa: BLE001 — a bug in one territory must not stop the batch
        return Outcome(folder.name, msg.STATUS_FAILED,
                       message=msg.BATCH_INTERNAL.format(kind=type(exc).__name__, detail=exc))
    written = result.written
    if written.kept:  # the others written; these left as edited by hand
        from .output import kept_message

        return Outcome(folder.name, msg.STATUS_FAILED, len(written.written),
                       message=kept_message(written.kept).splitlines()[0],
                       warnings=tuple(w.format() for w in result.case.warnings))
    status = msg.STATUS_BUILT if written.written else msg.STATUS_UNCHANGED
    return Outcome(folder.name, status, len(written.written),
                   warnings=tuple(w.format() for w in result.case.warnings))


Work = Callable[[Path, BuildOptions], Outcome]


def build_many(folders: Sequence[Path], options: BuildOptions,
               step: Callable[[Outcome], None], work: Work = build_outcome) -> list[Outcome]:
    """Every territory, options.jobs at a time (default: one per core); `step` after each.
    `work` builds one territory (a module-level function: workers import it by name)."""
    jobs = options.jobs or os.cpu_count() or 1
    options = replace(options, jobs=1)
    outcomes: list[Outcome] = []
    if jobs == 1 or len(folders) == 1:
        for f in folders:
            outcomes.append(work(f, options))
            step(outcomes[-1])
        return outcomes
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    retry: list[Path] = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(folders)), mp_context=_CONTEXT) as pool:
        futures = {pool.submit(work, f, options): f for f in folders}
        for fut in as_completed(futures):
            try:
                outcomes.append(fut.result())
            except BrokenProcessPool:  # a worker died (killed, out of memory, a crash in C)
                retry.append(futures[fut])
                continue
            step(outcomes[-1])
    # the pool is broken for every territory still queued: build each one alone, in its own
    # process, so that only the one that kills its process fails
    for folder in retry:
        outcomes.append(_isolated(folder, options, work))
        step(outcomes[-1])
    return outcomes


def _isolated(folder: Path, options: BuildOptions, work: Work) -> Outcome:
    """One territory in a process of its own; its death is its failure, not the batch's."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(max_workers=1, mp_context=_CONTEXT) as pool:
        try:
            return pool.submit(work, folder, options).result()
        except BrokenProcessPool:
            return Outcome(folder.name, msg.STATUS_FAILED, message=msg.BATCH_CRASHED)
