"""PLAN a COPIL's slides once, for the PDF projected and the PowerPoint handed out.

The words and the order come from one template (commun/diaporama.yaml: Jinja that writes YAML,
every value through |tojson). This module lays them out on a 16:9 page of 960 × 540 points,
measuring every line with the font both renderings print (Liberation Sans): which slides, what
each holds and where, « (suite) » slides when a list, a table or the timeline does not fit,
short slides of one `groupe` gathered on one. The result, a Plan of positioned blocks (texts,
rectangles, lines, tables, charts, pictures), is all the two renderers know:
render/diaporama.py (HTML → PDF) and render/pptx.py (python-pptx) draw exactly it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from . import messages as msg
from .errors import TemplateError
from .render.charts import ACQUIS, PALETTE, PROGRAMME, SOLLICITE, largeur
from .render.charts import SIZE as SIZE_SVG
from .templating import SearchPath

W, H = 960.0, 540.0  # points: PowerPoint's 16:9 (13.333 × 7.5 in)
MARGE = 43.0  # the safe area's sides (15 mm): projectors crop the borders
BANDE = 20.0  # the navy band at the top of every slide
BAS = 488.0  # the content's bottom; the footer below
INTERLIGNE = 1.2  # line height / font size, in both renderings

NAVY = "1F3A5F"
INK = "1B1B1B"
GRIS = "333333"
CARTE = "EEF2F8"
RETARD = "B00020"  # an action past its planned end
FILET = "BBBBBB"

TITRE = 28.0  # slide title
CORPS = 20.0  # lists
TABLE = 18.0
NOTE = 14.0
PIED = 12.0

COULEURS: dict[str, tuple[str, str]] = {
    **{k: (a.lstrip("#").upper(), b.lstrip("#").upper()) for k, (a, b) in PALETTE.items()},
    "acquis": (ACQUIS[0].lstrip("#"), ACQUIS[1].lstrip("#").upper()),
    "sollicite": (SOLLICITE[0].lstrip("#"), SOLLICITE[1].lstrip("#").upper()),
    "programme": (PROGRAMME[0].lstrip("#"), PROGRAMME[1].lstrip("#").upper()),
}
TYPES = ("titre", "liste", "tableau", "chiffres", "barres", "calendrier", "carte")


# ---------------------------------------------------------------------------------------------
# The blocks of a slide (points, from the top-left corner)

@dataclass(frozen=True)
class Run:
    texte: str
    gras: bool = False


@dataclass(frozen=True)
class Paragraphe:
    runs: tuple[Run, ...]
    taille: float
    couleur: str = INK
    marque: str = ""  # « • » or « 3. », hanging in the indent
    retrait: float = 0.0
    apres: float = 0.0  # space after, points
    aligne: str = "left"  # left, right, center

    @property
    def texte(self) -> str:
        return "".join(r.texte for r in self.runs)

    @property
    def interligne(self) -> float:
        return round(self.taille * INTERLIGNE, 2)


@dataclass(frozen=True)
class Texte:
    genre: ClassVar[str] = "texte"
    x: float
    y: float
    w: float
    h: float
    paragraphes: tuple[Paragraphe, ...]
    role: str = "corps"  # titre, pied, corps: the HTML tags a title as a heading


@dataclass(frozen=True)
class Rect:
    genre: ClassVar[str] = "rect"
    x: float
    y: float
    w: float
    h: float
    couleur: str
    arrondi: bool = False
    trait: str = ""  # outline colour


@dataclass(frozen=True)
class Trait:
    """A vertical line (the COPIL's day on the timeline, the years' grid)."""

    genre: ClassVar[str] = "trait"
    x: float
    y1: float
    y2: float
    couleur: str
    epaisseur: float = 1.0
    tirets: bool = False


@dataclass(frozen=True)
class Cellule:
    texte: str
    statut: str = ""  # drawn as a pill of the status colour


@dataclass(frozen=True)
class LigneTableau:
    cellules: tuple[Cellule, ...]
    hauteur: float
    intertitre: bool = False  # one cell across the table: an axe's name


@dataclass(frozen=True)
class Tableau:
    genre: ClassVar[str] = "tableau"
    x: float
    y: float
    largeurs: tuple[float, ...]
    entete: LigneTableau
    lignes: tuple[LigneTableau, ...]
    taille: float = TABLE

    @property
    def w(self) -> float:
        return sum(self.largeurs)

    @property
    def h(self) -> float:
        return self.entete.hauteur + sum(r.hauteur for r in self.lignes)


@dataclass(frozen=True)
class Serie:
    nom: str
    couleur: str  # a key of COULEURS
    valeurs: tuple[float, ...]
    etiquettes: tuple[str, ...]  # the label of each value, "" where none is printed


@dataclass(frozen=True)
class Graphique:
    """Horizontal stacked bars: native in the PowerPoint, SVG in the PDF, the same data and
    the same labels in both (charts.py decides which labels fit)."""

    genre: ClassVar[str] = "graphique"
    x: float
    y: float
    w: float
    h: float
    categories: tuple[str, ...]
    series: tuple[Serie, ...]
    totaux: tuple[str, ...]
    description: str
    svg: str  # the PDF's drawing (data: URI)
    format: str = "nombre"
    # where the bars are, so that the PowerPoint's native chart puts them at the same place:
    # the plot area (x, y, w, h; the longest bar spans w), its largest value, the gap between
    # bars (per cent of a bar's height), the labels' size
    zone: tuple[float, float, float, float] = (0, 0, 0, 0)
    maximum: float = 1.0
    ecart: float = 50.0
    taille: float = 18.0


@dataclass(frozen=True)
class Image:
    genre: ClassVar[str] = "image"
    x: float
    y: float
    w: float
    h: float
    svg: str  # data: URI
    description: str


@dataclass(frozen=True)
class Logo:
    genre: ClassVar[str] = "logo"
    x: float
    y: float
    w: float
    h: float
    src: str
    nom: str


Bloc = Texte | Rect | Trait | Tableau | Graphique | Image | Logo


@dataclass
class Diapositive:
    titre: str
    blocs: list[Bloc] = field(default_factory=list)
    notes: tuple[str, ...] = ()
    bande: float = BANDE


@dataclass
class Plan:
    titre: str
    auteur: str
    sujet: str
    pied: str
    diapositives: list[Diapositive]


# ---------------------------------------------------------------------------------------------
# Measuring text

def _mots(runs: Sequence[Run]) -> list[tuple[str, bool, bool]]:
    """(word, bold, space before) of runs, in order."""
    out: list[tuple[str, bool, bool]] = []
    espace = False
    for r in runs:
        for k, part in enumerate(r.texte.split(" ")):
            if k > 0:
                espace = True
            if part:
                out.append((part, r.gras, espace and bool(out)))
                espace = False
    return out


def lignes(p: Paragraphe, largeur_boite: float) -> list[list[tuple[str, bool, bool]]]:
    """The paragraph's lines at that width, broken as a browser or PowerPoint breaks them
    (at spaces; a word longer than the line anywhere)."""
    place = largeur_boite - p.retrait
    lines: list[list[tuple[str, bool, bool]]] = [[]]
    used = 0.0
    for mot, gras, espace in _mots(p.runs):
        w = largeur(mot, p.taille, gras)
        sp = largeur(" ", p.taille, gras) if espace and lines[-1] else 0.0
        if lines[-1] and used + sp + w > place:
            lines.append([])
            used, sp = 0.0, 0.0
        while w > place and not lines[-1]:  # a word wider than the line: cut anywhere
            k = len(mot)
            while k > 1 and largeur(mot[:k], p.taille, gras) > place:
                k -= 1
            lines[-1].append((mot[:k], gras, False))
            lines.append([])
            mot = mot[k:]
            w = largeur(mot, p.taille, gras)
        lines[-1].append((mot, gras, espace))  # the space is not measured at a line's start
        used += sp + w
    return lines


def hauteur(p: Paragraphe, largeur_boite: float) -> float:
    return len(lignes(p, largeur_boite)) * p.interligne


def hauteur_texte(paras: Sequence[Paragraphe], w: float) -> float:
    return sum(hauteur(p, w) + p.apres for p in paras) - (paras[-1].apres if paras else 0)


def _para(texte: Any, taille: float, **kw: Any) -> Paragraphe:
    """A paragraph of a template line: a text, or {gras, texte} (its bold lead)."""
    if isinstance(texte, dict):
        runs = tuple(r for r in (Run(str(texte.get("gras") or ""), True),
                                 Run(str(texte.get("texte") or ""))) if r.texte)
    else:
        runs = (Run(str(texte)),)
    return Paragraphe(runs, taille, **kw)


def _coupe(texte: str, place: float, taille: float, gras: bool = False,
           max_lignes: int = 2) -> str:
    """A label on at most max_lignes lines at that width, shortened with « … » beyond."""
    p = Paragraphe((Run(texte, gras),), taille)
    ls = lignes(p, place)
    if len(ls) <= max_lignes:
        return texte
    mots = [m for line in ls[:max_lignes] for m, _, _ in line]
    while mots:
        cut = " ".join(mots) + "…"
        if len(lignes(Paragraphe((Run(cut, gras),), taille), place)) <= max_lignes:
            return cut
        mots = mots[:-1] if len(mots) > 1 else [mots[0][:-1]] if len(mots[0]) > 1 else []
    return "…"


# ---------------------------------------------------------------------------------------------
# The template

def mots(context: dict[str, Any], search: SearchPath) -> dict[str, Any]:
    """The slides' words: commun/diaporama.yaml rendered with the COPIL's context."""
    import yaml

    from .render.maps import CartesHTML

    text = _environment(search.roots).get_template("commun/diaporama.yaml").render(
        **context, carte=CartesHTML())
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: same data
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 (safe)
    except yaml.YAMLError as exc:  # a territory's copy that writes a value without |tojson
        raise TemplateError(msg.SLIDES_YAML.format(erreur=" ".join(str(exc).split()))) from exc
    if not isinstance(data, dict) or not isinstance(data.get("diapositives"), list):
        raise TemplateError(msg.SLIDES_MANQUE.format(cle="diapositives", ou=msg.SLIDES_DOCUMENT))
    for key in ("titre", "auteur", "sujet", "pied"):
        if key not in data:
            raise TemplateError(msg.SLIDES_MANQUE.format(cle=key, ou=msg.SLIDES_DOCUMENT))
    for k, s in enumerate(data["diapositives"], start=1):
        if not isinstance(s, dict) or s.get("type") not in TYPES:  # a type docgen lacks
            raise TemplateError(msg.PPTX_DIAPORAMA_YAML_TYPE.format(
                kind=s.get("type") if isinstance(s, dict) else s))
        for key in REQUIS[s["type"]]:
            if key not in s:
                raise TemplateError(msg.SLIDES_MANQUE.format(
                    cle=key, ou=msg.SLIDES_DIAPOSITIVE.format(n=k, type=s["type"])))
    return data


# what each type of slide must say (the others are optional)
REQUIS: dict[str, tuple[str, ...]] = {
    "titre": ("surtitre", "titre"), "liste": ("titre", "lignes"),
    "tableau": ("titre", "colonnes", "lignes"), "chiffres": ("titre", "items"),
    "barres": ("titre", "categories", "series"),
    "calendrier": ("titre", "debut", "fin", "jour", "repere", "retard", "legende_retard",
                   "barres"),
    "carte": ("titre",),
}


@lru_cache(maxsize=8)
def _environment(roots: tuple[Path, ...]) -> Any:
    """One environment per search path and process: the template is compiled once."""
    from jinja2 import ChoiceLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    from .formatting import FILTERS
    from .templating import ConfinedLoader, french_tojson

    # plain text (no HTML escaping): every value is written through |tojson
    env = SandboxedEnvironment(loader=ChoiceLoader([ConfinedLoader(str(r)) for r in roots]),
                               undefined=StrictUndefined, autoescape=False)
    env.filters.update(FILTERS)
    env.filters["tojson"] = french_tojson(env.filters["tojson"])  # French typography
    return env


# ---------------------------------------------------------------------------------------------
# Laying out

def plan(context: dict[str, Any], search: SearchPath) -> Plan:
    """The COPIL's slides, laid out and paginated once."""
    data = mots(context, search)
    slides: list[Diapositive] = []
    sources = data["diapositives"]
    i = 0
    while i < len(sources):
        s = sources[i]
        groupe = s.get("groupe")
        if groupe and s["type"] in ("tableau", "liste"):
            j = i
            while (j < len(sources) and sources[j].get("groupe") == groupe
                   and sources[j]["type"] == s["type"]):
                j += 1
            slides += _groupe(sources[i:j])
            i = j
            continue
        slides += _DIAPOSITIVES[s["type"]](s, context)
        i += 1
    for number, slide in enumerate(slides, start=1):
        slide.blocs[:0] = _cadre(slide, data["pied"], number, len(slides))
    return Plan(str(data["titre"]), str(data["auteur"]), str(data["sujet"]), str(data["pied"]),
                slides)


