"""Mechanical errors a proof-reader would circle in a generated document, whatever its template:
missing elision or contraction, doubled words, misplaced or missing (no-break) spaces, empty or
doubled parentheses, program values and template tags printed; « dispositions » where a contract
has stipulations; a percentage of a financial table that is not the amount's true share.

Line by line (`mechanical_errors`): every paragraph and table cell of the body, headers and
footers. Document by document (`document_errors`, on the body's paragraphs and tables in order):

- **An avenant's final article** (an avenant: its first paragraphs say « Avenant n° … »; its final
  article: from the last heading « Article N – … » before the « Fait à … » of the signatures to
  that line) never says « dispositions », except of a statute (« dispositions législatives »,
  « du code », « de l'article L. … »): the convention and the avenant have stipulations. Its
  heading is not read (« Date d'effet et autres dispositions » names the article's own clauses).
- **Percentages of financial tables**: in every table, each row that prints an amount (« … € »)
  and a percentage (a cell that is only « N % » or « N,N % ») must print the amount's true share
  of the table's reference, to 0,05 point. The reference and the amount are found by the labels:
  1. a table with a cost row — a row whose first cell starts with « Coût » (« Coût de
     l'action », a fiche's plan de financement) —: the reference is that row's amount, for every
     row; a row's amount is its cell in the column headed « Montant » or « Total », else its last
     amount; the cost row itself must print 100 %;
  2. else a table with a cost column — a header starting with « Coût » (the plan d'action by
     action) —: the reference is each row's own cost; a percentage column whose header says
     « acquis », « sollicité » or « reste » measures the (other) amount column whose header says
     the same (« Taux acquis » → « Financements acquis »), and any other (« Taux », « Taux de
     couverture », « Part financée ») the financed amount: the column « Total », « Financé »,
     « Financements » or « Total des financements » if there is one, else the cost less the
     « Reste à financer » column, else the sum of the amounts between the cost and the rate.
     A row that prints its rates without these amounts (a table of rates by action) is read
     against the fiche's own plan printed in the same document (its number, the first cell that
     is a number; the plan: the table headed « Financeur » with a « Coût » row after the heading
     « Fiche action n° N »): what the plan finances (its cost less its « Reste à financer » row,
     else the sum of its rows but the « Total… » ones), or the rows it marks « Acquis »
     (« Sollicité »); a « Total… » / « Ensemble… » row, against the sum of the rows above it.
     A rate whose amounts the document prints nowhere (an avenant quotes the table without the
     plans of the fiches it leaves alone) is not checked;
  3. else (the plan's financing by financeur): the reference is the plan's cost printed last
     before the table — the « Total… » row of a table with a cost column, or a paragraph
     « coût prévisionnel du plan (du programme) … (N €) », its last amount (« porté de … à
     N € ») —; a row's amount as in 1. Such a table with no cost before it is an error too.
  Rows marked deleted (tracked changes) are not read; merged cells (gridSpan) keep their columns.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NBSPS = "\u00a0\u202f"

RULES: list[tuple[str, re.Pattern[str]]] = [
    ("élision manquante (de + voyelle)",
     re.compile(r"\b[dD]e[ " + NBSPS + r"]+(?!(?:onze|onzième|oui|ouate|yacht|yaourt|(?i:une?))\b)"
                r"(?=[aeiouàâäéèêëîïôöùûüœæAEIOUÀÂÉÈÊËÎÏÔÙÛŒÆ])")),
    # « de un million », « de une heure », « DE UN » : d'un, d'une, whatever follows (a number
    # in words is no exception: « d'un million trois cent mille euros »)
    ("élision manquante (de un, de une → d’un, d’une)",
     re.compile(r"(?i)\bde[ " + NBSPS + r"]+une?\b")),
    ("contraction manquante (de le, de les)", re.compile(r"\b[dD]e (?:le|les) ")),
    ("contraction manquante (à le, à les)", re.compile(r"\b[àÀ] (?:le|les) ")),
    ("mot répété", re.compile(r"\b(?!(?:nous|vous)\b)(\w+) \1\b", re.I)),
    ("espace avant une virgule ou un point", re.compile(r"[ " + NBSPS + r"][,.](?!\.)")),
    ("espace insécable manquante avant ; : ! ?",
     re.compile(r"(?<![" + NBSPS + r"/])(?<!^)[;:!?](?!//)", re.M)),
    ("espace insécable manquante après «", re.compile(r"«(?![" + NBSPS + "])")),
    ("espace insécable manquante avant »", re.compile(r"(?<![" + NBSPS + "])(?<!^)»", re.M)),
    ("apostrophe droite (’ attendue)", re.compile(r"'")),
    ("guillemets droits (« » attendus)", re.compile(r'"')),
    ("espace sécable dans un nombre, avant son unité ou après sa référence",
     re.compile(r"\d (?=\d{3}\b)|\d (?=€|%)|€ (?=HT\b|TTC\b)"
                r"|\b(?:[Aa]rticles?|[Aa]nnexes?|[Ff]iches? actions?|n°|N°) (?=\d|1er\b|[LRD]\.)"
                r"|(?<![\w-])1er (?=\w)")),
    # a contract has stipulations: « Les autres dispositions de la convention demeurent
    # inchangées » (statutes and regulations have dispositions: « les dispositions du code »)
    ("« dispositions » d’un contrat (« stipulations » attendu)",
     re.compile(r"(?i)\bdispositions\b(?=[^.;]*\b(?:demeurent|restent)\b[^.;]*\binchangée?s?\b)"
                r"|\bdispositions\s+(?:de\s+la\s+(?:présente\s+)?convention|du\s+(?:présent\s+)?"
                r"(?:contrat|avenant)|de\s+l[’']avenant|des\s+présentes)\b")),
    ("parenthèses vides", re.compile(r"\(\s*\)")),
    ("parenthèses accolées", re.compile(r"\)\s*\(")),
    ("valeur de programme imprimée", re.compile(r"\b(?:None|True|False|nan|NaN|null|undefined)\b")),
    ("balise de modèle imprimée", re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}|\{_\{|\}_\}")),
]
# Times (14:30), ratios, web and e-mail addresses are not punctuation.
_EXEMPT = re.compile(r"\d[:]\d|https?://\S+|www\.\S+|[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def mechanical_errors(text: str) -> list[str]:
    """Each error as « rule : …context… », one line of text (a paragraph, a cell) at a time."""
    out = []
    for line in text.split("\n"):
        scrubbed = _EXEMPT.sub(lambda m: "x" * len(m.group(0)), line)
        for name, rule in RULES:
            for m in rule.finditer(scrubbed):
                a, b = max(0, m.start() - 30), min(len(line), m.end() + 30)
                out.append(f"{name} : …{line[a:b]}…")
    return out


Table = list[list[str]]  # rows of cells' text, a merged cell in its first column
Block = str | Table  # a paragraph of the body, or a table


def _cell_text(tc: etree._Element) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p"))


def docx_blocks(data: bytes) -> list[Block]:
    """The body of a DOCX in order: each paragraph's text, each table's rows of cells (a cell
    merged over n columns followed by n - 1 empty ones; rows deleted by a tracked change left
    out; deleted text left out)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    body = root.find(f"{W}body")
    out: list[Block] = []
    for block in (body if body is not None else []):
        if block.tag == f"{W}p":
            out.append("".join(t.text or "" for t in block.iter(f"{W}t")))
        elif block.tag == f"{W}tbl":
            rows: Table = []
            for tr in block.iter(f"{W}tr"):
                if tr.find(f"{W}trPr/{W}del") is not None:
                    continue
                row: list[str] = []
                for tc in tr.findall(f"{W}tc"):
                    span = tc.find(f"{W}tcPr/{W}gridSpan")
                    row.append(_cell_text(tc))
                    row.extend([""] * (int(span.get(f"{W}val", "1")) - 1 if span is not None else 0))
                rows.append(row)
            out.append(rows)
    return out


