"""Rebuild the Word templates of templates/docx/ (python-docx): `make templates`.

The templates are ordinary Word files: legal staff may edit them in Word or LibreOffice
afterwards. This script is how they were made, so a template can always be rebuilt from text.
Everything that must survive the trip to PDF is carried by a named style (mapped to HTML by
docgen/render/pdf.py), never by direct formatting.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from docgen.formatting import typo  # noqa: E402
from docgen.render.docx import normalise_zip  # noqa: E402

OUT = Path(__file__).resolve().parent / "docx"
FONT = "Arial"  # Word has it everywhere; LibreOffice and our PDFs use metric-compatible Liberation Sans
TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})")
BLACK = RGBColor(0, 0, 0)
BLUE = RGBColor(0x1F, 0x3A, 0x5F)

# name, base, size, bold, align, space before, space after, extra
STYLES = [
    ("Corps", "Normal", 10.5, False, "justify", 0, 6, {}),
    ("Titre document", "Title", 18, True, "center", 24, 6, {"caps": True, "color": BLUE}),
    ("Sous-titre document", "Normal", 13, True, "center", 0, 6, {"color": BLUE}),
    ("Mention projet", "Normal", 20, True, "center", 0, 12, {"color": RGBColor(0xC0, 0, 0)}),
    ("Liaison", "Normal", 10.5, True, "center", 12, 12, {}),
    ("Partie", "Normal", 10.5, False, "justify", 0, 8, {}),
    ("Titre section", "Heading 1", 13, True, "left", 18, 8, {"color": BLUE}),
    ("Titre article", "Heading 1", 12, True, "left", 18, 6, {"color": BLUE}),
    ("Sous-titre article", "Heading 2", 11, True, "left", 10, 4, {"color": BLACK}),
    ("Liste", "Normal", 10.5, False, "justify", 0, 3, {"indent": 0.6}),
    ("Fait a", "Normal", 10.5, False, "left", 0, 12, {"page_break": True, "keep": True}),
    ("Signature partie", "Normal", 10.5, True, "left", 18, 0, {"keep": True}),
    ("Signature qualite", "Normal", 10.5, False, "left", 0, 0, {"keep": True}),
    ("Signature nom", "Normal", 10.5, True, "left", 48, 6, {"keep_together": True}),
    ("Titre annexe", "Heading 1", 14, True, "center", 0, 12, {"color": BLUE, "page_break": True}),
    ("Titre fiche", "Heading 2", 12, True, "left", 0, 8, {"color": BLUE}),
    ("Tableau", "Normal", 9, False, "left", 0, 0, {}),
    ("Tableau montant", "Normal", 9, False, "right", 0, 0, {}),
    ("Tableau entete", "Normal", 9, True, "left", 0, 0, {}),
    ("Tableau total", "Normal", 9, True, "left", 0, 0, {}),
    ("Tableau total montant", "Normal", 9, True, "right", 0, 0, {}),
    ("Mention", "Normal", 9, False, "left", 0, 6, {"italic": True}),
    ("Expediteur", "Normal", 10.5, True, "left", 0, 0, {}),
    ("Date lettre", "Normal", 10.5, False, "right", 18, 18, {}),
    ("Objet lettre", "Normal", 10.5, True, "left", 0, 12, {}),
    ("Signature lettre", "Normal", 10.5, False, "left", 18, 0, {"keep": True}),
    ("Signature lettre nom", "Normal", 10.5, True, "left", 24, 6, {}),
]
ALIGN = {
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


def new_document(title: str) -> Document:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name, base, size, bold, align, before, after, extra in STYLES:
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles[base]
        st.quick_style = True
        st.font.name = FONT
        st.font.size = Pt(size)
        st.font.bold = bold
        st.font.italic = extra.get("italic", False)
        st.font.all_caps = extra.get("caps", False)
        st.font.color.rgb = extra.get("color", BLACK)
        pf = st.paragraph_format
        pf.alignment = ALIGN[align]
        pf.space_before = Pt(before)
        pf.space_after = Pt(after)
        pf.line_spacing = 1.1 if not name.startswith("Tableau") else 1.0
        if "indent" in extra:
            pf.left_indent = Cm(extra["indent"])
            pf.first_line_indent = Cm(-0.4)
        if extra.get("keep"):
            pf.keep_with_next = True
            pf.keep_together = True
        if base.startswith("Heading"):
            pf.keep_with_next = True
        if extra.get("keep_together"):
            pf.keep_together = True
        if extra.get("page_break"):
            pf.page_break_before = True
        if name == "Titre document":  # the Title style draws a bottom border: drop it
            ppr = st.element.get_or_add_pPr()
            for border in ppr.findall(qn("w:pBdr")):
                ppr.remove(border)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.3)
    sec.top_margin, sec.bottom_margin = Cm(2.2), Cm(2.2)
    sec.header_distance = sec.footer_distance = Cm(1.0)
    header = sec.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.add_run("{% if consolidee %}{{ consolidee }}{% elif projet %}PROJET – document de "
                   "travail non signé{% endif %}")
    footer = sec.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("{{ pied_de_page }} – page ")
    _field(footer, "PAGE")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES")
    for st in ("Header", "Footer"):
        doc.styles[st].font.size = Pt(8)
        doc.styles[st].font.name = FONT
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "docgen", "docgen"
    props.comments = props.subject = props.keywords = ""
    import datetime as dt

    props.created = props.modified = dt.datetime(2000, 1, 1)
    props.revision = 1
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    return doc


def _field(paragraph, instr: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _fixed_grid(table, widths: list[float]) -> None:
    """Column widths in the grid and a fixed layout: what Word and LibreOffice both honour."""
    tbl = table._tbl
    for col, width in zip(tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(Cm(width).twips))
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(Cm(w).twips for w in widths)))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)


def wording(text: str) -> str:
    """French typography on the template's own words, never inside Jinja tags."""
    return "".join(part if TAG.fullmatch(part) else typo(part) for part in TAG.split(text))