def _cadre(slide: Diapositive, pied: str, number: int, total: int) -> list[Bloc]:
    """The band, the footer and the page number of a slide (the title is already placed)."""
    numero = Paragraphe((Run(f"{number} / {total}"),), PIED, couleur=GRIS, aligne="right")
    place = W - 2 * MARGE - 90
    foot = Paragraphe((Run(pied),), PIED, couleur=GRIS)
    h = hauteur(foot, place)
    return [Rect(0, 0, W, slide.bande, NAVY),
            Texte(MARGE, H - 22 - h, place, h, (foot,), role="pied"),
            Texte(W - MARGE - 80, H - 22 - numero.interligne, 80, numero.interligne, (numero,),
                  role="pied")]


def _titre_bloc(titre: str) -> tuple[Texte, float]:
    """The slide's title and the top of its content below it."""
    p = Paragraphe((Run(titre, True),), TITRE, couleur=NAVY)
    w = W - 2 * MARGE
    h = hauteur(p, w)
    y = BANDE + 14
    return Texte(MARGE, y, w, h, (p,), role="titre"), y + h + 16


def _suite(titre: str, k: int) -> str:
    return titre if k == 0 else f"{titre} (suite)"


def _notes(s: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(n) for n in s.get("notes") or () if str(n).strip())


