"""Fuzz the loader: N generated hostile inputs (schema-shaped trees with wrong types, text
mutations, truncations, random bytes, deep nesting and alias fan-out), each checked by the oracle
of tests/fuzz_inputs.py: the case loads, or CaseInvalid reports every problem in French at
file:line:column. Prints the count, the failures (minimised by hypothesis) and the time.

    .venv/bin/python benchmarks/fuzz_loader.py --count 10000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from tests.fuzz_inputs import INPUTS, check  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="docgen-fuzz-"))
    seen = {"n": 0, "failures": []}  # type: dict
    start = time.perf_counter()

    @settings(max_examples=args.count, deadline=None, database=None, derandomize=False,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @seed(args.seed)
    @given(files=INPUTS)
    def run(files: dict[str, bytes]) -> None:
        seen["n"] += 1
        problem = check(files, work)
        if problem is not None:
            seen["failures"].append((problem, files))

    run()
    elapsed = time.perf_counter() - start
    print(f"{seen['n']} entrées générées en {elapsed:.0f} s ; {len(seen['failures'])} échec(s).")
    for problem, files in seen["failures"][:20]:
        print("ÉCHEC :", problem)
        for name, data in files.items():
            print(f"  {name}: {data[:300]!r}")
    return 1 if seen["failures"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