def document_errors(blocks: list[Block]) -> list[str]:
    """The errors only the whole document shows (see the module's doc)."""
    return avenant_errors(blocks) + percentage_errors(blocks)


# -- an avenant's final article ------------------------------------------------------------
_AVENANT_TITLE = re.compile(r"(?i)^\s*avenant\s+n°")
_ARTICLE = re.compile(r"^\s*Article\s+(?:1er|\d+)\b")
_SIGNATURE = re.compile(r"^\s*Fait\s+à\b")
_DISPOSITIONS = re.compile(
    r"(?i)\bdispositions\b(?!\s+(?:législatives|réglementaires|légales|du\s+code|des?\s+codes?"
    r"|de\s+l[’']article\s+[LRD]\.|des\s+articles\s+[LRD]\.))")


def avenant_errors(blocks: list[Block]) -> list[str]:
    # the paragraphs of the body; a table stands for its « Fait à … » line if it has one
    paragraphs = [b if isinstance(b, str) else next(
        (c for row in b for c in row if _SIGNATURE.match(c)), "") for b in blocks]
    if not any(_AVENANT_TITLE.match(p) for p in paragraphs[:10]):
        return []
    end = next((i for i, p in enumerate(paragraphs) if _SIGNATURE.match(p)), len(paragraphs))
    start = next((i for i in range(end - 1, -1, -1) if _ARTICLE.match(paragraphs[i])), None)
    if start is None:
        return ["article final de l’avenant introuvable (aucun titre « Article N » avant « Fait à »)"]
    return [f"« dispositions » dans l’article final d’un avenant (« stipulations » attendu) : "
            f"…{p[max(0, m.start() - 30):m.end() + 30]}…"
            for p in paragraphs[start + 1:end] for m in _DISPOSITIONS.finditer(p)]


