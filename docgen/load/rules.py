"""VALIDATE, second half: the rules that span fields and files (references, dates, parties in
office, what an ORT requires, each avenant against the state its predecessors left)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from .. import formatting as fmt
from ..model import Adhesion, Avenant, Convention, Copil, DossierTerritoire
from ..model.avenant import AjouterFiche, AjouterSecteur, ModifierFiche, ModifierSecteur, SupprimerFiche
from ..model.convention import Signataire
from ..model.territoire import Partie, Representant
from .files import CaseFile, Report
from .yamlpos import Path_, dotted

AVENANT_NAME = re.compile(r"^(\d{2})-[a-z0-9][a-z0-9-]*\.yaml$")
COPIL_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.yaml$")

def _unique(items: list[Any], attr: str, base: Path_, f: CaseFile, report: Report, what: str) -> None:
    seen: dict[Any, int] = {}
    for i, item in enumerate(items):
        value = getattr(item, attr)
        if value in seen:
            report.add(f, base + (i, attr), f"{what} « {value} » en double "
                       f"(déjà utilisé par {dotted(base + (seen[value],))}).")
        else:
            seen[value] = i


def _check_territoire(t: DossierTerritoire, f: CaseFile, report: Report) -> None:
    _unique(t.territoire.communes, "id", ("territoire", "communes"), f, report, "identifiant")
    _unique(t.parties, "id", ("parties",), f, report, "identifiant")
    _unique(t.financeurs, "id", ("financeurs",), f, report, "identifiant")
    communes = {c.id for c in t.territoire.communes}
    parties = {p.id: p for p in t.parties}
    if not any(c.ville_principale for c in t.territoire.communes):
        report.add(f, ("territoire", "communes"), "aucune commune n'a « ville_principale: true ».")
    epci = parties.get(t.epci)
    if epci is None:
        report.add(f, ("epci",), f"partie « {t.epci} » inconnue ; parties : {_ids(parties)}.")
    elif epci.type != "epci":
        report.add(f, ("epci",), f"la partie « {t.epci} » est de type « {epci.type} », pas « epci ».")
    for i, p in enumerate(t.parties):
        here = ("parties", i)
        if p.type == "commune" and p.commune is None:
            report.add(f, here, "une partie de type commune doit indiquer « commune: <id> ».")
        if p.commune is not None and p.commune not in communes:
            report.add(f, here + ("commune",), f"commune « {p.commune} » inconnue ; "
                       f"communes : {_ids(communes)}.")
        for j, r in enumerate(p.representants):
            if r.au is not None and r.au < r.du:
                report.add(f, here + ("representants", j, "au"),
                           f"fin de fonction ({fmt.date_longue(r.au)}) avant le début "
                           f"({fmt.date_longue(r.du)}).")
    for i, fin in enumerate(t.financeurs):
        if fin.partie is not None and fin.partie not in parties:
            report.add(f, ("financeurs", i, "partie"), f"partie « {fin.partie} » inconnue ; "
                       f"parties : {_ids(parties)}.")


def _ids(items: Any) -> str:
    return ", ".join(sorted(items))


def _check_signataires(
    t: DossierTerritoire,
    signataires: list[Signataire],
    en_presence: list[str],
    jour: dt.date,
    f: CaseFile,
    report: Report,
) -> None:
    parties = {p.id: p for p in t.parties}
    for i, s in enumerate(signataires):
        here: Path_ = ("signataires", i)
        p = parties.get(s.partie)
        if p is None:
            report.add(f, here + ("partie",), f"partie « {s.partie} » inconnue dans territoire.yaml ; "
                       f"parties : {_ids(parties)}.")
            continue
        pick = representant_at(p, jour, s.representant)
        if isinstance(pick, str):
            report.add(f, here + (("representant",) if s.representant else ("partie",)), pick)
        else:
            _check_delegation(pick, jour, here, f, report)
        if p.type in ("commune", "epci", "departement", "region") and s.deliberation is None:
            report.add(f, here, f"délibération manquante pour {p.nom} : ajoutez "
                       "« deliberation: {numero: …, date: AAAA-MM-JJ} ».")
        if s.deliberation is not None and s.deliberation.date > jour:
            report.add(f, here + ("deliberation", "date"),
                       f"délibération du {fmt.date_longue(s.deliberation.date)}, postérieure à la "
                       f"signature du {fmt.date_longue(jour)}.")
    for i, pid in enumerate(en_presence):
        if pid not in parties:
            report.add(f, ("en_presence_de", i), f"partie « {pid} » inconnue ; parties : {_ids(parties)}.")
        elif pid in {s.partie for s in signataires}:
            report.add(f, ("en_presence_de", i), f"« {pid} » est déjà signataire.")


def _check_delegation(r: Representant, jour: dt.date, here: Path_, f: CaseFile,
                      report: Report) -> None:
    """A representative who signs by delegation holds an arrêté de délégation dated before the
    signature (it is cited in the parties block and the signature block)."""
    if r.par_delegation_de is None:
        return
    arrete = r.arrete_delegation
    if arrete is None:
        report.add(f, here, f"{r.nom} signe pour {r.par_delegation_de} et par délégation : citez "
                   "l'arrêté de délégation de signature dans territoire.yaml (« arrete_delegation: "
                   "{numero: …, date: AAAA-MM-JJ} »).", warn=True)
    elif arrete.date > jour:
        report.add(f, here, f"l'arrêté de délégation n° {arrete.numero} de {r.nom} est du "
                   f"{fmt.date_longue(arrete.date)}, après la signature du {fmt.date_longue(jour)} : "
                   "la délégation doit précéder la signature.")


def representant_at(p: Partie, jour: dt.date, nom: str | None) -> Representant | str:
    """The person who represents a party on a date, or a French explanation of why none does."""
    in_office = [r for r in p.representants if r.en_fonction(jour)]
    if nom is not None:
        named = [r for r in p.representants if r.nom == nom]
        if not named:
            known = ", ".join(r.nom for r in p.representants) or "aucun"
            return f"« {nom} » n'est pas un représentant de {p.nom} (connus : {known})."
        held = [r for r in named if r.en_fonction(jour)]
        if not held:
            r = named[0]
            return (f"{nom} n'est pas en fonction le {fmt.date_longue(jour)} "
                    f"({_periode(r)}).")
        return held[0]
    if len(in_office) == 1:
        return in_office[0]
    if not in_office:
        known = "; ".join(f"{r.nom} {_periode(r)}" for r in p.representants) or "aucun représentant"
        return (f"personne ne représente {p.nom} le {fmt.date_longue(jour)} : ajoutez son "
                f"représentant dans territoire.yaml (connus : {known}).")
    names = ", ".join(r.nom for r in in_office)
    return (f"plusieurs représentants de {p.nom} sont en fonction le {fmt.date_longue(jour)} "
            f"({names}) : précisez « representant: … ».")


def _periode(r: Representant) -> str:
    if r.au is None:
        return f"en fonction depuis le {fmt.date_longue(r.du)}"
    return f"du {fmt.date_longue(r.du)} au {fmt.date_longue(r.au)}"


def _check_convention(t: DossierTerritoire, c: Convention, f: CaseFile, report: Report) -> None:
    communes = {x.id: x for x in t.territoire.communes}
    parties = {p.id: p for p in t.parties}
    financeurs = {x.id for x in t.financeurs}
    _unique(c.axes, "id", ("axes",), f, report, "identifiant")
    _unique(c.secteurs, "id", ("secteurs",), f, report, "identifiant")
    _unique(c.fiches_actions, "numero", ("fiches_actions",), f, report, "numéro")
    seen_sig: set[tuple[str, str | None]] = set()
    for i, s in enumerate(c.signataires):
        if (s.partie, s.representant) in seen_sig:
            report.add(f, ("signataires", i), f"« {s.partie} » signe déjà : un signataire en double.")
        seen_sig.add((s.partie, s.representant))
    for i, cid in enumerate(c.communes):
        if cid not in communes:
            report.add(f, ("communes", i), f"commune « {cid} » inconnue ; communes : {_ids(communes)}.")
    jour = c.signature.date or c.date_edition
    _check_signataires(t, list(c.signataires), list(c.en_presence_de), jour, f, report)

    # An ORT is signed at least by the État, the EPCI and its ville principale (CCH L303-2).
    signing = [parties[s.partie] for s in c.signataires if s.partie in parties]
    principales = {x.id for x in t.territoire.communes if x.ville_principale}
    if not any(p.type == "etat" for p in signing):
        report.add(f, ("signataires",), "l'État doit être signataire d'une convention ORT.")
    if t.epci not in {p.id for p in signing}:
        report.add(f, ("signataires",), f"l'intercommunalité (« {t.epci} ») doit être signataire "
                   "d'une convention ORT.")
    if not any(p.type == "commune" and p.commune in principales for p in signing):
        report.add(f, ("signataires",), "la ville principale doit être signataire d'une convention ORT.")
    if not any(s.centre_ville and s.commune in principales for s in c.secteurs):
        report.add(f, ("secteurs",), "aucun secteur d'intervention ne couvre le centre-ville de la "
                   "ville principale (« centre_ville: true »).")
    for i, s in enumerate(c.secteurs):
        if s.commune not in communes:
            report.add(f, ("secteurs", i, "commune"), f"commune « {s.commune} » inconnue ; "
                       f"communes : {_ids(communes)}.")
    axes = {a.id for a in c.axes}
    secteurs = {s.id for s in c.secteurs}
    for i, fiche in enumerate(c.fiches_actions):
        _check_fiche(fiche, ("fiches_actions", i), axes, secteurs, parties, financeurs, f, report)


def _check_fiche(
    fiche: Any, here: Path_, axes: set[str], secteurs: set[str], parties: dict[str, Partie],
    financeurs: set[str], f: CaseFile, report: Report,
) -> None:
    if fiche.axe not in axes:
        report.add(f, here + ("axe",), f"axe « {fiche.axe} » inconnu ; axes : {_ids(axes)}.")
    if fiche.secteur is not None and fiche.secteur not in secteurs:
        report.add(f, here + ("secteur",), f"secteur « {fiche.secteur} » inconnu ; "
                   f"secteurs : {_ids(secteurs)}.")
    if fiche.maitre_ouvrage not in parties:
        report.add(f, here + ("maitre_ouvrage",), f"partie « {fiche.maitre_ouvrage} » inconnue ; "
                   f"parties : {_ids(parties)}.")
    cal = fiche.calendrier
    if cal.fin < cal.debut:
        report.add(f, here + ("calendrier", "fin"), f"fin ({fmt.date_longue(cal.fin)}) avant le "
                   f"début ({fmt.date_longue(cal.debut)}).")
    for j, ph in enumerate(cal.phases):
        if ph.fin < ph.debut:
            report.add(f, here + ("calendrier", "phases", j, "fin"), "fin de phase avant son début.")
        elif ph.debut < cal.debut or ph.fin > cal.fin:
            report.add(f, here + ("calendrier", "phases", j), "phase hors du calendrier de l'action "
                       f"({fmt.date_longue(cal.debut)} – {fmt.date_longue(cal.fin)}).")
    total = Decimal(0)
    for j, row in enumerate(fiche.plan_de_financement):
        total += row.montant
        if row.financeur not in financeurs:
            report.add(f, here + ("plan_de_financement", j, "financeur"),
                       f"financeur « {row.financeur} » inconnu ; financeurs : {_ids(financeurs)}.")
    cost = fiche.cout.montant
    if total > cost:
        report.add(f, here + ("plan_de_financement",),
                   f"le plan de financement ({fmt.montant(total)}) dépasse le coût de l'action "
                   f"({fmt.montant(cost)} {fiche.cout.base}) de {fmt.montant(total - cost)}.")
    elif total < cost and fiche.statut != "abandonnee":
        report.add(f, here + ("plan_de_financement",),
                   f"reste à financer : {fmt.montant(cost - total)} sur {fmt.montant(cost)} "
                   f"{fiche.cout.base}.", warn=True)


def _check_adhesion(t: DossierTerritoire, a: Adhesion, f: CaseFile, report: Report) -> None:
    communes = {x.id for x in t.territoire.communes}
    financeurs = {x.id for x in t.financeurs}
    for i, cid in enumerate(a.communes):
        if cid not in communes:
            report.add(f, ("communes", i), f"commune « {cid} » inconnue ; communes : {_ids(communes)}.")
    for i, fid in enumerate(a.chef_de_projet.cofinanceurs):
        if fid not in financeurs:
            report.add(f, ("chef_de_projet", "cofinanceurs", i),
                       f"financeur « {fid} » inconnu ; financeurs : {_ids(financeurs)}.")
    _check_signataires(t, list(a.signataires), list(a.en_presence_de),
                       a.signature.date or a.date_edition, f, report)


def _check_avenants(c: Convention, avenants: list[tuple[CaseFile, Avenant]], report: Report) -> None:
    ordered = sorted(avenants, key=lambda p: p[1].numero)
    previous: dt.date | None = c.signature.date
    for expected, (f, av) in enumerate(ordered, start=1):
        m = AVENANT_NAME.match(f.path.name)
        if m and int(m.group(1)) != av.numero:
            report.add(f, ("numero",), f"le fichier s'appelle « {f.path.name} » mais l'avenant porte "
                       f"le n° {av.numero}.")
        if av.numero != expected:
            report.add(f, ("numero",), f"avenant n° {av.numero} hors séquence : n° {expected} attendu "
                       "(les avenants sont numérotés 1, 2, 3… sans trou).")
        signed = av.signature.date
        if signed is not None:
            if c.signature.date is None:
                report.add(f, ("signature", "date"), "un avenant daté suppose une convention signée "
                           "(convention.yaml : signature.date).")
            elif previous is None:
                report.add(f, ("signature", "date"), f"l'avenant n° {expected - 1} n'est pas encore "
                           "signé : un avenant se signe après la convention et l'avenant précédent.")
            elif signed <= previous:
                what = "la convention" if expected == 1 else f"l'avenant n° {expected - 1}"
                when = "antérieure à" if signed < previous else "identique à"
                report.add(f, ("signature", "date"), f"date du {fmt.date_longue(signed)} "
                           f"{when} celle de {what} ({fmt.date_longue(previous)}).")
        previous = signed


def _check_avenants_copil(avenants: list[tuple[CaseFile, Avenant]],
                          copils: list[tuple[CaseFile, Copil]], report: Report) -> None:
    """approuve_par_copil names a COPIL of copils/, held before the avenant is signed."""
    held = sorted(cp.date for _, cp in copils)
    for f, av in avenants:
        day = av.approuve_par_copil
        if day is None:
            continue
        if not held:
            report.add(f, ("approuve_par_copil",), f"aucun COPIL dans copils/ : le COPIL du "
                       f"{fmt.date_longue(day)} ne peut être vérifié (ajoutez copils/"
                       f"{day.isoformat()}.yaml).", warn=True)
        elif day not in held:
            report.add(f, ("approuve_par_copil",), f"aucun COPIL du {fmt.date_longue(day)} dans "
                       f"copils/ ; COPIL tenus : {', '.join(d.isoformat() for d in held)}.")
        signed = av.signature.date or av.date_edition
        if day > signed:
            report.add(f, ("approuve_par_copil",), f"le COPIL du {fmt.date_longue(day)} se tient "
                       f"après l'avenant ({fmt.date_longue(signed)}) : il ne peut l'avoir approuvé.")


def _check_copils(copils: list[tuple[CaseFile, Copil]], report: Report) -> None:
    seen: dict[int, str] = {}
    for f, cp in copils:
        m = COPIL_NAME.match(f.path.name)
        if m and m.group(1) != cp.date.isoformat():
            report.add(f, ("date",), f"le fichier s'appelle « {f.path.name} » mais le COPIL est daté "
                       f"du {cp.date.isoformat()}.")
        if cp.numero in seen:
            report.add(f, ("numero",), f"COPIL n° {cp.numero} en double (déjà {seen[cp.numero]}).")
        seen[cp.numero] = f.path.name


def _check_avenants_against_state(
    t: DossierTerritoire, conv: Convention, avenants: list[tuple[CaseFile, Avenant]], report: Report
) -> None:
    """Each avenant's operations, in order, against the convention as its predecessors left it."""
    from ..resolve import Inapplicable, apply

    parties = {p.id: p for p in t.parties}
    communes = {c.id for c in t.territoire.communes}
    financeurs = {x.id for x in t.financeurs}
    principales = {x.id for x in t.territoire.communes if x.ville_principale}
    state = conv
    removed: dict[int, int] = {}  # fiche number → the avenant that removed it
    ever = {x.numero for x in conv.fiches_actions}
    for f, av in sorted(avenants, key=lambda p: p[1].numero):
        for i, op in enumerate(av.modifications):
            here: Path_ = ("modifications", i)
            if isinstance(op, AjouterFiche) and op.fiche.numero in removed:
                report.add(f, here + ("fiche", "numero"), f"la fiche action n° {op.fiche.numero} a "
                           f"été supprimée par l'avenant n° {removed[op.fiche.numero]} : un numéro "
                           "supprimé n'est jamais réutilisé ; choisissez le n° "
                           f"{max(ever) + 1}.")
                continue
            try:
                new = apply(state, op, av.signataires)
            except Inapplicable as exc:
                report.add(f, here, str(exc))
                continue
            axes = {a.id for a in new.axes}
            secteurs = {x.id for x in new.secteurs}
            if isinstance(op, (AjouterFiche, ModifierFiche)):
                numero = op.fiche.numero if isinstance(op, AjouterFiche) else op.numero
                fiche = next(x for x in new.fiches_actions if x.numero == numero)
                inner = here + (("fiche",) if isinstance(op, AjouterFiche) else ("champs",))
                _check_fiche(fiche, inner, axes, secteurs, parties, financeurs, f, report)
            elif isinstance(op, (AjouterSecteur, ModifierSecteur)):
                secteur = op.secteur if isinstance(op, AjouterSecteur) else next(
                    x for x in new.secteurs if x.id == op.id)
                if secteur.commune not in communes:
                    report.add(f, here, f"commune « {secteur.commune} » inconnue ; communes : "
                               f"{_ids(communes)}.")
            elif isinstance(op, SupprimerFiche):
                removed[op.numero] = av.numero
            elif hasattr(op, "partie") and op.partie not in parties:
                report.add(f, here + ("partie",), f"partie « {op.partie} » inconnue dans "
                           f"territoire.yaml ; parties : {_ids(parties)}.")
            if isinstance(op, AjouterFiche):
                ever.add(op.fiche.numero)
            state = new
        expected = [x.partie for x in state.signataires]
        signing = [x.partie for x in av.signataires]
        if sorted(signing) != sorted(expected):
            missing = sorted(set(expected) - set(signing))
            extra = sorted(set(signing) - set(expected))
            detail = []
            if missing:
                detail.append("manquent : " + ", ".join(missing))
            if extra:
                detail.append("en trop : " + ", ".join(extra))
            report.add(f, ("signataires",), "un avenant est signé par toutes les parties de la "
                       "convention à cette date (" + " ; ".join(detail) + ").")
        jour = av.signature.date or av.date_edition
        _check_signataires(t, list(av.signataires), [], jour, f, report)
        if not any(x.centre_ville and x.commune in principales for x in state.secteurs):
            report.add(f, ("modifications",), "après cet avenant, aucun secteur ne couvre plus "
                       "le centre-ville de la ville principale.")


