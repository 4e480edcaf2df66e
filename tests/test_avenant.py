"""Avenants: legal wording from typed changes, consolidated version, redline, drafting."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
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
    for visa in [
        "Vu le code de la construction et de l’habitation, notamment son article L. 303-2 ;",
        "Vu la loi n° 2018-1021 du 23 novembre 2018 portant évolution du logement, de "
        "l’aménagement et du numérique, notamment son article 157 ;",
        "Vu la convention-cadre Petites Villes de Demain valant Opération de Revitalisation "
        "de Territoire signée le 14 avril 2023 ;",
        "Vu l’article 15 de la convention, relatif à son évolution et à sa mise à jour ;",
        "Vu la délibération du conseil municipal de la Commune de L’Argentière-La Bessée "
        "n° 2024-071 en date du 14 novembre 2024 ;",
        "Vu la décision du comité de pilotage du 8 novembre 2024 approuvant les modifications "
        "objet du présent avenant ;",
    ]:
        assert visa in t, visa
    assert "avis favorable" not in t
    assert ("Le présent avenant a pour objet d’étendre le périmètre de l’Opération de "
            "Revitalisation de Territoire au quartier de la gare") in t
    assert ("Le coût prévisionnel du plan d’action est ainsi porté de deux millions sept cent "
            "soixante-huit mille cinq cent cinquante euros (2 768 550 € HT) à deux millions neuf "
            "cent dix-huit mille cinq cent cinquante euros (2 918 550 € HT).") in t
    assert "L’article 5 de la convention est remplacé par les stipulations suivantes :" in t
    assert "« Article 5 – Orientations stratégiques et secteurs d’intervention" in t
    assert ("– Quartier de la Gare (L’Argentière-La Bessée) : la gare et ses abords, l’avenue qui "
            "la relie au centre-bourg et les emprises ferroviaires délaissées.") in t
    assert "– Quartier de la Gare : action n° 12 ;\n– Hors secteur d’intervention : actions n° 2 et 14. »" in t
    assert "Le tableau de l’article 6 de la convention est remplacé par le tableau suivant :" in t
    assert ("La fiche action n° 12 figurant à l’annexe 2 de la convention est remplacée par la "
            "fiche suivante :") in t
    assert "en conséquence" not in t.split("Article 2 –")[1]
    assert "Les autres stipulations de la convention demeurent inchangées." in t  # no avenant yet
    heads = styled(built / "avenant-01.docx", "Titre article")
    assert heads[0] == f"Article{NB}1er – Objet de l’avenant"
    assert heads[-1].startswith(f"Article{NB}7 – Date d’effet")
    parties = styled(built / "avenant-01.docx", "Partie")
    assert [p.split(",")[0] for p in parties] == [
        "La Commune de L’Argentière-La Bessée", "La Communauté de communes du Pays des Écrins",
        "L’État", "Le Département des Hautes-Alpes"]
    assert any("délibération du conseil municipal n°\u00a02024-071 en date du 14\u00a0novembre 2024"
               in p for p in parties)
    etat = next(p for p in parties if p.startswith("L’État")).replace(NB, " ")
    assert ("Mme Dalila ZANE, sous-préfète de Briançon, agissant pour le préfet des Hautes-Alpes et "
            "par délégation en vertu de l’arrêté n° 05-2022-09-05-00001 du 5 septembre 2022 portant "
            "délégation de signature") in etat
    qualites = [q.replace(NB, " ") for q in styled(built / "avenant-01.docx", "Signature qualite")]
    assert ("Pour le préfet des Hautes-Alpes et par délégation (arrêté n° 05-2022-09-05-00001 du "
            "5 septembre 2022),") in qualites
    assert "la sous-préfète de Briançon," in qualites
    assert styled(built / "avenant-01.docx", "Signature partie") == [
        "Pour la Commune,", "Pour la Communauté de communes,", "Pour l’État,", "Pour le Département,"]


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
    mention = "Version consolidée à titre informatif intégrant l’avenant n° 1 du 28 novembre 2024"
    mention = mention.replace("n° ", f"n°{NB}").replace("28 novembre", f"28{NB}novembre")
    assert styled(doc, "Mention projet") == [mention]
    header = "".join(v for k, v in _parts(doc).items() if "header" in k)
    assert mention in header
    notes = [n.replace(NB, " ") for n in styled(doc, "Mention") if "avenant" in n]
    assert sorted(notes) == sorted([
        "Modifié par l’avenant n° 1 du 28 novembre 2024.",  # article 3
        "Tableau modifié par l’avenant n° 1 du 28 novembre 2024.",  # article 4, its table
        "Modifié par l’avenant n° 1 du 28 novembre 2024.",  # article 6
        "Modifiée par l’avenant n° 1 du 28 novembre 2024.",  # annexe 1
        "Modifiée par l’avenant n° 1 du 28 novembre 2024.",  # fiche 12
    ])
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


def _stipulations(lines: list[str]) -> list[str]:
    """A convention's words without what only its form adds: the frame for the prefecture's
    stamp, the « Fait à » and signature blocks of an original, the statement of the originals
    of an informative version (each up to the first annex)."""
    out, skipping = [], False
    for line in lines:
        if line.startswith(("Fait à", "Signature des actes originaux")):
            skipping = True
        elif line.startswith("Annexe"):
            skipping = False
        if line and not skipping and not line.startswith("Cadre réservé à l’accusé de réception"):
            out.append(line)
    return out


def test_redline_accepted_is_new_and_rejected_is_old(built: Path) -> None:
    """Both sides of the redline are informative texts (never a signature block): accepted, it
    is the consolidated version; rejected, the convention's stipulations as signed."""
    redline = built / "redline-avenant-01.docx"

    def informative(lines: list[str]) -> list[str]:  # but for what each says it is
        return [t for t in lines if not t.startswith((
            "Comparaison de la convention avant et après", "Version consolidée à titre informatif",
            "Le présent document de comparaison", "La présente version consolidée"))]

    assert informative(_resolve(redline, accept=True)) == informative(
        _plain(built / "convention-consolidee-01.docx"))
    rejected = _resolve(redline, accept=False)
    assert _stipulations(informative(rejected)) == _stipulations(_plain(built / "convention.docx"))
    assert f"La convention a été signée à L’Argentière-La Bessée le 14{NB}avril 2023{NB}:" in rejected
    assert not any(line.startswith("Fait à") for line in rejected)


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
    assert len(deleted) < 2000  # a few words, amounts (whole) and rows, not the whole document


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by make test")
def test_libreoffice_opens_the_redline(built: Path, tmp_path: Path) -> None:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/p",
                    "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp_path),
                    str(built / "redline-avenant-01.docx")], check=True, capture_output=True,
                   timeout=240)
    exported = (tmp_path / "redline-avenant-01.txt").read_text(encoding="utf-8-sig")
    assert "Comparaison de la convention avant et après l’avenant" in exported
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
signataires:
  - partie: etat
  - partie: cc-essai
    deliberation: {numero: "2024-30", date: 2024-09-10}
  - partie: commune-bourg
    deliberation: {numero: "2024-31", date: 2024-09-12}
