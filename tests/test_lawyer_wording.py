"""The acts' wording after the lawyer's second read of issue 25: the adhésion signed before the
chef de projet is recruited, partners bound only when they sign, amounts « ramenés », provisions
already amended cited as such, the actions' distribution among the secteurs, rounded shares."""

from __future__ import annotations

from pathlib import Path

from docgen.context.common import plages
from tests.docx_helpers import body_texts
from tests.test_avenant import all_operations_case

NB = "\u00a0"


def text(path: Path) -> str:
    return "\n".join(body_texts(path)).replace(NB, " ")


def _build(case: Path, out: Path, *kinds: str) -> Path:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    build(case, BuildOptions(kinds=kinds, out=out, pdf=False))
    return out / case.name


def test_adhesion_names_the_post_generically_and_binds_only_signatories(
        example_copy: Path, tmp_path: Path) -> None:
    t = text(_build(example_copy, tmp_path / "o", "adhesion") / "adhesion.docx")
    assert "cheffe" not in t.lower()  # nobody is recruited on 7 May 2021
    assert "La Communauté de communes s’engage à recruter un chef de projet Petites Villes de " \
           "Demain." in t
    assert "Article 5 – Le chef de projet Petites Villes de Demain" in t
    # art. 2 names the article of the deadline
    assert ("Les collectivités bénéficiaires s’engagent à élaborer, dans le délai prévu à "
            "l’article 7, une convention-cadre valant Opération de Revitalisation de "
            "Territoire.") in t
    assert "Article 7 – Durée" in t
    assert "prévu à la présente convention" not in t
    # the signing Département has its commitments; the partners present, their intentions
    assert ("Article 4 – Engagements des partenaires signataires et intentions des partenaires "
            "associés\nLe Département s’engage à :\n– soutenir les actions qui relèvent de ses "
            "politiques, selon ses règles d’intervention ;\n– participer au comité de projet.\n"
            "Présents à la signature sans être parties") in t
    assert ("de préciser leurs engagements réciproques (articles 2 à 4), ainsi que les intentions "
            "des partenaires associés (article 4), jusqu’à la signature de la convention-cadre "
            "(article 7).") in t
    # the cofinanceurs only present: the post « peut être » cofinanced, by their decisions
    assert ("Le poste peut être cofinancé, dans la limite de 75 %, par l’Anah et la Banque des "
            "Territoires, selon leurs règles et sur leurs décisions ; le reste est à la charge de "
            "la Communauté de communes.") in t
    assert "Le poste est cofinancé" not in t


def test_adhesion_without_partners_has_no_empty_article(example_copy: Path,
                                                        tmp_path: Path) -> None:
    adh = example_copy / "adhesion.yaml"
    s = adh.read_text()
    s = s.replace("  - partie: departement\n    deliberation: {numero: CP-2021-04-057, "
                  "date: 2021-04-19, organe: commission permanente}\n", "")
    s = s.replace("en_presence_de: [banque-des-territoires, anah]", "en_presence_de: []")
    s = s.split("  engagements_partenaires:")[0]
    adh.write_text(s)
    t = text(_build(example_copy, tmp_path / "o", "adhesion") / "adhesion.docx")
    assert t.split("Article 3 – Engagements de l’État\n")[1].startswith(
        "L’État s’engage à animer le réseau des partenaires du programme, à désigner un référent "
        "départemental et à étudier le cofinancement des actions par ses dotations de droit "
        "commun.\nArticle 4 – Le chef de projet")
    assert "Engagements des partenaires" not in t and "Intentions des partenaires" not in t
    assert "de préciser leurs engagements réciproques (articles 2 et 3) jusqu’à la signature " \
           "de la convention-cadre (article 6)." in t
    assert "Article 4 – Le chef de projet Petites Villes de Demain" in t
    assert "Article 6 – Durée" in t
    assert "dans le délai prévu à l’article 6," in t


