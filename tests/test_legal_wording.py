"""What the acts say, as a public-law lawyer reads them (issue 25, items 1, 4 and 6): the content
art. L. 303-2 CCH requires (delegation to operators, diagnostic, project), who is bound and by
what, the body that deliberated, « cheffe de projet », amounts in words, « stipulations »."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docgen.load import load_case
from docgen.pipeline import build
from docgen.plan import BuildOptions
from docgen.templating import environment
from tests.conftest import overlay_case
from tests.docx_helpers import body_texts

NB = "\u00a0"

ADHESION = """communes: [bourg]
date_edition: 2023-01-10
signature: {lieu: Bourg-d'Essai, date: 2023-01-10}
signataires:
  - partie: etat
  - partie: commune-bourg
    deliberation: {numero: "2022-40", date: 2022-12-15}
  - partie: cc-essai
    deliberation: {numero: "2022-41", date: 2022-12-16}
en_presence_de: [banque]
chef_de_projet:
  recrutement: La Communauté de communes recrute une cheffe de projet.
  cofinanceurs: [detr]
  employeur: cc-essai
  intitule: cheffe
textes:
  preambule: [Préambule d'essai.]
  engagements_partenaires:
    - La Banque des Territoires fait part de son intention d'étudier les demandes de cofinancement.
"""
BANQUE = """  - id: banque
    type: partenaire
    nom: la Banque des Territoires
    feminin: true
    designation: la Banque des Territoires
financeurs:"""
AVENANT = """numero: 1
date_edition: 2024-06-01
signature: {lieu: Bourg-d'Essai, date: 2024-06-01}
objet: ajouter une action
motifs: [Le comité de pilotage a retenu une nouvelle action.]
signataires:
  - partie: etat
  - partie: cc-essai
    deliberation: {numero: "2024-10", date: 2024-05-02}
  - partie: commune-bourg
    deliberation: {numero: "2024-11", date: 2024-05-03}
modifications:
  - operation: ajouter_fiche
    fiche:
      numero: 2
      intitule: Réseau de chaleur
      axe: habitat
      type: travaux
      maitre_ouvrage: commune-bourg
      secteur: centre
      description: Un réseau de chaleur au bois.
      calendrier: {debut: 2024-09-01, fin: 2026-12-31}
      cout: {montant: 1300000, base: HT}
      plan_de_financement: [{financeur: autofinancement, montant: 1300000}]
"""


def edit(case: Path, rel: str, old: str, new: str) -> None:
    path = case / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def texts(path: Path) -> list[str]:
    return [t.replace(NB, " ") for t in body_texts(path) if t.strip()]


def article(paras: list[str], title: str) -> list[str]:
    """The paragraphs of the article whose heading ends with title, heading included."""
    start = next(i for i, t in enumerate(paras) if t.startswith("Article") and t.endswith(title))
    end = next((i for i in range(start + 1, len(paras)) if paras[i].startswith("Article ")),
               len(paras))
    return paras[start:end]


def built(case: Path, tmp_path: Path, *kinds: str) -> Path:
    out = tmp_path / "o"
    build(case, BuildOptions(kinds=kinds, out=out, pdf=False))
    return out / case.name


@pytest.fixture
def essai(tmp_path: Path) -> Path:
    """The minimal case with a convention d'adhésion, a partner only « en présence de », and a
    cheffe de projet employed by the Communauté de communes."""
    case = overlay_case(tmp_path / "essai", None)
    edit(case, "territoire.yaml", "financeurs:", BANQUE)
    (case / "adhesion.yaml").write_text(ADHESION, encoding="utf-8")
    edit(case, "convention.yaml", "textes:\n", "en_presence_de: [banque]\n"
         "chef_de_projet: {employeur: cc-essai, intitule: cheffe}\ntextes:\n")
    return case


def test_the_comparution_names_the_body_that_deliberated(essai: Path, tmp_path: Path) -> None:
    edit(essai, "adhesion.yaml", '"2022-41", date: 2022-12-16}',
         '"2022-41", date: 2022-12-16, organe: bureau communautaire}')
    out = built(essai, tmp_path, "convention", "adhesion")
    conv = "\n".join(texts(out / "convention.docx"))
    assert ("autorisé à l’effet des présentes suivant délibération du conseil municipal "
            "n° 2023-02 en date du 5 décembre 2023") in conv  # by default, the commune's council
    assert "suivant délibération du conseil communautaire n° 2023-01" in conv
    adh = "\n".join(texts(out / "adhesion.docx"))
    assert "suivant délibération du bureau communautaire n° 2022-41" in adh  # the case says


def test_the_body_of_a_departement_and_the_avenant_visas(essai: Path, tmp_path: Path) -> None:
    env = environment()
    t = env.from_string('{% import "commun/libelles.j2" as L %}'
                        "délibération {{ L.organe_deliberant(type, d) }}n° 1")
    assert t.render(type="departement", d={"organe": "commission permanente"}) == (
        "délibération de la commission permanente du conseil départemental n° 1")
    assert t.render(type="region", d={"organe": None}) == "délibération du conseil régional n° 1"
    assert t.render(type="partenaire", d={"organe": None}) == "délibération n° 1"
    (essai / "avenants").mkdir()
    (essai / "avenants/01-action.yaml").write_text(AVENANT, encoding="utf-8")
    out = built(essai, tmp_path, "avenant")
    av = "\n".join(texts(out / "avenant-01.docx"))
    assert ("Vu la délibération du conseil municipal de la Commune de Bourg-d’Essai n° 2024-11 "
            "en date du 3 mai 2024 ;") in av


def test_cheffe_de_projet_in_every_act_and_only_her_employer_names_her(
        essai: Path, tmp_path: Path) -> None:
    out = built(essai, tmp_path, "convention", "adhesion")
    adh = texts(out / "adhesion.docx")
    assert "Article 5 – La cheffe de projet Petites Villes de Demain" in adh
    assert any(t.startswith("La cheffe de projet pilote l’élaboration") for t in adh)
    assert any("mobiliser les financements du poste de cheffe de projet" in t for t in adh)
    assert any(t.endswith("le reste étant à la charge de la Communauté de communes.") for t in adh)
    conv = texts(out / "convention.docx")
    for paras in (adh, conv):
        assert not [t for t in paras if re.search(r"\bchef de projet", t)]
    engagements = article(conv, "Engagements des parties et maquette financière")
    epci = engagements[engagements.index("Engagements de la Communauté de communes"):]
    commune = engagements[engagements.index("Engagements de la Commune"):
                          engagements.index("Engagements de la Communauté de communes")]
    assert ("– employer la cheffe de projet Petites Villes de Demain et lui donner les moyens de "
            "coordonner la mise en œuvre du programme.") in epci  # its last commitment
    assert not [t for t in commune if "projet Petites Villes" in t]  # not its employee


def test_a_partner_only_present_is_bound_by_no_clause(essai: Path, tmp_path: Path) -> None:
    out = built(essai, tmp_path, "convention", "adhesion")
    adh = texts(out / "adhesion.docx")
    art = article(adh, "Intentions des partenaires associés")
    assert art[1] == ("Présents à la signature sans être parties à la présente convention, les "
                      "partenaires associés ne sont liés par aucune de ses stipulations.")
    assert "intentions des partenaires associés (article 4)" in adh[adh.index(
        "Article 1er – Objet de la convention") + 1]
    conv = texts(out / "convention.docx")
    assert "Article 9 – Engagements des parties et maquette financière" in conv
    for paras in (adh, conv):
        bound = [t for t in paras if "Banque des Territoires" in t and re.search(r"s’engag", t)]
        assert bound == []
        assert "Engagements de la Banque des Territoires" not in paras


def test_a_partner_who_signs_still_has_commitments(essai: Path, tmp_path: Path) -> None:
    edit(essai, "adhesion.yaml", "en_presence_de: [banque]\n", "")
    edit(essai, "adhesion.yaml", "  - partie: cc-essai\n",
         "  - partie: banque\n  - partie: cc-essai\n")
    edit(essai, "territoire.yaml", "    designation: la Banque des Territoires\n",
         "    designation: la Banque des Territoires\n    representants:\n"
         "      - {civilite: Mme, nom: Lise BANQUE, fonction: Directrice régionale, du: 2020-01-01}\n")
    adh = texts(built(essai, tmp_path, "adhesion") / "adhesion.docx")
    assert "Article 4 – Engagements des partenaires" in adh
    assert not [t for t in adh if "intentions des partenaires associés" in t.lower()]
    assert not [t for t in adh if "sans être parties" in t]


def test_delegation_to_operators_default_then_the_case_text(essai: Path, tmp_path: Path) -> None:
    conv = texts(built(essai, tmp_path, "convention") / "convention.docx")
    art = article(conv, "Délégation des actions à des opérateurs")
    text = "\n".join(art)
    assert "II de l’article L. 303-2 du code de la construction et de l’habitation" in text
    for operator in ("société publique locale", "société d’économie mixte",
                     "établissement public foncier", "concessionnaire d’aménagement", "OPAH-RU"):
        assert operator in text
    assert "dans le respect des règles de la commande publique" in text
    assert "Le maître d’ouvrage demeure responsable de l’action à l’égard des autres parties." in text
    assert "les conditions dans lesquelles ses actions peuvent être déléguées à des opérateurs" in (
        "\n".join(article(conv, "Objet de la convention")))

    edit(essai, "convention.yaml", "textes:\n",
         "operateurs: [la SPL Essai Aménagement, l'Établissement public foncier régional]\n"
         "textes:\n  delegation_operateurs: [La Commune confie la halle à la SPL par concession.]\n")
    conv = texts(built(essai, tmp_path / "2", "convention") / "convention.docx")
    art = article(conv, "Délégation des actions à des opérateurs")
    assert "La Commune confie la halle à la SPL par concession." in art
    assert "commande publique" not in "\n".join(art)  # the case's text replaces the default
    assert art[-2:] == ["– la SPL Essai Aménagement ;",
                        "– l’Établissement public foncier régional."]


def test_diagnostic_and_project_have_their_articles(essai: Path, tmp_path: Path) -> None:
    edit(essai, "convention.yaml", "textes:\n",
         "textes:\n  projet: [Un centre-bourg habité et commerçant.]\n")
    conv = texts(built(essai, tmp_path, "convention") / "convention.docx")
    titles = [t for t in conv if re.match(r"Article (1er|\d+) – ", t)]
    assert titles[:5] == ["Article 1er – Objet de la convention",
                          "Article 2 – Diagnostic du territoire",
                          "Article 3 – Ambitions du territoire",
                          "Article 4 – Projet urbain, économique et social",
                          "Article 5 – Orientations stratégiques et secteurs d’intervention"]
    assert article(conv, "Diagnostic du territoire")[1] == "Diagnostic d’essai."
    assert article(conv, "Projet urbain, économique et social")[1:] == [
        "Un centre-bourg habité et commerçant."]


def test_a_convention_without_diagnostic_is_warned_not_invented(essai: Path,
                                                                tmp_path: Path) -> None:
    edit(essai, "convention.yaml", "  diagnostic: [Diagnostic d'essai.]\n", "")
    warned = [w for w in load_case(essai).warnings if "diagnostic" in w.message]
    assert len(warned) == 1
    assert warned[0].file.endswith("convention.yaml") and warned[0].path == "textes"
    assert "textes.diagnostic" in warned[0].message
    conv = texts(built(essai, tmp_path, "convention") / "convention.docx")
    assert article(conv, "Diagnostic du territoire")[1:] == [
        "Le diagnostic du territoire n’est pas reproduit dans la présente convention."]


def test_an_unknown_employer_is_refused_at_its_line(essai: Path) -> None:
    from docgen.errors import CaseInvalid

    edit(essai, "adhesion.yaml", "  employeur: cc-essai\n", "  employeur: cc-inconnue\n")
    with pytest.raises(CaseInvalid) as exc:
        load_case(essai)
    (issue,) = [i for i in exc.value.issues if i.is_error]
    assert issue.file.endswith("adhesion.yaml") and issue.line == 14
    assert issue.path == "chef_de_projet.employeur" and "cc-inconnue" in issue.message


def test_the_extension_of_the_deadline_is_recited(essai: Path, tmp_path: Path) -> None:
    edit(essai, "convention.yaml", "textes:\n",
         "prorogation_delai: {date: 2023-06-30, reference: le courrier du Préfet des Hautes-Alpes}\n"
         "textes:\n")
    conv = texts(built(essai, tmp_path, "convention") / "convention.docx")
    preambule = conv[conv.index("Préambule"):conv.index("Article 1er – Objet de la convention")]
    assert preambule[-1] == (
        "Le délai de dix-huit (18) mois prévu par la convention d’adhésion du 10 janvier 2023 "
        "pour la signature de la présente convention a été prorogé par le courrier du Préfet "
        "des Hautes-Alpes du 30 juin 2023.")


def test_an_added_fiche_in_words_and_the_final_stipulations(essai: Path, tmp_path: Path) -> None:
    (essai / "avenants").mkdir()
    (essai / "avenants/01-action.yaml").write_text(AVENANT, encoding="utf-8")
    av = texts(built(essai, tmp_path, "avenant") / "avenant-01.docx")
    assert ("La fiche action n° 2 « Réseau de chaleur », ajoutée, représente un coût "
            "prévisionnel d’un million trois cent mille euros (1 300 000 € HT).") in av
    assert not [t for t in av if re.search(r"\bde une?\b", t)]  # « de cent mille » is right
    final = article(av, "Date d’effet et autres stipulations")
    assert "Les autres stipulations de la convention demeurent inchangées." in final
    assert not [t for t in av if "dispositions" in t]  # the avenant's own clauses, and quotes
    assert not [t for t in av if re.search(r"\bchef de projet", t)]


def test_a_replaced_table_is_named_and_quoted() -> None:
    env = environment()
    t = env.from_string('{% import "commun/libelles.j2" as L %}{{ L.titre_amendement(m) }}|'
                        "{{ L.phrase_amendement(m) }}")
    m = {"nature": "tableau", "action": "remplace", "numero": 2,
         "titre": "Maquette financière par financeur",
         "parent": {"nature": "article", "numero": 9, "titre": "Engagements des parties"}}
    title, phrase = t.render(m=m).replace(NB, " ").split("|")
    assert title == ("Modification du tableau « Maquette financière par financeur » de "
                     "l’article 9 de la convention")
    assert phrase == ("Le tableau « Maquette financière par financeur » de l’article 9 de la "
                      "convention est remplacé par le tableau suivant :")
    m.update(titre="", parent={"nature": "article", "numero": 6, "titre": "Plan d’action"})
    title = t.render(m=m).replace(NB, " ").split("|")[0]
    assert title == "Modification du tableau de l’article 6 de la convention (Plan d’action)"
    m.update(action="ajoute", titre="Calendrier")
    assert t.render(m=m).replace(NB, " ").split("|")[0] == (
        "Ajout du tableau « Calendrier » à l’article 6 de la convention")
    m.update(action="remplace", nature="article", numero=6, titre="Plan d’action", parent=None)
    assert "remplacé par les stipulations suivantes :" in t.render(m=m).replace(NB, " ")
