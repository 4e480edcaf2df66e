"""Hostile input and faults: values come out as typed or are refused at load with their field;
a killed, concurrent or starved build never loses or corrupts a document."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from docgen.errors import CaseInvalid
from docgen.load import load_case
from docgen.output import sha256_file
from tests.conftest import EXAMPLE, MINIMAL, overlay_case
from tests.docx_helpers import body_texts

ROOT = Path(__file__).resolve().parent.parent
FIELDS = {  # a text field of the case that prints as typed, and where its line is in the file
    "fiches_actions[0].intitule": "    intitule: Rénovation de la halle\n",
    "fiches_actions[0].description": "    description: Rénovation de la halle du marché.\n",
    "secteurs[0].nom": "  - {id: centre, nom: Centre-bourg, commune: bourg, centre_ville: true}\n",
    "textes.ambitions[0]": "  ambitions: [Ambitions d'essai.]\n",
}


def _set(field: str, value: str, conv_text: str) -> str:
    scalar = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_style='"').strip()
    scalar = scalar.removesuffix("\n...").strip()
    line = FIELDS[field]
    if field == "fiches_actions[0].intitule":
        new = f"    intitule: {scalar}\n"
    elif field == "fiches_actions[0].description":
        new = f"    description: {scalar}\n"
    elif field == "secteurs[0].nom":
        new = f"  - {{id: centre, nom: {scalar}, commune: bourg, centre_ville: true}}\n"
    else:
        new = f"  ambitions: [{scalar}]\n"
    assert line in conv_text
    return conv_text.replace(line, new, 1)


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True).stdout.decode("utf-8")


HOSTILE = st.one_of(
    st.sampled_from([
        "&", "<b>", "a & b < c > d", "\"guillemets\" et 'apostrophes'", "{{ 7*7 }}",
        "{% if x %}y{% endif %}", "{_{ z }_}", "<w:p><w:r><w:t>x</w:t></w:r></w:p>", "]]>",
        "Halle 🧺 du marché", "سوق البلدة القديم", "שוק העיר", "ÉÈÀÇ œ æ ß", "x" * 290,
        "tab\tdedans", "ligne\nsuivante", "\x07cloche", "\x1b[31mrouge", "\x0cpage",
        "\ud800seul", "é\u0301", "€ 1 000 000", "100 % ; « ok » ?",
    ]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40),
)


@settings(max_examples=18, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(sorted(FIELDS)), value=HOSTILE)
@example(field="fiches_actions[0].description", value="d" * 5000)
def test_any_text_comes_out_as_typed_or_is_refused_at_load(field: str, value: str,
                                                           tmp_path_factory) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    tmp = tmp_path_factory.mktemp("h")
    case = overlay_case(tmp / "essai", None)
    conv = case / "convention.yaml"
    conv.write_text(_set(field, value, conv.read_text()))
    try:
        load_case(case)
    except CaseInvalid as exc:
        # refused: the message names this very field, at a position, in French
        assert any(i.path == field for i in exc.errors), (field, exc.render())
        assert all(i.line >= 1 for i in exc.errors)
        return
    if not value.strip():
        return
    build(case, BuildOptions(kinds=("convention",), out=tmp / "o"))
    expected = _flat(value)
    docx_text = _flat("\n".join(body_texts(tmp / "o/essai/convention.docx")))
    assert expected in docx_text, (field, value)
    from docgen.finish.parity import pdf_text, squash  # hyphens, ligatures, NBSP folded

    squashed = squash(pdf_text((tmp / "o/essai/convention.pdf").read_bytes()))
    if not re.search(r"[\u0590-\u08ff\u0300-\u036f]", value):  # RTL and combining marks:
        assert squash(value) in squashed, (field, value)  # reading order is the
    else:                                                             # extractor's business
        for word in map(squash, expected.split()):
            assert word in squashed or word[::-1] in squashed or len(word) < 2, word


def test_control_characters_and_lone_surrogates_are_refused_with_their_field(tmp_path: Path) -> None:
    for value in ("\x07", "\x1b[0m", "\ud800"):
        case = overlay_case(tmp_path / f"c{ord(value[0])}", None)
        conv = case / "convention.yaml"
        conv.write_text(_set("fiches_actions[0].intitule", f"a{value}b", conv.read_text()))
        with pytest.raises(CaseInvalid) as exc:
            load_case(case)
        assert exc.value.errors[0].path == "fiches_actions[0].intitule"
        assert "interdit" in exc.value.errors[0].message


# ------------------------------------------------------------------ faults


def _outputs(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256_file(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def test_killed_build_leaves_complete_files_and_the_next_build_completes(tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "essai", None, EXAMPLE)
    out = tmp_path / "o"
    cmd = [sys.executable, "-m", "docgen", "build", str(case), "--doc", "convention",
           "--doc", "adhesion", "--out", str(out)]
    subprocess.run(cmd, check=True, capture_output=True)
    old = _outputs(out / "essai")
    conv = case / "convention.yaml"
    rng = random.Random(7)
    for attempt in range(4):
        conv.write_text(conv.read_text().replace("Réseau de chaleur", f"Réseau de chaleur {attempt}", 1)
                        if attempt == 0 else conv.read_text().replace(
                            f"Réseau de chaleur {attempt - 1}", f"Réseau de chaleur {attempt}"))
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 4.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for rel, digest in _outputs(out / "essai").items():
            if rel.startswith("manifest.json"):
                continue
            path = out / "essai" / rel
            assert path.suffix in (".docx", ".pdf"), rel  # no temporary file left in place
            known = {old.get(rel)}
            pending = out / "essai/manifest.json.pending"
            if pending.exists():
                known.add(json.loads(pending.read_text())["outputs"].get(rel, {}).get("sha256"))
            assert digest in known, (attempt, rel)  # the old file or the complete new one
        done = subprocess.run(cmd, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        old = _outputs(out / "essai")
        check = subprocess.run([sys.executable, "-m", "docgen", "verify", str(out / "essai")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
    assert not list((out / "essai").glob(".staging-*"))


def test_a_second_build_of_the_same_case_stops_with_a_clear_message(tmp_path: Path, run) -> None:
    folder = tmp_path / "minimal"
    folder.mkdir(parents=True)
    with (folder / ".docgen.lock").open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        result = run("build", MINIMAL, "--out", tmp_path, "--doc", "convention")
    assert result.code == 1
    assert "une autre construction de ce dossier est en cours" in result.err
    assert not (folder / "convention.docx").exists()


def test_disk_full_while_staging_changes_nothing(tmp_path: Path, run, monkeypatch) -> None:
    assert run("build", MINIMAL, "--out", tmp_path, "--doc", "convention").code == 0
    before = _outputs(tmp_path / "minimal")
    conv_case = overlay_case(tmp_path / "src" / "minimal", None)
    (conv_case / "convention.yaml").write_text((conv_case / "convention.yaml").read_text().replace(
        "Rénovation de la halle", "Rénovation de la grande halle", 1))
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("docgen.output.os.fsync", full)
    result = run("build", conv_case, "--out", tmp_path, "--doc", "convention")
    monkeypatch.setattr("docgen.output.os.fsync", real_fsync)
    assert result.code == 1
    assert "disque plein" in result.err and "les documents précédents sont intacts" in result.err
    assert _outputs(tmp_path / "minimal") == before
    assert not list((tmp_path / "minimal").glob(".staging-*"))


def test_read_only_output_folder_is_a_clear_error(tmp_path: Path, run, monkeypatch) -> None:
    # CI runs as root, which ignores permissions: simulate the refusal the kernel would give
    def refuse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr("docgen.output.Path.mkdir", refuse)
    result = run("build", MINIMAL, "--out", tmp_path / "ro", "--doc", "convention")
    assert result.code == 1
    assert "dossier en lecture seule" in result.err
    assert "Traceback" not in result.err


def test_batch_of_territories_one_broken(tmp_path: Path, run) -> None:
    from tests.conftest import INVALID

    cases = tmp_path / "cases"
    overlay_case(cases / "alpha", None)
    overlay_case(cases / "beta", INVALID / "plan-depasse-cout")
    overlay_case(cases / "gamma", None)
    result = run("build", cases, "-j", "2", "--doc", "convention", "--out", tmp_path / "o")
    assert result.code == 1
    assert "2 construit(s), 0 inchangé(s), 1 en échec, sur 3 territoire(s)." in result.out
    assert "échec beta : beta/convention.yaml" in result.err.replace(str(cases) + "/", "") or (
        "échec beta :" in result.err and "dépasse le coût" in result.err)
    assert "[3/3]" in result.err  # plain progress lines outside a terminal
    assert (tmp_path / "o/alpha/convention.pdf").exists()
    assert (tmp_path / "o/gamma/convention.pdf").exists()
    assert not (tmp_path / "o/beta").exists()
    again = run("build", cases / "alpha", cases / "gamma", "-j", "2", "--doc", "convention",
                "--out", tmp_path / "o")
    assert again.code == 0
    assert "0 construit(s), 2 inchangé(s), 0 en échec" in again.out


def test_incremental_rebuild_follows_inputs_and_force(tmp_path: Path, run) -> None:
    case = overlay_case(tmp_path / "essai", None)
    out = tmp_path / "o"
    assert run("build", case, "--out", out, "--doc", "convention").code == 0
    second = run("build", case, "--out", out, "--doc", "convention")
    assert "inchangé" in second.out and "écrit" not in second.out
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text().replace("Rénovation de la halle", "Halle rénovée", 1))
    third = run("build", case, "--out", out, "--doc", "convention")
    assert "écrit" in third.out
    forced = run("build", case, "--out", out, "--doc", "convention", "--force")
    assert forced.code == 0 and "inchangé" in forced.out  # rebuilt, same bytes, not rewritten


def test_template_security_error_is_clear(tmp_path: Path, run) -> None:
    from docx import Document

    from docgen.templating import PACKAGE as BUILTIN

    case = overlay_case(tmp_path / "essai", None)
    (case / "templates/docx").mkdir(parents=True)
    doc = Document(str(BUILTIN / "docx/convention.docx"))
    doc.add_paragraph("{{ cf.__class__.__mro__ }}", style="Corps")
    doc.save(str(case / "templates/docx/convention.docx"))
    result = run("build", case, "--out", tmp_path / "o", "--doc", "convention")
    assert result.code == 3
    assert "opération interdite dans un modèle (accès refusé à « __class__ »)" in result.err