# -- percentages of financial tables -------------------------------------------------------
_SP = "[ " + NBSPS + "]"
_AMOUNT = re.compile(rf"^\s*(\d{{1,3}}(?:{_SP}\d{{3}})*(?:,\d+)?){_SP}?€(?:{_SP}?(?:HT|TTC))?\s*$")
_PERCENT = re.compile(rf"^\s*(\d+(?:,\d+)?){_SP}?%\s*$")
_AMOUNT_IN_TEXT = re.compile(rf"(\d{{1,3}}(?:{_SP}\d{{3}})*(?:,\d+)?){_SP}?€")
_COUT = re.compile(r"(?i)^\s*co[uû]ts?\b")
_TOTAL = re.compile(r"(?i)^\s*total")
_COUT_PREVISIONNEL = re.compile(r"(?i)co[uû]t\s+prévisionnel\s+(?:total\s+)?du\s+(?:plan|programme)")
TOLERANCE = Decimal("0.05")  # point


def _number(text: str) -> Decimal:
    return Decimal(re.sub(f"{_SP}", "", text).replace(",", "."))


def _amount(cell: str) -> Decimal | None:
    m = _AMOUNT.match(cell)
    return _number(m.group(1)) if m else None


def _percent(cell: str) -> Decimal | None:
    m = _PERCENT.match(cell)
    return _number(m.group(1)) if m else None


def _column(header: list[str], pattern: str) -> int | None:
    return next((i for i, h in enumerate(header) if re.search(pattern, h, re.I)), None)


def _row_amount(row: list[str], header: list[str], before: int) -> Decimal | None:
    """A row's amount: its « Montant » or « Total » cell, else its last amount before `before`."""
    col = _column(header, r"^\s*(?:montant|total)")
    if col is not None and col < len(row) and _amount(row[col]) is not None:
        return _amount(row[col])
    amounts = [a for a in (_amount(c) for c in row[:before]) if a is not None]
    return amounts[-1] if amounts else None


