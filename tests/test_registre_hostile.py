"""The register of acts as hostile input: `actes/registre.yaml` and the files it records come
with the territory folder, from anyone. Whatever they are — a register mutated field by field or
character by character, a recorded file that is a link, a FIFO, a folder, a sparse giant, a file
of the right SHA-256 but the wrong kind, an `actes/` folder that leads elsewhere — check, status
and build end with a French error naming the register at its line and column (exit 1), never an
internal error (70), never a hang, nothing read or written outside the case. So do the commands
that take a file from the user (signature import, relu, remise ar) with a FIFO, a folder, a
missing or an empty file: the register stays as it was."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz_inputs import ENGLISH, NASTY, VALUES, _get, _yaml, paths, replace

from .conftest import EXAMPLE, overlay_case

REGISTRE = "actes/registre.yaml"
TEXT = (EXAMPLE / REGISTRE).read_text(encoding="utf-8")
DATA = yaml.safe_load(TEXT)
PATHS = paths(DATA)
AT = re.compile(r"actes/registre\.yaml:(\d+):(\d+): ")
SECRET = "secret-hors-du-dossier"


@pytest.fixture
def case(tmp_path: Path) -> Path:
    return overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE, registre=True)


def commands(case: Path, out: Path) -> list[tuple[str, ...]]:
    return [("check", str(case)), ("status", str(case), "--out", str(out)),
            ("build", str(case), "--doc", "convention", "--no-pdf", "--out", str(out))]


def refused_in_french(run, case: Path, out: Path, *, lines: int | None = None,
                      register_named: bool = True) -> list[str]:
    """Each command ends with 0, or 1 and a French message (at the register's line and column
    when register_named); never 70, never a trace. Returns the errors printed."""
    errors = []
    for args in commands(case, out):
        result = run(*args)
        assert result.code in (0, 1), (args[0], result.code, result.err)
        assert "Traceback" not in result.err and "Erreur interne" not in result.err, result.err
        if result.code == 1:
            errors.append(result.err)
            if register_named:
                found = AT.search(result.err)
                assert found, (args[0], result.err)
                if lines is not None:
                    assert 1 <= int(found.group(1)) <= lines + 1, result.err
            assert not ENGLISH.search(result.err), (args[0], result.err)
    return errors


# ------------------------------------------------------------------ 1. the register, mutated

FILE_NAMES = st.sampled_from([
    "convention/texte.docx", "avenant-01/emis.pdf", "convention/../../convention.yaml",
    "/etc/hostname", "../territoire.yaml", "convention/", "convention/texte.docx\x00.pdf",
    "copil-2024-02-30/diaporama.pdf", "avenant-99/emis.pdf"])
VALUES_HERE = st.one_of(
    VALUES, FILE_NAMES, st.sampled_from(["projet", "relu", "signe", "transmis", "papier",
                                         "electronique", "verifiee", "0" * 64, "f" * 63,
                                         "x" * 200_000, "10000-01-01", "0000-00-00"]),
    st.datetimes(), st.integers(min_value=-2**70, max_value=2**70))


@st.composite
def mutated_trees(draw: Any) -> str:
    """The register with one to three values replaced (by another YAML type, a huge string, a
    date out of range, a path leaving the folder…), deleted, or an unknown key added."""
    tree = DATA
    for _ in range(draw(st.integers(1, 3))):
        every = paths(tree)
        where = draw(st.sampled_from(every))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "delete" and where:
            tree = replace(tree, where, None, delete=True)
        elif action == "add":
            target = where if isinstance(_get(tree, where), dict) else ()
            if isinstance(_get(tree, target), dict):
                key = draw(st.one_of(st.text(min_size=1, max_size=10),
                                     st.sampled_from(["avenant-02", "copil-2099-01-01", "emis"])))
                tree = replace(tree, target, {**_get(tree, target), key: draw(VALUES_HERE)})
        else:
            tree = replace(tree, where, draw(VALUES_HERE))
    return _yaml(tree)


def _deep(n: int) -> str:
    return "[" * n + "]" * n


BOMB = ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n")


@st.composite
def mutated_bytes(draw: Any) -> bytes:
    """The register's text with characters inserted (tabs, NUL, invalid UTF-8, a BOM, YAML
    syntax), a line duplicated (duplicate keys) or dropped, an alias bomb or deep nesting in
    place of a value, or cut short."""
    raw = TEXT.encode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        lines = raw.split(b"\n")
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["insert", "insert", "bytes", "dup", "drop", "value",
                                     "bom", "cut", "tab"]))
        if kind == "insert":
            pos = draw(st.integers(0, len(raw)))
            raw = raw[:pos] + draw(NASTY).encode("utf-8", "surrogatepass") + raw[pos:]
        elif kind == "bytes":
            pos = draw(st.integers(0, len(raw)))
            raw = raw[:pos] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80",
                                                    b"\xef\xbb\xbf", b"\r"])) + raw[pos:]
        elif kind == "dup":
            lines.insert(i, lines[i])
            raw = b"\n".join(lines)
        elif kind == "drop":
            del lines[i]
            raw = b"\n".join(lines)
        elif kind == "value" and b": " in lines[i]:
            head = lines[i].split(b": ", 1)[0]
            value = draw(st.sampled_from([_deep(60), _deep(5000), "*nope", "&a x", "!!binary AAAA",
                                          "!!python/object:os.system ls", "{" + BOMB + "}",
                                          "9999-99-99", "2024-02-30 25:61:00", "1e400", ".nan",
                                          "|\n  bloc", "x" * 3_000_000]))
            lines[i] = head + b": " + value.encode()
            raw = b"\n".join(lines)
        elif kind == "bom":
            raw = b"\xef\xbb\xbf" + raw
        elif kind == "cut":
            raw = raw[:draw(st.integers(0, len(raw)))]
        elif kind == "tab":
            lines[i] = b"\t" + lines[i]
            raw = b"\n".join(lines)
    if draw(st.booleans()):
        raw = BOMB.encode() + raw if draw(st.booleans()) else raw
    return raw


def _restore(case: Path) -> None:
    """The example's register and files back, for the next example (a build may issue acts)."""
    shutil.rmtree(case / "actes")
    shutil.copytree(EXAMPLE / "actes", case / "actes")


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(text=mutated_trees())
def test_a_mutated_register_is_refused_at_its_line(text: str, case: Path, tmp_path: Path,
                                                  run) -> None:
    _restore(case)
    (case / REGISTRE).write_text(text, encoding="utf-8")
    refused_in_french(run, case, tmp_path / "out", lines=text.count("\n") + 1)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(raw=mutated_bytes())
