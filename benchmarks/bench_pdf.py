"""Signature-ready PDF of one convention: docgen vs LibreOffice headless, side by side.

    .venv/bin/python benchmarks/bench_pdf.py [--repeat 5]

Measures, in one run on the same machine, alternating the two tools so that noise from other
processes hits both alike:
  1. cold, one file: `docgen build CASE --doc convention --force` (a new process: DOCX + PDF)
     against `soffice --headless --convert-to pdf convention.docx` (a new process);
  3. cold, the whole example territory (`docgen build CASE --force`: every document, DOCX and
     PDF) against that one LibreOffice conversion (issue 23: at most 2×);
  2. cold, 20 files in one call: `docgen build` over 20 copies of the case (one process)
     against `soffice --convert-to pdf` on 20 copies of the DOCX (one process).
Prints medians, the ratio docgen / LibreOffice, pages per second and peak memory.
No resident server, no cache: every docgen run uses --force and a fresh output folder.
"""

from __future__ import annotations

import argparse
import resource  # noqa: F401  (used by the wrapper)
import shutil
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


# A tiny wrapper process: its RUSAGE_CHILDREN sees only the measured command (and its children).
_WRAP = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
         "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time of a command and the peak RSS (MiB) of that command alone."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _WRAP, *cmd], cwd=cwd, check=True,
                         capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - start
    return elapsed, int(out.strip().splitlines()[-1]) // 1024


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    soffice = shutil.which("soffice")
    if soffice is None:
        sys.exit("LibreOffice (soffice) est nécessaire : make install l'installe.")
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    try:
        cases = work / "cases"
        for i in range(20):
            shutil.copytree(CASE, cases / f"territoire-{i:02d}")
        seed = work / "seed"
        subprocess.run([str(DOCGEN), "build", str(CASE), "--doc", "convention", "--out", str(seed)],
                       check=True, capture_output=True)
        docx = seed / "pays-des-ecrins" / "convention.docx"
        n_pages = pages(seed / "pays-des-ecrins" / "convention.pdf")
        lo_in = work / "lo-in"
        lo_in.mkdir()
        for i in range(20):
            shutil.copy(docx, lo_in / f"convention-{i:02d}.docx")
        profile = f"-env:UserInstallation=file://{work}/lo-profile"
        # one warm-up of LibreOffice so its profile exists (its first start builds it: not fair)
        run([soffice, "--headless", profile, "--convert-to", "pdf", "--outdir", str(work / "lo0"),
             str(docx)], work)

        one_dg, one_lo, many_dg, many_lo, all_dg = [], [], [], [], []
        peak_dg = peak_lo = 0
        for r in range(args.repeat):
            out = work / f"dg-{r}"
            t, m = run([str(DOCGEN), "build", str(CASE), "--doc", "convention", "--force",
                        "--out", str(out)], work)
            one_dg.append(t)
            peak_dg = max(peak_dg, m)
            t, m = run([soffice, "--headless", profile, "--convert-to", "pdf", "--outdir",
                        str(work / f"lo-{r}"), str(docx)], work)
            one_lo.append(t)
            peak_lo = max(peak_lo, m)
            t, _ = run([str(DOCGEN), "build", str(CASE), "--force", "--out",
                        str(work / f"dgall-{r}")], work)
            all_dg.append(t)
        for r in range(max(1, args.repeat // 2)):
            t, _ = run([str(DOCGEN), "build", *sorted(str(p) for p in cases.iterdir()), "--doc",
                        "convention", "--force", "--out", str(work / f"dgm-{r}")], work)
            many_dg.append(t)
            t, _ = run([soffice, "--headless", profile, "--convert-to", "pdf", "--outdir",
                        str(work / f"lom-{r}"), *sorted(str(p) for p in lo_in.iterdir())], work)
            many_lo.append(t)

        def line(label: str, dg: list[float], lo: list[float], files: int) -> None:
            a, b = statistics.median(dg), statistics.median(lo)
            print(f"{label:<34} docgen {a:6.2f} s   LibreOffice {b:6.2f} s   ratio {a / b:4.2f}   "
                  f"docgen {files * n_pages / a:5.1f} p/s   LibreOffice {files * n_pages / b:5.1f} p/s")

        print(f"convention: {n_pages} pages; {args.repeat} runs each, medians")
        line("1 fichier, à froid", one_dg, one_lo, 1)
        line("20 fichiers en un appel, à froid", many_dg, many_lo, 20)
        a, b = statistics.median(all_dg), statistics.median(one_lo)
        print(f"{'tout le territoire, à froid':<34} docgen {a:6.2f} s   (la conversion LibreOffice "
              f"d'un fichier : {b:.2f} s)   ratio {a / b:4.2f}")
        print(f"mémoire maximale (1 fichier) : docgen {peak_dg} Mio, LibreOffice {peak_lo} Mio")
        print("(docgen produit DOCX + PDF/A + champs de signature + contrôle de parité ; "
              "LibreOffice convertit seulement un DOCX déjà produit en PDF)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