def _measured(row: list[str], header: list[str], col: int, cost_col: int) -> Decimal | None:
    """What a percentage column of a table with a cost column measures, in this row."""
    label = header[col].lower() if col < len(header) else ""

    def at(pattern: str) -> Decimal | None:
        """The amount of this row in the (other) column whose header matches pattern."""
        for c, h in enumerate(header):
            if c not in (col, cost_col) and c < len(row) and re.search(pattern, h, re.I):
                amount = _amount(row[c])
                if amount is not None:
                    return amount
        return None

    for word in ("acquis", "sollicit", "reste"):
        if word in label:
            return at(word)
    financed = at(r"^\s*(?:total(?:\s+(?:financé|des\s+financements))?|financé|financements)\s*$")
    if financed is not None:
        return financed
    cost, rest = _amount(row[cost_col]), at("reste")
    if cost is not None and rest is not None:
        return cost - rest
    after = [a for i, c in enumerate(row) if cost_col < i < col
             and not re.search(r"(?i)reste", header[i] if i < len(header) else "")
             for a in [_amount(c)] if a is not None]
    return sum(after, Decimal(0)) if after else None


_FICHE = re.compile(rf"^[«\s{NBSPS}]*Fiche\s+action\s+n°\s*(\d+)\b", re.I)
_ACQUIS = re.compile(r"(?i)^\s*acquise?s?\s*$")
_SOLLICITE = re.compile(r"(?i)^\s*sollicitée?s?\s*$")
_RESTE = re.compile(r"(?i)^\s*reste")
_AGGREGATE = re.compile(r"(?i)^\s*(?:total|ensemble)")


def _fiche_plans(blocks: list[Block]) -> dict[str, dict[str, Decimal]]:
    """The plan de financement of each fiche the document prints: the first table headed
    « Financeur » with a « Coût … » row after a heading « Fiche action n° N »: its cost, what
    it finances (the cost less its « Reste à financer » row, else the sum of its rows but the
    « Total… » ones), and the amounts of the rows marked « Acquis » or « Sollicité »."""
    plans: dict[str, dict[str, Decimal]] = {}
    fiche: str | None = None
    for block in blocks:
        if isinstance(block, str):
            m = _FICHE.match(block)
            fiche = m.group(1) if m else fiche
            continue
        if fiche is None or not block or not re.match(r"(?i)\s*financeur", block[0][0] if block[0] else ""):
            continue
        header, rows = block[0], block[1:]
        cost_row = next((r for r in rows if r and _COUT.match(r[0])), None)
        cost = next((a for a in map(_amount, cost_row) if a is not None), None) if cost_row else None
        if cost is None:
            continue
        lines = [(r, _row_amount(r, header, len(r))) for r in rows
                 if r is not cost_row and not _AGGREGATE.match(r[0])]
        reste = sum((a for r, a in lines if _RESTE.match(r[0]) and a is not None), Decimal(0))
        finance = cost - reste if any(_RESTE.match(r[0]) for r, _ in lines) else sum(
            (a for r, a in lines if a is not None), Decimal(0))
        plans[fiche] = {
            "cout": cost, "finance": finance, "reste": reste,
            "acquis": sum((a for r, a in lines if a is not None and any(map(_ACQUIS.match, r))),
                          Decimal(0)),
            "sollicite": sum((a for r, a in lines
                              if a is not None and any(map(_SOLLICITE.match, r))), Decimal(0))}
        fiche = None
    return plans


def _from_plan(row: list[str], label: str, plans: dict[str, dict[str, Decimal]]) -> Decimal | None:
    """What a rate of the plan by action measures, from the fiche's own plan printed elsewhere
    in the document (the row's first cell that is a number is the fiche's)."""
    numero = next((c.strip() for c in row if c.strip().isdigit()), None)
    plan = plans.get(numero or "")
    if plan is None:
        return None
    label = label.lower()
    for word, key in (("acquis", "acquis"), ("sollicit", "sollicite"), ("reste", "reste")):
        if word in label:
            return plan[key]
    return plan["finance"]


