"""Avenants: legal wording from typed changes, consolidated version, redline, drafting."""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from docgen.drafting import draft, to_yaml
from docgen.load import load_case
from docgen.model import Convention
from docgen.resolve import apply_all
from docgen.verify import signature_fields
from tests.conftest import EXAMPLE, overlay_case
from tests.docx_helpers import body_texts, styled

NB = "\u00a0"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def text(path: Path) -> str:
    return "\n".join(body_texts(path)).replace(NB, " ")


def test_build_writes_the_avenant_set(built: Path) -> None:
    for name in ("avenant-01.docx", "avenant-01.pdf", "convention-consolidee-01.docx",
                 "convention-consolidee-01.pdf", "redline-avenant-01.docx"):
        assert (built / name).is_file(), name


def test_avenant_wording_visas_and_totals(built: Path) -> None:
    t = text(built / "avenant-01.docx")
    assert styled(built / "avenant-01.docx", "Titre document") == [f"Avenant n°{NB}1"]
    assert "Vu la convention-cadre Petites Villes de Demain valant Opération de Revitalisation " \
           "de Territoire signée le 14 avril 2023 ;" in t
    assert "Vu l'article 12 de la convention, relatif à son évolution et à sa mise à jour ;" in t
    assert "Vu l'avis favorable du comité de pilotage du 8 novembre 2024 ;" in t
    assert ("Le périmètre de l'Opération de Revitalisation de Territoire est étendu au secteur "
            "« Quartier de la Gare » (L'Argentière-La Bessée)") in t
    assert ("La fiche action n° 12 « Requalification du Quartier de la Gare » est modifiée comme "
            "suit :") in t
    assert "– Le coût prévisionnel est porté de 300 000 € HT à 450 000 € HT ;" in t
    assert ("porté de 2 768 550 € à deux millions neuf cent dix-huit mille cinq cent cinquante "
            "euros (2 918 550 €)") in t
    assert "Les autres dispositions de la convention et de ses avenants demeurent inchangées." in t
    heads = styled(built / "avenant-01.docx", "Titre article")
    assert heads[0] == "Article 1er – Objet de l'avenant"
    assert heads[-1].startswith(f"Article{NB}5 – Date d'effet")
    parties = styled(built / "avenant-01.docx", "Partie")
    assert any("délibération n°\u00a02024-071 en date du 14 novembre 2024" in p for p in parties)


def test_avenant_pdf_fields_sign_and_validate(built: Path, tmp_path: Path) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from tests.test_pdf import FIELDS, _throwaway_signer

    data = (built / "avenant-01.pdf").read_bytes()
    assert signature_fields(data) == FIELDS
    signer = _throwaway_signer(tmp_path)
    vc = ValidationContext(trust_roots=[signer.signing_cert], allow_fetching=False)
    for field in FIELDS:
        out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(data)),
                               signers.PdfSignatureMetadata(field_name=field), signer=signer,
                               existing_fields_only=True)
        data = out.getvalue()
    for sig in PdfFileReader(io.BytesIO(data)).embedded_signatures:
        status = validate_pdf_signature(sig, vc)
        assert status.intact and status.valid


def test_consolidated_version_is_marked_and_annotated(built: Path) -> None:
    doc = built / "convention-consolidee-01.docx"
    mention = "Version consolidée à titre informatif intégrant l'avenant n° 1 du 28 novembre 2024"
    assert styled(doc, "Mention projet") == [mention.replace("n° ", f"n°{NB}")]
    header = "".join(v for k, v in _parts(doc).items() if "header" in k)
    assert mention.replace("n° ", f"n°{NB}") in header
    notes = [n.replace(NB, " ") for n in styled(doc, "Mention")]
    assert notes.count("Modifié par l'avenant n° 1 du 28 novembre 2024.") >= 3
    assert "Modifiée par l'avenant n° 1 du 28 novembre 2024." in notes
    t = text(doc)
    assert "2 918 550 € HT" in t and "Quartier de la Gare" in t
    assert signature_fields((built / "convention-consolidee-01.pdf").read_bytes()) == []


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml")}


