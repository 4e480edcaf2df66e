"""COPIL packs: figures computed from the case, the same in slides and minutes, one row per
invitee on the attendance sheet, and the published seed figures."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest

from docgen import derive
from docgen.load import load_case
from docgen.resolve import resolve
from tests.conftest import EXAMPLE, overlay_case

NB = "\u00a0"
PIECES = ("convocation.docx", "convocation.pdf", "diaporama.pdf", "diaporama.pptx",
          "diaporama-a4.pdf", "emargement.pdf",
          "compte-rendu.docx", "compte-rendu.pdf", "pack.pdf")


def pdf_text(path: Path) -> str:
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True).stdout.decode("utf-8")
    return re.sub(r"[ \u00a0\u202f]+", " ", raw)


def figures(day: str) -> derive.Indicateurs:
    case = load_case(EXAMPLE)
    cp = next(c for c in case.copils if c.date.isoformat() == day)
    state, draft = resolve(case.convention, case.avenants).en_vigueur(cp.date)
    state = derive.plan_au(state, draft, cp.instantane)
    return derive.indicateurs(case.territoire, state, cp.instantane)


def test_the_published_figures_of_8_november_2024() -> None:
    ind = figures("2024-11-08")
    assert ind.etudes_nombre == 8
    assert ind.etudes_cout == Decimal(162000)
    assert ind.etudes_finance == Decimal(86000)
    assert round(ind.etudes_taux) == 53


def test_the_published_figures_of_16_january_2026() -> None:
    ind = figures("2026-01-16")
    assert ind.investissements == Decimal(2918550)
    assert ind.etudes_taux == Decimal(70)


def test_each_figure_is_a_snapshot_of_its_own_date() -> None:
    # the avenant approved on 8 November 2024 is signed on the 28th: not yet in force that day
    assert figures("2024-11-08").investissements == Decimal(2768550)
    # before the convention was signed, the plan holds only the fiches of that day's snapshot:
    # none at the diagnostic COPIL, the 14 projected ones when the draft convention was shown
    assert figures("2022-03-09").nombre_actions == 0
    early = figures("2023-03-28")
    assert early.obtenu == 0 and early.investissements == Decimal(2768550)


def test_indicators_on_a_small_hand_checked_case() -> None:
    case = load_case(EXAMPLE)
    terr = case.territoire
    conv = case.convention
    small = conv.model_copy(update={"fiches_actions": [
        f for f in conv.fiches_actions if f.numero in (1, 3, 4)]})
    from docgen.model.copil import LigneInstantane, Obtenu

    rows = [
        LigneInstantane(fiche=1, statut="realisee", cout=Decimal(20000),
                        obtenu=[Obtenu(financeur="banque-des-territoires", montant=Decimal(8000)),
                                Obtenu(financeur="autofinancement", montant=Decimal(12000))]),
        LigneInstantane(fiche=3, statut="abandonnee"),
        LigneInstantane(fiche=4, statut="en_cours",
                        obtenu=[Obtenu(financeur="detr", montant=Decimal(300000))]),
    ]
    ind = derive.indicateurs(terr, small, rows)
    assert ind.nombre_actions == 3
    assert dict(ind.par_statut) == {"en_projet": 0, "engagee": 0, "en_cours": 1, "realisee": 1,
                                    "reportee": 0, "abandonnee": 1}
    assert ind.investissements == Decimal(24000 + 1200000)  # the abandoned action is out
    assert ind.obtenu == Decimal(308000)  # autofinancement is not a subsidy
    assert ind.etudes_nombre == 1 and ind.etudes_cout == Decimal(20000)  # the cost as observed
    assert ind.etudes_finance == Decimal(8000) and ind.etudes_taux == Decimal(40)
    assert dict((k, n) for k, n, _ in ind.par_maitre_ouvrage) == {"commune-argentiere": 3}


def test_change_since_previous_copil() -> None:
    from docgen.context import copil_context

    case = load_case(EXAMPLE)
    resolved = resolve(case.convention, case.avenants)
    ctx = copil_context(case, resolved, 4)
    evo = ctx["evolution"]
    assert evo["numero"] == 3
    assert evo["investissements"] == Decimal(150000)
    assert evo["etudes_finance"] == Decimal(27400)
    assert copil_context(case, resolved, 1)["evolution"] is None


def test_four_packs_with_every_piece(built: Path) -> None:
    for day in ("2022-03-09", "2023-03-28", "2024-11-08", "2026-01-16"):
        for piece in PIECES:
            assert (built / f"copil-{day}" / piece).is_file(), (day, piece)


def test_slides_and_minutes_quote_the_same_figures(built: Path) -> None:
    slides = pdf_text(built / "copil-2024-11-08/diaporama.pdf")
    minutes = pdf_text(built / "copil-2024-11-08/compte-rendu.pdf")
    for figure in ("162 000 €", "86 000 €", "53 %"):
        assert figure in slides, figure
        assert figure in minutes, figure
    slides = pdf_text(built / "copil-2026-01-16/diaporama.pdf")
    minutes = pdf_text(built / "copil-2026-01-16/compte-rendu.pdf")
    for figure in ("2 918 550 €", "113 400 €", "70 %", "+150 000 €"):
        assert figure in slides, figure
        assert figure in minutes, figure


def test_slides_are_16_9_with_vector_charts_in_french(built: Path) -> None:
    pdf = pikepdf.open(built / "copil-2026-01-16/diaporama.pdf")
    box = [float(v) for v in pdf.pages[0].MediaBox]
    assert abs((box[2] - box[0]) / (box[3] - box[1]) - 16 / 9) < 0.01
    text = pdf_text(built / "copil-2026-01-16/diaporama.pdf")
    assert "Réalisée" in text and "En cours" in text  # chart legend, as text: a vector chart
    assert "Transition écologique" in text
    assert "2 918 550 €" in text  # chart values with French number formatting
    assert "Rappel du programme" in text and "Points de vigilance" in text
    assert "Calendrier des actions" in text and "COPIL du 16 janvier 2026" in text
    assert "Financements par financeur" in text and "Sollicité" in text
    assert "Avenant n° 1 signé le 28 novembre 2024" in text


def test_slides_submit_draft_decisions_the_minutes_record_them(built: Path) -> None:
    slides = pdf_text(built / "copil-2024-11-08/diaporama.pdf")
    flat = " ".join(slides.split())
    assert "Projets de décision soumis au comité" in flat
    assert "Approuver le projet d’avenant n° 1" in flat and "Le comité approuve" not in flat
    assert "Projet d’avenant n° 1" in flat
    minutes = " ".join(pdf_text(built / "copil-2024-11-08/compte-rendu.pdf").split())
    assert "Le comité approuve le projet d’avenant n° 1" in minutes


def test_slides_before_signature_show_the_draft_plan_of_their_day(built: Path) -> None:
    first = " ".join(pdf_text(built / "copil-2022-03-09/diaporama.pdf").split())
    assert "Plan d’action à construire" in first and "Avancement du plan" not in first
    assert "Développement d’une offre" not in first  # no fiche existed yet
    second = " ".join(pdf_text(built / "copil-2023-03-28/diaporama.pdf").split())
    assert "14 actions projetées" in second and "Habitat – Logement (en projet)" in second


def test_every_word_of_the_slides_is_inside_the_safe_area(built: Path) -> None:
    """12 mm from the sides, 4 mm from the bottom (footer included), nothing off the page."""
    mm = 72 / 25.4
    for day in ("2022-03-09", "2026-01-16"):
        html = subprocess.run(["pdftotext", "-bbox", str(built / f"copil-{day}/diaporama.pdf"),
                               "-"], capture_output=True, check=True).stdout.decode("utf-8")
        page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
        assert page
        width, height = float(page.group(1)), float(page.group(2))
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                           r'yMax="([\d.]+)">([^<]*)</word>', html)
        assert words
        for x1, _, x2, y2, word in words:
            assert float(x1) >= 12 * mm - 0.5 and float(x2) <= width - 12 * mm + 0.5, (day, word)
            assert float(y2) <= height - 4 * mm, (day, word)
        assert any(w[4] == "/" for w in words)  # the page numbers are printed, and inside


def test_attendance_sheet_has_one_row_per_invitee_across_pages(built: Path) -> None:
    case = load_case(EXAMPLE)
    cp = next(c for c in case.copils if c.numero == 4)
    sheet = built / "copil-2026-01-16/emargement.pdf"
    assert len(pikepdf.open(sheet).pages) >= 2  # the header repeats on a second page
    text = pdf_text(sheet)
    assert text.count("Nom et prénom") == len(pikepdf.open(sheet).pages)  # header on every page
    flat = " ".join(text.split())  # names wrap inside their cell
    for inv in cp.invites:  # as typed in the case, printed with the typographic apostrophe
        assert inv.nom.replace("'", "’") in flat, inv.nom
    assert flat.count("Le Maire") == 5
    for name in ["SERVAT", "DRUJON D’ASTROS", "ALLAIS", "SANCHEZ", "CHAUD", "PONS"]:
        assert flat.count(name) == 1, name


def test_minutes_list_present_and_excused_by_structure(built: Path) -> None:
    text = pdf_text(built / "copil-2026-01-16/compte-rendu.pdf")
    assert "État – Sous-préfecture de Briançon : Mme Audrey SERVAT, Sous-préfète" in text
    assert "Commune de Freissinières : Le Maire" in text
    assert "Relevé de décisions" in text and "Actions à suivre" in text


def test_convocation_letter(built: Path) -> None:
    text = pdf_text(built / "copil-2026-01-16/convocation.pdf")
    assert "Objet : 4e comité de pilotage Petites Villes de Demain – convocation" in text
    assert "vendredi 16 janvier 2026 à 14 h 00" in text
    assert "Cadre réservé à l’accusé de réception" not in text  # a letter, not an act


def test_pack_has_a_bookmark_per_piece(built: Path) -> None:
    pdf = pikepdf.open(built / "copil-2026-01-16/pack.pdf")
    with pdf.open_outline() as outline:
        titles = [i.title for i in outline.root]
    assert titles == ["Convocation", "Diaporama", "Feuille d’émargement", "Compte rendu"]
    levels = {(m.get("pdfaid:part"), m.get("pdfaid:conformance")) for m in (
        pikepdf.open(built / "copil-2026-01-16" / f).open_metadata()
        for f in ("convocation.pdf", "diaporama.pdf", "emargement.pdf", "compte-rendu.pdf"))}
    from docgen.finish.pack import _common_level

    claim = pdf.open_metadata().get("pdfaid:part")
    expected = _common_level(sorted(levels))  # type: ignore[arg-type]
    assert claim == (expected[0] if expected else None)  # never a level a piece does not meet


def test_build_one_copil_by_date(tmp_path: Path, run) -> None:
    result = run("build", EXAMPLE, "--doc", "copil", "--date", "2024-11-08", "--out", tmp_path)
    assert result.code == 0, result.err
    assert [p.name for p in (tmp_path / "pays-des-ecrins").glob("copil-*")] == ["copil-2024-11-08"]
    wrong = run("build", EXAMPLE, "--doc", "copil", "--date", "2024-11-09", "--out", tmp_path)
    assert wrong.code == 1 and "aucun COPIL le 2024-11-09" in wrong.err


COPIL_BASE = '''numero: 1
date: 2024-06-10
lieu: Mairie
objet: Premier comité
date_edition: 2024-05-20
convoquent: [commune-bourg]
preside: cc-essai
redacteur: La cheffe de projet
invites:
  - {id: maire, nom: MAIRE, prenom: Jean, structure: Commune}
  - {id: presidente, nom: PRÉSIDENTE, prenom: Anne, structure: Communauté de communes}
presences:
  - {invite: maire, etat: present}
ordre_du_jour:
  - {id: accueil, titre: Accueil}
instantane:
  - {fiche: 1, statut: en_cours, obtenu: [{financeur: detr, montant: 40000}]}
'''


@pytest.mark.parametrize(("change", "message"), [
    (("  - {invite: maire, etat: present}", "  - {invite: inconnu, etat: present}"),
     "« inconnu » n'est pas invité"),
    (("  - {fiche: 1,", "  - {fiche: 9,"), "la fiche action n° 9 n'existe pas le 10 juin 2024"),
    (("date: 2024-06-10", "date: 2031-06-10"), "après la fin de la convention (15 janvier 2029)"),
    (("montant: 40000}", "montant: 140000}"), "supérieurs au coût de l'action"),
    (("ordre_du_jour:", "decisions: [{point: budget, texte: Oui.}]\nordre_du_jour:"),
     "point « budget » absent de l'ordre du jour"),
])
def test_copil_errors_have_their_positions(change, message, tmp_path: Path, run, monkeypatch) -> None:
    case = overlay_case(tmp_path / "essai", None)
    (case / "copils").mkdir()
    name = "2031-06-10.yaml" if "2031" in change[1] else "2024-06-10.yaml"
    (case / "copils" / name).write_text(COPIL_BASE.replace(*change))
    monkeypatch.chdir(tmp_path)
    result = run("check", "essai")
    assert result.code == 1
    assert message in result.err
    assert re.search(r"essai/copils/\d{4}-\d{2}-\d{2}\.yaml:\d+:\d+: ", result.err)


def test_attendance_sheet_has_blank_rows_for_the_unexpected() -> None:
    assert derive.lignes_vierges(8) == 5 and derive.lignes_vierges(15) == 5
    assert derive.lignes_vierges(26) == 6 and derive.lignes_vierges(50) == 10


def test_attendance_sheet_blank_rows_and_wide_signature(built: Path) -> None:
    html = subprocess.run(["pdftotext", "-bbox", str(built / "copil-2026-01-16/emargement.pdf"),
                           "-"], capture_output=True, check=True).stdout.decode("utf-8")
    heads = re.findall(r'xMin="([\d.]+)"[^>]*>(Signature|Fonction)</word>', html)
    x = {name: float(v) for v, name in heads}
    assert 595.3 - 42 - x["Signature"] >= 150  # at least 5 cm to sign in
    sheet = pikepdf.open(built / "copil-2026-01-16/emargement.pdf")
    from docgen.context import copil_context

    case = load_case(EXAMPLE)
    ctx = copil_context(case, resolve(case.convention, case.avenants), 4)
    assert ctx["lignes_vierges"] == 5 and len(sheet.pages) == 2


def test_convocation_fits_on_one_page_with_its_signature(built: Path) -> None:
    for day in ("2022-03-09", "2023-03-28", "2024-11-08", "2026-01-16"):
        pdf = built / f"copil-{day}/convocation.pdf"
        assert len(pikepdf.open(pdf).pages) == 1, day
        assert "DRUJON D’ASTROS" in pdf_text(pdf).split("salutations distinguées")[1]


def test_minutes_read_as_a_secretary_writes_them(built: Path) -> None:
    text = " ".join(pdf_text(built / "copil-2026-01-16/compte-rendu.pdf").split())
    assert "docgen" not in text and "Point présenté en séance" not in text
    assert "Décision prise par consensus." in text
    assert "Absents" in text and "Commune des Vigneaux : Le Maire" in text
    early = " ".join(pdf_text(built / "copil-2022-03-09/compte-rendu.pdf").split())
    assert "Point présenté par Érika ALLAIS, cheffe de projet" in early


def test_minutes_end_with_the_signatures_of_the_chair_and_the_secretary(built: Path) -> None:
    text = " ".join(pdf_text(built / "copil-2026-01-16/compte-rendu.pdf").split())
    tail = text.split("Prochaines étapes")[-1]
    # co-presided, as the convention's governance article says: each co-president signs
    assert ("Le Maire de L’Argentière-La Bessée, coprésident, Alain SANCHEZ Le Président de la "
            "Communauté de communes du Pays des Écrins, coprésident, Cyrille DRUJON D’ASTROS") \
        in tail
    assert "Pour la rédaction, Érika ALLAIS" in tail
    # co-presided too under the adhésion (« coprésidé par le maire et le président … »)
    early = " ".join(pdf_text(built / "copil-2022-03-09/compte-rendu.pdf").split())
    assert ("Le Maire de L’Argentière-La Bessée, coprésident, Patrick VIGNE"
            in early.split("Prochaines étapes")[-1])


# ------------------------------------------------------------------ issue 25, item 8: the words
# of the convocation and of the minutes, as a secretary of a comité de pilotage writes them

def _docx(path: Path) -> list[str]:
    from tests.docx_helpers import body_texts

    return [" ".join(t.split()) for t in body_texts(path) if t.strip()]


@pytest.fixture(scope="module")
def example_pieces(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's COPIL pieces as DOCX (no PDF), from a copy without its register."""
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    root = tmp_path_factory.mktemp("copil-words")
    case = overlay_case(root / "pays-des-ecrins", None, EXAMPLE)
    (case / "copils/2024-11-08.yaml").write_text(
        (case / "copils/2024-11-08.yaml").read_text(encoding="utf-8")
        + "pieces_jointes: [Projet d'avenant n° 1, Note de la DDT sur le quartier de la gare]\n",
        encoding="utf-8")
    first = case / "copils/2022-03-09.yaml"  # a COPIL presided by one: no co-presidency
    first.write_text("\n".join(line for line in first.read_text(encoding="utf-8").splitlines()
                               if not line.startswith("copresidence:")) + "\n", encoding="utf-8")
    build(case, BuildOptions(out=root / "out", kinds=("copil",), pdf=False))
    return root / "out" / "pays-des-ecrins"


