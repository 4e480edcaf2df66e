"""Worker for bench_typst.py: DOCX files → signature-ready PDFs through the Typst path, in one
process (what `docgen pdf a.docx b.docx …` will do once the pipeline is switched over).

    .venv/bin/python benchmarks/typst_pdf.py OUT_DIR FILE.docx [FILE.docx …]
    .venv/bin/python benchmarks/typst_pdf.py --case CASE OUT_DIR   (build the convention DOCX, then its PDF)
    .venv/bin/python benchmarks/typst_pdf.py --jobs 2 OUT_DIR FILE.docx …   (two worker processes)
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    from docgen.finish.pdf import docx_to_pdfs

    jobs = 1
    if argv[0] == "--jobs":
        jobs, argv = int(argv[1]), argv[2:]
    if argv[0] == "--case":
        from docgen.pipeline import build
        from docgen.plan import BuildOptions

        case, out = Path(argv[1]), Path(argv[2])
        build(case, BuildOptions(kinds=("convention",), out=out, pdf=False, force=True))
        files = [out / case.name / "convention.docx"]
    else:
        out, files = Path(argv[0]), [Path(a) for a in argv[1:]]
    out.mkdir(parents=True, exist_ok=True)
    stems = {f.name: f.stem for f in files}
    for name, pdf in docx_to_pdfs(((f.read_bytes(), f.name) for f in files), jobs=jobs):
        (out / (stems[name] + ".pdf")).write_bytes(pdf)


if __name__ == "__main__":
    main(sys.argv[1:])