def test_a_register_mangled_in_its_text_is_refused_at_its_line(raw: bytes, case: Path,
                                                               tmp_path: Path, run) -> None:
    _restore(case)
    (case / REGISTRE).write_bytes(raw)
    refused_in_french(run, case, tmp_path / "out", lines=raw.count(b"\n") + 1)


@pytest.mark.parametrize("text", [
    "actes:\n  convention:\n    etat: signe\n  convention:\n    etat: relu\n",  # duplicate key
    "actes: &a\n  convention: *a\n",  # a recursive alias
    "actes:\n  convention:\n    etat: signe\n    emis:\n      date: 10000-01-01\n",
    "actes:\n  convention:\n    etat: relu\n    emis: {date: 0001-01-01, origine: production, "
    "docx: convention/texte.docx, docx_sha256: " + "0" * 64 + ", pdf: convention/emis.pdf, "
    "pdf_sha256: " + "0" * 64 + ", pdf_octets: 1e400}\n",
    "actes:\n  convention:\n    etat: signe\n    signature: {date: 2024-02-30, mode: papier}\n",
    "actes: []\n", "- actes\n", "actes:\n  convention: null\n", "copils: {copil-2024-02-30: {}}\n",
    "actes:\n  avenant-100: {etat: projet}\n", "inconnu: 1\n",
    "actes:\n\tconvention:\n\t\tetat: signe\n",
    "\ufeffactes:\n  convention: {etat: projet, emis: " + _deep(200) + "}\n",
])
def test_hand_written_registers_are_refused_at_their_line(text: str, case: Path, tmp_path: Path,
                                                         run) -> None:
    (case / REGISTRE).write_text(text, encoding="utf-8")
    errors = refused_in_french(run, case, tmp_path / "out", lines=text.count("\n") + 1)
    assert len(errors) == 3  # none of them is a register docgen would accept