class Writer:
    """A tiny vocabulary for writing a template: paragraphs, tags, tables."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def p(self, text: str = "", style: str = "Corps") -> None:
        para = self.doc.add_paragraph(style=style)
        if text:
            para.add_run(wording(text))

    def bookmark(self, name: str, ident: str) -> None:
        """A bookmark around the last paragraph: the PDF places a signature field there."""
        para = self.doc.paragraphs[-1]._p
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), ident)
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), ident)
        para.insert(1 if para.pPr is not None else 0, start)
        para.append(end)

    def page_break(self) -> None:
        para = self.doc.add_paragraph(style="Corps")
        run = para.add_run()
        br = OxmlElement("w:br")
        br.set(qn("w:type"), "page")
        run._r.append(br)

    def tag(self, statement: str) -> None:
        """A paragraph-level Jinja statement ({%p … %}): the paragraph disappears at rendering."""
        self.doc.add_paragraph("{%p " + statement + " %}", style="Corps")

    def each(self, loop: str, text: str, style: str = "Corps") -> None:
        self.tag(f"for {loop}")
        self.p(text, style)
        self.tag("endfor")

    def paragraphs(self, expr: str, style: str = "Corps") -> None:
        self.each(f"texte in {expr}", "{{ texte }}", style)

    def table(self, widths: list[float], header: list[str], rows: list[list[str]],
              numeric: set[int] = frozenset()) -> None:
        """rows: lists of cell texts; a row whose first cell starts with '{%tr' is a loop tag.
        A row starting with '!' is a total row (bold)."""
        table = self.doc.add_table(rows=1 + len(rows), cols=len(widths))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _fixed_grid(table, widths)
        self._row(table.rows[0], widths, header, "Tableau entete", "Tableau entete", numeric)
        tr_pr = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for row, cells in zip(table.rows[1:], rows):
            if cells[0].startswith("{%tr"):
                row.cells[0].paragraphs[0].add_run(cells[0])
                continue
            total = cells[0].startswith("!")
            if total:
                cells = [cells[0][1:], *cells[1:]]
            span = len(widths) - len(cells) + 1  # fewer cells than columns: the first one spans
            if span > 1:
                merged = row.cells[0].merge(row.cells[span - 1])
                cells = [cells[0]] + [""] * (span - 1) + cells[1:]
                merged.paragraphs[0].style = self.doc.styles["Tableau total" if total else "Tableau"]
            self._row(row, widths, cells, "Tableau total" if total else "Tableau",
                      "Tableau total montant" if total else "Tableau montant", numeric)
        self.doc.add_paragraph(style="Mention")

    def _row(self, row, widths, cells, style, num_style, numeric) -> None:
        seen: list[object] = []  # a merged cell appears once per column it spans
        for i, (cell, text) in enumerate(zip(row.cells, cells, strict=True)):
            if any(cell._tc is s for s in seen):
                continue
            seen.append(cell._tc)
            span = sum(1 for c in row.cells if c._tc is cell._tc)
            cell.width = Cm(sum(widths[i:i + span]))  # Word reads the cell widths, LibreOffice the grid
            para = cell.paragraphs[0]
            para.style = self.doc.styles[num_style if i in numeric else style]
            if text:
                para.add_run(wording(text))


PARTIES = (
    "{{ p.nom|majuscule_initiale }}, {{ p.represente }} par "
    "{% for r in p.representants %}{% if not loop.first %} et par {% endif %}"
    "{{ r.civilite }} {{ r.nom }}, {{ r.fonction }}"
    "{% if r.delegation %}, agissant pour {{ r.delegation }} et par délégation{% endif %}"
    "{% endfor %}"
    "{% if p.deliberation %}, {{ p.autorise }} à l'effet des présentes suivant délibération "
    "n° {{ p.deliberation.numero }} en date du {{ p.deliberation.date|date_longue }}{% endif %}, "
    "ci-après {{ p.designe }} « {{ p.designation }} »,"
)


def parties_block(w: Writer) -> None:
    w.p("ENTRE", "Liaison")
    w.each("p in parties_une_part", PARTIES, "Partie")
    w.p("d'une part,", "Liaison")
    w.p("ET", "Liaison")
    w.each("p in parties_autre_part", PARTIES, "Partie")
    w.p("d'autre part,", "Liaison")
    w.tag("if en_presence_de")
    w.p("EN PRÉSENCE DE", "Liaison")
    w.each("nom in en_presence_de", "{{ nom|majuscule_initiale }},", "Partie")
    w.tag("endif")


def signatures(w: Writer) -> None:
    w.p("Fait à {{ signature.lieu }}, le {% if signature.date %}{{ signature.date|date_longue }}"
        "{% else %}……………………{% endif %}"
        "{% if signature.papier %}, en {{ signature.exemplaires }} exemplaires originaux{% endif %}.",
        "Fait a")
    w.tag("for s in signataires")
    w.p("Pour {{ s.pour }},", "Signature partie")
    w.bookmark("{{s.champ}}", "{{900+loop.index}}")  # no spaces: office suites rewrite them
    w.tag("if s.delegation")
    w.p("Pour {{ s.delegation }} et par délégation,", "Signature qualite")
    w.tag("endif")
    w.p("{{ s.article_fonction }} {{ s.fonction }},", "Signature qualite")
    w.p("{{ s.nom }}", "Signature nom")
    w.tag("endfor")


def title_block(w: Writer, first: str, second: str, consolidable: bool = False) -> None:
    if consolidable:
        w.tag("if consolidee")
        w.p("{{ consolidee }}", "Mention projet")
        w.tag("elif projet")
    else:
        w.tag("if projet")
    w.p("PROJET", "Mention projet")
    w.tag("endif")
    w.p(first, "Titre document")
    w.p(second, "Sous-titre document")
    w.p("{% for c in communes %}{% if not loop.first %}, {% endif %}Commune de {{ c }}{% endfor %}"
        " – {{ epci.nom|majuscule_initiale }}", "Sous-titre document")
    w.p("Département des {{ territoire.departement }}", "Sous-titre document")


def article(w: Writer, key: str, title: str, annotated: bool = False) -> None:
    w.p("{{ article." + key + " }} – " + title, "Titre article")
    if annotated:
        note(w, "modifie." + key)


def note(w: Writer, expr: str) -> None:
    """« Modifié par l'avenant n° … » in a consolidated version; nothing otherwise."""
    w.tag(f"if {expr}")
    w.p("{{ " + expr + " }}", "Mention")
    w.tag("endif")