# -- title slide

def _diapo_titre(s: dict[str, Any], context: dict[str, Any]) -> list[Diapositive]:
    w = W - 2 * MARGE
    blocs: list[Bloc] = []
    y = 70.0
    for para in (Paragraphe((Run(str(s["surtitre"]).upper(), True),), 20, couleur="1F5A8F"),
                 Paragraphe((Run(str(s["titre"]), True),), 40, couleur=NAVY)):
        h = hauteur(para, w)
        blocs.append(Texte(MARGE, y, w, h, (para,), role="titre" if para.taille == 40 else "corps"))
        y += h + 8
    lines = [str(x) for x in s.get("lignes") or ()]
    y += 6
    for k, line in enumerate(lines):
        para = Paragraphe((Run(line, k == 0),), 24 if k == 0 else 18,
                          couleur=INK if k == 0 else GRIS)
        h = hauteur(para, w)
        blocs.append(Texte(MARGE, y, w, h, (para,)))
        y += h + 6
    logos = list(context.get("logos") or []) if s.get("logos") else []
    if logos:
        from .render.raster import logo_png

        y += 14
        blocs.append(Rect(MARGE, y, w, 0.75, FILET))
        y += 14
        height, gap, x = 46.0, 24.0, MARGE
        for logo in logos:
            _, ratio = logo_png(logo["src"], logo["nom"])
            lw = min(height * ratio, w)
            if x + lw > W - MARGE:  # next line of the band
                x, y = MARGE, y + height + 14
            if y + height > BAS:
                break  # no room left on the title slide: the band stops at its edge
            blocs.append(Logo(x, y, lw, height, str(logo["src"]), str(logo["nom"])))
            x += lw + gap
    return [Diapositive("", blocs, _notes(s), bande=36.0)]


