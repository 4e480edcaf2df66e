"""`docgen avenant draft`: the avenant operations that turn one convention state into another.

Pure comparison of two validated Convention models, field by field; applying the result to the
old state gives the new one (resolve.apply_all), which the tests check on generated pairs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import yaml

from . import messages as msg
from .model import Convention
from .model.avenant import (
    AjouterFiche,
    AjouterPartenaire,
    AjouterSecteur,
    AjouterSignataire,
    FicheModifiee,
    ModifierFiche,
    ModifierSecteur,
    ProlongerDuree,
    RemplacerTexte,
    RetirerPartenaire,
    RetirerSignataire,
    SecteurModifie,
    SupprimerFiche,
    SupprimerSecteur,
)


class NotDraftable(Exception):
    """A difference no avenant operation expresses (titre, axes, signature of the convention…)."""


def draft(old: Convention, new: Convention) -> list[Any]:
    """Operations, in a readable order: perimeter, parties, fiches, texts, duration."""
    ops: list[Any] = []
    unsupported = [k for k in ("titre", "communes", "signature", "axes")
                   if getattr(old, k) != getattr(new, k)]
    if unsupported:
        raise NotDraftable(msg.CHAMPS_MODIFIENT_PAS_AVENANT
                           + ", ".join(unsupported) + ".")
    old_s, new_s = {s.id: s for s in old.secteurs}, {s.id: s for s in new.secteurs}
    for sid, s in new_s.items():
        if sid not in old_s:
            ops.append(AjouterSecteur(operation="ajouter_secteur", secteur=s))
        elif s != old_s[sid]:
            changed = {k: getattr(s, k) for k in SecteurModifie.model_fields
                       if getattr(s, k) != getattr(old_s[sid], k)}
            if any(v is None for v in changed.values()):
                raise NotDraftable(msg.SECTEUR_CHAMP_VIDE_EXPRIME.format(sid=sid))
            ops.append(ModifierSecteur(operation="modifier_secteur", id=sid,
                                       champs=SecteurModifie(**changed)))
    old_p = [x.partie for x in old.signataires]
    new_p = [x.partie for x in new.signataires]
    ops += [AjouterSignataire(operation="ajouter_signataire", partie=p)
            for p in new_p if p not in old_p]
    ops += [RetirerSignataire(operation="retirer_signataire", partie=p)
            for p in old_p if p not in new_p]
    # a party that becomes signatory leaves « en présence de » by itself (resolve.apply)
    partners_after_parties = [p for p in old.en_presence_de if p not in new_p]
    ops += [AjouterPartenaire(operation="ajouter_partenaire", partie=p)
            for p in new.en_presence_de if p not in partners_after_parties]
    ops += [RetirerPartenaire(operation="retirer_partenaire", partie=p)
            for p in partners_after_parties if p not in new.en_presence_de]
    old_f = {f.numero: f for f in old.fiches_actions}
    new_f = {f.numero: f for f in new.fiches_actions}
    for n in sorted(set(old_f) | set(new_f)):
        if n not in new_f:
            ops.append(SupprimerFiche(operation="supprimer_fiche", numero=n))
        elif n not in old_f:
            ops.append(AjouterFiche(operation="ajouter_fiche", fiche=new_f[n]))
        elif new_f[n] != old_f[n]:
            changed = {k: getattr(new_f[n], k) for k in FicheModifiee.model_fields
                       if getattr(new_f[n], k) != getattr(old_f[n], k)}
            if any(v is None for v in changed.values()):
                # a field emptied (e.g. secteur): only a replacement of the sheet says it
                ops.append(SupprimerFiche(operation="supprimer_fiche", numero=n))
                ops.append(AjouterFiche(operation="ajouter_fiche", fiche=new_f[n]))
            else:
                ops.append(ModifierFiche(operation="modifier_fiche", numero=n,
                                         champs=FicheModifiee(**changed)))
    ops += [SupprimerSecteur(operation="supprimer_secteur", id=sid)
            for sid in old_s if sid not in new_s]
    for key in type(old.textes).model_fields:
        if getattr(old.textes, key) != getattr(new.textes, key):
            texte = list(getattr(new.textes, key))
            if not texte:
                raise NotDraftable(msg.TEXTE_VIDE_AVENANT_REMPLACE.format(key=key))
            ops.append(RemplacerTexte(operation="remplacer_texte", article=key, texte=texte))
    if old.duree_ans != new.duree_ans:
        ops.append(ProlongerDuree(operation="prolonger_duree", duree_ans=new.duree_ans))
    return ops


class Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> Any:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


Dumper.add_representer(Decimal, _decimal)
Dumper.add_representer(dt.date, lambda d, v: d.represent_scalar("tag:yaml.org,2002:timestamp",
                                                                  v.isoformat()))


def to_yaml(ops: list[Any]) -> str:
    """The `modifications:` block of an avenant file, ready to paste."""
    data = {"modifications": [op.model_dump(mode="python", exclude_none=True,
                                            exclude_defaults=True) | {"operation": op.operation}
                              for op in ops]}
    # « operation » first: it says what the rest of the entry means
    data["modifications"] = [{"operation": d.pop("operation"), **d} for d in data["modifications"]]
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)