def fiche_sheets(w: Writer, loop: str, annotated: bool) -> None:
    """One sheet per action: every field of the model, the financing plan with percentages."""
    w.tag(f"for f in {loop}")
    w.tag("if not loop.first")
    w.page_break()
    w.tag("endif")
    w.p("Fiche action n° {{ f.numero }} – {{ f.intitule }}", "Titre fiche")
    if annotated:
        note(w, "f.modifie")
    w.table(
        [4.2, 12.2],
        ["Rubrique", "Contenu"],
        [
            ["Axe", "{{ f.axe }}"],
            ["Maître d'ouvrage", "{{ f.maitre_ouvrage|majuscule_initiale }}"],
            ["Partenaires", "{% for x in f.partenaires %}{% if not loop.first %}, {% endif %}"
             "{{ x }}{% else %}—{% endfor %}"],
            ["Secteur d'intervention", "{% if f.secteur %}{{ f.secteur }}{% else %}Hors "
             "secteur d'intervention{% endif %}{% if f.localisation %} – {{ f.localisation }}"
             "{% endif %}"],
            ["Type d'action", "{{ f.type }}"],
            ["Statut", "{{ f.statut }}"],
            ["Maturité", "{{ f.maturite }}"],
            ["Calendrier", "Du {{ f.calendrier.debut|date_longue }} au "
             "{{ f.calendrier.fin|date_longue }}"],
            ["Coût estimatif", "{{ f.cout|montant }} {{ f.base }}"],
        ],
    )
    w.p("Description", "Sous-titre article")
    w.p("{{ f.description }}")
    w.tag("if f.objectifs")
    w.p("Objectifs", "Sous-titre article")
    w.each("o in f.objectifs", "– {{ o }}", "Liste")
    w.tag("endif")
    w.tag("if f.calendrier.phases")
    w.p("Phases", "Sous-titre article")
    w.each("ph in f.calendrier.phases", "– {{ ph.libelle }} : du {{ ph.debut|date_longue }} au "
           "{{ ph.fin|date_longue }}", "Liste")
    w.tag("endif")
    w.p("Plan de financement", "Sous-titre article")
    w.table(
        [5.6, 3.4, 2.4, 2.8, 2.2],
        ["Financeur", "Dispositif", "Statut", "Montant", "Part du coût"],
        [
            ["{%tr for l in f.financement %}"],
            ["{{ l.financeur }}", "{{ l.dispositif or '—' }}", "{{ l.statut }}",
             "{{ l.montant|montant }}", "{{ l.montant|pourcentage(f.cout) }}"],
            ["{%tr endfor %}"],
            ["{%tr if f.reste %}"],
            ["Reste à financer", "{{ f.reste|montant }}", "{{ f.reste|pourcentage(f.cout) }}"],
            ["{%tr endif %}"],
            ["!Coût de l'action", "{{ f.cout|montant }} {{ f.base }}", "100 %"],
        ],
        numeric={3, 4},
    )
    w.tag("if f.indicateurs")
    w.p("Indicateurs", "Sous-titre article")
    w.each("i in f.indicateurs", "– {{ i }}", "Liste")
    w.tag("endif")
    w.tag("endfor")


def maquette_par_action(w: Writer) -> None:
    w.table(
        [0.9, 5.0, 2.7, 2.4, 2.4, 2.1, 1.5],
        ["N°", "Action", "Coût", "Acquis", "Sollicité", "Reste à financer", "Taux"],
        [
            ["{%tr for f in fiches %}"],
            ["{{ f.numero }}", "{{ f.intitule }}", "{{ f.cout|montant }} {{ f.base }}",
             "{{ f.acquis|montant }}", "{{ f.sollicite|montant }}", "{{ f.reste|montant }}",
             "{{ f.finance|pourcentage(f.cout) }}"],
            ["{%tr endfor %}"],
            ["!Total", "{{ maquette.total|montant }}", "{{ maquette.acquis|montant }}",
             "{{ maquette.sollicite|montant }}", "{{ maquette.reste|montant }}",
             "{{ maquette.finance|pourcentage(maquette.total) }}"],
        ],
        numeric={2, 3, 4, 5, 6},
    )