def _check(errors: list[str], row: list[str], printed: Decimal, part: Decimal | None,
           whole: Decimal | None, what: str) -> None:
    if not whole:
        errors.append(f"pourcentage sans montant de référence ({what}) : {' | '.join(row)}")
        return
    if part is None:  # what the rate measures is printed nowhere: nothing to check it against
        return
    true = part * 100 / whole
    if abs(printed - true) > TOLERANCE:
        shown = f"{true:.2f}".replace(".", ",")
        printed_ = str(printed).replace(".", ",")
        errors.append(f"pourcentage faux : {' | '.join(row)} — {printed_} % imprimé, "
                      f"{shown} % réel ({what})")


def percentage_errors(blocks: list[Block]) -> list[str]:
    errors: list[str] = []
    plans = _fiche_plans(blocks)
    plan_cost: Decimal | None = None  # the plan's cost printed last, for a table by financeur
    for block in blocks:
        if isinstance(block, str):
            if _COUT_PREVISIONNEL.search(block):
                found = _AMOUNT_IN_TEXT.findall(block)
                if found:
                    plan_cost = _number(found[-1])
            continue
        if not block:
            continue
        header, rows = block[0], block[1:]
        cost_row = next((r for r in rows if r and _COUT.match(r[0])), None)
        cost_col = _column(header, r"^\s*co[uû]t")
        measured: dict[int, list[Decimal | None]] = {}  # by rate column, for the aggregate rows
        for row in rows:
            cols = [i for i, c in enumerate(row) if _percent(c) is not None]
            if not cols or not any(_amount(c) is not None for c in row):
                continue
            for col in cols:
                printed = _percent(row[col])
                assert printed is not None
                if cost_row is not None:
                    whole = next((a for a in map(_amount, cost_row) if a is not None), None)
                    _check(errors, row, printed, _row_amount(row, header, col), whole,
                           f"part du « {cost_row[0]} »")
                elif cost_col is not None and cost_col < len(row):
                    label = header[col] if col < len(header) else ""
                    part = _measured(row, header, col, cost_col)
                    if part is None and not _AGGREGATE.match(row[0]):
                        part = _from_plan(row, label, plans)
                        measured.setdefault(col, []).append(part)
                    elif part is None:  # the whole plan: the sum of its actions, if all known
                        known = measured.get(col, [])
                        sure = [k for k in known if k is not None]
                        part = sum(sure, Decimal(0)) if known and len(sure) == len(known) else None
                    _check(errors, row, printed, part, _amount(row[cost_col]),
                           f"« {label} » rapporté au coût de la ligne")
                else:
                    _check(errors, row, printed, _row_amount(row, header, col), plan_cost,
                           "part du coût prévisionnel du plan")
        if cost_col is not None:
            for row in rows:
                if row and _AGGREGATE.match(row[0]) and cost_col < len(row):
                    total = _amount(row[cost_col]) or next(
                        (a for a in map(_amount, row) if a is not None), None)
                    plan_cost = total if total is not None else plan_cost
    return errors


def docx_paragraphs(data: bytes) -> list[str]:
    """The text of every paragraph of a DOCX (body, table cells, headers, footers); deleted text
    of tracked changes left out."""
    out: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = [n for n in zf.namelist()
                 if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
        for name in names:
            root = etree.fromstring(zf.read(name))
            for p in root.iter(f"{W}p"):
                if any(c.tag == f"{W}p" for c in p.iterancestors()):
                    continue
                out.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return out


def check_docx(path: Path) -> list[str]:
    data = path.read_bytes()
    errors = mechanical_errors("\n".join(docx_paragraphs(data))) + document_errors(docx_blocks(data))
    return [f"{path.name} : {e}" for e in errors]
