"""The reviewed DOCX that comes back from legal staff (`docgen pdf`, `docgen templates text`):
read from disk within bounds, typeset into signature-ready PDFs, written only once all are
proven. Nothing here loads a case folder: the command starts in a fraction of a second."""

from __future__ import annotations

from pathlib import Path

from . import messages as msg
from .errors import DocgenError


def pdfs_of_docx(sources: list[Path], targets: list[Path], force: bool,
                 jobs: int | None = None) -> list[Path]:
    """`docgen pdf a.docx b.docx …`: typeset reviewed DOCX files into their targets (spread
    over `jobs` processes, one per core by default), never over an existing file unless forced;
    every file is read, typeset and checked before any PDF is written."""
    from . import parallel
    from .finish.pdf import docx_to_pdfs
    from .output import write_file

    for source, target in zip(sources, targets, strict=True):
        if source.suffix.lower() != ".docx":
            raise DocgenError(msg.PDF_SOURCE_NOT_DOCX.format(path=source))
        if target.exists() and not force:
            raise DocgenError(msg.PDF_TARGET_EXISTS.format(path=target))
    datas = [read_docx_file(source) for source in sources]
    pdfs = [pdf for _, pdf in docx_to_pdfs(zip(datas, (s.name for s in sources)),
                                           jobs=parallel.workers(jobs))]
    for target, pdf in zip(targets, pdfs):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_file(target, pdf)
    return targets


MAX_DOCX_BYTES = 50 * 1024 * 1024  # a 40-page convention with its logos is ~1 MB
MAX_DOCX_UNZIPPED = 200 * 1024 * 1024  # what the parts may expand to (zip bombs)


def read_docx_file(source: Path) -> bytes:
    """The bytes of a DOCX given on the command line, refused in French unless it is a regular
    file (never blocking on a FIFO), of bounded size, and a zip whose parts expand reasonably."""
    import os
    import stat
    import zipfile

    try:
        fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        raise DocgenError(msg.PDF_SOURCE_MISSING.format(path=source)) from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise DocgenError(msg.DOCX_NOT_REGULAR.format(path=source))
    with os.fdopen(fd, "rb") as fh:
        if info.st_size > MAX_DOCX_BYTES:
            raise DocgenError(msg.DOCX_TOO_BIG.format(path=source, limit=MAX_DOCX_BYTES >> 20))
        data = fh.read(MAX_DOCX_BYTES + 1)
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_DOCX_UNZIPPED:
                raise DocgenError(msg.DOCX_TOO_BIG.format(path=source,
                                                         limit=MAX_DOCX_UNZIPPED >> 20))
            if "word/document.xml" not in zf.namelist():
                raise DocgenError(msg.DOCX_NOT_WORD.format(path=source))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise DocgenError(msg.DOCX_NOT_WORD.format(path=source)) from None
    return data