@pytest.mark.parametrize("raw", [b"\xff\xfeactes:\n", b"actes:\x00\n", b"actes:\n  \xc3(\n",
                                 b"", b"# rien\n", b"---\nactes: {}\n---\nactes: {}\n"])
def test_a_register_that_is_not_utf8_yaml_is_refused(raw: bytes, case: Path, tmp_path: Path,
                                                     run) -> None:
    (case / REGISTRE).write_bytes(raw)
    assert len(refused_in_french(run, case, tmp_path / "out")) == 3


# ------------------------------------------------------------------ 2. the files it records

def _replace_by(case: Path, rel: str, what: str, tmp_path: Path) -> None:
    target = case / "actes" / rel
    target.unlink()
    if what == "lien-dehors":
        outside = tmp_path / "dehors.docx"
        outside.write_text(SECRET)
        target.symlink_to(outside)
    elif what == "lien-systeme":
        target.symlink_to("/etc/hostname")
    elif what == "lien-dedans":
        target.symlink_to(case / "convention.yaml")
    elif what == "lien-boucle":
        target.symlink_to(target)
    elif what == "fifo":
        os.mkfifo(target)
    elif what == "dossier":
        target.mkdir()
    elif what == "creux":  # sparse, over the limit: nothing of it is read
        with open(target, "wb") as fh:
            fh.truncate(250_000_000)
    else:
        raise AssertionError(what)


@pytest.mark.parametrize("rel", ["convention/texte.docx", "avenant-01/emis.pdf",
                                 "adhesion/dossier.yaml"])
@pytest.mark.parametrize("what", ["lien-dehors", "lien-systeme", "lien-dedans", "lien-boucle",
                                  "fifo", "dossier", "creux"])
def test_a_recorded_file_that_is_not_a_regular_file_of_the_case_is_refused(
        rel: str, what: str, case: Path, tmp_path: Path, run) -> None:
    _replace_by(case, rel, what, tmp_path)
    errors = refused_in_french(run, case, tmp_path / "out")
    if what == "lien-dedans" and rel.endswith("dossier.yaml"):  # no SHA-256 recorded: read
        assert errors == []
        return
    assert len(errors) == 3
    assert all(f"actes/{rel}" in e for e in errors)
    assert all(SECRET not in e for e in errors)
    if what == "creux":
        assert all("dépasse 200 Mo" in e for e in errors)


def _forge(case: Path, rel: str, data: bytes) -> None:
    """Replace a recorded file and make the register's SHA-256 (and size) match it: a forgery
    the hash cannot catch."""
    path = case / "actes" / rel
    old = path.read_bytes()
    path.write_bytes(data)
    text = (case / REGISTRE).read_text(encoding="utf-8")
    text = text.replace(hashlib.sha256(old).hexdigest(), hashlib.sha256(data).hexdigest())
    text = text.replace(f"pdf_octets: {len(old)}\n", f"pdf_octets: {len(data)}\n")
    (case / REGISTRE).write_text(text, encoding="utf-8")


