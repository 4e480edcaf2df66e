"""French formatting shared by every template, DOCX and PDF alike (dates, euros, words, %)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal
from num2words import num2words

NBSP = "\u00a0"  # before € and %, between thousands groups is NNBSP per Babel; we use NBSP
NNBSP = "\u202f"


def date_longue(d: dt.date) -> str:
    """16 janvier 2026, 1er octobre 2020."""
    text = format_date(d, format="d MMMM y", locale="fr_FR")
    return ("1er" + text[1:]) if d.day == 1 else text


def date_jour(d: dt.date) -> str:
    """vendredi 16 janvier 2026, samedi 1er mars 2025."""
    return format_date(d, format="EEEE d MMMM y", locale="fr_FR").replace(" 1 ", " 1er ")


def heure(text: str) -> str:
    """« 14:30 » → « 14 h 30 », with no-break spaces."""
    return text.replace(":", "h").replace("h", NBSP + "h" + NBSP)


def date_courte(d: dt.date) -> str:
    """16/01/2026."""
    return d.strftime("%d/%m/%Y")


def nombre(value: Decimal | int, decimales: int = 0) -> str:
    """2 918 550 with non-breaking spaces; decimal comma when asked."""
    q = Decimal(value).quantize(Decimal(1).scaleb(-decimales), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * decimales if decimales else "")
    text = format_decimal(q, format=pattern, locale="fr_FR")
    return text.replace(NNBSP, NBSP).replace("\u2009", NBSP).replace(" ", NBSP)


def montant(value: Decimal | int) -> str:
    """2 918 550 € (whole euros) or 4 525,85 € (when there are cents)."""
    d = Decimal(value)
    cents = d != d.to_integral_value()
    return nombre(d, 2 if cents else 0) + NBSP + "€"


def pourcentage(part: Decimal | int, total: Decimal | int, decimales: int = 0) -> str:
    """53 % — the share of part in total, rounded half up; "—" when total is zero."""
    if not total:
        return "—"
    ratio = Decimal(part) * 100 / Decimal(total)
    return nombre(ratio, decimales) + NBSP + "%"


def taux(value: Decimal | int) -> str:
    """70 % from a number already expressed in percent."""
    return nombre(Decimal(value), 0) + NBSP + "%"


def en_lettres(value: Decimal | int) -> str:
    """quatre-vingt-six mille euros; un million d'euros; deux cents euros et cinquante centimes."""
    d = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    euros = int(d)
    cents = int((d - euros) * 100)
    words = num2words(euros, lang="fr")
    if euros >= 1_000_000 and euros % 1_000_000 == 0:
        unit = "d'euros"  # un million d'euros, deux millions d'euros
    else:
        unit = "euro" if euros <= 1 else "euros"
    text = f"{words} {unit}"
    if cents:
        text += f" et {num2words(cents, lang='fr')} centime{'s' if cents > 1 else ''}"
    return text


def montant_en_lettres(value: Decimal | int) -> str:
    """quatre-vingt-six mille euros (86 000 €)."""
    return f"{en_lettres(value)} ({montant(value)})"


def ordinal_article(n: int) -> str:
    """Article 1er, Article 2."""
    return "1er" if n == 1 else str(n)


def ordinal(n: int, feminin: bool = False) -> str:
    """1er / 1re, 2e, 3e (COPIL numbers, avenant ranks)."""
    if n == 1:
        return "1re" if feminin else "1er"
    return f"{n}e"


_BEFORE = re.compile(r"(?<![\s\u00a0\u202f])([;:!?»])|[ \u202f]([;:!?»])")
_AFTER = re.compile(r"(«)[ \u00a0\u202f]?")
_KEEP = re.compile(r"https?://\S+|www\.\S+|\d:\d")


def typo(text: str) -> str:
    """Non-breaking spaces before « : ; ? ! », inside guillemets and after « n° » — for the
    templates' own wording, never for values from the case."""
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = _KEEP.sub(keep, text)
    text = _BEFORE.sub(lambda m: NBSP + (m.group(1) or m.group(2)), text)
    text = _AFTER.sub(lambda m: m.group(1) + NBSP, text)
    text = text.replace("n° ", "n°" + NBSP)
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text)