def test_avenant_lowers_with_ramene_and_cites_earlier_amendments(tmp_path: Path) -> None:
    case = all_operations_case(tmp_path)
    out = _build(case, tmp_path / "o", "avenant")
    one, two = text(out / "avenant-01.docx"), text(out / "avenant-02.docx")
    assert ("Le coût prévisionnel du plan d’action est ainsi ramené de deux cent mille euros "
            "(200 000 € HT) à cent cinquante mille euros (150 000 € HT).") in two
    assert "porté de deux cent mille" not in two
    assert "ainsi porté de cent mille euros (100 000 € HT) à deux cent mille euros" in one
    assert "La durée de la convention est ainsi portée de cinq (5) ans à sept (7) ans" in one
    # avenant n° 1 amended article 5 and added fiche n° 2: avenant n° 2 says so
    assert ("L’article 5 de la convention, modifié par l’avenant n° 1 du 1er juin 2024, est "
            "remplacé par les stipulations suivantes :") in two
    assert ("La fiche action n° 2 « Parvis de la gare », ajoutée à l’annexe 2 par l’avenant "
            "n° 1 du 1er juin 2024, est supprimée.") in two
    assert ("La désignation des parties, en tête de la convention, modifiée par l’avenant n° 1 "
            "du 1er juin 2024, est remplacée par la suivante :") in two
    # avenant n° 1 amends the original text: nothing to recall
    assert "L’article 5 de la convention est remplacé par les stipulations suivantes :" in one
    assert ("La désignation des parties, en tête de la convention, est remplacée par la "
            "suivante :") in one
    assert "modifié par l’avenant" not in one


def test_convention_distributes_the_actions_among_the_secteurs(example_copy: Path,
                                                               tmp_path: Path) -> None:
    t = text(_build(example_copy, tmp_path / "o", "convention") / "convention.docx")
    assert ("L’Opération de Revitalisation de Territoire comprend les secteurs d’intervention "
            "suivants, délimités en annexe 1 :") in t
    assert "Les actions de l’Opération de Revitalisation de Territoire sont conduites" not in t
    assert "centre-ville de la ville principale : le centre ancien et ses abords" in t
    assert ("Les actions du plan d’action (article 6) se répartissent entre les secteurs "
            "d’intervention comme suit :\n– Centre-bourg de L’Argentière : actions n° 1 et 3 à 9 ;"
            "\n– Secteur de La Bessée : actions n° 10, 11 et 13 ;\n– Hors secteur d’intervention :"
            " actions n° 2, 12 et 14.") in t
    assert ("Chaque part étant arrondie, leur somme peut s’écarter de 100 % de quelques dixièmes "
            "de point.") in t
    assert "seulement sollicités" not in t
    assert "ou sollicités, non encore attribués ;" in t


def test_action_numbers_compress_into_runs() -> None:
    assert plages([14, 1, 3, 4, 5, 8, 9]) == [(1, 1), (3, 5), (8, 8), (9, 9), (14, 14)]
    assert plages([2]) == [(2, 2)]
    assert plages([]) == []


def test_the_slides_word_a_decrease_as_the_avenant_does() -> None:
    """The slides name an avenant's changes as the avenant words them: « ramené de … à » for
    what decreases, « porté de … à » for what increases (libelles.j2, macro porte)."""
    from docgen.package_data import PACKAGE
    from docgen.templating import environment

    words = environment().from_string('{% import "commun/libelles.j2" as L %}'
                            "{{ L.porte(200, 150) }}|{{ L.porte(150, 200) }}|"
                            '{{ L.porte(7, 5, "e") }}').render()
    assert words == "ramené|porté|ramenée"
    # one wording for the PDF and the PowerPoint: the slides' template and its macro
    source = (PACKAGE / "commun/diaporama.yaml").read_text(encoding="utf-8")
    assert "porté de" not in source and "portée de" not in source
    assert source.count("L.porte(") == 1 and "L.modification_copil(m)" in source
    macro = (PACKAGE / "commun/libelles.j2").read_text(encoding="utf-8").split(
        "macro modification_copil")[1].split("endmacro")[0]
    assert macro.count("porte(") == 2 and "porté de" not in macro