modifications:
  - operation: supprimer_fiche
    numero: 2
  - operation: supprimer_secteur
    id: gare
  - operation: retirer_signataire
    partie: departement
  - operation: retirer_partenaire
    partie: banque
'''


def all_operations_case(tmp_path: Path) -> Path:
    """The minimal case with two avenants that use every kind of operation between them."""
    case = overlay_case(tmp_path / "essai", None)
    terr = case / "territoire.yaml"
    terr.write_text(terr.read_text().replace("financeurs:", ALL_OPS_TERRITOIRE.lstrip("\n")
                                              + "financeurs:", 1))
    (case / "avenants").mkdir()
    (case / "avenants/01-evolutions.yaml").write_text(AVENANT_1)
    (case / "avenants/02-retours.yaml").write_text(AVENANT_2)
    return case


def test_every_operation_kind_has_its_wording(tmp_path: Path) -> None:
    from docgen.pipeline import build
    from docgen.plan import BuildOptions

    case = all_operations_case(tmp_path)
    build(case, BuildOptions(kinds=("avenant",), out=tmp_path / "o", pdf=False))
    one = text(tmp_path / "o/essai/avenant-01.docx")
    for sentence in [
        "La désignation des parties, en tête de la convention, est remplacée par la suivante :",
        "EN PRÉSENCE DE\nLa Banque des Territoires.",  # the last one ends the list
        "L’article 3 de la convention est remplacé par les stipulations suivantes :\n"
        "« Article 3 – Ambitions du territoire\nDes ambitions renouvelées. »",
        "L’article 5 de la convention est remplacé par les stipulations suivantes :",
        "– Quartier de la Gare (Bourg-d’Essai) : les abords de la gare.",
        "– Centre-bourg (Bourg-d’Essai), centre-ville de la ville principale : le centre ancien "
        "et ses abords.",
        "– Quartier de la Gare : action n° 2. »",
        "L’article 6 de la convention est remplacé par les stipulations suivantes :",
        "Le plan d’action comprend 2 actions",
        "L’article 9 de la convention est remplacé par les stipulations suivantes :",
        "L’article 14 de la convention est remplacé par les stipulations suivantes :",
        "pour une durée de sept (7) ans, soit jusqu’au 14 janvier 2031 inclus. »",
        "La durée de la convention est ainsi portée de cinq (5) ans à sept (7) ans, soit "
        "jusqu’au 14 janvier 2031 inclus.",
        "L’annexe 1 de la convention est remplacée par l’annexe suivante :",
        "La fiche action n° 1 figurant à l’annexe 2 de la convention est remplacée par la fiche "
        "suivante :\n« Fiche action n° 1 – Rénovation de la halle du marché",
        "L’annexe 2 de la convention est complétée par la fiche action n° 2 suivante :\n"
        "« Fiche action n° 2 – Parvis de la gare",
        "Le coût prévisionnel du plan d’action est ainsi porté de cent mille euros (100 000 € HT) "
        "à deux cent mille euros (200 000 € HT).",
    ]:
        assert sentence in one, sentence
    two = text(tmp_path / "o/essai/avenant-02.docx")
    for sentence in [
        "Vu l’avenant n° 1 à cette convention, signé le 1er juin 2024 ;",
        "La fiche action n° 2 « Parvis de la gare », ajoutée à l’annexe 2 par l’avenant n° 1 du "
        "1er juin 2024, est supprimée.",
        "L’annexe 1 de la convention, modifiée par l’avenant n° 1 du 1er juin 2024, est remplacée "
        "par l’annexe suivante :",
        "Les autres stipulations de la convention et de ses avenants demeurent inchangées.",
    ]:
        assert sentence in two, sentence
    assert "Quartier de la Gare" not in two.split("Article 3 –")[1]
    assert "Banque des Territoires" not in two
    signers_1 = styled(tmp_path / "o/essai/avenant-01.docx", "Signature nom")
    assert "Claire DÉPARTEMENT" in signers_1
    assert "Claire DÉPARTEMENT" not in styled(tmp_path / "o/essai/avenant-02.docx", "Signature nom")
    consolidated_2 = text(tmp_path / "o/essai/convention-consolidee-02.docx")
    assert ("Fiche action n° 2 – Parvis de la gare : supprimée par l’avenant n° 2 du "
            "1er octobre 2024") in consolidated_2
    assert "Aménagement du parvis." not in consolidated_2
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
    head = head.replace("numero: 1", "numero: 2").replace("2024-11-28", "2025-03-01")
    head = head.replace("approuve_par_copil: 2024-11-08\n", "")  # that COPIL approved n° 1
    for old, new in (("CP-2024-11-087, date: 2024-11-18", "CP-2025-02-012, date: 2025-02-10"),
                     ("2024-094, date: 2024-11-19", "2025-011, date: 2025-02-11"),
                     ("2024-071, date: 2024-11-14", "2025-008, date: 2025-02-06")):
        assert old in head  # avenant n° 2 has délibérations of its own
        head = head.replace(old, new)
    (case / "avenants/02-duree.yaml").write_text(head + ops_yaml)
    loaded = load_case(case)
    assert loaded.avenants[-1].modifications[0].duree_ans == 9