def build_convention() -> Document:
    doc = new_document("Convention-cadre Petites Villes de Demain valant ORT")
    w = Writer(doc)
    title_block(w, "Convention-cadre Petites Villes de Demain",
                "valant Opération de Revitalisation de Territoire", consolidable=True)
    parties_block(w)
    note(w, "modifie.parties")
    w.p("IL EST CONVENU CE QUI SUIT :", "Liaison")

    w.p("Préambule", "Titre section")
    note(w, "modifie.preambule")
    w.paragraphs("textes.preambule")

    article(w, "objet", "Objet de la convention", annotated=True)
    w.p("La présente convention-cadre a pour objet de décrire les modalités de mise en œuvre du "
        "programme Petites Villes de Demain pour {% for c in communes %}{% if not loop.first %}, "
        "{% endif %}la commune de {{ c }}{% endfor %} et {{ epci.nom }}.")
    w.p("Elle vaut convention d'Opération de Revitalisation de Territoire (ORT) au sens de "
        "l'article L. 303-2 du code de la construction et de l'habitation. Elle en définit les "
        "secteurs d'intervention ({{ cf.strategie }}), le plan d'action ({{ cf.plan }}) et la "
        "maquette financière ({{ cf.engagements }}).")

    article(w, "ambitions", "Ambitions du territoire", annotated=True)
    w.paragraphs("textes.ambitions")

    article(w, "strategie", "Orientations stratégiques et secteurs d'intervention", annotated=True)
    w.paragraphs("textes.strategie")
    w.p("Orientations stratégiques", "Sous-titre article")
    w.p("Le projet de revitalisation s'organise selon les axes suivants :")
    w.tag("for a in axes")
    w.p("– {{ a.intitule }}{% if a.transversal %} (axe transversal){% endif %}"
        "{% for o in a.orientations %} : {{ o }}{% endfor %}", "Liste")
    w.tag("endfor")
    w.p("Secteurs d'intervention", "Sous-titre article")
    w.p("Les actions de l'Opération de Revitalisation de Territoire sont conduites dans les "
        "secteurs d'intervention suivants, délimités en {{ cf_annexe.secteurs }} :")
    w.tag("for s in secteurs")
    w.p("– {{ s.nom }} ({{ s.commune }}){% if s.centre_ville %}, centre-ville de la ville "
        "principale{% endif %}{% if s.description %} : {{ s.description }}{% endif %}", "Liste")
    w.tag("endfor")

    article(w, "plan", "Plan d'action", annotated=True)
    w.p("Le plan d'action comprend {{ nombre_fiches }} actions, présentées ci-dessous par axe et "
        "détaillées chacune dans une fiche action en {{ cf_annexe.fiches }}. Les actions « en "
        "maturation » seront précisées lors des comités de projet ; le plan d'action évolue par "
        "avenant ({{ cf.evolution }}).")
    w.table(
        [1.0, 6.4, 3.4, 1.9, 2.3, 2.4],
        ["N°", "Action", "Maître d'ouvrage", "Type", "Maturité", "Coût estimatif"],
        [
            ["{%tr for g in plan %}"],
            ["!{{ g.axe }}{% if g.transversal %} (axe transversal){% endif %}",
             "{{ g.cout|montant }}"],
            ["{%tr for f in g.fiches %}"],
            ["{{ f.numero }}", "{{ f.intitule }}", "{{ f.maitre_ouvrage_court|majuscule_initiale }}",
             "{{ f.type }}", "{{ f.maturite }}", "{{ f.cout|montant }} {{ f.base }}"],
            ["{%tr endfor %}"],
            ["{%tr endfor %}"],
            ["!Total du programme", "{{ maquette.total|montant }} {{ maquette.base }}"],
        ],
        numeric={5},
    )

    article(w, "ingenierie", "Ingénierie", annotated=True)
    w.paragraphs("textes.ingenierie")

    article(w, "engagements", "Engagements des partenaires et maquette financière", annotated=True)
    w.p("Les parties s'engagent à mobiliser leurs moyens, humains et financiers, pour la réussite "
        "du programme, dans la limite de leurs règles d'intervention et des crédits disponibles. "
        "Les financements mentionnés ci-dessous sont prévisionnels : chaque aide fait l'objet "
        "d'une décision de son financeur.")
    w.p("Le coût prévisionnel du plan d'action s'élève à {{ maquette.total|montant_en_lettres }} "
        "({{ maquette.base }}), dont {{ maquette.acquis|montant_en_lettres }} de financements "
        "acquis et {{ maquette.sollicite|montant_en_lettres }} de financements sollicités"
        "{% if maquette.reste %} ; il reste {{ maquette.reste|montant_en_lettres }} à "
        "financer{% endif %}.")
    w.p("Maquette financière par action", "Sous-titre article")
    maquette_par_action(w)
    w.p("Maquette financière par financeur", "Sous-titre article")
    w.table(
        [6.4, 2.8, 2.8, 2.8, 2.6],
        ["Financeur", "Acquis", "Sollicité", "Total", "Part du coût"],
        [
            ["{%tr for l in maquette.financeurs %}"],
            ["{{ l.nom }}", "{{ l.acquis|montant }}", "{{ l.sollicite|montant }}",
             "{{ l.total|montant }}", "{{ l.total|pourcentage(maquette.total) }}"],
            ["{%tr endfor %}"],
            ["!Total des financements", "{{ maquette.acquis|montant }}",
             "{{ maquette.sollicite|montant }}", "{{ maquette.finance|montant }}",
             "{{ maquette.finance|pourcentage(maquette.total) }}"],
        ],
        numeric={1, 2, 3, 4},
    )

    article(w, "gouvernance", "Gouvernance", annotated=True)
    w.paragraphs("textes.gouvernance")

    article(w, "suivi", "Suivi et évaluation", annotated=True)
    w.tag("if textes.suivi_evaluation")
    w.paragraphs("textes.suivi_evaluation")
    w.tag("else")
    w.p("L'avancement du plan d'action est présenté à chaque comité de projet, à partir des "
        "indicateurs de chaque fiche action.")
    w.tag("endif")

    article(w, "resultats", "Résultats attendus", annotated=True)
    w.tag("if textes.resultats_attendus")
    w.each("r in textes.resultats_attendus", "– {{ r }}", "Liste")
    w.tag("else")
    w.p("Les résultats attendus sont précisés dans chaque fiche action.")
    w.tag("endif")

    article(w, "logos", "Utilisation des logos", annotated=True)
    w.p("Chaque partie autorise les autres à utiliser son nom et son logo pour faire connaître "
        "les actions de la présente convention, dans le respect de sa charte graphique. La "
        "marque de l'État est réservée aux services de l'État.")

    article(w, "duree", "Entrée en vigueur et durée", annotated=True)
    w.p("La présente convention entre en vigueur à compter de sa signature par l'ensemble des "
        "parties, pour une durée de {{ duree_ans|nombre_en_lettres }} ({{ duree_ans }}) ans"
        "{% if date_fin %}, soit jusqu'au {{ date_fin|date_longue }}{% endif %}.")

    article(w, "evolution", "Évolution et mise à jour", annotated=True)
    w.p("La convention est modifiée par avenant signé par l'ensemble des parties, après avis du "
        "comité de projet prévu à l'{{ cf.gouvernance }}. Les secteurs d'intervention, les fiches "
        "actions et la maquette financière peuvent ainsi être complétés ou modifiés.")

    article(w, "resiliation", "Résiliation", annotated=True)
    w.p("Chaque partie peut mettre fin à sa participation à la présente convention par lettre "
        "recommandée avec accusé de réception adressée aux autres parties, avec un préavis de "
        "trois mois. Les engagements financiers déjà pris demeurent.")

    article(w, "litiges", "Litiges", annotated=True)
    w.p("Les parties recherchent d'abord un règlement amiable de tout différend relatif à la "
        "présente convention. À défaut, le litige est porté devant le tribunal administratif de "
        "{{ territoire.tribunal_administratif }}.")

    signatures(w)

    w.p("{{ annexe.secteurs }} – Secteurs d'intervention", "Titre annexe")
    note(w, "modifie.secteurs")
    w.tag("for s in secteurs")
    w.p("{{ s.nom }}", "Sous-titre article")
    w.p("Commune : {{ s.commune }}{% if s.centre_ville %} – centre-ville de la ville principale"
        "{% endif %}")
    w.tag("if s.description")
    w.p("{{ s.description }}")
    w.tag("endif")
    w.tag("endfor")

    w.p("{{ annexe.fiches }} – Fiches actions", "Titre annexe")
    w.p("Une fiche par action du plan d'action ({{ cf.plan }}). Montants en euros.")
    fiche_sheets(w, "fiches", annotated=True)
    return doc