def _zip(parts: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("rel,data", [
    ("convention/texte.docx", b"pas un zip"),
    ("convention/texte.docx", b"PK\x03\x04tronque"),
    ("convention/texte.docx", _zip({"autre.xml": b"<a/>"})),
    ("convention/texte.docx", _zip({"word/document.xml": b"<w:document"})),
    ("convention/texte.docx", _zip({"word/document.xml": b"<document/>"})),
    ("convention/texte.docx", _zip({"word/document.xml": b"0" * 210_000_000})),  # a bomb
    ("avenant-01/texte.docx", b""),
    ("convention/emis.pdf", b"pas un PDF"),
    ("adhesion/emis.pdf", b"PK\x03\x04"),
], ids=["texte", "zip-tronque", "sans-document", "xml-casse", "sans-body", "bombe", "vide",
        "pdf-texte", "pdf-zip"])
def test_a_recorded_file_of_the_right_hash_but_not_of_its_kind_is_refused(
        rel: str, data: bytes, case: Path, tmp_path: Path, run) -> None:
    _forge(case, rel, data)
    errors = refused_in_french(run, case, tmp_path / "out")
    assert len(errors) == 3
    assert all(f"actes/{rel} n'est pas un" in e for e in errors)


def test_the_register_forged_with_its_files_blocks_a_full_build_too(case: Path, tmp_path: Path,
                                                                    run) -> None:
    """Once found through a build of every document (the text of record compared with each
    new rendering): BadZipFile, exit 70."""
    _forge(case, "avenant-01/texte.docx", b"garbage")
    result = run("build", case, "--no-pdf", "--out", tmp_path / "out")
    assert result.code == 1 and "actes/avenant-01/texte.docx n'est pas un document Word" \
        in result.err, result.err


def _slides(case: Path, kind: str, name: str, data: bytes) -> None:
    """The slides of the COPIL of 16 January 2026 (held) recorded as presented."""
    folder = case / "actes/copil-2026-01-16"
    folder.mkdir()
    (folder / name).write_bytes(data)
    with (case / REGISTRE).open("a", encoding="utf-8") as fh:
        fh.write(f"copils:\n  copil-2026-01-16:\n    produit_le: 2026-01-10\n    pieces:\n"
                 f"      {kind}:\n        fichier: copil-2026-01-16/{name}\n"
                 f"        sha256: {hashlib.sha256(data).hexdigest()}\n")


@pytest.mark.parametrize("name,data", [
    ("diaporama.pdf", b"%PDF-1.7 pas un PDF"),
    ("diaporama.pdf", b"%PDF-1.7\n%%EOF\n"),
    ("diaporama.pptx", (EXAMPLE / "actes/adhesion/texte.docx").read_bytes()),
], ids=["faux-pdf", "pdf-vide", "pas-un-pdf"])
def test_slides_kept_as_presented_that_are_no_pdf_are_refused(
        name: str, data: bytes, case: Path, tmp_path: Path, run) -> None:
    """The build laid them out three to a page (pikepdf): PdfError, exit 70."""
    _slides(case, "diaporama", name, data)
    errors = refused_in_french(run, case, tmp_path / "out")
    assert len(errors) == 3
    assert all("copils.copil-2026-01-16.pieces.diaporama.fichier: le fichier actes/"
               f"copil-2026-01-16/{name} n'est pas un PDF" in e for e in errors)


def test_slides_kept_as_presented_are_handed_out(case: Path, tmp_path: Path, run) -> None:
    _slides(case, "diaporama", "diaporama.pdf", (EXAMPLE / "actes/adhesion/emis.pdf").read_bytes())
    assert refused_in_french(run, case, tmp_path / "out") == []


# ------------------------------------------------------------------ 3. the folders it lives in

def test_a_register_folder_linked_outside_is_refused_unread(case: Path, tmp_path: Path,
                                                            run) -> None:
    elsewhere = tmp_path / "ailleurs"
    shutil.move(case / "actes", elsewhere)
    (case / "actes").symlink_to(elsewhere, target_is_directory=True)
    errors = refused_in_french(run, case, tmp_path / "out")
    assert len(errors) == 3 and all("hors du dossier du territoire" in e for e in errors)


def test_a_register_linked_outside_is_refused_unread(case: Path, tmp_path: Path, run) -> None:
    outside = tmp_path / "registre.yaml"
    shutil.move(case / REGISTRE, outside)
    (case / REGISTRE).symlink_to(outside)
    errors = refused_in_french(run, case, tmp_path / "out")
    assert len(errors) == 3 and all("hors du dossier du territoire" in e for e in errors)


def test_a_register_linked_inside_the_case_is_read(case: Path, tmp_path: Path, run) -> None:
    shutil.move(case / REGISTRE, case / "registre-copie.yaml")
    (case / REGISTRE).symlink_to(case / "registre-copie.yaml")
    assert refused_in_french(run, case, tmp_path / "out") == []


@pytest.mark.parametrize("what", ["fifo", "dossier", "lien-casse"])
def test_a_register_that_is_not_a_file_is_refused(what: str, case: Path, tmp_path: Path,
                                                  run) -> None:
    path = case / REGISTRE
    path.unlink()
    {"fifo": lambda: os.mkfifo(path), "dossier": path.mkdir,
     "lien-casse": lambda: path.symlink_to("nulle-part.yaml")}[what]()
    assert len(refused_in_french(run, case, tmp_path / "out")) == 3


def _issuing(case: Path) -> None:
    """The example without its register: a build with PDFs issues the dated convention into
    actes/ — the place this test makes hostile."""
    shutil.rmtree(case / "actes")


@pytest.mark.parametrize("what", ["actes-lien-dehors", "acte-lien-dehors", "actes-fichier",
                                  "acte-fichier"])
def test_the_register_is_never_written_outside_the_case_nor_over_a_file(
        what: str, case: Path, tmp_path: Path, run) -> None:
    """A build issuing an act wrote its files through a link to another folder (outside the
    case) or crashed (NotADirectoryError, FileExistsError: exit 70) on a file in the place of
    the register's folder: now nothing is written, in French."""
    _issuing(case)
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    if what == "actes-lien-dehors":
        (case / "actes").symlink_to(elsewhere, target_is_directory=True)
    elif what == "acte-lien-dehors":
        (case / "actes").mkdir()
        (case / "actes/convention").symlink_to(elsewhere, target_is_directory=True)
    elif what == "actes-fichier":
        (case / "actes").write_text("x")
    else:
        (case / "actes").mkdir()
        (case / "actes/convention").write_text("x")
    before = sorted(p.name for p in case.rglob("*"))
    result = run("build", case, "--doc", "convention", "--out", tmp_path / "out")
    assert result.code == 1, result.err
    assert "rien n'a été écrit au registre des actes" in result.err
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in case.rglob("*")) == before


