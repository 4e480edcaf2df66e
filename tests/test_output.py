"""WRITE under faults: deterministic fault injection at every write step of output.py, the
invariants checked after each (old file or complete new one, the message says which, the next
build neither loses nor refuses anything); numbered backups, the lock, a corrupt manifest."""

from __future__ import annotations

import errno
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from docgen import output
from docgen.errors import OutputError
from docgen.output import MANIFEST, PENDING, sha256_file
from docgen.pipeline import build, fingerprint
from docgen.plan import BuildOptions
from tests.conftest import EXAMPLE, MINIMAL, overlay_case

DOCS = ("convention.docx", "adhesion.docx")


class SimulatedKill(BaseException):
    """What a SIGKILL leaves: no except clause runs (only the finally of the staging folder)."""


def _options(out: Path, draft: bool, force: bool = False) -> BuildOptions:
    # --draft / --final changes both documents (the PROJET mention): two files, both replaced
    return BuildOptions(kinds=("convention", "adhesion"), out=out, draft=draft, force=force,
                        pdf=False)


def _disk(folder: Path) -> dict[str, str]:
    return {rel: sha256_file(folder / rel) for rel in DOCS if (folder / rel).exists()}


def _steps(case: Path, out: Path) -> list[str]:
    seen: list[str] = []
    output.fault_hook = seen.append
    try:
        build(case, _options(out, draft=False))
    finally:
        output.fault_hook = None
    return seen


@pytest.fixture
def versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, dict, dict]:
    """A case, its output folder, and the hashes of the two versions (PROJET, final)."""
    monkeypatch.chdir(tmp_path)
    case = overlay_case(tmp_path / "essai", None, EXAMPLE)
    probe = tmp_path / "probe"
    build(case, _options(probe, draft=False))
    final = _disk(probe / "essai")
    out = tmp_path / "o"
    build(case, _options(out, draft=True))
    draft = _disk(out / "essai")
    assert set(final) == set(draft) == set(DOCS) and final != draft
    return case, out, draft, final


def _fail_at(step: str, exc: BaseException):
    def hook(name: str) -> None:
        if name == step:
            raise exc

    return hook


def _listed(message: str, title: str) -> set[str]:
    """File names listed under a heading of the error message."""
    block = message.split(title, 1)
    if len(block) == 1:
        return set()
    names = set()
    for line in block[1].splitlines()[1:]:
        if not line.startswith("  "):
            break
        names.add(Path(line.strip()).name)
    return names


def _assert_consistent(folder: Path) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    for rel in DOCS:
        assert manifest["outputs"][rel]["sha256"] == sha256_file(folder / rel), rel
    assert not (folder / PENDING).exists()
    assert not list(folder.glob(".staging-*")) and not list(folder.glob(".*.tmp"))


def test_the_seam_names_every_write_step(versions) -> None:
    case, out, _, _ = versions
    steps = _steps(case, out)
    assert steps == ["stage:convention.docx", "stage:convention-parcelles.csv",
                     "stage:adhesion.docx", "pending", "move:convention.docx",
                     "move:adhesion.docx", "manifest"]  # the parcels, unchanged, stay


@pytest.mark.parametrize("step", ["stage:convention.docx", "stage:adhesion.docx", "pending",
                                  "move:convention.docx", "move:adhesion.docx", "manifest"])
def test_disk_full_at_each_write_step(step: str, versions) -> None:
    case, out, draft, final = versions
    folder = out / "essai"
    output.fault_hook = _fail_at(step, OSError(errno.ENOSPC, "No space left on device"))
    try:
        with pytest.raises(OutputError) as exc:
            build(case, _options(out, draft=False))
    finally:
        output.fault_hook = None
    message = str(exc.value)
    disk = _disk(folder)
    new = {rel for rel in DOCS if disk[rel] == final[rel]}
    old = {rel for rel in DOCS if disk[rel] == draft[rel]}
    assert new | old == set(DOCS) and not new & old  # each file: the old one or the new one
    assert "disque plein" in message
    if not new:
        assert "les documents précédents sont intacts" in message
    else:  # the message says exactly which are new and which are old
        assert "une partie des documents a déjà été remplacée" in message
        assert _listed(message, "Documents nouveaux (remplacés) :") == new
        assert _listed(message, "Documents anciens (non remplacés) :") == old
        _assert_consistent(folder)  # the manifest already describes the files as they are
    again = build(case, _options(out, draft=False))  # no refusal of untouched outputs
    assert {p.name for p in again.written.written} == {rel for rel in DOCS if rel not in new}
    assert _disk(folder) == final
    _assert_consistent(folder)


