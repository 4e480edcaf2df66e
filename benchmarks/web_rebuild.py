"""The workspace's rebuild after an edit, warm (issue 23: the convention's PDF ≤ 0.5 s): a copy
of the example, a warm worker of `docgen/jobs.py` (as `docgen serve` keeps one), one build of the
convention to start from, then, N times, one field changed in convention.yaml and the
convention rebuilt (DOCX, signature PDF, parity, manifest, the output's check), timed from the
request to the answer.

    .venv/bin/python benchmarks/web_rebuild.py --repeat 7
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "cases" / "pays-des-ecrins"


def main() -> None:
    import sys

    sys.path.insert(0, str(ROOT))
    from docgen.jobs import Pool
    from docgen.plan import BuildOptions

    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from first_year import first_year  # the convention not signed: made again each time

        case = first_year(Path(tmp) / "pays-des-ecrins", EXAMPLE)
        options = BuildOptions(kinds=("convention",), out=Path(tmp) / "out")
        pool = Pool(1)
        try:
            started = time.perf_counter()
            pool.run("build", case, options, limit=300)
            cold = time.perf_counter() - started
            text = (case / "convention.yaml").read_text(encoding="utf-8")
            times = []
            for i in range(args.repeat):
                amount = f"montant: {24000 + i + 1}"
                edited = text.replace("montant: 24000", amount, 1)
                assert edited != text
                (case / "convention.yaml").write_text(edited, encoding="utf-8")
                started = time.perf_counter()
                done = pool.run("build", case, options, limit=300)
                times.append(time.perf_counter() - started)
                assert "convention.pdf" in done["written"], done
        finally:
            pool.close()
    print(f"premier passage (processus froid) : {cold:.2f} s")
    print(f"après une modification, processus chaud : médiane {statistics.median(times):.2f} s, "
          f"min {min(times):.2f} s, max {max(times):.2f} s ({args.repeat} passes)")


if __name__ == "__main__":
    main()
