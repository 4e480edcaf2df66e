"""READ the operator's answer to a transmission (contrôle de légalité): an ACTES `ARActe`
(acknowledgement of receipt: the act's `IDActe` and date of receipt), or an `AnomalieActe` /
`AnomalieEnveloppe` (the act was not received), checked against the ACTES schema
(`actesv1_1.xsd`, shipped with docgen) before a value of it is read. Pure: bytes in, values
out; the register is written by acts.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import messages as msg
from .errors import DocgenError
from .remise import NS_ACTES as NS

MAX_ACCUSE = 1024 * 1024  # an acknowledgement is a few hundred bytes
ANOMALIES = {f"{{{NS}}}AnomalieActe", f"{{{NS}}}AnomalieEnveloppe"}


@dataclass(frozen=True)
class Accuse:
    """What an ARActe says: the act's identifier and its date of receipt, and which act was
    received (its number and date, as the collectivité sent them)."""

    id_acte: str
    recu_le: dt.date
    numero: str
    date_acte: dt.date


@cache
def _schema() -> Any:
    from .remise import actes_schema

    return actes_schema()


def read_accuse(data: bytes, name: str) -> Accuse:
    """The acknowledgement in `data` (a file named `name` for messages); DocgenError in French
    for anything else: not XML, not valid against the ACTES schema, an anomaly (with its nature
    and detail), another message."""
    from lxml import etree

    if len(data) > MAX_ACCUSE:
        raise DocgenError(msg.AR_TROP_GROS.format(nom=name))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise DocgenError(msg.AR_ILLISIBLE.format(nom=name, detail=str(exc)[:200])) from None
    schema = _schema()
    if not schema.validate(root):
        error = schema.error_log.last_error
        raise DocgenError(msg.AR_INVALIDE.format(
            nom=name, ligne=getattr(error, "line", 0), detail=str(getattr(error, "message", ""))[:300]))
    if root.tag in ANOMALIES:
        from .formatting import date_longue

        day = (root.findtext(f"{{{NS}}}Date") or "")[:10]  # the schema made it a date
        raise DocgenError(msg.AR_ANOMALIE.format(
            nom=name, date=date_longue(dt.date.fromisoformat(day)),
            nature=root.findtext(f"{{{NS}}}Nature") or "?",
            detail=(root.findtext(f"{{{NS}}}Detail") or msg.AR_SANS_DETAIL).strip()[:500]))
    if root.tag != f"{{{NS}}}ARActe":
        raise DocgenError(msg.AR_AUTRE_MESSAGE.format(nom=name, element=etree.QName(root).localname))
    acte = root.find(f"{{{NS}}}ActeRecu")
    assert acte is not None  # the schema requires it
    q = f"{{{NS}}}"  # the schema's attributes are qualified (attributeFormDefault)
    # xsd:date may carry a time zone (« 2024-05-07+02:00 »): the day is its first 10 characters
    return Accuse(id_acte=root.get(f"{q}IDActe", ""),
                  recu_le=dt.date.fromisoformat(root.get(f"{q}DateReception", "")[:10]),
                  numero=acte.get(f"{q}NumeroInterne", ""),
                  date_acte=dt.date.fromisoformat(acte.get(f"{q}Date", "")[:10]))
