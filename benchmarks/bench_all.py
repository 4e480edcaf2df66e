"""Speed and memory of docgen, measured side by side in one run.

    .venv/bin/python benchmarks/bench_all.py [--territories 100] [--big 300] [--repeat 15]

1. DOCX of one convention, in one warm process, alternating: docgen's render (template parsed
   once, sandboxed environment, deterministic zip) against a plain docxtpl render that re-reads
   the template each time (the usual way). Target: docgen at most half the time.
2. The whole example territory (every document), cold, in a new process.
3. N synthetic territories (benchmarks/make_cases.py) with `docgen build DIR -j 2`, cold,
   then a second run over the unchanged tree (incremental: nothing to rebuild).
4. Growth: one convention with 100 then with --big fiches (at most 300, the most a case may
   hold; bench_typst.py measures the 1,000-fiche PDF through `docgen pdf`): DOCX time and peak memory, PDF time
   and peak memory, each in its own process.
The PDF against LibreOffice comparison is benchmarks/bench_pdf.py.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DOCGEN = [sys.executable, "-m", "docgen"]
CASE = ROOT / "cases" / "pays-des-ecrins"

_WRAP = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], "
         "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
         "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def measure(cmd: list[str]) -> tuple[float, int, int]:
    """Wall time, exit code and peak RSS (MiB) of one command (largest process of the tree)."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _WRAP, *cmd], capture_output=True, text=True,
                         check=True).stdout.split()
    return time.perf_counter() - start, int(out[0]), int(out[1]) // 1024


def docx_side_by_side(repeat: int) -> None:
    from docxtpl import DocxTemplate

    from docgen.context import convention_context, core_properties
    from docgen.load import load_case
    from docgen.render.docx import render_docx
    from docgen.templating import PACKAGE as BUILTIN, outline_of

    case = load_case(CASE)
    template = BUILTIN / "docx" / "convention.docx"
    ctx = convention_context(case, outline_of(template), False)
    core = core_properties(case, case.convention, "Convention")

    def ours() -> None:
        render_docx(template, ctx, core)

    import jinja2

    from docgen.formatting import FILTERS

    env = jinja2.Environment(autoescape=True)  # the same filters, nothing else of ours
    env.filters.update(FILTERS)

    def plain() -> None:
        tpl = DocxTemplate(str(template))  # re-read and re-parsed every time
        tpl.render(ctx, jinja_env=env, autoescape=True)
        tpl.save(io.BytesIO())

    ours(), plain()  # warm both
    a, b = [], []
    for _ in range(repeat):
        t = time.perf_counter(); ours(); a.append(time.perf_counter() - t)
        t = time.perf_counter(); plain(); b.append(time.perf_counter() - t)
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"1. DOCX d'une convention (processus chaud, {repeat} rendus chacun, médianes) : "
          f"docgen {ma * 1000:.0f} ms, docxtpl seul {mb * 1000:.0f} ms, ratio {ma / mb:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--territories", type=int, default=100)
    parser.add_argument("--big", type=int, default=300)  # the loader's limit (MAX_FICHES)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    docx_side_by_side(args.repeat)

    with tempfile.TemporaryDirectory(prefix="docgen-bench-") as tmp:
        work = Path(tmp)
        t, rc, mem = measure([*DOCGEN, "build", str(CASE), "--force", "--out", str(work / "ex")])
        docs = len([p for p in (work / "ex").rglob("*") if p.suffix in (".docx", ".pdf")])
        print(f"2. Territoire d'exemple complet, à froid : {t:.1f} s pour {docs} fichiers "
              f"(code {rc}), mémoire maximale {mem} Mio")

        cases = work / "cases"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_cases.py"), str(cases),
                        "--territories", str(args.territories)], check=True, capture_output=True)
        t, rc, mem = measure([*DOCGEN, "build", str(cases), "-j", "2", "--out", str(work / "batch")])
        files = len([p for p in (work / "batch").rglob("*") if p.suffix in (".docx", ".pdf")])
        print(f"3. {args.territories} territoires, -j 2, à froid : {t:.0f} s "
              f"({t / args.territories:.1f} s par territoire, {files} fichiers, code {rc}), "
              f"mémoire maximale d'un processus {mem} Mio")
        t2, rc, _ = measure([*DOCGEN, "build", str(cases), "-j", "2", "--out", str(work / "batch")])
        print(f"   second passage sans changement : {t2:.1f} s "
              f"({t2 / args.territories * 1000:.0f} ms par territoire, code {rc})")

        big = work / "big"
        for n in (100, args.big):
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_cases.py"), str(big),
                            "--territories", "0", "--big", str(n)], check=True, capture_output=True)
            folder = big / f"grand-{n}"
            td, _, md = measure([*DOCGEN, "build", str(folder), "--doc", "convention", "--force",
                                 "--out", str(work / f"docx-{n}"), "--no-pdf"])
            tp, rc, mp = measure([*DOCGEN, "build", str(folder), "--doc", "convention", "--force",
                                  "--out", str(work / f"pdf-{n}")])
            pages = subprocess.run(["pdfinfo", str(work / f"pdf-{n}" / folder.name / "convention.pdf")],
                                   capture_output=True, text=True).stdout
            pages_n = next((ln.split()[-1] for ln in pages.splitlines() if ln.startswith("Pages:")), "?")
            print(f"4. {n} fiches : DOCX {td:.1f} s, {md} Mio ; DOCX + PDF ({pages_n} pages) "
                  f"{tp:.1f} s, {mp} Mio (code {rc})")


if __name__ == "__main__":
    main()