def test_the_convocation_encloses_the_draft_avenant_submitted_to_the_committee(
        example_pieces: Path) -> None:
    text = _docx(example_pieces / "copil-2024-11-08/convocation.docx")
    assert ("Le projet d’avenant n° 1 à la convention-cadre Petites Villes de Demain valant "
            "Opération de Revitalisation de Territoire, soumis à l’approbation du comité, est "
            "joint à la présente convocation.") in text
    assert text[-1] == "Pièce jointe : projet d’avenant n° 1"  # under the signatures
    later = _docx(example_pieces / "copil-2026-01-16/convocation.docx")
    assert not any("Pièce jointe" in t or "est joint" in t for t in later)


def test_the_minutes_list_the_draft_avenant_once_among_the_enclosures(
        example_pieces: Path) -> None:
    text = _docx(example_pieces / "copil-2024-11-08/compte-rendu.docx")
    pieces = text[text.index("Pièces jointes") + 1]
    assert pieces == ("Diaporama présenté en séance ; feuille d’émargement ; projet d’avenant "
                      "n° 1 ; Note de la DDT sur le quartier de la gare")


def test_counts_agree_with_their_noun(example_pieces: Path) -> None:
    text = _docx(example_pieces / "copil-2024-11-08/compte-rendu.docx")
    for row in ("– dont 1 en projet", "– dont 3 engagées", "– dont 2 en cours",
                "– dont 8 réalisées", "1 engagée, 4 réalisées", "1 engagée, 1 en cours, 1 réalisée",
                "Les 7 personnes invitées au comité de pilotage"):
        assert row in text, row
    assert not any(re.search(r"dont (en projet|engagée|en cours|réalisée)", t) for t in text)
    assert not any(re.search(r"\b([2-9]|\d\d+) (engagée|réalisée|abandonnée|reportée)\b", t)
                   for t in text)


