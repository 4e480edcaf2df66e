"""The avenant amends every provision whose text changes, verbatim, and the consolidated version
is exactly the previous one with those amendments: proved on the example and on random avenants."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.load import load_case
from docgen.pipeline import Documents
from docgen.plan import BuildOptions, plan
from docgen.provisions import (
    W,
    apply_texts,
    block_text,
    body_of,
    marked,
    provisions,
    texts,
    unquote,
)
from tests.conftest import EXAMPLE, MINIMAL, overlay_case
from tests.test_avenant import ALL_OPS_TERRITOIRE

NB = "\u00a0"


def _style(p: Any) -> str:
    st_ = p.find(f"{{{W}}}pPr/{{{W}}}pStyle")
    return st_.get(f"{{{W}}}val") if st_ is not None else ""


def avenant_articles(docx: bytes) -> list[tuple[str, str, str]]:
    """Each article of an avenant: its heading, its first paragraph, the text it quotes."""
    out: list[tuple[str, str, list[str]]] = []
    for block in body_of(docx):
        style = _style(block) if block.tag == f"{{{W}}}p" else ""
        if style in ("Titrearticle", "Faita"):
            out.append((block_text(block), None, []))  # type: ignore[arg-type]
            if style == "Faita":
                break
            continue
        if not out:
            continue
        head, first, quote = out[-1]
        if first is None and block.tag == f"{{{W}}}p":
            out[-1] = (head, block_text(block), quote)
        elif block.tag == f"{{{W}}}tbl" or block_text(block).strip():
            quote.append(block_text(block))
    return [(h, f or "", unquote("\n".join(q))) for h, f, q in out[:-1]]


def check_documents(folder: Path, out: Path) -> None:
    """(a) and (b) for every avenant of the case folder."""
    case = load_case(folder)
    options = BuildOptions(out=out, pdf=False)
    docs = Documents(case, options)
    jobs = plan(case, options)
    docs._jobs = jobs
    t_conv = docs.search.find("docx/convention.docx")
    for av in case.avenants:
        n = av.numero
        amended = docs.amendements(n, t_conv)
        kept = [a for a in amended if a.action != "supprime"]
        prev, cons = docs.convention_at(n - 1, t_conv), docs.convention_at(n, t_conv)
        # (a) the provisions marked « Modifié par l'avenant n° n » are exactly those it amends
        marks = marked(cons)
        by_n = {pid for pid, t in marks.items() if re.search(rf"n°\s{n}\b", t)}
        assert by_n == {a.id for a in kept}, (n, by_n, [a.id for a in kept])
        expected = docs.marks(n, t_conv)
        assert set(marks) == set(expected)
        # the avenant has one article per amendment, quoting its new text verbatim
        job = next(j for j in jobs if j.document == "avenant" and j.numero == n)
        articles = avenant_articles(docs.get(job))[1:-1]  # after Article 1er, before the last
        assert len(articles) == len(amended), [h for h, _, _ in articles]
        for (head, first, quote), a in zip(articles, amended):
            if a.action == "supprime":
                assert quote == "" and "supprimé" in first, (head, first)
            else:
                assert quote == a.provision.text, (head, quote[:200], a.provision.text[:200])
        # (b) the previous consolidated text with those amendments is the consolidated text
        after = provisions(cons)
        assert apply_texts(provisions(prev), amended, [p.id for p in after]) == texts(after)
        # and nothing else changed: a provision not amended reads the same before and after
        before_texts, after_texts = texts(provisions(prev)), texts(after)
        touched = {a.id for a in amended}
        for pid, t in after_texts.items():
            if pid not in touched and not any(pid.startswith(x + "/") for x in touched):
                assert before_texts.get(pid) == t, pid


def test_example_avenant_amends_exactly_what_the_consolidated_version_marks(tmp_path: Path) -> None:
    check_documents(EXAMPLE, tmp_path)


def test_example_amendments_are_the_lawyers_forms(tmp_path: Path) -> None:
    case = load_case(EXAMPLE)
    options = BuildOptions(out=tmp_path, pdf=False)
    docs = Documents(case, options)
    jobs = plan(case, options)
    docs._jobs = jobs
    job = next(j for j in jobs if j.document == "avenant")
    firsts = [f.replace(NB, " ") for _, f, _ in avenant_articles(docs.get(job))]
    assert "L’article 5 de la convention est remplacé par les stipulations suivantes :" in firsts
    assert "Le tableau de l’article 6 de la convention est remplacé par le tableau suivant :" in firsts
    assert "L’article 9 de la convention est remplacé par les stipulations suivantes :" in firsts
    assert "L’annexe 1 de la convention est remplacée par l’annexe suivante :" in firsts
    assert ("La fiche action n° 12 figurant à l’annexe 2 de la convention est remplacée par la "
            "fiche suivante :") in firsts
    assert not any("en conséquence" in f for f in firsts[1:])  # article 1er is the objet


# ------------------------------------------------------------------ random avenants

TERRITOIRE_EXTRA = ALL_OPS_TERRITOIRE  # the département and the Banque des Territoires
SIGNATAIRES = [
    {"partie": "etat"},
    {"partie": "cc-essai", "deliberation": {"numero": "A-1", "date": "2024-05-02"}},
    {"partie": "commune-bourg", "deliberation": {"numero": "A-2", "date": "2024-05-03"}},
]


def signataires(i: int) -> list[dict[str, Any]]:
    """Avenant n° i's signatories, each with a délibération of its own taken in the month
    after the previous act's signature (avenant n° 1's are SIGNATAIRES)."""
    return [{"partie": "etat"}] + [
        {**s, "deliberation": {"numero": f"A-{2 * i - 2 + n}", "date": f"2024-{4 + i:02d}-0{1 + n}"}}
        for n, s in enumerate(SIGNATAIRES[1:], start=1)]


WORDS = st.sampled_from(["Halle", "Parvis de la gare", "Maison de santé", "Jardin partagé",
                         "Voie verte", "Place de l'église"])


def _fiche(numero: int, intitule: str, montant: int) -> dict[str, Any]:
    return {"numero": numero, "intitule": intitule, "axe": "habitat", "type": "travaux",
            "maitre_ouvrage": "commune-bourg", "description": f"Opération « {intitule} ».",
            "calendrier": {"debut": "2024-09-01", "fin": "2025-12-31"},
            "cout": {"montant": montant, "base": "HT"},
            "plan_de_financement": [{"financeur": "autofinancement", "montant": montant}]}


@st.composite
def avenant_lists(draw: st.DrawFn) -> list[list[dict[str, Any]]]:
    """One or two avenants, each a list of operations that apply to the state it finds."""
    fiches = {1}
    used = {1}
    secteurs = {"centre"}
    partenaire = False
    duree = 5
    avenants = []
    for _ in range(draw(st.integers(1, 2))):
        ops: list[dict[str, Any]] = []
        for _ in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(["cout", "ajouter", "supprimer", "secteur", "texte",
                                         "duree", "partenaire", "intitule", "axe"]))
            if kind == "cout" and fiches:
                n = draw(st.sampled_from(sorted(fiches)))
                m = draw(st.integers(1, 900)) * 1000
                ops.append({"operation": "modifier_fiche", "numero": n, "champs": {
                    "cout": {"montant": m, "base": "HT"},
                    "plan_de_financement": [{"financeur": "autofinancement", "montant": m}]}})
            elif kind == "intitule" and fiches:
                n = draw(st.sampled_from(sorted(fiches)))
                ops.append({"operation": "modifier_fiche", "numero": n,
                            "champs": {"intitule": draw(WORDS) + f" {len(ops)}"}})
            elif kind == "ajouter":
                n = max(used) + 1
                used.add(n)
                fiches.add(n)
                ops.append({"operation": "ajouter_fiche",
                            "fiche": _fiche(n, draw(WORDS), draw(st.integers(1, 500)) * 1000)})
            elif kind == "supprimer" and len(fiches) > 1:
                n = draw(st.sampled_from(sorted(fiches)))
                fiches.discard(n)
                ops.append({"operation": "supprimer_fiche", "numero": n})
            elif kind == "secteur":
                sid = f"s{len(secteurs)}"
                secteurs.add(sid)
                ops.append({"operation": "ajouter_secteur", "secteur": {
                    "id": sid, "nom": draw(WORDS) + f" {sid}", "commune": "bourg",
                    "delimitation": f"Rues du secteur {sid}"}})
            elif kind == "texte":
                ops.append({"operation": "remplacer_texte",
                            "article": draw(st.sampled_from(["ambitions", "gouvernance"])),
                            "texte": [f"Un texte nouveau, version {len(avenants)}{len(ops)}."]})
            elif kind == "duree":
                d = draw(st.integers(2, 12).filter(lambda x: x != duree))
                duree = d
                ops.append({"operation": "prolonger_duree", "duree_ans": d})
            elif kind == "axe":
                ops.append({"operation": "modifier_axe", "id": "habitat", "champs": {
                    "intitule": draw(WORDS) + f" {len(avenants)}{len(ops)}",
                    "orientations": [f"Orientation {len(ops)}."]}})
            elif kind == "partenaire":
                ops.append({"operation": "retirer_partenaire" if partenaire else "ajouter_partenaire",
                            "partie": "banque"})
                partenaire = not partenaire
        if ops:
            avenants.append(ops)
    return avenants or [[{"operation": "prolonger_duree", "duree_ans": 7}]]


def write_case(folder: Path, avenants: list[list[dict[str, Any]]]) -> Path:
    case = overlay_case(folder, None, MINIMAL)
    terr = case / "territoire.yaml"
    text = terr.read_text(encoding="utf-8")
    terr.write_text(text.replace("financeurs:", TERRITOIRE_EXTRA.lstrip("\n") + "financeurs:", 1),
                    encoding="utf-8")
    (case / "avenants").mkdir()
    for i, ops in enumerate(avenants, start=1):
        day = f"2024-{5 + i:02d}-01"
        data = {"numero": i, "date_edition": day, "signature": {"lieu": "Bourg-d'Essai", "date": day},
                "objet": "faire évoluer la convention", "motifs": ["Le comité l'a demandé."],
                "signataires": signataires(i), "modifications": ops}
        (case / "avenants" / f"{i:02d}-essai.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return case


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                               HealthCheck.function_scoped_fixture])
@given(avenant_lists())
def test_random_avenants_amend_exactly_what_changes(tmp_path_factory: Any,
                                                    avenants: list[list[dict[str, Any]]]) -> None:
    root = tmp_path_factory.mktemp("random")
    check_documents(write_case(root / "case", avenants), root / "out")
