"""The convention-cadre, as signed or consolidated after avenants: data for convention.docx."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import derive
from ..model import Avenant, Convention
from ..model.case import Case
from ..templating import Outline
from .common import commun, programme, reference_avenant


def consolidation(avenants: Sequence[Avenant], numero: int) -> dict[str, Any]:
    """The avenants a consolidated version integrates (which provisions each amended is computed
    from the renderings: see provisions.py and Documents.consolidee)."""
    applied = [a for a in sorted(avenants, key=lambda a: a.numero) if a.numero <= numero]
    return {"avenants": [reference_avenant(a) for a in applied]}


def convention_context(case: Case, outline: Outline, projet: bool,
                       conv: Convention | None = None,
                       consolide: dict[str, Any] | None = None) -> dict[str, Any]:
    """The convention as signed, or (conv + consolide) a consolidated state after avenants."""
    conv = conv or case.convention
    ctx = commun(case, conv, outline, projet)
    ctx.update(programme(case.territoire, conv, case.perimetres))
    signature_date = conv.signature.date
    ctx.update({
        "consolidee": consolide["avenants"] if consolide else [],
        "textes": conv.textes,
        "duree_ans": conv.duree_ans,
        "date_fin": derive.fin_de_duree(signature_date, conv.duree_ans) if signature_date else None,
        "axes": list(conv.axes),
    })
    return ctx