def test_the_status_count_is_singular_for_0_and_1_plural_from_2() -> None:
    from docgen.templating import environment

    env = environment()
    tpl = env.from_string('{% import "commun/libelles.j2" as L %}'
                          '{{ L.nombre_statut(s, n) }}|{{ L.accord(n, "personne", "personnes") }}')
    assert tpl.render(s="realisee", n=0) == "0 réalisée|0 personne"
    assert tpl.render(s="realisee", n=1) == "1 réalisée|1 personne"
    assert tpl.render(s="realisee", n=2) == "2 réalisées|2 personnes"
    assert tpl.render(s="en_projet", n=3) == "3 en projet|3 personnes"
    assert tpl.render(s="abandonnee", n=4).startswith("4 abandonnées")


def test_the_approval_of_the_previous_minutes_is_recorded_under_its_item(
        example_pieces: Path) -> None:
    text = _docx(example_pieces / "copil-2026-01-16/compte-rendu.docx")
    item = text.index("1. Accueil et validation du compte rendu du précédent comité")
    approval = ("Le compte rendu du comité de pilotage du 8 novembre 2024 est approuvé sans "
                "observation.")
    assert text[item + 2] == approval  # after the record of the item, before item 2
    assert text[item + 3].startswith("2. ")
    assert ("– Accueil et validation du compte rendu du précédent comité : " + approval) in text


