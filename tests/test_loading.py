"""The loader: the example case is valid; each broken case gets its message at its position."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docgen.errors import CaseInvalid
from docgen.load import load_case, yamlpos
from tests.conftest import EXAMPLE, INVALID, MINIMAL, overlay_case

BROKEN = sorted(p.name for p in INVALID.iterdir() if p.is_dir())


def test_example_case_is_valid_with_its_three_warnings() -> None:
    """The seeds give a convention-cadre signed 23 months after the adhésion and recite no
    extension of the 18-month deadline; fiche 13 leaves 20 % of its cost to be financed; avenant
    n° 1, as signed, re-states the maquette with the 2023 acquired amounts although the COPIL
    of 8 November 2024 had recorded more subsidies obtained."""
    case = load_case(EXAMPLE)
    assert case.name == "pays-des-ecrins"
    assert len(case.convention.fiches_actions) == 14
    assert [(w.file.rsplit("/", 1)[-1], w.path) for w in case.warnings] == [
        ("01-quartier-gare.yaml", "modifications"), ("convention.yaml", "signature.date"),
        ("convention.yaml", "fiches_actions[12].plan_de_financement")]
    assert "inférieurs à ceux que le COPIL du 8 novembre 2024 a constatés" in case.warnings[0].message
    assert "plus de 18 mois après la convention d'adhésion" in case.warnings[1].message
    assert "reste à financer" in case.warnings[2].message


def test_check_example_exits_zero(run) -> None:
    result = run("check", EXAMPLE)
    assert result.code == 0
    assert "dossier valide" in result.out


def test_corpus_is_large_enough() -> None:
    assert len(BROKEN) >= 20


@pytest.mark.parametrize("name", BROKEN)
def test_broken_case_message_and_position(name: str, tmp_path: Path, run, golden, monkeypatch) -> None:
    overlay_case(tmp_path / name, INVALID / name)
    monkeypatch.chdir(tmp_path)
    result = run("check", name)
    assert result.code == 1
    assert "Traceback" not in result.err
    first = result.err.splitlines()[0]
    assert first.startswith(f"{name}/"), first
    golden(f"invalid/{name}.txt", result.err)


def test_every_issue_is_reported_at_once(tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "c", INVALID / "representant-hors-fonction")
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    assert len(exc.value.errors) == 5


def test_file_over_size_limit_is_refused_before_parsing(tmp_path: Path, run, monkeypatch) -> None:
    case = overlay_case(tmp_path / "gros", None)
    with (case / "convention.yaml").open("w") as fh:
        fh.write("description: |\n")
        line = "  " + "x" * 998 + "\n"
        for _ in range(50 * 1024):  # 50 MB, generated here, never committed
            fh.write(line)
    monkeypatch.chdir(tmp_path)
    result = run("check", "gros")
    assert result.code == 1
    assert "gros/convention.yaml:1:1: fichier trop volumineux" in result.err


def test_alias_bomb_stops_at_the_node_cap(monkeypatch) -> None:
    counted: list[int] = []
    original = yamlpos._Builder.build

    def spy(self, node, path):
        counted.append(1)
        return original(self, node, path)

    monkeypatch.setattr(yamlpos._Builder, "build", spy)
    with pytest.raises(yamlpos.YamlProblem):
        yamlpos.read_yaml(INVALID / "bombe-yaml" / "convention.yaml", "bombe.yaml")
    # 9**9 values if expanded; the cap stops the walk right after MAX_NODES.
    assert len(counted) <= yamlpos.MAX_NODES + 20


UNUSUAL = [
    "Fontaine & lavoir",
    "Place <centrale>",
    'Le "grand" « marché »',
    "{{ 7*7 }} et {% if x %}",
    "<w:p>balise</w:p>",
    "Halle Ω du marché ∑",
    "سوق البلدة",
    "Étude d'opportunité — ÇÀ",
]


@pytest.mark.parametrize("title", UNUSUAL)
def test_unusual_but_legitimate_values_are_accepted_as_typed(title: str, tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "c", None)
    conv = case / "convention.yaml"
    quoted = "'" + title.replace("'", "''") + "'"
    conv.write_text(conv.read_text().replace("intitule: Rénovation de la halle", f"intitule: {quoted}"))
    loaded = load_case(case)
    assert loaded.convention.fiches_actions[0].intitule == title


def test_an_emoji_no_document_font_draws_is_refused_with_its_field(tmp_path: Path) -> None:
    """The documents' fonts (Liberation Sans, DejaVu Sans, shipped) have no emoji: refused at
    load, where it was typed, rather than missing from the signed PDF."""
    case = overlay_case(tmp_path / "c", None)
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text().replace("intitule: Rénovation de la halle",
                                             "intitule: Halle 🧺 du marché"))
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    (issue,) = exc.value.errors
    assert issue.path == "fiches_actions[0].intitule"
    assert "qu'aucune police des documents ne sait dessiner" in issue.message and "🧺" in issue.message


def test_an_accent_left_over_is_refused_and_a_decomposed_letter_accepted(tmp_path: Path) -> None:
    """« é » typed as e + combining accent (as some Mac keyboards and copies give it) is the
    letter é; an accent left over on top of a letter (é + ◌́) forms no letter: refused where it
    was typed (the PDF would read it back twice)."""
    case = overlay_case(tmp_path / "c", None)
    conv = case / "convention.yaml"
    original = conv.read_text()
    conv.write_text(original.replace("intitule: Rénovation de la halle",
                                     "intitule: Re\u0301novation de la halle"))
    assert load_case(case).convention.fiches_actions[0].intitule == "Re\u0301novation de la halle"
    conv.write_text(original.replace("intitule: Rénovation de la halle",
                                     "intitule: Ré\u0301novation de la halle"))
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    (issue,) = exc.value.errors
    assert issue.path == "fiches_actions[0].intitule" and issue.line > 1
    assert "accent combinant « ◌́ » (U+0301) posé sur « é » sans former de lettre" in issue.message


def test_minimal_case_is_valid() -> None:
    assert load_case(MINIMAL).warnings == ()


def test_amounts_are_exact_decimals(tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "c", None)
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text().replace("montant: 60000}", "montant: 59999.99}"))
    loaded = load_case(case)
    row = loaded.convention.fiches_actions[0].plan_de_financement[1]
    assert str(row.montant) == "59999.99"
    assert "reste à financer : 0,01" in loaded.warnings[0].message


# ------------------------------------------------------------------ limits (issue 13, point 2)


@pytest.mark.parametrize("shape", ["[", "{a: ", "- "])
def test_100000_levels_deep_is_exit_1_with_position_not_a_crash(shape: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    case = overlay_case(tmp_path / "profond", None)
    close = {"[": "]", "{a: ": "}", "- ": ""}[shape]
    nested = shape * 100_000 + "x" + close * 100_000
    (case / "convention.yaml").write_text(("annexe:\n" + nested if shape == "- " else
                                           "annexe: " + nested) + "\n")
    result = subprocess.run([sys.executable, "-m", "docgen", "check", "profond"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr[-500:]
    assert re.search(r"profond/convention\.yaml:\d+:\d+: imbrication trop profonde : plus de 40 "
                     r"niveaux", result.stderr), result.stderr[-500:]
    assert "Traceback" not in result.stderr


def test_node_count_is_refused_before_composing(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("a: [" + ", ".join("1" for _ in range(yamlpos.MAX_NODES + 5)) + "]\n")
    with pytest.raises(yamlpos.YamlProblem) as exc:
        yamlpos.read_yaml(path, "c.yaml")
    assert "trop de valeurs dans ce fichier (plus de 200000)" in str(exc.value)


def test_a_case_file_that_is_a_fifo_is_refused_without_hanging(tmp_path: Path, run,
                                                              monkeypatch) -> None:
    import os

    case = overlay_case(tmp_path / "tube", None)
    (case / "convention.yaml").unlink()
    os.mkfifo(case / "convention.yaml")
    monkeypatch.chdir(tmp_path)
    result = run("check", "tube")
    assert result.code == 1
    assert "tube/convention.yaml:1:1: ce chemin n'est pas un fichier." in result.err


def _logo_case(tmp_path: Path) -> Path:
    case = overlay_case(tmp_path / "logos", None)
    (case / "assets" / "logos").mkdir(parents=True)
    return case


@pytest.mark.parametrize("kind", ["fifo", "zero", "outside"])
def test_asset_that_is_not_a_regular_file_of_the_case_is_refused_unread(kind: str, tmp_path: Path,
                                                                       run, monkeypatch) -> None:
    import os

    case = _logo_case(tmp_path)
    logo = case / "assets" / "logos" / "etat.svg"
    if kind == "fifo":
        os.mkfifo(logo)
        expected = "ce n'est pas un fichier ordinaire (tube, périphérique ou dossier)"
    elif kind == "zero":
        logo.symlink_to("/dev/zero")
        expected = "lien vers un fichier hors du dossier du territoire (/dev/zero)"
    else:
        (tmp_path / "secret.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
        logo.symlink_to(tmp_path / "secret.svg")
        expected = "lien vers un fichier hors du dossier du territoire"
    monkeypatch.chdir(tmp_path)
    result = run("check", "logos")
    assert result.code == 1
    assert f"logos/assets/logos/etat.svg:1:1: {expected}" in result.err, result.err


def test_a_link_inside_the_case_is_accepted(tmp_path: Path) -> None:
    case = _logo_case(tmp_path)
    (case / "assets" / "etat.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (case / "assets" / "logos" / "etat.svg").symlink_to(case / "assets" / "etat.svg")
    load_case(case)


def test_svg_fan_out_and_huge_images_are_refused(tmp_path: Path, run, monkeypatch) -> None:
    import struct
    import zlib

    case = _logo_case(tmp_path)
    uses = "".join(f"<use href='#a{i}'/>" for i in range(600))
    (case / "assets" / "logos" / "bombe.svg").write_text(
        f"<svg xmlns='http://www.w3.org/2000/svg'><g id='a0'/>{uses}</svg>")
    ihdr = struct.pack(">II5B", 100_000, 100_000, 8, 2, 0, 0, 0)
    png = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr
           + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)))
    (case / "assets" / "carte.png").write_bytes(png)
    monkeypatch.chdir(tmp_path)
    result = run("check", "logos")
    assert result.code == 1
    assert "logos/assets/carte.png:1:1: image trop grande (100000 × 100000 pixels)" in result.err
    assert "logos/assets/logos/bombe.svg:1:1: dessin SVG trop complexe" in result.err


def test_bidi_override_is_refused_at_its_column(tmp_path: Path, run, monkeypatch) -> None:
    case = overlay_case(tmp_path / "bidi", None)
    conv = case / "convention.yaml"
    conv.write_text(conv.read_text().replace("intitule: Rénovation de la halle",
                                             "intitule: Rénovation \u202ede la halle"))
    monkeypatch.chdir(tmp_path)
    result = run("check", "bidi")
    assert result.code == 1
    assert ("bidi/convention.yaml:25:26: fiches_actions[0].intitule: caractère interdit "
            "(contrôle de direction U+202E, 12e caractère du texte)") in result.err


@pytest.mark.parametrize("char", ["\u202a", "\u202e", "\u2066", "\u2069", "\u200b", "\u200f",
                                  "\ufeff", "\x85", "\x9f", "\x01"])
def test_every_invisible_or_direction_control_is_refused_with_its_field(char: str,
                                                                       tmp_path: Path) -> None:
    case = overlay_case(tmp_path / "c", None)
    conv = case / "convention.yaml"
    escaped = f"\\u{ord(char):04X}"
    conv.write_text(conv.read_text().replace("    description: Rénovation de la halle du marché.",
                                             f'    description: "Halle{escaped} du marché."'))
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    [issue] = exc.value.errors
    assert issue.path == "fiches_actions[0].description"
    assert f"U+{ord(char):04X}" in issue.message and "6e caractère" in issue.message


@pytest.mark.parametrize("svg,expected", [
    ("<svg xmlns='http://www.w3.org/2000/svg'><g>", "bombe.svg:1:"),
    ("<!DOCTYPE svg [<!ENTITY a 'aaaa'>]><svg>&a;</svg>", "il déclare des entités XML"),
    ("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
     "élément actif « <script> »"),
    # a drawing that reads a file or an address (Typst would read a relative one beside it)
    ("<svg xmlns='http://www.w3.org/2000/svg'><image href='convention.yaml'/></svg>",
     "il renvoie à un fichier ou à une adresse hors de lui-même (« convention.yaml »)"),
    ("<svg xmlns='http://www.w3.org/2000/svg' xmlns:x='http://www.w3.org/1999/xlink'>"
     "<image x:href='file:///etc/passwd'/></svg>", "(« file:///etc/passwd »)"),
    ("<svg xmlns='http://www.w3.org/2000/svg'><rect fill='url(https://x.fr/a#b)'/></svg>",
     "hors de lui-même (« url(https://x.fr/a#b) »)"),
    ("<svg xmlns='http://www.w3.org/2000/svg'><style>@import url(a.css);</style></svg>",
     "hors de lui-même (« @import url(a.css); »)"),
    # what the CSS of a <style> says after a comment, in capitals
    ("<svg xmlns='http://www.w3.org/2000/svg'><style>/* */ rect{fill:URL(b.svg#g)}</style></svg>",
     "hors de lui-même"),
    ("<?xml-stylesheet href='a.css'?><svg xmlns='http://www.w3.org/2000/svg'/>",
     "(« <?xml-stylesheet …?> »)"),
    # effects a renderer may spend hours on, a drawing inside the drawing, too much path data
    ("<svg xmlns='http://www.w3.org/2000/svg'><filter id='f'><feMorphology radius='1e6'/>"
     "</filter><rect filter='url(#f)' width='9' height='9'/></svg>", "effet « <filter> »"),
    ("<svg xmlns='http://www.w3.org/2000/svg'><image href='data:image/svg+xml;utf8,&lt;svg/&gt;'/>"
     "</svg>", "il incorpore un autre dessin SVG"),
    ("<svg xmlns='http://www.w3.org/2000/svg'><path d='M0 0" + " L1 1" * 50_000 + "'/></svg>",
     "plus de 200000 caractères de tracés et de texte"),
    # a picture inside the drawing: the pixels of any image (its header is enough to tell)
    ("<svg xmlns='http://www.w3.org/2000/svg'><image href='data:image/png;base64,"
     + __import__("base64").b64encode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
                                      + (30000).to_bytes(4, "big") * 2).decode()
     + "'/></svg>", "image trop grande (30000 × 30000 pixels)"),
])
def test_broken_or_active_svg_is_refused_in_french(svg: str, expected: str, tmp_path: Path,
                                                   run, monkeypatch) -> None:
    case = _logo_case(tmp_path)
    (case / "assets" / "logos" / "bombe.svg").write_text(svg)
    monkeypatch.chdir(tmp_path)
    result = run("check", "logos")
    assert result.code == 1 and expected in result.err, result.err
    assert "Traceback" not in result.err


# ------------------------------------------------------------------ issue 23: typed queries, and
# check refuses, at the line, what the build would fail on

def _example_with(tmp_path: Path, edit) -> Path:
    """A copy of the example with one text edit: edit(rel) → {rel: new text}."""
    case = overlay_case(tmp_path / "cas", None, EXAMPLE)
    for rel, text in edit(lambda r: (case / r).read_text(encoding="utf-8")).items():
        (case / rel).write_text(text, encoding="utf-8")
    return case


def _issues(case: Path) -> list[str]:
    with pytest.raises(CaseInvalid) as exc:
        load_case(case)
    return [i.format() for i in exc.value.errors if i.is_error]


def test_who_represents_a_party_is_a_person_or_a_typed_reason() -> None:
    import datetime as dt

    from docgen.model.representation import (
        RepresentantIntrouvable,
        SansRepresentant,
        representant,
        representant_at,
        representant_copil,
        representant_copil_at,
    )
    etat = next(p for p in load_case(EXAMPLE).territoire.parties if p.id == "etat")
    day = dt.date(2024, 11, 8)  # the préfet and the sous-préfète are both in office
    several = representant_at(etat, day, None)
    assert isinstance(several, SansRepresentant) and several.motif == "plusieurs"
    assert [r.nom for r in several.en_fonction] == ["Dominique DUFOUR", "Dalila ZANE"]
    assert "précisez « representant: … »" in several.message
    assert representant_at(etat, day, "Dalila ZANE").nom == "Dalila ZANE"
    assert representant_at(etat, day, "Joël GIRAUD").motif == "hors_fonction"
    assert representant_at(etat, day, "Personne").motif == "inconnu"
    assert representant_copil_at(etat, day).nom == "Dominique DUFOUR"  # the first in office
    assert representant_copil(etat, day).nom == "Dominique DUFOUR"
    before = dt.date(2020, 1, 1)
    assert representant_copil_at(etat, before).motif == "personne"
    with pytest.raises(RepresentantIntrouvable) as exc:
        representant(etat, before, None)
    assert exc.value.absence.motif == "personne" and exc.value.absence.partie == "etat"
    with pytest.raises(RepresentantIntrouvable):
        representant_copil(etat, before)


@pytest.mark.parametrize("field", ["convoquent", "preside"])
def test_a_copil_convened_or_chaired_by_a_party_nobody_represents_is_refused_at_its_line(
        field: str, tmp_path: Path, run) -> None:
    rel = "copils/2024-11-08.yaml"
    old = {"convoquent": "convoquent: [commune-argentiere, cc-pays-des-ecrins]",
           "preside": "preside: cc-pays-des-ecrins"}[field]
    new = {"convoquent": "convoquent: [commune-argentiere, anah]", "preside": "preside: anah"}[field]
    case = _example_with(tmp_path, lambda read: {rel: read(rel).replace(old, new)})
    line = next(i for i, t in enumerate((case / rel).read_text().splitlines(), 1) if t == new)
    issues = _issues(case)
    where = "convoquent[1]" if field == "convoquent" else "preside"
    assert len(issues) == 1 and issues[0].startswith(f"{case / rel}:{line}:"), issues
    assert f": {where}: personne ne représente l'Agence nationale de l'habitat le 18 octobre " \
           "2024, date d'édition des documents du COPIL" in issues[0]
    result = run("build", case, "--doc", "copil", "--no-pdf", "--out", tmp_path / "out")
    assert result.code == 1 and "Traceback" not in result.err  # refused, not exit 70


def test_a_copil_whose_convener_left_office_before_its_edition_date_is_refused(
        tmp_path: Path) -> None:
    # the maire leaves office on 30 November 2025: the last COPIL's papers are dated 19 December
    case = _example_with(tmp_path, lambda read: {"territoire.yaml": read("territoire.yaml").replace(
        "du: 2022-07-01          # illustratif", "du: 2022-07-01\n        au: 2025-11-30  #")})
    issues = _issues(case)
    assert len(issues) == 1, issues
    assert "copils/2026-01-16.yaml:14:" in issues[0]
    assert ("convoquent[0]: personne ne représente la Commune de L'Argentière-La Bessée le "
            "19 décembre 2025, date d'édition des documents du COPIL : ajoutez son représentant "
            "dans territoire.yaml (connus : Patrick VIGNE du 25 mai 2020 au 30 juin 2022; Alain "
            "SANCHEZ du 1er juillet 2022 au 30 novembre 2025), ou corrigez « date_edition ».") \
        in issues[0], issues


@pytest.mark.parametrize("date", ["9999-12-31", "1899-12-31", "2200-01-01"])
def test_a_date_out_of_a_case_s_range_is_refused_where_it_is_written(date: str,
                                                                     tmp_path: Path) -> None:
    # 9999-12-31 as the end of an action made the slides' timeline fail (year 10000)
    case = overlay_case(tmp_path / "cas", None)
    text = (case / "convention.yaml").read_text().replace("fin: 2025-06-30", f"fin: {date}")
    (case / "convention.yaml").write_text(text)
    assert _issues(case) == [
        f"{case / 'convention.yaml'}:31:42: fiches_actions[0].calendrier.fin: date du {date} "
        "hors des bornes d'un dossier (de 1900 à 2199) : vérifiez l'année."]


def test_a_text_the_documents_properties_repeat_is_refused_when_too_long(tmp_path: Path) -> None:
    # the EPCI's name is every document's author: python-docx refuses more than 255 characters
    case = overlay_case(tmp_path / "cas", None)
    text = (case / "territoire.yaml").read_text().replace(
        "nom: la Communauté de communes du Val d'Essai", "nom: la Communauté " + "x" * 250)
    (case / "territoire.yaml").write_text(text)
    issues = _issues(case)
    assert len(issues) == 1 and ":22:10: parties[1].nom: 264 caractères : ce texte est repris " \
        "dans les propriétés des documents" in issues[0], issues


def test_amounts_and_dates_as_people_type_them(tmp_path: Path) -> None:
    """« 100 000 € », « 40 000,00 », « 15/01/2024 »: read as 100000, 40000 and the 15th of
    January 2024, the same as the canonical forms (issue 27, item 2)."""
    case = overlay_case(tmp_path / "saisie", None)
    path = case / "convention.yaml"
    text = path.read_text(encoding="utf-8")
    typed = (text.replace("date_edition: 2024-01-15", "date_edition: 15/01/2024")
             .replace("cout: {montant: 100000, base: HT}", "cout: {montant: 100 000 €, base: HT}")
             .replace("{financeur: detr, montant: 40000, statut: acquis}",
                      "{financeur: detr, montant: '40 000,00', statut: acquis}"))
    assert typed != text
    path.write_text(typed, encoding="utf-8")
    typed_case = load_case(case)
    plain = load_case(MINIMAL)
    assert typed_case.convention.date_edition == plain.convention.date_edition
    assert typed_case.convention.fiches_actions[0].cout == plain.convention.fiches_actions[0].cout
    assert (typed_case.convention.fiches_actions[0].plan_de_financement
            == plain.convention.fiches_actions[0].plan_de_financement)


@pytest.mark.parametrize("value, expected", [
    ("31/02/2024", "date attendue (JJ/MM/AAAA ou AAAA-MM-JJ), trouvé « 31/02/2024 »"),
    ("1.000,5", "montant attendu (ex. 150000, 240 550 € ou 4525,85), trouvé « 1.000,5 »"),
])
def test_a_typed_value_that_is_no_date_or_amount_is_refused_at_its_line(
        tmp_path: Path, value: str, expected: str) -> None:
    case = overlay_case(tmp_path / "saisie", None)
    path = case / "convention.yaml"
    text = path.read_text(encoding="utf-8")
    field = "date_edition: 2024-01-15" if "/" in value else "cout: {montant: 100000, base: HT}"
    new = f"date_edition: {value}" if "/" in value else f"cout: {{montant: '{value}', base: HT}}"
    path.write_text(text.replace(field, new), encoding="utf-8")
    with pytest.raises(CaseInvalid) as err:
        load_case(case)
    assert expected in str(err.value) and "convention.yaml:" in str(err.value)


def test_a_mistyped_id_gets_the_closest_known_one_offered(tmp_path: Path) -> None:
    """« vouliez-vous dire … ? » after the list of known ids, only when one is close."""
    case = overlay_case(tmp_path / "faute", None)
    path = case / "convention.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("maitre_ouvrage: commune-bourg", "maitre_ouvrage: commune-bour",
                                 1), encoding="utf-8")
    with pytest.raises(CaseInvalid) as err:
        load_case(case)
    assert "partie « commune-bour » inconnue" in str(err.value)
    assert "(vouliez-vous dire « commune-bourg » ?)" in str(err.value)
    path.write_text(text.replace("maitre_ouvrage: commune-bourg", "maitre_ouvrage: zzz", 1),
                    encoding="utf-8")
    with pytest.raises(CaseInvalid) as err:
        load_case(case)
    assert "partie « zzz » inconnue" in str(err.value) and "vouliez-vous" not in str(err.value)