_MOIS = ("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
         "décembre")
# What French typography must not touch: web and e-mail addresses, data URIs, file names,
# times and ratios (14:30), character entities typed as text (&amp;).
_PROTEGE = re.compile(
    r"https?://\S+|www\.\S+|mailto:\S+|data:\S+|[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"
    r"|[^\s\"«»()]+\.(?:png|jpe?g|gif|svg|pdf|docx?|xlsx?|pptx?|odt|ods|yaml|yml|csv|json"
    r"|html?|zip)\b|\d:\d|&#?\w+;")
# before « ; : ! ? » — not at the value's very start, where the template's text decides, and
# only where it is punctuation (followed by a space or the end: « w:p », « 1:2 » are not)
_AVANT = re.compile(r"(?<=[^\s\u00a0\u202f\x00;:!?])[ \u202f]?"
                    r"(»|[;:!?](?=[\s;:!?»).,]|$))")
_GUILLEMETS_DROITS = re.compile(r'"[ \u00a0\u202f]*([^"\n]*?)[ \u00a0\u202f]*"')
_INSECABLES = (
    # a number and its unit: 70 %, 450 000 € HT, 12 ha, 120 m², 3 mois
    (re.compile(r"(?<=\d) (?=(?:€|%|‰|HT\b|TTC\b|euros?\b|ha\b|m²|m2\b|km\b|m\b|h\b))"), NBSP),
    (re.compile(r"(?<=€) (?=(?:HT|TTC)\b)"), NBSP),
    # thousands groups: 2 918 550 €, 20 000 habitants (a number of at most three digits
    # before its groups: « en 2021 150 logements » is left alone)
    (re.compile(r"(?<![\d,.])(?<!\d[ \u00a0])(\d{1,3})((?:[ \u00a0]\d{3})+)(?!\d)"),
     lambda m: m.group(1) + m.group(2).replace(" ", NBSP)),
    # an ordinal and what it numbers: 1er comité, 2e avenant
    (re.compile(r"(?<![\w-])(1er|1re|\d{1,2}e) (?=\w)"), r"\1" + NBSP),
    # a reference and its number: article 4, annexe 2, fiche action n° 12, L. 303-2, page 3
    (re.compile(r"(?<![\w-])((?:[Aa]rticles?|[Aa]nnexes?|[Aa]venants?|[Ff]iches?(?: actions?)?"
                r"|[Aa]xes?|[Pp]ages?|[Tt]ableaux?|[Cc]hapitres?|[Tt]itres?|n°|N°|§"
                r"|[LRD]\.)) (?=\d|[LRD]\. ?\d|1er\b|premier\b)"), r"\1" + NBSP),
    # a day and its month: 1er octobre 2020, 16 janvier 2026
    (re.compile(r"(?<![\w-])(1er|\d{1,2}) (?=(?:" + _MOIS + r")\b)"), r"\1" + NBSP),
)


def francais(text: str) -> str:
    """French typography on a value of the case as it is printed (the value itself is never
    changed): typographic apostrophe, « guillemets » for straight double quotes, no-break
    spaces before « : ; ? ! », inside guillemets, between a number and its unit or reference
    (« 450 000 € HT », « n° 12 », « article 4 », « 1er octobre »). Addresses, file names and
    times are left as written. Idempotent."""
    if not text:
        return text
    if type(text) is str:  # the same values print in every document of a territory
        return _francais_str(text)
    return _francais(text)


@lru_cache(maxsize=16384)
def _francais_str(text: str) -> str:
    return _francais(text)


def _francais(text: str) -> str:
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\x00{len(kept) - 1}\x00"

    text = _PROTEGE.sub(keep, text)
    text = text.replace("'", "\u2019")
    if text.count('"') % 2 == 0:
        text = _GUILLEMETS_DROITS.sub(lambda m: f"«{NBSP}{m.group(1)}{NBSP}»", text)
    text = _AVANT.sub(lambda m: NBSP + m.group(1), text)
    text = _AFTER.sub(lambda m: m.group(1) + NBSP, text)
    for pattern, repl in _INSECABLES:
        text = pattern.sub(repl, text)
    return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], text)