def build_adhesion() -> Document:
    doc = new_document("Convention d'adhésion Petites Villes de Demain")
    w = Writer(doc)
    title_block(w, "Convention d'adhésion", "au programme Petites Villes de Demain")
    parties_block(w)
    w.p("IL EST CONVENU CE QUI SUIT :", "Liaison")
    w.p("Préambule", "Titre section")
    w.paragraphs("textes.preambule")

    article(w, "objet", "Objet de la convention")
    w.p("La présente convention a pour objet de confirmer l'engagement des parties dans le "
        "programme Petites Villes de Demain et d'en préciser les engagements réciproques "
        "({{ cf.collectivites }} à {{ cf.partenaires }}) jusqu'à la signature de la "
        "convention-cadre ({{ cf.duree }}).")
    w.p("Elle permet, dès sa signature, de mobiliser les financements du poste de chef de projet "
        "({{ cf.chef_de_projet }}).")

    article(w, "collectivites", "Engagements des collectivités bénéficiaires")
    w.paragraphs("textes.engagements_collectivites")
    article(w, "etat", "Engagements de l'État")
    w.paragraphs("textes.engagements_etat")
    article(w, "partenaires", "Engagements des partenaires")
    w.paragraphs("textes.engagements_partenaires")

    article(w, "chef_de_projet", "Le chef de projet Petites Villes de Demain")
    w.p("{{ chef_de_projet.recrutement }}")
    w.p("Le chef de projet pilote l'élaboration de la convention-cadre et coordonne la mise en "
        "œuvre du programme aux côtés des élus et des services.")
    w.tag("if chef_de_projet.cofinanceurs")
    w.p("Le poste est cofinancé{% if chef_de_projet.taux %} à hauteur de "
        "{{ chef_de_projet.taux|taux }} au plus{% endif %} par "
        "{% for c in chef_de_projet.cofinanceurs %}{% if not loop.first %}{% if loop.last %} et "
        "{% else %}, {% endif %}{% endif %}{{ c }}{% endfor %}, le reste étant à la charge de "
        "la collectivité employeuse.")
    w.tag("endif")

    article(w, "gouvernance", "Gouvernance")
    w.p("Un comité de projet, coprésidé par le maire et le président de l'intercommunalité, "
        "réunit les signataires et les partenaires associés. Il valide les orientations, suit "
        "l'élaboration du projet de territoire et prépare la convention-cadre. Le représentant de "
        "l'État dans le département y est invité.")

    article(w, "duree", "Durée")
    w.p("La présente convention prend effet à sa signature. Elle court jusqu'à la signature de la "
        "convention-cadre valant Opération de Revitalisation de Territoire, qui doit intervenir "
        "dans un délai de {{ delai_mois|nombre_en_lettres }} ({{ delai_mois }}) mois"
        "{% if echeance_convention_cadre %}, soit au plus tard le "
        "{{ echeance_convention_cadre|date_longue }}{% endif %}.")

    article(w, "modification", "Modification et résiliation")
    w.p("La présente convention peut être modifiée par avenant signé par l'ensemble des parties. "
        "Chaque partie peut y mettre fin par lettre recommandée avec accusé de réception adressée "
        "aux autres parties, avec un préavis de trois mois.")

    signatures(w)
    return doc


