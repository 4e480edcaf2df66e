"""What each process-wide setting of docgen/runtime.py is worth: the cold `docgen build CASE
--doc convention --force` (a new process each time) with every setting, then with each one left
out (DOCGEN_NO_RUNTIME=blas, docx, native, exit), then with none; the runs alternate, medians.

    .venv/bin/python benchmarks/runtime_tricks.py --repeat 7
    .venv/bin/python benchmarks/runtime_tricks.py --repeat 3 --doc tout   # the whole territory
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from first_year import example_first_year  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CASE = example_first_year()  # every act made at each build (first_year.py)
DOCGEN = ROOT / ".venv" / "bin" / "docgen"
VARIANTS = {"toutes": "", "sans blas": "blas", "sans docx": "docx", "sans native": "native",
            "sans exit": "exit", "aucune": "blas,docx,native,exit"}


def once(off: str, out: Path, doc: str) -> float:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    env["DOCGEN_NO_RUNTIME"] = off
    started = time.perf_counter()
    kinds = [] if doc == "tout" else ["--doc", doc]
    subprocess.run([str(DOCGEN), "build", str(CASE), *kinds, "--force", "--out", str(out)],
                   check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--doc", default="convention", help="convention… or tout (every document)")
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    with tempfile.TemporaryDirectory() as tmp:
        once("", Path(tmp), args.doc)  # caches warm (page cache, .pyc): untimed
        for _ in range(args.repeat):
            for name, off in VARIANTS.items():
                times[name].append(once(off, Path(tmp), args.doc))
    base = statistics.median(times["toutes"])
    print(f"docgen build --doc {args.doc} --force, à froid, {args.repeat} passes, médianes")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:12} {median:6.2f} s   écart {median - base:+.2f} s   ratio {median / base:.2f}")


if __name__ == "__main__":
    main()
