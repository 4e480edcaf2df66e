"""Hostile input and faults: values come out as typed or are refused at load with their field;
a killed, concurrent or starved build never loses or corrupts a document."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from docgen.errors import CaseInvalid
from docgen.load import load_case
from docgen.output import sha256_file
from tests.conftest import MINIMAL, overlay_case
from tests.docx_helpers import body_texts

ROOT = Path(__file__).resolve().parent.parent
FIELDS = {  # a text field of the case that prints as typed, and where its line is in the file
    "fiches_actions[0].intitule": "    intitule: Rénovation de la halle\n",
    "fiches_actions[0].description": "    description: Rénovation de la halle du marché.\n",
    "secteurs[0].nom": "  - {id: centre, nom: Centre-bourg, commune: bourg, centre_ville: true, "
                        "delimitation: Place de la Halle et rues adjacentes}\n",
    "textes.ambitions[0]": "  ambitions: [Ambitions d'essai.]\n",
    # the texts issue 25 added: the diagnostic, the operators named, the act extending the delay
    "textes.diagnostic[0]": "  diagnostic: [Diagnostic d'essai.]\n",
    "operateurs[0]": "textes:\n",
    "prorogation_delai.reference": "textes:\n",
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
        new = (f"  - {{id: centre, nom: {scalar}, commune: bourg, centre_ville: true, "
                   "delimitation: Place de la Halle et rues adjacentes}\n")
    elif field == "textes.diagnostic[0]":
        new = f"  diagnostic: [{scalar}]\n"
    elif field == "operateurs[0]":
        new = f"operateurs: [{scalar}]\ntextes:\n"
    elif field == "prorogation_delai.reference":
        new = f"prorogation_delai: {{date: 2023-06-01, reference: {scalar}}}\ntextes:\n"
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
@example(field="textes.diagnostic[0]", value='</w.t></w.r><w.t>#import "x.typ" {{ a }} & <b>')
@example(field="operateurs[0]", value='la SPL « {% raw %} » </w.p> #set text(red) $x$')
@example(field="prorogation_delai.reference", value='le courrier ]] ) #eval("1") <w.p/> &amp;')
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
    from docgen.formatting import francais

    # as typed, in French typography (’, « », no-break spaces), which is what a reader sees
    seen = francais(value)
    expected = _flat(seen)
    docx_text = _flat("\n".join(body_texts(tmp / "o/essai/convention.docx")))
    assert expected in docx_text, (field, value)
    from docgen.finish.parity import pdf_text, squash  # hyphens, ligatures, NBSP folded

    raw = pdf_text((tmp / "o/essai/convention.pdf").read_bytes())
    body = "\n".join(line for line in raw.splitlines()  # without the running footer, which a
                      if not re.search(r"– page \d+ / \d+\s*$", line))  # page break puts mid-word
    squashed = squash(body)
    if not re.search(r"[\u0590-\u08ff\u0300-\u036f]", value):  # RTL and combining marks:
        assert squash(seen) in squashed, (field, value)  # reading order is the
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


# The killed-build test lives in tests/test_output.py: deterministic fault injection at each
# write step (and one real SIGKILL at a chosen step), instead of random sleeps.


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
    conv = case / "convention.yaml"  # not signed yet: its text may still change
    conv.write_text(conv.read_text().replace("  date: 2024-01-15\n", ""))
    out = tmp_path / "o"
    assert run("build", case, "--out", out, "--doc", "convention").code == 0
    second = run("build", case, "--out", out, "--doc", "convention")
    assert "inchangé" in second.out and "écrit" not in second.out
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


# ------------------------------------------------------------------ command line (point 7)


@pytest.mark.parametrize("args", [["check", "{case}", "--debug"], ["--debug", "check", "{case}"],
                                  ["check", "--debug", "{case}"]])
def test_global_options_work_before_or_after_the_subcommand(args: list[str], run) -> None:
    result = run(*[a.format(case=MINIMAL) for a in args])
    assert result.code == 0, result.err
    assert "dossier valide" in result.out


ENGLISH = re.compile(r"Invalid value|is not one of|does not match|not in the range|Missing|"
                     r"No such|Usage:|Error:|Try '|not a valid|requires an argument|"
                     r"unexpected extra")


@pytest.mark.parametrize("args,french", [
    (["build", "x", "--doc", "foo"], "valeur invalide pour « --doc » : « foo » ; valeurs "
     "admises : convention, adhesion, avenant, copil."),
    (["build", "x", "--date", "2024-13-01"], "« 2024-13-01 » n'est pas une date au format "
     "AAAA-MM-JJ"),
    (["build", "x", "-j", "0"], "valeur invalide pour « -j / --jobs » : « 0 » ; un nombre entier "
     "de 1 à 64 est attendu."),
    (["build", "x", "-j", "abc"], "un nombre entier de 1 à 64 est attendu."),
    (["check"], "argument manquant : TERRITOIRE…."),
    (["check", "--nope", "x"], "option inconnue « --nope »."),
    (["build", "x", "--out"], "l'option « --out » attend une valeur."),
    (["frobnicate"], "commande inconnue « frobnicate »"),
    (["schema", "--kind", "z"], "valeurs admises : adhesion, avenant, convention, copil"),
    (["verify"], "argument manquant : DOSSIER_PRODUIT."),
    (["check", "--debug"], "argument manquant : TERRITOIRE…."),
])
def test_usage_errors_are_french(args: list[str], french: str, run) -> None:
    result = run(*args)
    assert result.code == 2
    assert "Erreur : " in result.err and french in result.err, result.err
    assert not ENGLISH.search(result.err), result.err


def test_help_is_french(run) -> None:
    text = run("build", "--help").out
    assert "[default" not in text and "PATH" not in text and "1<=x<=64" not in text
    assert "Usage : docgen build" in text


def test_check_a_folder_of_territories_checks_each(tmp_path: Path, run, monkeypatch) -> None:
    from tests.conftest import INVALID

    cases = tmp_path / "cases"
    overlay_case(cases / "alpha", None)
    overlay_case(cases / "beta", INVALID / "plan-depasse-cout")
    monkeypatch.chdir(tmp_path)
    result = run("check", "cases")
    assert result.code == 1
    assert "cases/alpha : dossier valide." in result.out
    assert "cases/beta/convention.yaml:" in result.err and "dépasse" in result.err
    assert "territoire.yaml : fichier introuvable" not in result.err
    assert "cases/territoire.yaml" not in result.err


# ------------------------------------------------------------------ values never become markup


def test_no_template_value_is_inlined_into_a_stylesheet() -> None:
    from docgen.templating import PACKAGE

    for shell in sorted((PACKAGE / "html").glob("*.html")):
        for style in re.findall(r"<style>(.*?)</style>", shell.read_text(), re.S):
            assert "{{" not in style, (shell.name, style)  # values go in escaped elements


def test_running_texts_with_markup_print_literally(built: Path, tmp_path: Path) -> None:
    """A reviewed DOCX whose footer holds markup-looking text: the signature PDF prints it as
    typed (Typst receives every text as an escaped string, never as markup)."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    from docgen.finish.pdf import docx_to_pdf

    footer = 'AT&amp;T </style><p class="x">INJECTÉ</p> "q" \\ {} #set page(width: 1cm) ]'
    src = zipfile.ZipFile(built / "convention.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("word/footer"):
                data = data.replace(b"Convention-cadre PVD valant ORT", escape(footer).encode())
            dst.writestr(item, data)
    pdf = tmp_path / "d.pdf"
    pdf.write_bytes(docx_to_pdf(buf.getvalue(), "convention.docx"))
    text = _pdf_text(pdf)
    pages = text.count("\f")
    assert f"{footer} – L’Argentière-La Bessée – page 2 / {pages}" in text  # as typed

def test_a_territory_whose_template_never_ends_does_not_stop_the_batch(tmp_path: Path) -> None:
    """The batch's territories are jobs of docgen's job runner (jobs.Pool): one that runs past
    its limit has its worker killed and fails in French; the others are built."""
    from docgen import batch
    from docgen.plan import BuildOptions
    from docgen.templating import PACKAGE

    cases = tmp_path / "cases"
    for name in ("alpha", "beta", "gamma"):
        overlay_case(cases / name, None)
    labels = cases / "beta" / "templates" / "commun" / "libelles.j2"
    labels.parent.mkdir(parents=True, exist_ok=True)
    labels.write_text("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
                      "{% endfor %}" + (PACKAGE / "commun" / "libelles.j2").read_text("utf-8"),
                      encoding="utf-8")
    seen: list[str] = []
    outcomes = batch.build_many(batch.expand_cases([cases]),
                                BuildOptions(kinds=("convention",), out=tmp_path / "o", pdf=False,
                                             jobs=2, limit=20), lambda o: seen.append(o.case))
    status = {o.case: o.status for o in outcomes}
    assert status == {"alpha": "construit", "beta": "échec", "gamma": "construit"}
    assert sorted(seen) == ["alpha", "beta", "gamma"]
    beta = next(o for o in outcomes if o.case == "beta")
    assert "arrêté au bout de 20 s" in beta.message and "modèle qui tourne sans fin" in beta.message
    assert (tmp_path / "o" / "gamma" / "convention.docx").is_file()
    # nothing of beta written (its lock file stays; the kernel released the lock with its worker)
    assert [p.name for p in (tmp_path / "o" / "beta").iterdir()] == [".docgen.lock"]


def test_a_territory_whose_worker_dies_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    from docgen import batch, jobs
    from docgen.errors import DocgenError
    from docgen.plan import BuildOptions

    class Dying:
        def run(self, task: str, *args: object, limit: float) -> object:
            raise DocgenError("mort")

    class Late:
        def run(self, task: str, *args: object, limit: float) -> object:
            raise jobs.Overtime("arrêté au bout de 1 s : …")

    folder = tmp_path / "beta"
    dead = batch.in_pool(Dying(), folder, BuildOptions(), 1)
    assert (dead.case, dead.status) == ("beta", "échec")
    assert "s'est arrêté brutalement" in dead.message
    late = batch.in_pool(Late(), folder, BuildOptions(), 1)
    assert late.message.startswith("arrêté au bout de 1 s")


@pytest.mark.parametrize("kind", ["garbage", "fifo", "zip-without-word", "folder"])
@pytest.mark.parametrize("command", [["pdf"], ["templates", "text"]])
def test_a_bad_docx_on_the_command_line_is_a_french_error(kind: str, command: list[str],
                                                          tmp_path: Path, run) -> None:
    import zipfile

    path = tmp_path / "relu.docx"
    if kind == "garbage":
        path.write_bytes(b"pas un zip")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("autre.txt", "x")
    result = run(*command, path)
    assert result.code == 1, result.err
    assert "relu.docx : ce n'est pas" in result.err and "Traceback" not in result.err


def test_entities_in_a_title_print_literally_through_the_whole_pipeline(tmp_path: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    case = overlay_case(tmp_path / "essai", None)
    conv = case / "convention.yaml"
    conv.write_text(_set("fiches_actions[0].intitule", "AT&amp;T &lt;b&gt; </style>",
                         conv.read_text()))
    build(case, BuildOptions(kinds=("convention",), out=tmp_path / "o"))
    assert "AT&amp;T &lt;b&gt; </style>" in _flat(_pdf_text(tmp_path / "o/essai/convention.pdf"))