def build_avenant() -> Document:
    doc = new_document("Avenant à la convention-cadre Petites Villes de Demain valant ORT")
    w = Writer(doc)
    w.tag("if projet")
    w.p("PROJET", "Mention projet")
    w.tag("endif")
    w.p("Avenant n° {{ numero }}", "Titre document")
    w.p("à la convention-cadre Petites Villes de Demain valant Opération de Revitalisation de "
        "Territoire", "Sous-titre document")
    w.p("{% for c in communes %}{% if not loop.first %}, {% endif %}Commune de {{ c }}{% endfor %}"
        " – {{ epci.nom|majuscule_initiale }}", "Sous-titre document")
    w.p("Département des {{ territoire.departement }}", "Sous-titre document")
    parties_block(w)

    w.p("Visas", "Titre section")
    w.p("Vu la convention-cadre Petites Villes de Demain valant Opération de Revitalisation de "
        "Territoire signée le {{ convention.date|date_longue }} ;", "Liste")
    w.each("a in avenants_precedents", "Vu l'avenant n° {{ a.numero }} à cette convention, signé "
           "le {{ a.date|date_longue }} ;", "Liste")
    w.p("Vu l'{{ cf_convention.evolution }} de la convention, relatif à son évolution et à sa "
        "mise à jour ;", "Liste")
    w.tag("if copil")
    w.p("Vu l'avis favorable du comité de pilotage du {{ copil|date_longue }} ;", "Liste")
    w.tag("endif")
    w.p("Exposé des motifs", "Titre section")
    w.paragraphs("motifs")
    w.p("IL EST CONVENU CE QUI SUIT :", "Liaison")

    w.p("Article 1er – Objet de l'avenant", "Titre article")
    w.p("Le présent avenant a pour objet de {{ objet }}.")

    w.tag("for m in modifications")
    w.p("{{ m.article }} – {{ m.titre }}", "Titre article")
    w.tag("if m.type == 'ajouter_secteur'")
    w.p("Le périmètre de l'Opération de Revitalisation de Territoire est étendu au secteur "
        "« {{ m.secteur.nom }} » ({{ m.secteur.commune }}), délimité en {{ m.annexe }} du présent "
        "avenant. L'{{ cf_convention.strategie }} de la convention est complété en conséquence.")
    w.tag("elif m.type == 'modifier_secteur'")
    w.p("Le secteur d'intervention « {{ m.nom }} » est modifié comme suit :")
    w.each("c in m.changements", "– {{ c.libelle|majuscule_initiale }} : « {{ c.avant }} » est "
           "remplacé par « {{ c.apres }} » ;", "Liste")
    w.p("Le secteur modifié figure en {{ m.annexe }} du présent avenant.")
    w.tag("elif m.type == 'supprimer_secteur'")
    w.p("Le secteur d'intervention « {{ m.nom }} » est retiré du périmètre de l'Opération de "
        "Revitalisation de Territoire.")
    w.tag("elif m.type == 'ajouter_fiche'")
    w.p("La fiche action n° {{ m.numero }} « {{ m.intitule }} » est ajoutée au plan d'action, "
        "pour un coût prévisionnel de {{ m.cout|montant }} {{ m.base }}. Elle figure en "
        "{{ m.annexe }} du présent avenant.")
    w.tag("elif m.type == 'modifier_fiche'")
    w.p("La fiche action n° {{ m.numero }} « {{ m.intitule }} » est modifiée comme suit :")
    w.tag("for c in m.changements")
    w.tag("if c.nature == 'montant'")
    w.p("– {{ c.libelle|majuscule_initiale }} est porté de {{ c.avant }} à {{ c.apres }} ;", "Liste")
    w.tag("elif c.nature == 'annexe'")
    w.p("– {{ c.libelle|majuscule_initiale }} est remplacé par celui figurant en {{ m.annexe }} du "
        "présent avenant ;", "Liste")
    w.tag("else")
    w.p("– {{ c.libelle|majuscule_initiale }} : « {{ c.avant }} » est remplacé par "
        "« {{ c.apres }} » ;", "Liste")
    w.tag("endif")
    w.tag("endfor")
    w.p("La fiche action ainsi modifiée figure en {{ m.annexe }} du présent avenant.")
    w.tag("elif m.type == 'supprimer_fiche'")
    w.p("La fiche action n° {{ m.numero }} « {{ m.intitule }} » est supprimée.")
    w.tag("elif m.type == 'ajouter_signataire'")
    w.p("{{ m.nom|majuscule_initiale }} devient partie à la convention, dont elle est signataire.")
    w.tag("elif m.type == 'retirer_signataire'")
    w.p("{{ m.nom|majuscule_initiale }} cesse d'être partie à la convention.")
    w.tag("elif m.type == 'ajouter_partenaire'")
    w.p("{{ m.nom|majuscule_initiale }} est associé à la convention en qualité de partenaire.")
    w.tag("elif m.type == 'retirer_partenaire'")
    w.p("{{ m.nom|majuscule_initiale }} n'est plus associé à la convention.")
    w.tag("elif m.type == 'remplacer_texte'")
    w.p("{% if m.preambule %}Le préambule{% else %}L'{{ m.cf }}{% endif %} de la convention est "
        "remplacé par les dispositions suivantes :")
    w.each("t in m.texte", "« {{ t }} »")
    w.tag("elif m.type == 'prolonger_duree'")
    w.p("La durée de la convention, fixée à l'{{ cf_convention.duree }}, est portée de "
        "{{ m.avant|nombre_en_lettres }} ({{ m.avant }}) à {{ m.apres|nombre_en_lettres }} "
        "({{ m.apres }}) ans{% if m.date_fin %}, soit jusqu'au {{ m.date_fin|date_longue }}"
        "{% endif %}.")
    w.tag("endif")
    w.tag("endfor")

    w.tag("if maquette_avenant")
    w.p("{{ maquette_avenant.article }} – Maquette financière", "Titre article")
    w.p("Le coût prévisionnel du plan d'action est porté de {{ maquette_avenant.avant|montant }} à "
        "{{ maquette_avenant.apres|montant_en_lettres }} ({{ maquette.base }}). La maquette "
        "financière par action de l'{{ cf_convention.engagements }} de la convention est "
        "remplacée par la suivante :")
    maquette_par_action(w)
    w.tag("endif")

    w.p("{{ article_final }} – Date d'effet et autres dispositions", "Titre article")
    w.p("Le présent avenant prend effet à la date de sa signature par l'ensemble des parties.")
    w.p("Les autres dispositions de la convention et de ses avenants demeurent inchangées.")

    signatures(w)

    w.tag("if annexe_secteurs")
    w.p("{{ annexe_secteurs.titre }} – Secteurs d'intervention ajoutés ou modifiés", "Titre annexe")
    w.tag("for s in annexe_secteurs.secteurs")
    w.p("{{ s.nom }}", "Sous-titre article")
    w.p("Commune : {{ s.commune }}")
    w.tag("if s.description")
    w.p("{{ s.description }}")
    w.tag("endif")
    w.tag("endfor")
    w.tag("endif")
    w.tag("if fiches_annexe")
    w.p("{{ annexe_fiches }} – Fiches actions ajoutées ou modifiées", "Titre annexe")
    fiche_sheets(w, "fiches_annexe", annotated=False)
    w.tag("endif")
    return doc