def _resolve(path: Path, accept: bool) -> list[str]:
    """Paragraph texts after accepting (or rejecting) every tracked change, like Word does."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    keep, drop = ("ins", "del") if accept else ("del", "ins")
    for tr in list(root.iter(f"{W}tr")):
        if tr.find(f"{W}trPr/{W}{drop}") is not None:
            tr.getparent().remove(tr)
    for p in list(root.iter(f"{W}p")):
        if p.find(f"{W}pPr/{W}rPr/{W}{drop}") is not None:
            p.getparent().remove(p)
    for el in list(root.iter(f"{W}{drop}")):
        if el.getparent() is not None and el.getparent().tag != f"{W}rPr" and (
                el.getparent().tag != f"{W}trPr"):
            el.getparent().remove(el)
    for el in list(root.iter(f"{W}{keep}")):
        parent = el.getparent()
        if parent.tag in (f"{W}rPr", f"{W}trPr"):
            parent.remove(el)
            continue
        for child in list(el):
            el.addprevious(child)
        parent.remove(el)
    for dt_ in root.iter(f"{W}delText"):
        dt_.tag = f"{W}t"
    return _blocks(root)


def _plain(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return _blocks(etree.fromstring(zf.read("word/document.xml")))


def _blocks(root: etree._Element) -> list[str]:
    """Body paragraphs and table cells, in order, as text."""
    out = []
    for block in root.find(f"{W}body"):
        if block.tag == f"{W}p":
            out.append("".join(t.text or "" for t in block.iter(f"{W}t")))
        elif block.tag == f"{W}tbl":
            for tr in block.iter(f"{W}tr"):
                for tc in tr.iter(f"{W}tc"):
                    out.append("".join(t.text or "" for t in tc.iter(f"{W}t")))
    return out


def test_redline_accepted_is_new_and_rejected_is_old(built: Path) -> None:
    redline = built / "redline-avenant-01.docx"
    assert _resolve(redline, accept=True) == _plain(built / "convention-consolidee-01.docx")
    assert _resolve(redline, accept=False) == _plain(built / "convention.docx")


def test_redline_is_minimal_and_attributed(built: Path) -> None:
    xml = _parts(built / "redline-avenant-01.docx")["word/document.xml"]
    assert 'w:author="docgen"' in xml and 'w:date="2024-11-28T00:00:00Z"' in xml
    deleted = "".join(re.findall(r"<w:delText[^>]*>([^<]*)</w:delText>", xml))
    inserted = "".join(re.findall(r"<w:ins [^>]*>.*?</w:ins>", xml, flags=re.S))
    assert "300 000" in deleted.replace(NB, " ")
    assert "Fiche action n°" not in deleted  # unchanged paragraphs are never deleted/reinserted
    for para in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
        if "<w:tc" in para or "<w:del " not in para:
            continue
        kept = re.sub(r"<[^>]+>", "", re.sub(r"<w:(del|ins) .*?</w:\1>", "", para, flags=re.S))
        assert kept.strip() or "<w:ins " not in para, para  # word-level: common words stay
    assert "Quartier de la Gare" in re.sub(r"<[^>]+>", "", inserted)
    assert len(deleted) < 1500  # a few words and rows, not the whole document


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by make test")
def test_libreoffice_opens_the_redline(built: Path, tmp_path: Path) -> None:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/p",
                    "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path),
                    str(built / "redline-avenant-01.docx")], check=True, capture_output=True,
                   timeout=240)
    exported = (tmp_path / "redline-avenant-01.txt").read_text(encoding="utf-8-sig")
    assert "Version consolidée à titre informatif" in exported
    assert "Abords de la gare et avenue de la gare" in exported


ALL_OPS_TERRITOIRE = '''
  - id: departement
    type: departement
    nom: le Département d'Essai
    designation: le Département
    representants:
      - {civilite: Mme, nom: Claire DÉPARTEMENT, fonction: Présidente du Département, du: 2015-01-01}
  - id: banque
    type: partenaire
    nom: la Banque des Territoires
    feminin: true
    designation: la Banque des Territoires
'''
SIGNATAIRES = '''signataires:
  - partie: etat
  - partie: cc-essai
    deliberation: {numero: "2024-10", date: 2024-05-02}
  - partie: commune-bourg
    deliberation: {numero: "2024-11", date: 2024-05-03}
'''
AVENANT_1 = '''numero: 1
date_edition: 2024-06-01
signature: {lieu: Bourg-d'Essai, date: 2024-06-01}
approuve_par_copil: 2024-05-15
objet: faire évoluer la convention
motifs: [Le comité de pilotage a demandé ces évolutions.]
''' + SIGNATAIRES + '''  - partie: departement
    deliberation: {numero: "D-2024-1", date: 2024-05-04}
modifications:
  - operation: ajouter_secteur
    secteur: {id: gare, nom: Quartier de la Gare, commune: bourg, description: Les abords de la gare., delimitation: Avenue de la Gare et parvis}
  - operation: modifier_secteur
    id: centre
    champs: {description: Le centre ancien et ses abords.}
  - operation: ajouter_fiche
    fiche:
      numero: 2
      intitule: Parvis de la gare
      axe: habitat
      type: travaux
      maitre_ouvrage: commune-bourg
      secteur: gare
      description: Aménagement du parvis.
      calendrier: {debut: 2024-09-01, fin: 2025-12-31}
      cout: {montant: 50000, base: HT}
      plan_de_financement: [{financeur: autofinancement, montant: 50000}]
  - operation: modifier_fiche
    numero: 1
    champs:
      intitule: Rénovation de la halle du marché
      cout: {montant: 150000, base: HT}
      plan_de_financement: [{financeur: detr, montant: 60000, statut: acquis}, {financeur: autofinancement, montant: 90000}]
  - operation: ajouter_signataire
    partie: departement
  - operation: ajouter_partenaire
    partie: banque
  - operation: remplacer_texte
    article: ambitions
    texte: [Des ambitions renouvelées.]
  - operation: prolonger_duree
    duree_ans: 7
'''
AVENANT_2 = '''numero: 2
date_edition: 2024-10-01
signature: {lieu: Bourg-d'Essai, date: 2024-10-01}
objet: revenir sur certaines évolutions
motifs: [Le projet de parvis est abandonné.]
''' + SIGNATAIRES + '''modifications:
  - operation: supprimer_fiche
    numero: 2
  - operation: supprimer_secteur
    id: gare
  - operation: retirer_signataire
    partie: departement
  - operation: retirer_partenaire
    partie: banque
'''


def test_every_operation_kind_has_its_wording(tmp_path: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    case = overlay_case(tmp_path / "essai", None)
    terr = case / "territoire.yaml"
    terr.write_text(terr.read_text().replace("financeurs:", ALL_OPS_TERRITOIRE.lstrip("\n")
                                              + "financeurs:", 1))
    (case / "avenants").mkdir()
    (case / "avenants/01-evolutions.yaml").write_text(AVENANT_1)
    (case / "avenants/02-retours.yaml").write_text(AVENANT_2)
    build(case, BuildOptions(kinds=("avenant",), out=tmp_path / "o", pdf=False))
    one = text(tmp_path / "o/essai/avenant-01.docx")
    for sentence in [
        "Le périmètre de l'Opération de Revitalisation de Territoire est étendu au secteur "
        "« Quartier de la Gare » (Bourg-d'Essai), délimité en annexe 1 du présent avenant.",
        "Le secteur d'intervention « Centre-bourg » est modifié comme suit :",
        "– La description : « — » est remplacé par « Le centre ancien et ses abords. » ;",
        "La fiche action n° 2 « Parvis de la gare » est ajoutée au plan d'action, pour un coût "
        "prévisionnel de 50 000 € HT. Elle figure en annexe 2 du présent avenant.",
        "– L'intitulé : « Rénovation de la halle » est remplacé par « Rénovation de la halle du "
        "marché » ;",
        "– Le coût prévisionnel est porté de 100 000 € HT à 150 000 € HT ;",
        "– Le plan de financement est remplacé par celui figurant en annexe 2 du présent avenant ;",
        "Le Département d'Essai devient partie à la convention, dont elle est signataire.",
        "La Banque des Territoires est associé à la convention en qualité de partenaire.",
        "L'article 2 de la convention est remplacé par les dispositions suivantes :",
        "« Des ambitions renouvelées. »",
        "La durée de la convention, fixée à l'article 11, est portée de cinq (5) à sept (7) ans, "
        "soit jusqu'au 15 janvier 2031.",
        "Le coût prévisionnel du plan d'action est porté de 100 000 € à deux cent mille euros "
        "(200 000 €) (HT).",
    ]:
        assert sentence in one, sentence
    two = text(tmp_path / "o/essai/avenant-02.docx")
    for sentence in [
        "Vu l'avenant n° 1 à cette convention, signé le 1er juin 2024 ;",
        "La fiche action n° 2 « Parvis de la gare » est supprimée.",
        "Le secteur d'intervention « Quartier de la Gare » est retiré du périmètre de "
        "l'Opération de Revitalisation de Territoire.",
        "Le Département d'Essai cesse d'être partie à la convention.",
        "La Banque des Territoires n'est plus associé à la convention.",
    ]:
        assert sentence in two, sentence
    signers_1 = styled(tmp_path / "o/essai/avenant-01.docx", "Signature nom")
    assert "Claire DÉPARTEMENT" in signers_1
    assert "Claire DÉPARTEMENT" not in styled(tmp_path / "o/essai/avenant-02.docx", "Signature nom")
    consolidated_2 = text(tmp_path / "o/essai/convention-consolidee-02.docx")
    assert "Parvis de la gare" not in consolidated_2
    assert "Des ambitions renouvelées." in consolidated_2


# ------------------------------------------------------------------ drafting


def test_draft_cli_prints_writes_and_never_overwrites(tmp_path: Path, run) -> None:
    old = EXAMPLE / "convention.yaml"
    new = tmp_path / "convention.yaml"
    new.write_text(old.read_text().replace("duree_ans: 6", "duree_ans: 8"))
    result = run("avenant", "draft", old, new)
    assert result.code == 0
    assert "operation: prolonger_duree" in result.out and "duree_ans: 8" in result.out
    target = tmp_path / "ops.yaml"
    assert run("avenant", "draft", old, new, "-o", target).code == 0
    assert target.read_text() == result.out
    again = run("avenant", "draft", old, new, "-o", target)
    assert again.code == 1 and "existe déjà" in again.err
    same = run("avenant", "draft", old, old)
    assert same.code == 0 and same.out == "" and "aucune opération" in same.err


def _normal(conv: Convention) -> dict:
    data = conv.model_dump(mode="json")
    data["fiches_actions"].sort(key=lambda f: f["numero"])
    data["secteurs"].sort(key=lambda s: s["id"])
    data["signataires"].sort(key=lambda s: s["partie"])
    data["en_presence_de"].sort()
    return data


BASE = load_case(EXAMPLE).convention
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàç &<'\"{}", min_size=1, max_size=40).map(
    lambda s: s.strip() or "x")


@st.composite
def edited(draw: st.DrawFn) -> Convention:
    conv = BASE
    fiches = list(conv.fiches_actions)
    secteurs = list(conv.secteurs)
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["cout", "titre", "supprimer", "ajouter", "secteur",
                                     "texte", "duree", "partenaire"]))
        if kind == "cout" and fiches:
            i = draw(st.integers(0, len(fiches) - 1))
            amount = Decimal(draw(st.integers(1, 2_000_000)))
            f = fiches[i]
            fiches[i] = f.model_copy(update={
                "cout": f.cout.model_copy(update={"montant": amount}),
                "plan_de_financement": [f.plan_de_financement[-1].model_copy(update={"montant": amount})],
            })
        elif kind == "titre" and fiches:
            i = draw(st.integers(0, len(fiches) - 1))
            fiches[i] = fiches[i].model_copy(update={"intitule": draw(WORDS)})
        elif kind == "supprimer" and len(fiches) > 1:
            fiches.pop(draw(st.integers(0, len(fiches) - 1)))
        elif kind == "ajouter":
            n = max(f.numero for f in fiches) + 1
            fiches.append(fiches[0].model_copy(update={"numero": n, "intitule": draw(WORDS)}))
        elif kind == "secteur":
            secteurs.append(secteurs[0].model_copy(update={
                "id": f"s-{len(secteurs)}", "centre_ville": False, "nom": draw(WORDS)}))
        elif kind == "texte":
            conv = conv.model_copy(update={"textes": conv.textes.model_copy(
                update={"ambitions": [draw(WORDS)]})})
        elif kind == "duree":
            conv = conv.model_copy(update={"duree_ans": draw(st.integers(1, 30))})
        elif kind == "partenaire":
            conv = conv.model_copy(update={"en_presence_de": draw(st.permutations(
                ["banque-des-territoires", "anah", "cma", "petr"]))[: draw(st.integers(0, 4))]})
    return conv.model_copy(update={"fiches_actions": fiches, "secteurs": secteurs})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_draft_then_apply_gives_the_new_convention(new: Convention) -> None:
    ops = draft(BASE, new)
    assert _normal(apply_all(BASE, ops)) == _normal(new)
    if _normal(new) == _normal(BASE):
        assert ops == []
    assert to_yaml(ops).startswith("modifications:")


def test_drafted_yaml_loads_back_as_an_avenant(tmp_path: Path) -> None:
    new = BASE.model_copy(update={"duree_ans": 9})
    ops_yaml = to_yaml(draft(BASE, new))
    case = overlay_case(tmp_path / "pdd", None, EXAMPLE)
    avenant = (case / "avenants/01-quartier-gare.yaml").read_text()
    head = avenant[: avenant.index("modifications:")]
    (case / "avenants/02-duree.yaml").write_text(
        head.replace("numero: 1", "numero: 2").replace("2024-11-28", "2025-03-01") + ops_yaml)
    loaded = load_case(case)
    assert loaded.avenants[-1].modifications[0].duree_ans == 9