# ------------------------------------------------------------------ 4. files given by the user

def _input(tmp_path: Path, what: str) -> Path:
    path = tmp_path / f"entree-{what}"
    if what == "fifo":
        os.mkfifo(path)
    elif what == "dossier":
        path.mkdir()
    elif what == "vide":
        path.write_bytes(b"")
    return path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


INPUTS = ["fifo", "dossier", "absent", "vide"]


@pytest.mark.parametrize("what", INPUTS)
@pytest.mark.parametrize("command", ["signature-papier", "signature", "remise-ar"])
def test_a_file_given_that_is_not_one_is_refused_and_the_register_kept(
        command: str, what: str, case: Path, tmp_path: Path, run) -> None:
    source = _input(tmp_path, what)
    before = _snapshot(case / "actes")
    args = {"signature-papier": ("signature", "import", case, "convention", source, "--papier",
                                 "--date", "2023-04-14"),
            "signature": ("signature", "import", case, "avenant-01", source),
            "remise-ar": ("remise", "ar", case, "convention", source)}[command]
    result = run(*args)
    assert result.code == 1, result.err
    assert str(source.name) in result.err and "Erreur interne" not in result.err
    assert not ENGLISH.search(result.err.replace("Document is empty", "")), result.err
    assert _snapshot(case / "actes") == before


@pytest.mark.parametrize("what", INPUTS)
def test_a_reviewed_docx_that_is_not_a_file_is_refused_and_nothing_recorded(
        what: str, tmp_path: Path, run) -> None:
    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)  # nothing issued yet
    source = _input(tmp_path, what)
    result = run("relu", case, "convention", source, "--out", tmp_path / "out")
    assert result.code == 1, result.err
    assert str(source) in result.err and "Erreur interne" not in result.err
    assert not (case / "actes").exists()


def test_a_stamped_copy_that_is_not_a_file_is_refused_and_the_register_kept(
        case: Path, tmp_path: Path, run) -> None:
    from tests.test_transmission import acknowledgement

    handed = run("remise", case, "avenant-01", "--out", tmp_path / "out")
    assert handed.code == 0, handed.err
    sent = tmp_path / "out/pays-des-ecrins/remise/avenant-01/actes_acte.xml"
    ar = tmp_path / "ARActe.xml"
    ar.write_bytes(acknowledgement(sent.read_bytes()))
    before = _snapshot(case / "actes")
    for what in INPUTS:
        stamped = _input(tmp_path, what)
        result = run("remise", "ar", case, "avenant-01", ar, "--tampon", stamped)
        assert result.code == 1, (what, result.err)
        assert stamped.name in result.err and "Erreur interne" not in result.err
        assert _snapshot(case / "actes") == before