def test_key_figures_of_zeros_before_the_plan_are_not_printed(example_pieces: Path) -> None:
    text = _docx(example_pieces / "copil-2022-03-09/compte-rendu.docx")
    figures_at = text.index("Chiffres clés au 9 mars 2022")
    assert text[figures_at + 1].startswith("Le plan d’action n’est pas encore adopté : ")
    assert text[figures_at + 2] == "1. Accueil des participants"
    assert "Investissements programmés" not in text and "0 €" not in text


def test_no_change_is_measured_against_a_copil_that_had_no_plan(example_pieces: Path) -> None:
    from docgen.context import copil_context

    text = _docx(example_pieces / "copil-2023-03-28/compte-rendu.docx")
    assert not any(t.startswith("Évolution") or "+2 768 550" in t for t in text)
    assert "– dont 14 en projet" in text and "2 768 550 €" in text
    case = load_case(EXAMPLE)
    resolved = resolve(case.convention, case.avenants)
    assert copil_context(case, resolved, 2)["evolution"] is None  # the slides print none either
    later = _docx(example_pieces / "copil-2024-11-08/compte-rendu.docx")
    assert "Évolution depuis le COPIL n° 2" in later and "+776 165 €" in later


def test_a_copresided_committee_is_convened_and_chaired_by_its_copresidents(
        example_pieces: Path) -> None:
    conv = _docx(example_pieces / "copil-2026-01-16/convocation.docx")
    assert any(t.endswith("Il sera coprésidé par M. Alain SANCHEZ, Maire de L’Argentière-La "
                          "Bessée, et M. Cyrille DRUJON D’ASTROS, Président de la Communauté de "
                          "communes du Pays des Écrins.") for t in conv)
    minutes = _docx(example_pieces / "copil-2026-01-16/compte-rendu.docx")
    at = minutes.index("Coprésidence")
    assert minutes[at + 1] == ("M. Alain SANCHEZ, Maire de L’Argentière-La Bessée, et M. Cyrille "
                               "DRUJON D’ASTROS, Président de la Communauté de communes du Pays "
                               "des Écrins")
    assert minutes[-6:] == [
        "Le Maire de L’Argentière-La Bessée, coprésident,", "Alain SANCHEZ",
        "Le Président de la Communauté de communes du Pays des Écrins, coprésident,",
        "Cyrille DRUJON D’ASTROS",
        "Pour la rédaction,", "Érika ALLAIS, cheffe de projet Petites Villes de Demain"]
    alone = _docx(example_pieces / "copil-2022-03-09/convocation.docx")  # no co-presidency
    assert any(t.endswith("Il sera présidé par M. Cyrille DRUJON D’ASTROS, Président de la "
                          "Communauté de communes du Pays des Écrins.") for t in alone)
    early = _docx(example_pieces / "copil-2022-03-09/compte-rendu.docx")
    assert "Présidence" in early and early[-4:-2] == ["Le président de séance,",
                                                       "Cyrille DRUJON D’ASTROS"]