def majuscule_initiale(text: str) -> str:
    """« l'État » → « L'État » at the start of a sentence; the rest as typed."""
    return text[:1].upper() + text[1:]


def minuscule_initiale(text: str) -> str:
    """« Sous-préfète de Briançon » → « sous-préfète de Briançon » in running text; an acronym
    (« DGFiP ») or a proper name in capitals is left as typed."""
    for article in ("le ", "la ", "les ", "l'", "l’"):
        if text[: len(article)].lower() == article:
            return text[: len(article)].lower() + minuscule_initiale(text[len(article):])
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def sans_article(text: str) -> str:
    """« la Communauté de communes du Pays des Écrins » → « Communauté de communes du Pays des
    Écrins » (a title names, it does not designate); « l'État » → « État »."""
    for article in ("le ", "la ", "les ", "l'", "l’"):
        if text[: len(article)].lower() == article:
            return text[len(article):]
    return text


def nombre_en_lettres(n: int) -> str:
    """six, dix-huit — for durations written in full."""
    return str(num2words(n, lang="fr"))


def guillemets(text: str) -> str:
    """« text » with non-breaking spaces, the text itself untouched."""
    return f"«{NBSP}{text}{NBSP}»"


def ecart_montant(value: Decimal | int) -> str:
    """+150 000 € / −2 000 € / = : a change between two dates."""
    d = Decimal(value)
    if not d:
        return "="
    return ("+" if d > 0 else "\u2212") + montant(abs(d))


_VOYELLE = re.compile(r"[aeiouyàâäéèêëîïôöùûüœæ]", re.I)
_SANS_ELISION = re.compile(r"(?:onze|onzième|oui|ouate|yacht|yaourt)\b", re.I)  # « de onze »


def de(text: str) -> str:
    """« de » before a noun phrase, elided or contracted: d'étendre, de la Commune, du
    Département (le Département), des communes (les communes), de l'État."""
    low = text[:4].lower()
    if low.startswith("le "):
        return "du " + text[3:]
    if low.startswith("les "):
        return "des " + text[4:]
    if _VOYELLE.match(text[:1]) and not _SANS_ELISION.match(text):
        return "d'" + text
    return "de " + text


def a(text: str) -> str:
    """« à » before a noun phrase, contracted: au Département, aux communes, à l'État."""
    low = text[:4].lower()
    if low.startswith("le "):
        return "au " + text[3:]
    if low.startswith("les "):
        return "aux " + text[4:]
    return "à " + text


def pt(value: float) -> str:
    """A length for a style attribute (the slides' HTML): a number of points, never text."""
    v = float(value)
    if not -10_000 <= v <= 10_000:  # also refuses nan
        raise ValueError(f"longueur hors limites : {value!r}")
    return f"{v:.2f}pt"


def couleur(value: str) -> str:
    """A colour for a style attribute: six hexadecimal digits, nothing else."""
    text = str(value)
    if len(text) != 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise ValueError(f"couleur invalide : {value!r}")
    return text.upper()


def alignement(value: str) -> str:
    if value not in ("left", "right", "center"):
        raise ValueError(f"alignement invalide : {value!r}")
    return value


FILTERS = {
    "pt": pt,
    "couleur": couleur,
    "alignement": alignement,
    "de": de,
    "a": a,
    "ecart_montant": ecart_montant,
    "date_longue": date_longue,
    "date_courte": date_courte,
    "date_jour": date_jour,
    "heure": heure,
    "nombre": nombre,
    "montant": montant,
    "pourcentage": pourcentage,
    "taux": taux,
    "en_lettres": en_lettres,
    "montant_en_lettres": montant_en_lettres,
    "article": ordinal_article,
    "ordinal": ordinal,
    "typo": typo,
    "francais": francais,
    "majuscule_initiale": majuscule_initiale,
    "minuscule_initiale": minuscule_initiale,
    "sans_article": sans_article,
    "nombre_en_lettres": nombre_en_lettres,
    "guillemets": guillemets,
}