@pytest.mark.parametrize("kills", [
    # the old code lost track of convention.docx here: moved by the first build, announced by
    # its pending manifest only, which the second build overwrote with its own
    (("move:adhesion.docx", False), ("move:", True)),
    (("manifest", False), ("move:", True)),
    (("move:convention.docx", False), ("manifest", False)),
    (("pending", False), ("move:adhesion.docx", False)),
    (("manifest", False), ("manifest", True)),
])
def test_two_kills_in_a_row_never_make_outputs_look_hand_edited(kills, versions) -> None:
    case, out, draft, final = versions
    folder = out / "essai"
    for step, draft_flag in kills:
        def hook(name: str, step: str = step) -> None:
            if name.startswith(step):
                raise SimulatedKill()

        output.fault_hook = hook
        try:
            with pytest.raises(SimulatedKill):
                build(case, _options(out, draft=draft_flag))
        finally:
            output.fault_hook = None
        for rel, digest in _disk(folder).items():
            assert digest in (draft[rel], final[rel]), (step, rel)
    result = build(case, _options(out, draft=False))
    assert _disk(folder) == final
    assert not result.written.backups
    _assert_consistent(folder)


def test_a_real_kill_twice_then_a_build_and_verify(versions) -> None:
    """One real SIGKILL per step, deterministic: the hook kills the process at that step."""
    case, out, draft, final = versions
    folder = out / "essai"
    script = ("import os, sys\nfrom docgen import output\nstep = sys.argv[1]\n"
              "output.fault_hook = lambda s: os.kill(os.getpid(), 9) if s == step else None\n"
              "from docgen.cli import main\nmain(sys.argv[2:])\n")
    args = ["build", str(case), "--doc", "convention", "--doc", "adhesion", "--out", str(out),
            "--no-pdf"]
    for step, flag in (("move:adhesion.docx", "--final"), ("manifest", "--draft")):
        proc = subprocess.run([sys.executable, "-c", script, step, *args, flag],
                              capture_output=True, text=True)
        assert proc.returncode == -9, proc.stderr
    done = subprocess.run([sys.executable, "-m", "docgen", *args, "--final"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert _disk(folder) == final
    check = subprocess.run([sys.executable, "-m", "docgen", "verify", str(folder)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    _assert_consistent(folder)


def test_backups_are_numbered_and_never_overwritten(tmp_path: Path, run) -> None:
    out = tmp_path / "o"
    assert run("build", MINIMAL, "--out", out, "--doc", "convention", "--no-pdf").code == 0
    target = out / "minimal" / "convention.docx"
    copies = []
    for n in range(3):
        target.write_bytes(target.read_bytes() + f"modification {n}".encode())
        copies.append(target.read_bytes())
        result = run("build", MINIMAL, "--out", out, "--doc", "convention", "--no-pdf", "--force")
        assert result.code == 0, result.err
    names = ["convention.modifie.docx", "convention.modifie-2.docx", "convention.modifie-3.docx"]
    for name, data in zip(names, copies):
        assert (out / "minimal" / name).read_bytes() == data  # each edit kept, none overwritten
    assert "copie de sauvegarde :" in result.out and "convention.modifie-3.docx" in result.out


def test_the_lock_is_held_from_the_start_of_the_build(tmp_path: Path, run) -> None:
    import fcntl

    out = tmp_path / "o"
    assert run("build", MINIMAL, "--out", out, "--doc", "convention", "--no-pdf").code == 0
    with (out / "minimal" / ".docgen.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        # even with nothing to rebuild, a second build never reads a folder being written
        result = run("build", MINIMAL, "--out", out, "--doc", "convention", "--no-pdf")
    assert result.code == 1
    assert "une autre construction de ce dossier est en cours" in result.err


def test_the_lock_is_held_while_rendering(tmp_path: Path, monkeypatch) -> None:
    from filelock import FileLock, Timeout

    from docgen import pipeline

    out = tmp_path / "o"
    seen: list[bool] = []
    real = pipeline.Documents.build_all

    def probe(self, jobs):  # type: ignore[no-untyped-def]
        try:
            FileLock(str(out / "minimal" / ".docgen.lock"), timeout=0).acquire()
            seen.append(False)
        except Timeout:
            seen.append(True)
        return real(self, jobs)

    monkeypatch.setattr(pipeline.Documents, "build_all", probe)
    build(MINIMAL, BuildOptions(kinds=("convention",), out=out, pdf=False))
    assert seen == [True]


def test_a_truncated_manifest_is_reported_and_force_rebuilds_it(tmp_path: Path, run) -> None:
    out = tmp_path / "o"
    assert run("build", MINIMAL, "--out", out, "--doc", "convention", "--no-pdf").code == 0
    manifest = out / "minimal" / MANIFEST
    text = manifest.read_text()
    manifest.write_text(text[: len(text) // 2])
    blocked = run("build", MINIMAL, "--out", out, "--doc", "convention", "--no-pdf")
    assert blocked.code == 1
    assert "manifest.json : manifeste illisible" in blocked.err
    assert "Relancez avec --force" in blocked.err and "Traceback" not in blocked.err
    forced = run("build", MINIMAL, "--out", out, "--doc", "convention", "--no-pdf", "--force")
    assert forced.code == 0, forced.err
    assert "manifeste illisible mis de côté" in forced.err
    assert (out / "minimal" / "manifest.illisible.json").read_text() == text[: len(text) // 2]
    data = json.loads(manifest.read_text())
    assert data["outputs"]["convention.docx"]["sha256"] == sha256_file(
        out / "minimal" / "convention.docx")
    assert run("build", MINIMAL, "--out", out, "--doc", "convention", "--no-pdf").code == 0


@pytest.mark.parametrize("where", ["../cases/essai", ".cache/essai"])
def test_the_fingerprint_covers_the_case_whatever_its_path(where: str, tmp_path: Path,
                                                          monkeypatch) -> None:
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    case = overlay_case((tmp_path / "work" / where).resolve(), None)
    relative = Path(where)
    options = BuildOptions(pdf=False)
    before = fingerprint(relative, options)
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text().replace("Rénovation de la halle", "Halle rénovée", 1))
    assert fingerprint(relative, options) != before


def test_a_template_that_never_ends_is_stopped_in_french(tmp_path: Path, run, monkeypatch,
                                                         lone_process) -> None:
    """The process making the document is killed at its limit (a real limit, which native
    code cannot ignore either), and the build stops in French, writing nothing."""
    from docx import Document

    from docgen.templating import PACKAGE as BUILTIN

    case = overlay_case(tmp_path / "essai", None)
    (case / "templates/docx").mkdir(parents=True)
    doc = Document(str(BUILTIN / "docx/convention.docx"))
    doc.add_paragraph("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                      "{% endfor %}", style="Corps")
    doc.save(str(case / "templates/docx/convention.docx"))
    result = run("build", case, "--out", tmp_path / "o", "--doc", "convention", "--no-pdf",
                 "--time-limit", "1.5")
    assert result.code == 3
    assert re.search(r"convention\.docx : le modèle tourne depuis plus de 1,5 s sans finir",
                     result.err), result.err
    assert not (tmp_path / "o/essai/convention.docx").exists()


@pytest.mark.parametrize("tag,expected", [
    ("{% for i in range(10**12) %}x{% endfor %}", "erreur dans le modèle : boucle démesurée"),
    ("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}",
     "erreur dans le modèle : macro qui s'appelle elle-même sans fin"),
])
def test_runaway_templates_are_template_errors_in_french(tag: str, expected: str,
                                                         tmp_path: Path, run) -> None:
    from docx import Document

    from docgen.templating import PACKAGE as BUILTIN

    case = overlay_case(tmp_path / "essai", None)
    (case / "templates/docx").mkdir(parents=True)
    doc = Document(str(BUILTIN / "docx/convention.docx"))
    doc.add_paragraph(tag, style="Corps")
    doc.save(str(case / "templates/docx/convention.docx"))
    result = run("build", case, "--out", tmp_path / "o", "--doc", "convention", "--no-pdf")
    assert result.code == 3, result.err
    assert f"convention.docx : {expected}" in result.err


@pytest.mark.parametrize("text", ['{"outputs": {"convention.docx": 5}}', '{"outputs": []}', "[]",
                                  '{"outputs": {}, "inputs": "x"}', ""])
def test_a_manifest_of_the_wrong_shape_is_reported_not_a_crash(text: str, tmp_path: Path,
                                                               run) -> None:
    out = tmp_path / "o"
    assert run("build", MINIMAL, "--out", out, "--doc", "convention", "--no-pdf").code == 0
    (out / "minimal" / MANIFEST).write_text(text)
    result = run("build", MINIMAL, "--out", out, "--doc", "convention", "--no-pdf")
    assert result.code == 1 and "manifeste illisible" in result.err, result.err
    assert run("build", MINIMAL, "--out", out, "--doc", "convention", "--no-pdf",
               "--force").code == 0


def test_an_output_folder_name_taken_by_a_file_is_a_french_error(tmp_path: Path, run) -> None:
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "minimal").write_text("")
    result = run("build", MINIMAL, "--out", tmp_path / "o", "--doc", "convention", "--no-pdf")
    assert result.code == 1
    assert "un fichier porte déjà le nom du dossier de sortie" in result.err


def test_the_command_line_limit_is_the_build_default() -> None:
    from docgen.cli import BUILD_LIMIT_S

    assert BuildOptions().limit == BUILD_LIMIT_S