COPIL_SMALL = '''numero: 2
date: 2024-06-10
lieu: Mairie
objet: Deuxième comité
date_edition: 2024-05-20
convoquent: [commune-bourg]
preside: commune-bourg
redacteur: La cheffe de projet
invites:
  - {id: maire, nom: MAIRE, prenom: Jean, structure: Commune}
presences:
  - {invite: maire, etat: present}
ordre_du_jour:
  - {id: accueil, titre: Approbation du compte rendu du précédent comité, approbation_compte_rendu: reporte}
  - {id: budget, titre: Point financier}
instantane:
  - {fiche: 1, statut: en_cours, obtenu: [{financeur: detr, montant: 40000}]}
'''


def test_an_item_with_nothing_recorded_says_so_and_a_postponed_approval_is_recorded(
        tmp_path: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    case = overlay_case(tmp_path / "essai", None)
    (case / "copils").mkdir()
    (case / "copils" / "2024-06-10.yaml").write_text(COPIL_SMALL, encoding="utf-8")
    build(case, BuildOptions(out=tmp_path / "out", kinds=("copil",), pdf=False))
    text = _docx(tmp_path / "out/essai/copil-2024-06-10/compte-rendu.docx")
    first = text.index("1. Approbation du compte rendu du précédent comité")
    # no earlier COPIL in the case: the one before is named without a date
    assert text[first + 1] == ("L’approbation du compte rendu du précédent comité de pilotage "
                               "est reportée au prochain comité de pilotage.")
    second = text.index("2. Point financier")
    assert text[second + 1] == "Aucune observation n’a été consignée sur ce point."
    assert "La personne invitée au comité de pilotage" in text  # one invitee: singular
    assert "Aucune décision n’a été prise." not in text  # the postponement is on the list


def test_the_signatures_of_the_minutes_stay_with_the_text_before_them(tmp_path: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    case = overlay_case(tmp_path / "pays-des-ecrins", None, EXAMPLE)
    build(case, BuildOptions(out=tmp_path / "out", kinds=("copil",),
                             dates=(dt.date(2024, 11, 8),)))
    pdf = tmp_path / "out/pays-des-ecrins/copil-2024-11-08/compte-rendu.pdf"
    pages = [" ".join(pdf_text_page(pdf, n).split())
             for n in range(1, len(pikepdf.open(pdf).pages) + 1)]
    last = next(p for p in pages if "Pour la rédaction" in p)
    assert "Alain SANCHEZ" in last and "Cyrille DRUJON D’ASTROS" in last  # one page for all
    assert "Prochaines étapes – Signature de l’avenant n° 1 (échéance : 30 novembre 2024)." \
        in last  # and the text they close


def pdf_text_page(path: Path, page: int) -> str:
    raw = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page),
                          str(path), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    return re.sub(r"[ \u00a0\u202f]+", " ", raw)
