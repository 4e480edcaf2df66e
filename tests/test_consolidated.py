"""The consolidated version is informative, never signable, and hides no deletion (issue 25,
item 5): no « Fait à », no signature block, no signature field; in their place where, when and by
whom the originals were signed; a fiche an avenant deleted is named at its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.load import load_case
from docgen.pipeline import Documents
from docgen.plan import BuildOptions, plan
from docgen.provisions import marked, provisions
from docgen.verify import signature_fields
from tests.conftest import overlay_case
from tests.docx_helpers import body_texts, styled
from tests.test_avenant import SIGNATAIRES  # the minimal case's signatories of an avenant
from tests.text_check import check_docx

NB = "\u00a0"



def fiche(numero: int, intitule: str) -> str:
    return f'''  - operation: ajouter_fiche
    fiche:
      numero: {numero}
      intitule: {intitule}
      axe: habitat
      type: travaux
      maitre_ouvrage: commune-bourg
      secteur: centre
      description: {intitule}.
      calendrier: {{debut: 2024-09-01, fin: 2025-12-31}}
      cout: {{montant: 50000, base: HT}}
      plan_de_financement: [{{financeur: autofinancement, montant: 50000}}]
'''


AVENANT_1 = '''numero: 1
date_edition: 2024-06-01
signature: {lieu: Bourg-d'Essai, date: 2024-06-01}
objet: ajouter deux actions
motifs: [Le comité de pilotage a retenu deux actions nouvelles.]
''' + SIGNATAIRES + "modifications:\n" + fiche(2, "Parvis de la gare") + fiche(3, "Halle aux grains")

AVENANT_2 = '''numero: 2
date_edition: 2024-10-01
signature: {lieu: Bourg-d'Essai, date: 2024-10-01, mode: electronique}
objet: abandonner le parvis de la gare
motifs: [Le projet de parvis est abandonné.]
''' + SIGNATAIRES.replace('"2024-10", date: 2024-05-02', '"2024-30", date: 2024-09-10').replace(
    '"2024-11", date: 2024-05-03', '"2024-31", date: 2024-09-12') + '''modifications:
  - operation: supprimer_fiche
    numero: 2
'''


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Path, bytes]]:
    """The minimal case after two avenants (the second deletes fiche n° 2, between n° 1 and
    n° 3): each consolidated version's DOCX and PDF."""
    tmp = tmp_path_factory.mktemp("consolidee")
    case = overlay_case(tmp / "essai", None)
    (case / "avenants").mkdir()
    (case / "avenants/01-actions.yaml").write_text(AVENANT_1, encoding="utf-8")
    (case / "avenants/02-parvis.yaml").write_text(AVENANT_2, encoding="utf-8")
    loaded = load_case(case)
    options = BuildOptions(out=tmp / "out", pdf=True)
    docs = Documents(loaded, options)
    jobs = plan(loaded, options)
    docs._jobs = jobs
    out = {}
    for job in jobs:
        if job.document == "consolidee":
            path = tmp / f"consolidee-{job.numero}.docx"
            path.write_bytes(docs.get(job))
            out[job.numero] = (path, docs.pdf(job))
    return out


def texts(path: Path) -> list[str]:
    return [t.replace(NB, " ") for t in body_texts(path)]


def test_nothing_in_a_consolidated_version_invites_a_signature(consolidated) -> None:
    for path, pdf in consolidated.values():
        t = texts(path)
        assert not any(x.startswith("Fait à") for x in t)
        assert check_docx(path) == []
        assert not any("exemplaires originaux" in x for x in t)
        for style in ("Signature partie", "Signature qualite", "Signature nom"):
            assert styled(path, style) == [], style
        assert signature_fields(pdf) == []


def test_it_says_where_when_and_by_whom_the_originals_were_signed(consolidated) -> None:
    t = texts(consolidated[2][0])
    i = t.index("La présente version consolidée est établie à titre informatif ; elle n’est pas "
                "signée. Seuls font foi les actes originaux qu’elle intègre, signés comme suit :")
    assert t[i - 1] == "Signature des actes originaux"
    assert t[i + 1:i + 13] == [
        "La convention a été signée à Bourg-d’Essai le 15 janvier 2024 :",
        "– pour la Commune, par M. Jean MAIRE, maire de Bourg-d’Essai ;",
        "– pour la Communauté de communes, par Mme Anne PRÉSIDENTE, présidente ;",
        "– pour l’État, par M. Paul PRÉFET, préfet des Hautes-Alpes.",
        "L’avenant n° 1 a été signé à Bourg-d’Essai le 1er juin 2024 :",
        "– pour la Commune, par M. Jean MAIRE, maire de Bourg-d’Essai ;",
        "– pour la Communauté de communes, par Mme Anne PRÉSIDENTE, présidente ;",
        "– pour l’État, par M. Paul PRÉFET, préfet des Hautes-Alpes.",
        "L’avenant n° 2 a été signé électroniquement le 1er octobre 2024 :",
        "– pour la Commune, par M. Jean MAIRE, maire de Bourg-d’Essai ;",
        "– pour la Communauté de communes, par Mme Anne PRÉSIDENTE, présidente ;",
        "– pour l’État, par M. Paul PRÉFET, préfet des Hautes-Alpes.",
    ]
    # the first consolidated version names the convention and avenant n° 1 only
    assert not any("avenant n° 2" in x for x in texts(consolidated[1][0]))


def test_a_deleted_fiche_is_named_at_its_place(consolidated) -> None:
    path = consolidated[2][0]
    fiches = [x.replace(NB, " ") for x in styled(path, "Titre fiche")]
    assert fiches == [
        "Fiche action n° 1 – Rénovation de la halle",
        "Fiche action n° 2 – Parvis de la gare : supprimée par l’avenant n° 2 du 1er octobre 2024",
        "Fiche action n° 3 – Halle aux grains",
    ]
    # before the deletion, the fiche is there in full
    assert "Fiche action n° 2 – Parvis de la gare" in [
        x.replace(NB, " ") for x in styled(consolidated[1][0], "Titre fiche")]
    # the notice is no provision of the convention: the fiche is deleted, not amended
    docx = path.read_bytes()
    assert "fiche:2" not in {p.id for p in provisions(docx)}
    assert not any("supprimée" in m for m in marked(docx).values())