# -- lists

def _items(s: dict[str, Any]) -> list[Paragraphe]:
    numbered = bool(s.get("numerotee"))
    return [_para(t, CORPS, marque=f"{k}." if numbered else "•", retrait=28, apres=10)
            for k, t in enumerate(s.get("lignes") or [], start=1)]


def _couper_paragraphe(p: Paragraphe, w: float, room: float) -> tuple[Paragraphe, Paragraphe]:
    """A paragraph too long for what is left: the lines that fit, and the rest (no marker)."""
    ls = lignes(p, w)
    n = max(1, int(room // p.interligne))

    def runs_of(part: list[list[tuple[str, bool, bool]]]) -> tuple[Run, ...]:
        out: list[Run] = []
        for mot, gras, espace in (t for line in part for t in line):
            text = (" " if espace and out else "") + mot
            if out and out[-1].gras == gras:
                out[-1] = Run(out[-1].texte + text, gras)
            else:
                out.append(Run(text, gras))
        return tuple(out)

    head = replace(p, runs=runs_of(ls[:n]), apres=0)
    tail = replace(p, runs=runs_of(ls[n:]), marque="")
    return head, tail


def _flow(blocks: list[tuple[str, list[Paragraphe]]], w: float, top: float,
          chapeau: Paragraphe | None = None) -> list[list[tuple[str, list[Paragraphe]]]]:
    """Sections (subheading, paragraphs) poured into pages from `top` to BAS: the pages,
    each a list of sections (a section continued on a page repeats its subheading)."""
    pages: list[list[tuple[str, list[Paragraphe]]]] = [[]]
    y = top + (hauteur(chapeau, w) + 14 if chapeau else 0)
    for head, paras in blocks:
        head_h = _sous_titre_h(head, w) if head else 0.0
        queue = list(paras)
        first = True
        while queue:
            p = queue.pop(0)
            need = hauteur(p, w) + (head_h if first else 0)
            if y + need > BAS and (pages[-1] or not first):
                room = BAS - y - (head_h if first else 0)
                # an item moves whole to the next slide; only one longer than a slide is cut
                if room >= 2 * p.interligne and hauteur(p, w) + head_h > BAS - top:
                    p, rest = _couper_paragraphe(p, w, room)
                    queue.insert(0, rest)
                else:
                    pages.append([])
                    y = top
                    first = True
                    need = hauteur(p, w) + head_h
            if first:
                pages[-1].append((head, []))
                first = False
            pages[-1][-1][1].append(p)
            y += need + p.apres
        y += 12 if head else 0
    return [p for p in pages if p]


def _sous_titre(head: str) -> Paragraphe:
    return Paragraphe((Run(head, True),), 22, couleur=NAVY, apres=6)


def _sous_titre_h(head: str, w: float) -> float:
    return hauteur(_sous_titre(head), w) + 6


def _liste_pages(titre: str, sections: list[tuple[str, list[Paragraphe]]], notes: tuple[str, ...],
                 chapeau: Paragraphe | None = None) -> list[Diapositive]:
    w = W - 2 * MARGE
    _, top = _titre_bloc(titre)
    out = []
    for k, page in enumerate(_flow(sections, w, top, chapeau)):
        title, y = _titre_bloc(_suite(titre, k))
        blocs: list[Bloc] = [title]
        if chapeau and k == 0:
            h = hauteur(chapeau, w)
            blocs.append(Texte(MARGE, y, w, h, (chapeau,)))
            y += h + 14
        for head, paras in page:
            if head:
                sub = _sous_titre(head)
                h = hauteur(sub, w)
                blocs.append(Texte(MARGE, y, w, h, (sub,)))
                y += h + 6
            h = hauteur_texte(paras, w)
            blocs.append(Texte(MARGE, y, w, h, tuple(paras)))
            y += h + paras[-1].apres + 12
        out.append(Diapositive(_suite(titre, k), blocs, notes if k == 0 else ()))
    return out


def _diapo_liste(s: dict[str, Any], context: dict[str, Any]) -> list[Diapositive]:
    chapeau = _para(s["chapeau"], 18, couleur=INK) if s.get("chapeau") else None
    return _liste_pages(str(s["titre"]), [("", _items(s))], _notes(s), chapeau)


# -- tables

def _rangees(s: dict[str, Any], largeurs: Sequence[float]) -> list[LigneTableau]:
    rows = []
    for r in s.get("lignes") or []:
        cells = tuple(Cellule(str(v), str(r.get("statut") or "") if j == len(largeurs) - 1
                              else "") for j, v in enumerate(r["cellules"]))
        rows.append(LigneTableau(cells, _hauteur_rangee(cells, largeurs)))
    return rows


PAD_X, PAD_Y = 6.0, 5.0


def _hauteur_rangee(cells: Sequence[Cellule], largeurs: Sequence[float], gras: bool = False,
                    taille: float = TABLE) -> float:
    tallest = 1
    for c, w in zip(cells, largeurs):
        p = Paragraphe((Run(c.texte, gras or bool(c.statut)),), taille)
        tallest = max(tallest, len(lignes(p, w - 2 * PAD_X - (12 if c.statut else 0))))
    return round(tallest * taille * INTERLIGNE + 2 * PAD_Y + (4 if any(c.statut for c in cells)
                                                               else 0), 2)


def _largeurs(s: dict[str, Any]) -> tuple[float, ...]:
    cols = s["colonnes"]
    pct = s.get("largeurs") or [100 / len(cols)] * len(cols)
    total = sum(pct)
    return tuple(round((W - 2 * MARGE) * p / total, 2) for p in pct)


def _tableaux(titre: str, parts: list[tuple[str, dict[str, Any]]],
              notes: tuple[str, ...]) -> list[Diapositive]:
    """One table, or the tables of a group under intertitles, paginated with the header
    repeated."""
    first = parts[0][1]
    largeurs = _largeurs(first)
    entete = LigneTableau(tuple(Cellule(str(c)) for c in first["colonnes"]),
                          _hauteur_rangee([Cellule(str(c)) for c in first["colonnes"]], largeurs,
                                          gras=True))
    rows: list[LigneTableau] = []
    for head, s in parts:
        if head:
            cell = (Cellule(head),)
            rows.append(LigneTableau(cell, _hauteur_rangee(cell, [sum(largeurs)], gras=True),
                                     intertitre=True))
        rows += _rangees(s, largeurs)
    out = []
    k = 0
    while rows:
        title, top = _titre_bloc(_suite(titre, k))
        y = top + entete.hauteur
        page: list[LigneTableau] = []
        while rows and (not page or y + rows[0].hauteur <= BAS):
            if rows[0].intertitre and len(rows) > 1 and y + rows[0].hauteur + rows[1].hauteur > BAS \
                    and page:
                break  # an intertitle never last on a page
            y += rows[0].hauteur
            page.append(rows.pop(0))
        out.append(Diapositive(_suite(titre, k), [title, Tableau(MARGE, top, largeurs, entete,
                                                                 tuple(page))],
                               notes if k == 0 else ()))
        k += 1
    return out


def _diapo_tableau(s: dict[str, Any], context: dict[str, Any]) -> list[Diapositive]:
    return _tableaux(str(s["titre"]), [("", s)], _notes(s))


def _groupe(sources: list[dict[str, Any]]) -> list[Diapositive]:
    """Short slides of one group (the axes' tables, the closing lists) gathered on one slide
    while they fit, each under its own subheading; a part that fits nowhere alone keeps its own
    slides."""
    out: list[Diapositive] = []
    batch: list[dict[str, Any]] = []

    def fits(parts: list[dict[str, Any]]) -> bool:
        return len(_rendu(parts)) == 1

    def _rendu(parts: list[dict[str, Any]]) -> list[Diapositive]:
        if len(parts) == 1:
            return _DIAPOSITIVES[parts[0]["type"]](parts[0], {})
        titre = str(parts[0].get("titre_groupe") or parts[0]["titre"])
        notes = tuple(n for p in parts for n in _notes(p))
        if parts[0]["type"] == "tableau":
            return _tableaux(titre, [(str(p["titre"]), p) for p in parts], notes)
        return _liste_pages(titre, [(str(p["titre"]), _items(p)) for p in parts], notes)

    batches: list[list[dict[str, Any]]] = []
    for s in sources:
        if batches and fits(batches[-1] + [s]):
            batches[-1].append(s)
        else:
            batches.append([s])
    k = 0
    for batch in batches:
        done = _rendu(batch)
        if len(batch) > 1:  # a group's later slides say they continue it
            for d in done[:1]:
                if k:
                    d.titre = _suite(d.titre, 1)
                    d.blocs[0] = _titre_bloc(d.titre)[0]
            k += 1
        out += done
    return out


# -- key figures

def _diapo_chiffres(s: dict[str, Any], context: dict[str, Any]) -> list[Diapositive]:
    title, y = _titre_bloc(str(s["titre"]))
    blocs: list[Bloc] = [title]
    items = list(s.get("items") or [])
    gap = 18.0
    cw = (W - 2 * MARGE - gap * (len(items) - 1)) / max(len(items), 1)
    inner = cw - 28
    contents = []
    for item in items:
        paras = [Paragraphe((Run(str(item["valeur"]), True),), 30, couleur=NAVY, apres=2),
                 Paragraphe((Run(str(item["libelle"])),), 18, apres=4)]
        if item.get("ecart"):
            paras.append(Paragraphe((Run(str(item["ecart"])),), 16, couleur=GRIS))
        contents.append(paras)
    ch = max((hauteur_texte(p, inner) for p in contents), default=0) + 24
    for k, paras in enumerate(contents):
        x = MARGE + k * (cw + gap)
        blocs.append(Rect(x, y, cw, ch, CARTE, arrondi=True))
        blocs.append(Texte(x + 14, y + 12, inner, hauteur_texte(paras, inner), tuple(paras)))
    y += ch + 18
    g = s.get("graphique")
    if g:
        blocs += _graphique(g, MARGE, y, W - 2 * MARGE, BAS - y)
    return [Diapositive(str(s["titre"]), blocs, _notes(s))]


# -- bar charts

def _graphique(g: dict[str, Any], x: float, y: float, w: float, h: float) -> list[Bloc]:
    from .render.charts import dessin_plan

    blocs: list[Bloc] = []
    if g.get("note"):
        note = Paragraphe((Run(str(g["note"])),), NOTE, couleur=GRIS)
        nh = hauteur(note, w)
        blocs.append(Texte(x, y + h - nh, w, nh, (note,)))
        h -= nh + 8
    categories = tuple(str(c) for c in g["categories"])
    series = [s for s in g["series"] if any(float(v) for v in s["valeurs"])] or g["series"][:1]
    fmt = str(g.get("format") or "nombre")
    totaux = tuple(str(t) for t in g.get("totaux") or [""] * len(categories))
    dessin, labels, cats = dessin_plan(
        categories, [(str(s["nom"]), COULEURS[str(s["couleur"])],
                      [float(v) for v in s["valeurs"]], s.get("etiquettes", True)) for s in series],
        totaux, fmt, w, h, str(g.get("description") or ""))
    k = min(w / dessin.width, h / dessin.height)  # the drawing as the PDF shows it: contained
    ox, oy = x + (w - dessin.width * k) / 2, y + (h - dessin.height * k) / 2
    left, top, span, step, bar, biggest = dessin.zone
    size = round(SIZE_SVG * k, 1)
    blocs.append(Graphique(
        x, y, w, h, cats,
        tuple(Serie(str(s["nom"]), str(s["couleur"]), tuple(float(v) for v in s["valeurs"]),
                    tuple(labels[i])) for i, s in enumerate(series)),
        totaux, str(g.get("description") or ""), dessin.uri(), fmt,
        zone=(round(ox + left * k, 2), round(oy + top * k, 2), round(span * k, 2),
              round(step * len(cats) * k, 2)),
        maximum=biggest, ecart=round(max(step - bar, 0) / bar * 100) if bar else 50.0,
        taille=size))
    for total, (tx, ty) in zip(totaux, dessin.totaux):  # after each bar, in both renderings
        if total:
            p = Paragraphe((Run(total, True),), size)
            left_x = round(ox + tx * k, 2)
            blocs.append(Texte(left_x, round(oy + ty * k - p.interligne / 2, 2),
                               round(min(largeur(total, size, True) + 2, x + w - left_x), 2),
                               p.interligne, (p,)))
    return blocs


def _diapo_barres(s: dict[str, Any], context: dict[str, Any]) -> list[Diapositive]:
    title, y = _titre_bloc(str(s["titre"]))
    return [Diapositive(str(s["titre"]), [title, *_graphique(s, MARGE, y, W - 2 * MARGE, BAS - y)],
                        _notes(s))]


# -- the timeline

def _diapo_calendrier(s: dict[str, Any], context: dict[str, Any]) -> list[Diapositive]:
    """A Gantt chart: one row per action (its number and name, wrapped), a bar from its start to
    its end in its status colour, outlined and marked when late; the years as columns, the
    COPIL's day a dashed line. As many slides as it takes, rows shared out evenly."""
    bars = list(s.get("barres") or [])
    titre = str(s["titre"])
    _, top = _titre_bloc(titre)
    w = W - 2 * MARGE
    label_w = round(w * 0.38, 2)
    left = MARGE + label_w + 12
    right = W - MARGE
    size = 15.0
    legend_h = max((b.y + b.h for b in _legende_calendrier(s, bars)
                    if not isinstance(b, Trait)), default=0.0)
    head = 26.0
    avail = BAS - top - head - legend_h - 12
    labels = [_coupe(f"{b['numero']}. {b['nom']}", label_w, size, max_lignes=3) for b in bars]
    n_lines = max((len(lignes(Paragraphe((Run(t),), size), label_w)) for t in labels), default=1)
    row = round(max(n_lines * size * INTERLIGNE + 8, 34), 2)
    per = max(1, int(avail // row))
    pages = max(1, math.ceil(len(bars) / per))
    per = math.ceil(len(bars) / pages)
    first, last = int(s["debut"]), int(s["fin"])
    start, end = dt.date(first, 1, 1), dt.date(last + 1, 1, 1)
    scale = (right - left) / (end - start).days
    jour = dt.date.fromisoformat(str(s["jour"]))

    def xof(day: dt.date) -> float:
        return round(left + (day - start).days * scale, 2)

    out = []
    for k in range(pages):
        chunk = list(zip(bars, labels))[k * per:(k + 1) * per]
        title, top = _titre_bloc(_suite(titre, k))
        blocs: list[Bloc] = [title]
        y0 = top + head
        bottom = y0 + len(chunk) * row
        for year in range(first, last + 2):
            x = xof(dt.date(year, 1, 1))
            blocs.append(Trait(x, top + 4, bottom, "C8C8C8", 0.75))
            if year <= last:
                nxt = xof(dt.date(year + 1, 1, 1))
                p = Paragraphe((Run(str(year), True),), 16, aligne="center")
                blocs.append(Texte(x, top, nxt - x, p.interligne, (p,)))
        for i, (b, label) in enumerate(chunk):
            y = y0 + i * row
            p = Paragraphe((Run(label),), size, aligne="right")
            th = hauteur(p, label_w)
            blocs.append(Texte(MARGE, round(y + (row - th) / 2, 2), label_w, th, (p,)))
            d1, d2 = dt.date.fromisoformat(str(b["debut"])), dt.date.fromisoformat(str(b["fin"]))
            bh = min(row * 0.6, 22)
            by = round(y + (row - bh) / 2, 2)
            x1, x2 = xof(d1), xof(d2)
            late = bool(b.get("retard"))
            blocs.append(Rect(x1, by, max(x2 - x1, 1.5), bh, COULEURS[str(b["statut"])][0],
                              trait=RETARD if late else ""))
            if late:  # after the bar, or before it, never across the COPIL's line
                mark = Paragraphe((Run(str(s["retard"]), True),), 14, couleur=RETARD)
                mw = largeur(mark.texte, 14, True) + 4
                day = xof(jour)
                places = [x2 + 6, x1 - 6 - mw, day + 6]
                mx = next((m for m in places if left <= m and m + mw <= right
                           and not m - 3 <= day <= m + mw + 3), places[0])
                blocs.append(Texte(round(mx, 2), round(y + (row - mark.interligne) / 2, 2),
                                   round(mw, 2), mark.interligne, (mark,)))
        x = xof(jour)
        blocs.append(Trait(x, top + 4, bottom + 4, NAVY, 2.5, tirets=True))
        ly = bottom + 14
        blocs += [replace(b, y=round(b.y + ly, 2)) if not isinstance(b, Trait)
                  else replace(b, y1=round(b.y1 + ly, 2), y2=round(b.y2 + ly, 2))
                  for b in _legende_calendrier(s, [b for b, _ in chunk])]
        out.append(Diapositive(_suite(titre, k), blocs, _notes(s) if k == 0 else ()))
    return out


def _legende_calendrier(s: dict[str, Any], bars: list[dict[str, Any]]) -> list[Any]:
    """The legend of a timeline slide at y = 0: the statuses its bars show (in the fixed order),
    the late outline if one is late, the COPIL's day."""
    shown = {str(b["statut"]) for b in bars}
    items: list[tuple[str, str]] = [(str(x["nom"]), str(x["statut"])) for x in s.get("statuts") or []
                                    if str(x["statut"]) in shown]
    if any(b.get("retard") for b in bars):
        items.append((str(s["legende_retard"]), "retard"))
    items.append((str(s["repere"]), "repere"))
    out: list[Any] = []
    x, y, size = MARGE, 0.0, 15.0
    for name, kind in items:
        tw = largeur(name, size) + 4
        if x + 26 + tw > W - MARGE and x > MARGE:
            x, y = MARGE, y + 24
        if kind == "repere":
            out.append(Trait(x + 9, y + 1, y + 19, NAVY, 2.5, tirets=True))
        elif kind == "retard":
            out.append(Rect(x, y + 2, 18, 16, "FFFFFF", trait=RETARD))
        else:
            out.append(Rect(x, y + 2, 18, 16, COULEURS[kind][0]))
        p = Paragraphe((Run(name),), size)
        out.append(Texte(round(x + 24, 2), y, round(tw, 2), p.interligne, (p,)))
        x += 24 + tw + 20
    return out


# -- the map

def _diapo_carte(s: dict[str, Any], context: dict[str, Any]) -> list[Diapositive]:
    from .render.maps import data_uri, diapositive

    title, y = _titre_bloc(str(s["titre"]))
    w, h = W - 2 * MARGE, BAS - y
    svg = diapositive(context["programme"]["perimetres"], w, h, str(s.get("source") or ""))
    return [Diapositive(str(s["titre"]), [title, Image(MARGE, y, w, h, data_uri(svg),
                                                        str(s.get("description") or ""))],
                        _notes(s))]


_DIAPOSITIVES: dict[str, Any] = {
    "titre": _diapo_titre, "liste": _diapo_liste, "tableau": _diapo_tableau,
    "chiffres": _diapo_chiffres, "barres": _diapo_barres, "calendrier": _diapo_calendrier,
    "carte": _diapo_carte,
}
