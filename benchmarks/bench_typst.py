"""Signature PDF through the strict reader + Typst, side by side with LibreOffice headless.

    .venv/bin/python benchmarks/bench_typst.py [--repeat 5] [--small 100] [--big 1000]

In one run, alternating the tools so that noise hits both alike (medians printed):
  1. cold, one convention DOCX → signature PDF: `docgen pdf` as a user runs it (strict read,
     Typst, fields, parity with pdftotext) against a fresh `soffice --headless --convert-to pdf`
     of the same DOCX (its profile created beforehand);
  2. cold, 20 DOCX in one `docgen pdf` call (its default: the files spread over the cores; then,
     for information, -j 1) against LibreOffice converting the same 20 in one call;
  3. the whole example territory cold, `docgen build` (default, then -j 1): every document;
  4. a convention of --small and --big fiches (benchmarks/make_cases.py), alternately: time and
     peak memory of a fresh docgen process and of its children (the Typst worker of the chunked
     path, pdftotext), and the ratio big / small (linear if ≤ big/small × 1.2);
     `--fiches-only` runs this part alone.
Peak memory is the maximum RSS of each measured process (os.wait4); for the fiches, also the
peak of the summed RSS of the processes alive at the same time (sampled every 10 ms).
"""

from __future__ import annotations

import argparse
import os
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
PYTHON = ROOT / ".venv" / "bin" / "python"
WORKER = ROOT / "benchmarks" / "typst_pdf.py"
sys.path.insert(0, str(ROOT))


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MiB) of one process (the largest of it and its children)."""
    elapsed, peak, _, _ = run_tree(cmd, sample=False)
    return elapsed, peak


def _rss(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process, MiB: its resident memory now, and its peak since exec."""
    now = high = 0.0
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    now = int(line.split()[1]) / 1024
                elif line.startswith("VmHWM:"):
                    high = int(line.split()[1]) / 1024
    except OSError:
        pass
    return now, high


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return b""


def _tree(pid: int) -> list[int]:
    """The process and its descendants alive now, leaving out a child between fork and exec
    (its command line still its parent's): it shares its parent's pages, which would be
    counted twice."""
    out, todo = [], [(pid, b"")]
    while todo:
        p, parent = todo.pop()
        cmdline = _cmdline(p)
        if p != pid and cmdline == parent:
            continue
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as kids:
                    todo.extend((int(k), cmdline) for k in kids.read().split())
        except OSError:
            pass
    return out


def run_tree(cmd: list[str], sample: bool = True) -> tuple[float, float, float, list[float]]:
    """Wall time (s), peak RSS of the largest process, peak of the summed RSS of the process
    and its children alive at the same time, and the peak RSS of each process (MiB). Sampled
    every 10 ms from /proc (VmHWM: the peak since the process's exec); without sampling,
    os.wait4's ru_maxrss (which counts the memory of this benchmark process the child was
    forked from: an overestimate once this process is large)."""
    import threading

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks: dict[int, float] = {}
    total = [0.0]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            now = {p: _rss(p) for p in _tree(proc.pid)}
            for p, (_, high) in now.items():
                peaks[p] = max(peaks.get(p, 0.0), high)
            total[0] = max(total[0], sum(r for r, _ in now.values()))
            done.wait(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    if sample:
        watcher.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    err = proc.stderr.read().decode() if proc.stderr else ""
    if status != 0:
        raise SystemExit(f"échec ({status}) : {' '.join(cmd)}\n{err}")
    each = [peaks[p] for p in sorted(peaks)]
    return elapsed, max(each) if sample else usage.ru_maxrss / 1024, total[0], each


def pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(ln.split()[-1] for ln in out.splitlines() if ln.startswith("Pages:")))


def soffice(profile: Path, out: Path, files: list[Path]) -> list[str]:
    return ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
            "pdf", "--outdir", str(out), *map(str, files)]


DOCGEN = ROOT / ".venv" / "bin" / "docgen"


def docx_of(case: Path, work: Path, kinds: list[str] | None = None) -> list[Path]:
    import docgen.load
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    docgen.load.MAX_FICHES = 10_000  # the loader refuses more than 300 fiches: lifted here only
    build(case, BuildOptions(kinds=tuple(kinds or ()), out=work, pdf=False, force=True))
    return sorted(p for p in (work / case.name).rglob("*.docx") if not p.name.startswith("redline"))


