"""A COPIL before and after it is held (issue 24, item 5). Held once its attendance is recorded
(« presences »): before, it needs no attendance and no decision text, and its convocation,
slides (« projets de décision »), attendance sheet and pack are built without minutes; once
held, each decision records the decision taken and the minutes are built. `docgen check` says
which stage each COPIL is at."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pikepdf
import pytest
import yaml

from docgen.errors import CaseInvalid
from docgen.load import copil_stages, load_case
from docgen.plan import BuildOptions, plan
from tests.conftest import EXAMPLE, overlay_case
from tests.test_copil import pdf_text

DAY = dt.date(2026, 6, 12)
FUTURE = "copils/2026-06-12.yaml"
HELD = "copils/2026-01-16.yaml"
PROPOSITION = ("Engager la préparation d'un avenant ouvrant l'Opération de Revitalisation de "
               "Territoire aux communes de Puy-Saint-Vincent et de Champcella.")


def future_copil(source: Path) -> str:
    """The COPIL after 16 January 2026, as the project lead prepares it: the last one's
    invitees, agenda and snapshot; no attendance, no minutes, decisions proposed only."""
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data.update(numero=5, date=DAY, date_edition=dt.date(2026, 5, 22),
                objet="Avancement du plan d'action et ouverture de l'ORT")
    for key in ("presences", "actions_a_suivre", "points_de_vigilance", "prochaines_etapes"):
        data.pop(key, None)
    for point in data["ordre_du_jour"]:
        point.pop("compte_rendu", None)
    data["decisions"] = [{"point": "ouverture", "proposition": PROPOSITION}]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)


@pytest.fixture
def prepared(tmp_path: Path) -> Path:
    """The example with a fifth COPIL, dated in the future and not held yet."""
    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)
    (case / FUTURE).write_text(future_copil(case / HELD), encoding="utf-8")
    return case


def position(case: Path, rel: str, needle: str) -> tuple[int, int]:
    lines = (case / rel).read_text(encoding="utf-8").splitlines()
    return next((n, line.index(needle) + 1) for n, line in enumerate(lines, start=1)
                if needle in line)


# ------------------------------------------------------------------ the stage rule


def test_the_examples_four_copils_are_held_and_keep_their_minutes() -> None:
    case = load_case(EXAMPLE)
    assert [c.tenu for c in case.copils] == [True] * 4
    jobs = [j.output for j in plan(case, BuildOptions(kinds=("copil",)))]
    assert [j for j in jobs if j.endswith("compte-rendu.docx")] == [
        f"copil-{c.date.isoformat()}/compte-rendu.docx" for c in case.copils]
    packs = [j for j in plan(case, BuildOptions(kinds=("copil",))) if j.document == "pack"]
    assert all(p.sources[-1].endswith("/compte-rendu.pdf") for p in packs)


def test_a_copil_in_preparation_loads_without_attendance_or_decision_text(prepared: Path) -> None:
    case = load_case(prepared)
    cp = case.copils[-1]
    assert (cp.date, cp.tenu, cp.presences, cp.decisions[0].texte) == (DAY, False, [], None)
    assert not [w for w in case.warnings if "copils/" in w.file]


def test_a_copil_in_preparation_plans_no_minutes(prepared: Path) -> None:
    jobs = plan(load_case(prepared), BuildOptions(kinds=("copil",), dates=(DAY,)))
    assert [j.output for j in jobs] == [f"copil-{DAY.isoformat()}/{p}" for p in (
        "convocation.docx", "diaporama.pdf", "diaporama.pptx", "diaporama-a4.pdf",
        "emargement.pdf", "pack.pdf")]
    pack = jobs[-1]
    assert [Path(s).name for s in pack.sources] == [
        "convocation.pdf", "diaporama.pdf", "emargement.pdf"]


def test_check_says_the_stage_of_each_copil(prepared: Path, run) -> None:
    result = run("check", prepared)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    # the example's own warnings (its data, not its COPILs) are counted elsewhere
    assert re.search(r"pays-des-ecrins : dossier valide( \(\d+ avertissements?\))?\.$", lines[0])
    assert lines[1:] == [
        "  COPIL n° 1 du 9 mars 2022 : tenu (présences et décisions consignées) ; son dossier "
        "comprend le compte rendu.",
        "  COPIL n° 2 du 28 mars 2023 : tenu (présences et décisions consignées) ; son dossier "
        "comprend le compte rendu.",
        "  COPIL n° 3 du 8 novembre 2024 : tenu (présences et décisions consignées) ; son dossier "
        "comprend le compte rendu.",
        "  COPIL n° 4 du 16 janvier 2026 : tenu (présences et décisions consignées) ; son dossier "
        "comprend le compte rendu.",
        "  COPIL n° 5 du 12 juin 2026 : en préparation (présences non consignées) ; convocation, "
        "diaporama avec les projets de décision, feuille d'émargement et dossier, sans compte "
        "rendu jusqu'à la séance."]
    assert copil_stages(load_case(prepared)) == [line.strip() for line in lines[1:]]


def test_a_copil_in_preparation_builds_its_pieces_and_pack_without_minutes(
        prepared: Path, tmp_path: Path, run) -> None:
    result = run("build", prepared, "--doc", "copil", "--date", DAY.isoformat(),
                 "--out", tmp_path / "out")
    assert result.code == 0, result.err
    folder = tmp_path / "out/pays-des-ecrins" / f"copil-{DAY.isoformat()}"
    assert sorted(p.name for p in folder.iterdir()) == [
        "convocation.docx", "convocation.pdf", "diaporama-a4.pdf", "diaporama.pdf",
        "diaporama.pptx", "emargement.pdf", "pack.pdf"]
    slides = " ".join(pdf_text(folder / "diaporama.pdf").split())
    assert "Projets de décision soumis au comité" in slides
    assert "Engager la préparation d’un avenant ouvrant" in slides
    pack = pikepdf.open(folder / "pack.pdf")
    with pack.open_outline() as outline:
        assert [i.title for i in outline.root] == [
            "Convocation", "Diaporama", "Feuille d’émargement"]
    flat = " ".join(pdf_text(folder / "pack.pdf").split())
    assert "Compte rendu" not in flat and "Relevé de décisions" not in flat
    emargement = " ".join(pdf_text(folder / "emargement.pdf").split())
    assert "SERVAT" in emargement  # every invitee has a row to sign


# ------------------------------------------------------------------ the decisions at each stage


def errors_of(case: Path) -> list[str]:
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    return [i.format() for i in exc.value.issues if i.is_error]


def test_a_held_copil_records_the_decision_taken(tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "pdd", None, EXAMPLE)
    path = case / HELD
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"    texte: Le comité ouvre .*\n", "", text), encoding="utf-8")
    line, col = position(case, HELD, "point: ouverture")
    errors = errors_of(case)
    assert errors == [
        f"{case}/{HELD}:{line}:{col}: decisions[0]: le COPIL est tenu (ses présences sont "
        "consignées) : consignez la décision prise (« texte: … »), que le compte rendu reprend."]


def test_a_decision_before_the_meeting_is_proposed(prepared: Path) -> None:
    path = prepared / FUTURE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"  proposition: {PROPOSITION}\n", ""), encoding="utf-8")
    line, col = position(prepared, FUTURE, "point: ouverture")
    assert errors_of(prepared) == [
        f"{prepared}/{FUTURE}:{line}:{col}: decisions[0]: décision sans « texte » ni « "
        "proposition » : avant la séance, écrivez le projet de décision soumis au comité (« "
        "proposition: … ») ; après, la décision prise (« texte: … »)."]


def test_a_decision_recorded_without_attendance_is_a_warning(prepared: Path, run) -> None:
    path = prepared / FUTURE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  proposition: ", "  texte: Le comité décide d'engager. "
                                 "\n  proposition: "), encoding="utf-8")
    line, col = position(prepared, FUTURE, "texte: Le comité")
    result = run("check", prepared)
    assert result.code == 0
    assert (f"{prepared}/{FUTURE}:{line}:{col + len('texte: ')}: decisions[0].texte: "
            "avertissement : décision consignée alors qu'aucune présence ne l'est : le COPIL est "
            "encore en préparation et son compte rendu n'est pas produit ; une fois la séance "
            "tenue, consignez les présences (« presences »).") in result.err
    assert "COPIL n° 5 du 12 juin 2026 : en préparation" in result.out


def test_recording_the_meeting_makes_it_held(prepared: Path) -> None:
    """The same file after the meeting: attendance and the decision taken; the minutes come."""
    path = prepared / FUTURE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["presences"] = [{"invite": "sous-prefete", "etat": "present"}]
    data["decisions"][0]["texte"] = "Le comité engage la préparation d'un avenant."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    case = load_case(prepared)
    assert case.copils[-1].tenu
    jobs = plan(case, BuildOptions(kinds=("copil",), dates=(DAY,)))
    assert f"copil-{DAY.isoformat()}/compte-rendu.docx" in [j.output for j in jobs]
    assert jobs[-1].sources[-1] == f"copil-{DAY.isoformat()}/compte-rendu.pdf"


# ------------------------------------------------------------------ the slides, as presented


def test_the_slides_presented_are_kept_once_the_copil_is_held(prepared: Path, tmp_path: Path,
                                                              run) -> None:
    """Built before the meeting, the slides are recorded; once the présences are recorded,
    the COPIL's slides stay those presented, even if its file changes afterwards."""
    out = tmp_path / "out"
    assert run("build", prepared, "--out", out, "--doc", "copil", "--date", DAY.isoformat()
               ).code == 0
    folder = out / f"pays-des-ecrins/copil-{DAY.isoformat()}"
    presented = {name: (folder / name).read_bytes() for name in ("diaporama.pdf",
                                                                 "diaporama.pptx")}
    entry = yaml.safe_load((prepared / "actes/registre.yaml").read_text())["copils"]
    record = entry[f"copil-{DAY.isoformat()}"]["pieces"]
    assert set(record) == {"diaporama", "diaporama-pptx"}
    assert (prepared / "actes" / record["diaporama"]["fichier"]).read_bytes() == presented[
        "diaporama.pdf"]

    data = yaml.safe_load((prepared / FUTURE).read_text(encoding="utf-8"))
    data["presences"] = [{"invite": i["id"], "etat": "present"} for i in data["invites"]]
    data["decisions"][0]["texte"] = "Le comité décide d'engager la préparation de l'avenant."
    data["objet"] = "Objet reformulé après la séance"  # would change the slides' title
    (prepared / FUTURE).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                   encoding="utf-8")
    held = run("build", prepared, "--out", out, "--doc", "copil", "--date", DAY.isoformat())
    assert held.code == 0, held.err
    assert (folder / "compte-rendu.pdf").is_file()  # the minutes, now
    for name, data_before in presented.items():
        assert (folder / name).read_bytes() == data_before, name
    assert "Objet reformulé" not in pdf_text(folder / "diaporama-a4.pdf")  # made from them
    status = run("status", prepared, "--out", out).out
    assert f"copil-{DAY.isoformat()}/diaporama.pdf" in status
    line = next(x for x in status.splitlines() if f"copil-{DAY.isoformat()}/diaporama.pdf" in x)
    assert line.split(maxsplit=1)[1] == "tel que présenté en séance"
