"""The whole example built by two versions of docgen side by side: this working tree and an
earlier commit, alternated, each run a fresh process into an empty folder. The host's speed
drifts by a third within an hour: only such alternated runs compare two versions.

    .venv/bin/python benchmarks/ab_build.py COMMIT [--runs 7] [--case cases/pays-des-ecrins]
        [-- EXTRA BUILD OPTIONS, e.g. -- -j 1]

The commit is checked out in a temporary git worktree (removed afterwards) and run with this
checkout's .venv: docgen's own code comes from the worktree (the editable install's finder is
set aside), the libraries from the .venv. Both trees' bytecode is compiled first, as `make` does.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = """
import sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in getattr(f, "__module__", "")]
sys.path.insert(0, sys.argv.pop(1))
sys.argv = ["docgen"] + sys.argv[1:]
from docgen.cli import main
main()
"""


def once(tree: Path, case: Path, out: Path, extra: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", RUN, str(tree), "build", str(case), "--out", str(out),
                    *extra], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("commit")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--case", type=Path, default=ROOT / "cases" / "pays-des-ecrins")
    parser.add_argument("extra", nargs="*", help="after --: options given to docgen build")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base),
                        args.commit], check=True)
        try:
            trees = {"avant": base, "maintenant": ROOT}
            for tree in trees.values():
                subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0",
                                str(tree / "docgen")], check=True, stdout=subprocess.DEVNULL)
            times: dict[str, list[float]] = {k: [] for k in trees}
            for i in range(args.runs):
                for label, tree in trees.items():
                    out = Path(tmp) / f"{label}-{i}"
                    times[label].append(once(tree, args.case.resolve(), out, args.extra))
            for label, values in times.items():
                print(f"{label:10s} médiane {statistics.median(values):5.2f} s   "
                      + " ".join(f"{v:.2f}" for v in sorted(values)))
            ratio = statistics.median(times["maintenant"]) / statistics.median(times["avant"])
            print(f"rapport maintenant / avant : {ratio:.2f} ({args.runs} passages alternés, "
                  f"{args.commit})")
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                           check=False)


if __name__ == "__main__":
    main()