def line(label: str, a: float, b: float, pa: int, pb: int) -> str:
    return (f"{label:<34} docgen {a:6.2f} s   LibreOffice {b:6.2f} s   ratio {a / b:4.2f}   "
            f"docgen {pa / a:5.1f} p/s   LibreOffice {pb / b:5.1f} p/s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--big", type=int, default=1000)
    parser.add_argument("--fiches-only", action="store_true",
                        help="only the --small / --big fiches part (no LibreOffice)")
    args = parser.parse_args()
    from benchmarks.make_cases import territory

    with tempfile.TemporaryDirectory(prefix="bench-typst-") as tmp:
        work = Path(tmp)
        if args.fiches_only:
            fiches(work, args)
            return
        example = docx_of(CASE, work / "example")
        convention = next(p for p in example if p.name == "convention.docx")
        territory(work / "cases" / "territoire-001", 1)
        extra = docx_of(work / "cases" / "territoire-001", work / "extra")
        batch_dir = work / "batch"
        batch_dir.mkdir()
        batch = []
        for i, p in enumerate((example + extra)[:20]):
            target = batch_dir / f"{i:02d}-{p.name}"
            shutil.copy(p, target)
            batch.append(target)
        assert len(batch) == 20, len(batch)
        profile = work / "lo-profile"
        run(soffice(profile, work / "warm", [convention]))  # the profile is created once, untimed

        single_d, single_l, batch_d, batch_1, batch_l, case_d, case_1 = ([] for _ in range(7))
        for r in range(args.repeat):
            out = work / f"r{r}"
            pdf = [str(DOCGEN), "pdf", "--out-dir"]
            single_d.append(run([*pdf, str(out / "d1"), str(convention)])[0])
            single_l.append(run(soffice(profile, out / "l1", [convention]))[0])
            batch_d.append(run([*pdf, str(out / "d20"), *map(str, batch)])[0])
            batch_l.append(run(soffice(profile, out / "l20", batch))[0])
            batch_1.append(run([*pdf, str(out / "s20"), "-j", "1", *map(str, batch)])[0])
            case_d.append(run([str(DOCGEN), "build", str(CASE), "--out", str(out / "c")]))
            case_1.append(run([str(DOCGEN), "build", str(CASE), "--out", str(out / "c1"),
                               "-j", "1"]))
        p1 = pages(work / "r0" / "d1" / "convention.pdf")
        p1_lo = pages(work / "r0" / "l1" / "convention.pdf")
        p20 = sum(pages(p) for p in (work / "r0" / "d20").glob("*.pdf"))
        p20_lo = sum(pages(p) for p in (work / "r0" / "l20").glob("*.pdf"))
        n_files = sum(1 for p in (work / "r0" / "c" / CASE.name).rglob("*") if p.is_file())
        med = statistics.median
        print(f"{os.cpu_count()} cœurs, charge moyenne au départ {os.getloadavg()[0]:.1f} ; "
              f"convention : {p1} pages (LibreOffice : {p1_lo}) ; 20 fichiers : {p20} pages "
              f"(LibreOffice : {p20_lo}) ; {args.repeat} passages, médianes")
        print(line("1 DOCX → PDF de signature, à froid", med(single_d), med(single_l), p1, p1_lo))
        print(line("20 DOCX en un appel, à froid", med(batch_d), med(batch_l), p20, p20_lo))
        print(line("20 DOCX en un appel, -j 1", med(batch_1), med(batch_l), p20, p20_lo))
        for label, runs in (("", case_d), (", -j 1", case_1)):
            print(f"{'territoire d’exemple, à froid' + label:<34} docgen "
                  f"{med(t for t, _ in runs):6.2f} s   ({n_files} fichiers, pic mémoire d’un "
                  f"processus {max(m for _, m in runs):.0f} Mio)")

        fiches(work, args)


def fiches(work: Path, args: argparse.Namespace) -> None:
    """--small and --big fiches, alternately (--repeat // 2 passes, at least one): time and
    memory of the whole docgen process and of its children (the Typst worker of the chunked
    path, pdftotext)."""
    from benchmarks.make_cases import territory

    med = statistics.median
    docx: dict[int, Path] = {}
    for n in (args.small, args.big):
        case = work / "cases" / f"grand-{n}"
        territory(case, 10_000 + n, fiches=n)
        (docx[n],) = [p for p in docx_of(case, work / f"big-{n}", ["convention"])
                      if p.name == "convention.docx"]
    runs: dict[int, list[tuple[float, float, float, list[float]]]] = {args.small: [], args.big: []}
    for _ in range(max(1, args.repeat // 2)):
        for n in (args.small, args.big):
            runs[n].append(run_tree([str(PYTHON), str(WORKER), str(work / f"big-{n}-pdf"),
                                     str(docx[n])]))
    for n in (args.small, args.big):
        pg = pages(work / f"big-{n}-pdf" / "convention.pdf")
        t = med(r[0] for r in runs[n])
        largest = max(r[1] for r in runs[n])
        together = max(r[2] for r in runs[n])
        each = max((r[3] for r in runs[n]), key=len)
        print(f"convention de {n:>5} fiches : {pg:5d} pages   {t:6.2f} s   pic mémoire "
              f"{largest:6.0f} Mio (plus gros processus), {together:4.0f} Mio (somme des processus "
              f"vivants ensemble) ; par processus : "
              + ", ".join(f"{m:.0f}" for m in each) + " Mio")
    ts, tb = med(r[0] for r in runs[args.small]), med(r[0] for r in runs[args.big])
    print(f"temps {args.big} / {args.small} fiches : {tb / ts:.1f} "
          f"(linéaire si ≤ {args.big / args.small * 1.2:.0f}) ; {max(1, args.repeat // 2)} "
          f"passage(s) alternés, médianes ; charge de la machine : "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