def _check_copils_against_state(
    t: DossierTerritoire, conv: Convention, adh: Adhesion | None, avenants: list[Avenant],
    copils: list[tuple[CaseFile, Copil]], report: Report,
) -> None:
    """Each COPIL against the territory and the convention as it stood on its date."""
    from .. import derive
    from ..resolve import resolve

    parties = {p.id for p in t.parties}
    financeurs = {x.id for x in t.financeurs}
    start = adh.signature.date if adh is not None and adh.signature.date else None
    end = (derive.ajouter_annees(conv.signature.date, conv.duree_ans)
           if conv.signature.date else None)
    previous: tuple[int, dt.date] | None = None
    resolved = resolve(conv, avenants)
    for f, cp in sorted(copils, key=lambda p: p[1].date):
        if start is not None and cp.date < start:
            report.add(f, ("date",), f"COPIL du {fmt.date_longue(cp.date)}, avant l'entrée dans le "
                       f"programme (convention d'adhésion du {fmt.date_longue(start)}).")
        if end is not None and cp.date > end:
            report.add(f, ("date",), f"COPIL du {fmt.date_longue(cp.date)}, après la fin de la "
                       f"convention ({fmt.date_longue(end)}).")
        if previous is not None and cp.numero <= previous[0]:
            report.add(f, ("numero",), f"COPIL n° {cp.numero} daté après le n° {previous[0]} du "
                       f"{fmt.date_longue(previous[1])} : les numéros suivent l'ordre des dates.")
        previous = (cp.numero, cp.date)
        for i, pid in enumerate(cp.convoquent):
            if pid not in parties:
                report.add(f, ("convoquent", i), f"partie « {pid} » inconnue ; parties : {_ids(parties)}.")
        if cp.preside not in parties:
            report.add(f, ("preside",), f"partie « {cp.preside} » inconnue ; parties : {_ids(parties)}.")
        _unique(cp.invites, "id", ("invites",), f, report, "identifiant")
        _unique(cp.ordre_du_jour, "id", ("ordre_du_jour",), f, report, "identifiant")
        _unique(cp.presences, "invite", ("presences",), f, report, "invité")
        invites = {x.id for x in cp.invites}
        for i, pr in enumerate(cp.presences):
            if pr.invite not in invites:
                report.add(f, ("presences", i, "invite"), f"« {pr.invite} » n'est pas invité : "
                           "ajoutez-le à la liste « invites » ou corrigez l'identifiant.")
            if (pr.etat == "represente") != (pr.represente_par is not None):
                report.add(f, ("presences", i), "« represente_par » s'écrit pour l'état "
                           "« represente », et seulement pour lui.")
        points = {x.id for x in cp.ordre_du_jour}
        for i, d in enumerate(cp.decisions):
            if d.point not in points:
                report.add(f, ("decisions", i, "point"), f"point « {d.point} » absent de l'ordre du "
                           f"jour ; points : {_ids(points)}.")
        state, _draft = resolved.en_vigueur(cp.date)
        fiches = {x.numero: x for x in state.fiches_actions}
        _unique(cp.instantane, "fiche", ("instantane",), f, report, "fiche")
        for i, row in enumerate(cp.instantane):
            fiche = fiches.get(row.fiche)
            if fiche is None:
                report.add(f, ("instantane", i, "fiche"), f"la fiche action n° {row.fiche} "
                           f"n'existe pas le {fmt.date_longue(cp.date)}.")
                continue
            total = Decimal(0)
            for j, o in enumerate(row.obtenu):
                total += o.montant
                if o.financeur not in financeurs:
                    report.add(f, ("instantane", i, "obtenu", j, "financeur"),
                               f"financeur « {o.financeur} » inconnu ; financeurs : {_ids(financeurs)}.")
            cost = row.cout if row.cout is not None else fiche.cout.montant
            if total > cost:
                report.add(f, ("instantane", i, "obtenu"), f"financements obtenus "
                           f"({fmt.montant(total)}) supérieurs au coût de l'action ({fmt.montant(cost)}).")