def build_convocation() -> Document:
    doc = new_document("Convocation au comité de pilotage Petites Villes de Demain")
    w = Writer(doc)
    w.each("e in emetteurs_parties", "{{ e|majuscule_initiale }}", "Expediteur")
    w.p("{{ lieu_edition }}, le {{ date_edition|date_longue }}", "Date lettre")
    w.p("Objet : {{ copil.ordinal }} comité de pilotage Petites Villes de Demain – convocation",
        "Objet lettre")
    w.p("Madame, Monsieur,")
    w.p("Nous avons l'honneur de vous convier au {{ copil.ordinal }} comité de pilotage du "
        "programme Petites Villes de Demain, qui se tiendra le {{ copil.jour }}"
        "{% if copil.heure %} à {{ copil.heure }}{% endif %}, {{ copil.lieu }}"
        "{% if copil.visio %}, ou en visioconférence à l'adresse suivante : {{ copil.visio }}"
        "{% endif %}.")
    w.p("Ce comité aura pour objet : {{ copil.objet }}. Il sera présidé par {{ preside.civilite }} "
        "{{ preside.nom }}, {{ preside.fonction }}.")
    w.p("Ordre du jour", "Sous-titre article")
    w.each("p in ordre_du_jour", "{{ p.numero }}. {{ p.titre }}", "Liste")
    w.p("Personnes invitées", "Sous-titre article")
    w.table(
        [6.0, 5.2, 5.2],
        ["Structure", "Nom", "Fonction"],
        [
            ["{%tr for g in invites_par_structure %}"],
            ["{%tr for i in g.invites %}"],
            ["{{ g.structure }}", "{{ i.personne }}", "{{ i.fonction }}"],
            ["{%tr endfor %}"],
            ["{%tr endfor %}"],
        ],
    )
    w.p("Nous vous remercions de bien vouloir nous confirmer votre présence, ou de vous faire "
        "représenter.")
    w.p("Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.")
    w.tag("for e in emetteurs")
    w.p("{{ e.article }} {{ e.fonction }},", "Signature lettre")
    w.p("{{ e.nom }}", "Signature lettre nom")
    w.tag("endfor")
    return doc


