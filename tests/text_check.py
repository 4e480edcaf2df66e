"""Mechanical errors a proof-reader would circle in a generated document, whatever its template:
missing elision or contraction, doubled words, misplaced or missing (no-break) spaces, empty or
doubled parentheses, program values and template tags printed."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NBSPS = "\u00a0\u202f"

RULES: list[tuple[str, re.Pattern[str]]] = [
    ("élision manquante (de + voyelle)", re.compile(r"\b[dD]e (?!(?:onze|onzième|oui|ouate|yacht|yaourt)\b)(?=[aeiouàâäéèêëîïôöùûüœæAEIOUÀÂÉÈÊËÎÏÔÙÛŒÆ])")),
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
    return [f"{path.name} : {e}" for e in mechanical_errors("\n".join(docx_paragraphs(path.read_bytes())))]