def build_compte_rendu() -> Document:
    doc = new_document("Compte rendu du comité de pilotage Petites Villes de Demain")
    w = Writer(doc)
    w.p("Compte rendu", "Titre document")
    w.p("{{ copil.ordinal }} comité de pilotage Petites Villes de Demain", "Sous-titre document")
    w.p("Projet de compte rendu, soumis à validation lors du prochain comité de pilotage.", "Mention")
    w.table(
        [4.2, 12.2],
        ["Rubrique", "Contenu"],
        [
            ["Objet", "{{ copil.objet }}"],
            ["Date", "{{ copil.jour|majuscule_initiale }}{% if copil.heure %}, {{ copil.heure }}"
             "{% endif %}"],
            ["Lieu", "{{ copil.lieu }}{% if copil.visio %} ; visioconférence : {{ copil.visio }}"
             "{% endif %}"],
            ["Présidence", "{{ preside.civilite }} {{ preside.nom }}, {{ preside.fonction }}"],
            ["Rédacteur", "{{ redacteur }}"],
            ["Destinataires", "Les {{ nombre_invites }} personnes invitées au comité de pilotage"],
            ["Pièces jointes", "{% for p in pieces_jointes %}{% if not loop.first %} ; {% endif %}"
             "{{ p }}{% else %}Aucune{% endfor %}"],
        ],
    )
    w.p("Présents", "Sous-titre article")
    w.each("g in presents", "{{ g.structure }} : {% for i in g.invites %}{{ i.personne }}"
           "{% if i.fonction %}, {{ i.fonction }}{% endif %}{% if not loop.last %} ; {% endif %}"
           "{% endfor %}", "Liste")
    w.p("Excusés", "Sous-titre article")
    w.tag("if excuses")
    w.each("g in excuses", "{{ g.structure }} : {% for i in g.invites %}{{ i.personne }}"
           "{% if not loop.last %} ; {% endif %}{% endfor %}", "Liste")
    w.tag("else")
    w.p("Aucun.")
    w.tag("endif")
    w.tag("if representes")
    w.p("Représentés", "Sous-titre article")
    w.each("g in representes", "{{ g.structure }} : {% for i in g.invites %}{{ i.personne }}, "
           "représenté par {{ i.represente_par }}{% if not loop.last %} ; {% endif %}{% endfor %}",
           "Liste")
    w.tag("endif")

    w.p("Chiffres clés au {{ copil.date|date_longue }}", "Titre article")
    w.p("Chiffres calculés par docgen à partir de la convention en vigueur à cette date"
        "{% if programme.projet %} (encore à l'état de projet){% endif %} et de l'état de chaque "
        "action ; les subventions obtenues excluent l'autofinancement des maîtres d'ouvrage.",
        "Mention")
    w.table(
        [7.4, 4.5, 4.5],
        ["Indicateur", "Valeur", "Évolution{% if evolution %} depuis le COPIL n° "
         "{{ evolution.numero }}{% endif %}"],
        [
            ["Actions du plan d'action", "{{ chiffres.nombre_actions }}", ""],
            ["{%tr for s in chiffres.par_statut %}"],
            ["– dont {{ s.statut|lower }}", "{{ s.nombre }}", ""],
            ["{%tr endfor %}"],
            ["Investissements programmés", "{{ chiffres.investissements|montant }}",
             "{% if evolution %}{{ evolution.investissements|ecart_montant }}{% endif %}"],
            ["Subventions obtenues", "{{ chiffres.obtenu|montant }}",
             "{% if evolution %}{{ evolution.obtenu|ecart_montant }}{% endif %}"],
            ["Taux de financement", "{% if chiffres.taux is not none %}{{ chiffres.taux|taux }}"
             "{% else %}—{% endif %}", ""],
            ["Études : nombre", "{{ chiffres.etudes.nombre }}", ""],
            ["Études : coût", "{{ chiffres.etudes.cout|montant }}", ""],
            ["Études : financements obtenus", "{{ chiffres.etudes.finance|montant }}",
             "{% if evolution %}{{ evolution.etudes_finance|ecart_montant }}{% endif %}"],
            ["Études : taux de financement", "{% if chiffres.etudes.taux is not none %}"
             "{{ chiffres.etudes.taux|taux }}{% else %}—{% endif %}", ""],
        ],
        numeric={1, 2},
    )
    w.p("Par axe", "Sous-titre article")
    w.table(
        [7.4, 4.5, 4.5],
        ["Axe", "Actions", "Coût programmé"],
        [
            ["{%tr for a in chiffres.par_axe %}"],
            ["{{ a.axe }}", "{% for s in a.statuts %}{% if not loop.first %}, {% endif %}"
             "{{ s.nombre }} {{ s.statut|lower }}{% endfor %}", "{{ a.cout|montant }}"],
            ["{%tr endfor %}"],
        ],
        numeric={2},
    )
    w.p("Par maître d'ouvrage", "Sous-titre article")
    w.table(
        [7.4, 4.5, 4.5],
        ["Maître d'ouvrage", "Actions", "Coût programmé"],
        [
            ["{%tr for m in chiffres.par_maitre_ouvrage %}"],
            ["{{ m.nom|majuscule_initiale }}", "{{ m.nombre }}", "{{ m.cout|montant }}"],
            ["{%tr endfor %}"],
        ],
        numeric={1, 2},
    )

    w.tag("for p in ordre_du_jour")
    w.p("{{ p.numero }}. {{ p.titre }}", "Titre article")
    w.tag("if p.compte_rendu")
    w.paragraphs("p.compte_rendu")
    w.tag("elif not p.decisions")
    w.p("Point présenté en séance.")
    w.tag("endif")
    w.each("d in p.decisions", "Décision : {{ d }}")
    w.tag("endfor")

    w.p("Relevé de décisions", "Titre article")
    w.tag("if decisions")
    w.each("d in decisions", "– {{ d.point }} : {{ d.texte }}", "Liste")
    w.tag("else")
    w.p("Aucune décision n'a été prise.")
    w.tag("endif")
    w.p("Actions à suivre", "Titre article")
    w.tag("if actions")
    w.table(
        [9.4, 4.0, 3.0],
        ["Action", "Responsable", "Échéance"],
        [
            ["{%tr for a in actions %}"],
            ["{{ a.action }}", "{{ a.responsable }}", "{{ a.echeance|date_courte }}"],
            ["{%tr endfor %}"],
        ],
    )
    w.tag("else")
    w.p("Aucune.")
    w.tag("endif")
    w.tag("if vigilance")
    w.p("Points de vigilance", "Titre article")
    w.each("v in vigilance", "– {{ v }}", "Liste")
    w.tag("endif")
    w.tag("if etapes")
    w.p("Prochaines étapes", "Titre article")
    w.each("e in etapes", "– {{ e.texte }}{% if e.echeance %} (échéance : "
           "{{ e.echeance|date_longue }}){% endif %}", "Liste")
    w.tag("endif")
    return doc


def save(doc: Document, path: Path) -> None:
    import io

    import zipfile

    buf = io.BytesIO()
    doc.save(buf)
    # python-docx's default package carries a thumbnail of an empty page: drop it.
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    clean = io.BytesIO()
    with zipfile.ZipFile(clean, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "docProps/thumbnail.jpeg":
                continue
            if name == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*thumbnail[^>]*/>", b"", data)
            dst.writestr(name, data)
    path.write_bytes(normalise_zip(clean.getvalue()))
    print(f"écrit : {path}")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    save(build_convention(), OUT / "convention.docx")
    save(build_adhesion(), OUT / "adhesion.docx")
    save(build_avenant(), OUT / "avenant.docx")
    save(build_convocation(), OUT / "convocation.docx")
    save(build_compte_rendu(), OUT / "compte-rendu.docx")
