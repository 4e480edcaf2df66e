"""VALIDATE, second half: the rules that span fields and files (references, dates, parties in
office, what an ORT requires, each avenant against the state its predecessors left)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .. import formatting as fmt
from .. import messages as msg
from ..model import Adhesion, Avenant, Convention, Copil, DossierTerritoire
from ..model.avenant import (
    AjouterAxe,
    AjouterFiche,
    AjouterSecteur,
    ModifierAxe,
    ModifierFiche,
    ModifierSecteur,
    ProlongerDuree,
    RemplacerTexte,
    RetirerSignataire,
    SupprimerAxe,
    SupprimerFiche,
    SupprimerSecteur,
)
from ..model.convention import FicheAction, Signataire
from ..model.representation import (
    SansRepresentant,
    delegant_at,
    representant_at,
    representant_copil_at,
)
from ..model.territoire import Partie, Representant
from . import fond, geo
from .files import CaseFile, Report
from .remise import check_remise
from .yamlpos import Path_, dotted

AVENANT_NAME = re.compile(r"^(\d{2})-[a-z0-9][a-z0-9-]*\.yaml$")
COPIL_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.yaml$")


@dataclass
class Reading(Report):
    """The report of one reading of a case (load_case), with what the rules that span files have
    met so far (each check gets its own file): territoire.yaml, where an arrêté de délégation is
    reported at its line when an act's signature finds it lapsed; the convention, which the
    adhésion's deadline concerns; the convention as each avenant's operations find it (the names
    a COPIL's decision gives the changes it approves); the convention after each avenant that
    re-states the maquette financière (the subsidies the last COPIL before it recorded)."""

    territoire: tuple[DossierTerritoire, CaseFile] | None = None
    convention: tuple[Convention, CaseFile] | None = None
    etats: dict[tuple[int, int], Convention] = field(default_factory=dict)  # (avenant, op) → before
    maquettes: dict[int, tuple[CaseFile, Avenant, Convention]] = field(default_factory=dict)


def _lecture(report: Report) -> Reading:
    """What this reading has met so far; a plain Report (one file checked alone) meets nothing
    across files."""
    return report if isinstance(report, Reading) else Reading()


def _add_once(report: Report, f: CaseFile, path: Path_, message: str, *, warn: bool = False) -> None:
    """An issue about territoire.yaml found from each act that uses it: reported once."""
    where = dotted(path)
    if not any(i.file == f.shown and i.path == where and i.message == message
               for i in report.issues):
        report.add(f, path, message, warn=warn)


def _unique(items: list[Any], attr: str, base: Path_, f: CaseFile, report: Report, what: str) -> None:
    seen: dict[Any, int] = {}
    for i, item in enumerate(items):
        value = getattr(item, attr)
        if value in seen:
            report.add(f, base + (i, attr), msg.DOUBLE_DEJA_UTILISE.format(
                what=what, value=value, base=dotted(base + (seen[value],))))
        else:
            seen[value] = i


def _check_territoire(t: DossierTerritoire, f: CaseFile, report: Report) -> None:
    _lecture(report).territoire = (t, f)
    _unique(t.territoire.communes, "id", ("territoire", "communes"), f, report, msg.UNIQUE_IDENTIFIANT)
    _unique(t.parties, "id", ("parties",), f, report, msg.UNIQUE_IDENTIFIANT)
    _unique(t.financeurs, "id", ("financeurs",), f, report, msg.UNIQUE_IDENTIFIANT)
    communes = {c.id for c in t.territoire.communes}
    parties = {p.id: p for p in t.parties}
    for i, c in enumerate(t.territoire.communes):  # geo: the commune's boundary, if given
        if c.perimetre is not None:
            geo.check_file(f.path.parent, c.perimetre, ("territoire", "communes", i, "perimetre"),
                           f, report)
        if c.fond is not None:  # geo: its base layers (cadastre, roads)
            fond.check(f.path.parent, c, ("territoire", "communes", i), f, report)
    if not any(c.ville_principale for c in t.territoire.communes):
        report.add(f, ("territoire", "communes"), msg.AUCUNE_COMMUNE_VILLE_PRINCIPALE)
    _propriete(t.territoire.nom, ("territoire", "nom"), f, report)
    for i, p in enumerate(t.parties):
        if p.id == t.epci:  # the author of every document
            _propriete(p.nom, ("parties", i, "nom"), f, report)
    epci = parties.get(t.epci)
    if epci is None:
        report.add(f, ("epci",), msg.PARTIE_INCONNUE_PARTIES.format(
            partie=t.epci, parties=_ids(parties, t.epci)))
    elif epci.type != "epci":
        report.add(f, ("epci",), msg.PARTIE_TYPE_PAS_EPCI.format(epci=t.epci, type=epci.type))
    for i, p in enumerate(t.parties):
        here = ("parties", i)
        if p.type == "commune" and p.commune is None:
            report.add(f, here, msg.PARTIE_TYPE_COMMUNE_DOIT)
        if p.commune is not None and p.commune not in communes:
            report.add(f, here + ("commune",), msg.COMMUNE_INCONNUE_COMMUNES.format(
                commune=p.commune, communes=_ids(communes, p.commune)))
        for j, r in enumerate(p.representants):
            if r.au is not None and r.au < r.du:
                report.add(f, here + ("representants", j, "au"),
                           msg.FIN_FONCTION_AVANT_DEBUT.format(
                               au=fmt.date_longue(r.au), du=fmt.date_longue(r.du)))
    for i, fin in enumerate(t.financeurs):
        if fin.partie is not None and fin.partie not in parties:
            report.add(f, ("financeurs", i, "partie"), msg.PARTIE_INCONNUE_PARTIES.format(
                partie=fin.partie, parties=_ids(parties, fin.partie)))
    check_remise(t, f, report)  # the hand-off settings, with the operators' rules


PROPRIETE_MAX = 200  # characters of a text the documents' properties repeat (DOCX/PPTX: 255)


def _propriete(value: str, here: Path_, f: CaseFile, report: Report) -> None:
    """A title, a subject, an author or a keyword of the DOCX and PPTX properties, which hold
    255 characters (with the templates' own words around it)."""
    if len(value) > PROPRIETE_MAX:
        report.add(f, here, msg.TROP_LONG_PROPRIETES.format(n=len(value), limite=PROPRIETE_MAX))


def _ids(items: Any, typed: Any = None) -> str:
    """The known ids, listed; with the closest to a mistyped one offered (« vouliez-vous
    dire … ? »)."""
    known = sorted(str(x) for x in items)
    listed = ", ".join(known)
    if typed is None:
        return listed
    import difflib

    close = difflib.get_close_matches(str(typed), known, n=1, cutoff=0.6)
    return listed + (msg.ID_PROCHE.format(id=close[0]) if close else "")


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
            report.add(f, here + ("partie",), msg.PARTIE_INCONNUE_TERRITOIRE_YAML.format(
                partie=s.partie, parties=_ids(parties, s.partie)))
            continue
        pick = representant_at(p, jour, s.representant)
        if isinstance(pick, SansRepresentant):
            report.add(f, here + (("representant",) if s.representant else ("partie",)),
                       pick.message)
        else:
            _check_delegation(p, pick, jour, here, f, report)
        if p.type in ("commune", "epci", "departement", "region") and s.deliberation is None:
            report.add(f, here, msg.DELIBERATION_MANQUANTE_AJOUTEZ_DELIBERATION.format(nom=p.nom))
        if s.deliberation is not None and s.deliberation.date > jour:
            report.add(f, here + ("deliberation", "date"),
                       msg.DELIBERATION_POSTERIEURE_SIGNATURE.format(
                           date=fmt.date_longue(s.deliberation.date), jour=fmt.date_longue(jour)))
    for i, pid in enumerate(en_presence):
        if pid not in parties:
            report.add(f, ("en_presence_de", i), msg.PARTIE_INCONNUE_PARTIES.format(
                partie=pid, parties=_ids(parties, pid)))
        elif pid in {s.partie for s in signataires}:
            report.add(f, ("en_presence_de", i), msg.DEJA_SIGNATAIRE.format(partie=pid))


def _check_delegation(p: Partie, r: Representant, jour: dt.date, here: Path_, f: CaseFile,
                      report: Report) -> None:
    """A representative who signs by delegation holds an arrêté de délégation (cited in the
    parties block and the signature block), published, dated before the signature, and taken by
    the délégant in office on the signing day in favour of this délégataire: a délégation de
    signature is personal, it lapses when either of them leaves office. The arrêté's faults are
    reported at its line in territoire.yaml."""
    if r.par_delegation_de is None:
        return
    arrete = r.arrete_delegation
    if arrete is None:
        report.add(f, here, msg.SIGNE_DELEGATION_CITEZ_ARRETE.format(
            nom=r.nom, par_delegation_de=r.par_delegation_de), warn=True)
        return
    if arrete.date > jour:
        report.add(f, here, msg.ARRETE_DELEGATION_APRES_SIGNATURE.format(
            numero=arrete.numero, nom=r.nom, date=fmt.date_longue(arrete.date),
            jour=fmt.date_longue(jour)))
        return
    found = _representant_at(report, p, r)

    def where(*tail: str | int) -> tuple[CaseFile, Path_]:  # in territoire.yaml, else the act
        return (f, here) if found is None else (found[0], found[1] + tail)

    acte = f.path.name
    if arrete.date < r.du:
        _add_once(report, *where("arrete_delegation", "date"), msg.ARRETE_AVANT_DELEGATAIRE.format(
            numero=arrete.numero, date=fmt.date_longue(arrete.date), nom=r.nom,
            du=fmt.date_longue(r.du)))
    delegant = delegant_at(p, r, jour)
    if delegant is None:
        _add_once(report, *where("par_delegation_de"), msg.DELEGANT_INCONNU.format(
            autorite=r.par_delegation_de, jour=fmt.date_longue(jour), nom=r.nom, acte=acte,
            numero=arrete.numero, partie=p.nom), warn=True)
    elif arrete.date < delegant.du:
        _add_once(report, *where("arrete_delegation", "date"), msg.ARRETE_AVANT_DELEGANT.format(
            numero=arrete.numero, date=fmt.date_longue(arrete.date), delegant=delegant.nom,
            fonction=delegant.fonction, du=fmt.date_longue(delegant.du),
            jour=fmt.date_longue(jour), nom=r.nom, acte=acte))
    if arrete.publication is None:
        _add_once(report, *where("arrete_delegation"), msg.ARRETE_SANS_PUBLICATION.format(
            numero=arrete.numero, nom=r.nom), warn=True)


def _representant_at(report: Report, p: Partie, r: Representant) -> tuple[CaseFile, Path_] | None:
    """territoire.yaml and the path of a party's representative in it, when this reading has
    checked it (always, through load_case)."""
    lu = _lecture(report).territoire
    if lu is None:
        return None
    t, tf = lu
    for i, x in enumerate(t.parties):
        if x is p:
            for j, y in enumerate(x.representants):
                if y is r:
                    return tf, ("parties", i, "representants", j)
    return None


def _check_convention(t: DossierTerritoire, c: Convention, f: CaseFile, report: Report) -> None:
    _lecture(report).convention = (c, f)
    communes = {x.id: x for x in t.territoire.communes}
    parties = {p.id: p for p in t.parties}
    financeurs = {x.id for x in t.financeurs}
    _propriete(c.titre, ("titre",), f, report)
    if not c.textes.diagnostic:  # the PVD programme expects one: warned, never invented
        report.add(f, ("textes",), msg.DIAGNOSTIC_MANQUANT, warn=True)
    if c.chef_de_projet and c.chef_de_projet.employeur not in (None, *parties):
        report.add(f, ("chef_de_projet", "employeur"), msg.EMPLOYEUR_INCONNU.format(
            partie=c.chef_de_projet.employeur, parties=_ids(parties, c.chef_de_projet.employeur)))
    _unique(c.axes, "id", ("axes",), f, report, msg.UNIQUE_IDENTIFIANT)
    _unique(c.secteurs, "id", ("secteurs",), f, report, msg.UNIQUE_IDENTIFIANT)
    _unique(c.fiches_actions, "numero", ("fiches_actions",), f, report, msg.UNIQUE_NUMERO)
    seen_sig: set[tuple[str, str | None]] = set()
    for i, s in enumerate(c.signataires):
        if (s.partie, s.representant) in seen_sig:
            report.add(f, ("signataires", i), msg.SIGNE_DEJA_SIGNATAIRE_DOUBLE.format(
                partie=s.partie))
        seen_sig.add((s.partie, s.representant))
    for i, cid in enumerate(c.communes):
        if cid not in communes:
            report.add(f, ("communes", i), msg.COMMUNE_INCONNUE_COMMUNES.format(
                commune=cid, communes=_ids(communes, cid)))
    jour = c.signature.date or c.date_edition
    _check_signataires(t, list(c.signataires), list(c.en_presence_de), jour, f, report)

    # An ORT is signed at least by the État, the EPCI and its ville principale (CCH L303-2).
    signing = [parties[s.partie] for s in c.signataires if s.partie in parties]
    principales = {x.id for x in t.territoire.communes if x.ville_principale}
    if not any(p.type == "etat" for p in signing):
        report.add(f, ("signataires",), msg.ETAT_DOIT_ETRE_SIGNATAIRE)
    if t.epci not in {p.id for p in signing}:
        report.add(f, ("signataires",), msg.INTERCOMMUNALITE_DOIT_ETRE_SIGNATAIRE.format(
            epci=t.epci))
    if not any(p.type == "commune" and p.commune in principales for p in signing):
        report.add(f, ("signataires",), msg.VILLE_PRINCIPALE_DOIT_ETRE)
    if not any(s.centre_ville and s.commune in principales for s in c.secteurs):
        report.add(f, ("secteurs",), msg.AUCUN_SECTEUR_INTERVENTION_COUVRE)
    for i, secteur in enumerate(c.secteurs):
        if secteur.commune not in communes:
            report.add(f, ("secteurs", i, "commune"), msg.COMMUNE_INCONNUE_COMMUNES.format(
                commune=secteur.commune, communes=_ids(communes, secteur.commune)))
        geo.check_secteur(f.path.parent, secteur, ("secteurs", i), f, report)  # geo: perimeter
        fond.check_covers(f.path.parent, t, secteur, ("secteurs", i, "perimetre"), f, report)
    geo.check_overlaps(f.path.parent, list(c.secteurs), ("secteurs",), f, report)  # geo
    axes = {a.id for a in c.axes}
    secteurs = {s.id for s in c.secteurs}
    for i, fiche in enumerate(c.fiches_actions):
        _check_fiche(fiche, ("fiches_actions", i), axes, secteurs, parties, financeurs, f, report)
        _check_statut(fiche.statut, fiche, jour, ("fiches_actions", i, "statut"), f, report)


def _check_statut(statut: str, fiche: FicheAction, jour: dt.date, here: Path_, f: CaseFile,
                  report: Report) -> None:
    """A status the calendar contradicts on the date of the document that states it (an act's
    signature, else its edition; a COPIL's meeting), never the day docgen runs: « réalisée »
    with an end still to come, « en projet » with an end already past, « en cours » before its
    start."""
    fin = fiche.calendrier.fin
    if statut == "realisee" and fin > jour:
        report.add(f, here, msg.STATUT_REALISEE_FIN_FUTURE.format(
            jour=fmt.date_longue(jour), fin=fmt.date_longue(fin)), warn=True)
    elif statut == "en_projet" and fin < jour:
        report.add(f, here, msg.STATUT_EN_PROJET_FIN_PASSEE.format(
            jour=fmt.date_longue(jour), fin=fmt.date_longue(fin)), warn=True)
    elif statut == "en_cours" and fiche.calendrier.debut > jour:
        report.add(f, here, msg.STATUT_EN_COURS_DEBUT_FUTUR.format(
            jour=fmt.date_longue(jour), debut=fmt.date_longue(fiche.calendrier.debut)), warn=True)


def _check_fiche(
    fiche: Any, here: Path_, axes: set[str], secteurs: set[str], parties: dict[str, Partie],
    financeurs: set[str], f: CaseFile, report: Report,
) -> None:
    if fiche.axe not in axes:
        report.add(f, here + ("axe",), msg.AXE_INCONNU_AXES.format(axe=fiche.axe, axes=_ids(axes, fiche.axe)))
    if fiche.secteur is not None and fiche.secteur not in secteurs:
        report.add(f, here + ("secteur",), msg.SECTEUR_INCONNU_SECTEURS.format(
            secteur=fiche.secteur, secteurs=_ids(secteurs, fiche.secteur)))
    if fiche.maitre_ouvrage not in parties:
        report.add(f, here + ("maitre_ouvrage",), msg.PARTIE_INCONNUE_PARTIES.format(
            partie=fiche.maitre_ouvrage, parties=_ids(parties, fiche.maitre_ouvrage)))
    cal = fiche.calendrier
    if cal.fin < cal.debut:
        report.add(f, here + ("calendrier", "fin"), msg.FIN_AVANT_DEBUT.format(
            fin=fmt.date_longue(cal.fin), debut=fmt.date_longue(cal.debut)))
    for j, ph in enumerate(cal.phases):
        if ph.fin < ph.debut:
            report.add(f, here + ("calendrier", "phases", j, "fin"), msg.FIN_PHASE_AVANT_DEBUT)
        elif ph.debut < cal.debut or ph.fin > cal.fin:
            report.add(f, here + ("calendrier", "phases", j), msg.PHASE_HORS_CALENDRIER_ACTION.format(
                debut=fmt.date_longue(cal.debut), fin=fmt.date_longue(cal.fin)))
    total = Decimal(0)
    for j, row in enumerate(fiche.plan_de_financement):
        total += row.montant
        if row.financeur not in financeurs:
            report.add(f, here + ("plan_de_financement", j, "financeur"),
                       msg.FINANCEUR_INCONNU_FINANCEURS.format(
                           financeur=row.financeur, financeurs=_ids(financeurs, row.financeur)))
    cost = fiche.cout.montant
    if total > cost:
        report.add(f, here + ("plan_de_financement",),
                   msg.PLAN_FINANCEMENT_DEPASSE_COUT.format(
                       total=fmt.montant(total), cout=fmt.montant(cost), base=fiche.cout.base,
                       excedent=fmt.montant(total - cost)))
    elif total < cost and fiche.statut != "abandonnee":
        report.add(f, here + ("plan_de_financement",),
                   msg.RESTE_FINANCER.format(
                       reste=fmt.montant(cost - total), cout=fmt.montant(cost),
                       base=fiche.cout.base), warn=True)


def _check_adhesion(t: DossierTerritoire, a: Adhesion, f: CaseFile, report: Report) -> None:
    communes = {x.id for x in t.territoire.communes}
    financeurs = {x.id for x in t.financeurs}
    _propriete(a.titre, ("titre",), f, report)
    if a.chef_de_projet.employeur not in (None, *(p.id for p in t.parties)):
        report.add(f, ("chef_de_projet", "employeur"), msg.EMPLOYEUR_INCONNU.format(
            partie=a.chef_de_projet.employeur, parties=_ids({p.id for p in t.parties}, a.chef_de_projet.employeur)))
    for i, cid in enumerate(a.communes):
        if cid not in communes:
            report.add(f, ("communes", i), msg.COMMUNE_INCONNUE_COMMUNES.format(
                commune=cid, communes=_ids(communes, cid)))
    for i, fid in enumerate(a.chef_de_projet.cofinanceurs):
        if fid not in financeurs:
            report.add(f, ("chef_de_projet", "cofinanceurs", i),
                       msg.FINANCEUR_INCONNU_FINANCEURS.format(
                           financeur=fid, financeurs=_ids(financeurs, fid)))
    _check_signataires(t, list(a.signataires), list(a.en_presence_de),
                       a.signature.date or a.date_edition, f, report)
    lu = _lecture(report).convention
    if lu is not None:
        _check_delai_convention(a, *lu, report)


def _check_delai_convention(a: Adhesion, c: Convention, f: CaseFile, report: Report) -> None:
    """The convention-cadre is signed within the deadline the convention d'adhésion sets (18
    months by default); later, it recites the act that extended the deadline
    (« prorogation_delai »), taken before the convention is signed. Warned at the convention's
    signature date."""
    from .. import derive

    debut = a.signature.date
    if debut is None:
        return
    jour = c.signature.date or c.date_edition
    pro = c.prorogation_delai
    if pro is not None:
        if c.signature.date is not None and pro.date > c.signature.date:
            report.add(f, ("prorogation_delai", "date"), msg.PROROGATION_APRES_SIGNATURE.format(
                date=fmt.date_longue(pro.date), jour=fmt.date_longue(c.signature.date)), warn=True)
        return
    echeance = derive.ajouter_mois(debut, a.delai_convention_cadre_mois)
    if jour > echeance:
        quand = msg.CONVENTION_QUAND_SIGNEE if c.signature.date else msg.CONVENTION_QUAND_EDITEE
        report.add(f, ("signature", "date") if c.signature.date else ("date_edition",),
                   msg.CONVENTION_APRES_DELAI.format(
                       quand=quand, jour=fmt.date_longue(jour), mois=a.delai_convention_cadre_mois,
                       adhesion=fmt.date_longue(debut), echeance=fmt.date_longue(echeance)),
                   warn=True)


def _check_avenants(c: Convention, avenants: list[tuple[CaseFile, Avenant]], report: Report) -> None:
    ordered = sorted(avenants, key=lambda p: p[1].numero)
    previous: dt.date | None = c.signature.date
    for expected, (f, av) in enumerate(ordered, start=1):
        m = AVENANT_NAME.match(f.path.name)
        if m and int(m.group(1)) != av.numero:
            report.add(f, ("numero",), msg.FICHIER_APPELLE_MAIS_AVENANT.format(
                name=f.path.name, numero=av.numero))
        if av.numero != expected:
            report.add(f, ("numero",), msg.AVENANT_HORS_SEQUENCE_ATTENDU.format(
                numero=av.numero, expected=expected))
        signed = av.signature.date
        if signed is not None:
            if c.signature.date is None:
                report.add(f, ("signature", "date"), msg.AVENANT_DATE_SUPPOSE_CONVENTION)
            elif previous is None:
                report.add(f, ("signature", "date"), msg.AVENANT_PAS_ENCORE_SIGNE.format(
                    expected=expected - 1))
            elif signed <= previous:
                what = msg.PREVIOUS_CONVENTION if expected == 1 else msg.PREVIOUS_AVENANT.format(
                    expected=expected - 1)
                when = msg.DATE_ANTERIEURE if signed < previous else msg.DATE_IDENTIQUE
                report.add(f, ("signature", "date"), msg.SIGNATURE_AVANT_PRECEDENT.format(
                    signed=fmt.date_longue(signed), when=when, what=what,
                    previous=fmt.date_longue(previous)))
        previous = signed


def _check_avenants_deliberations(conv: Convention, avenants: list[tuple[CaseFile, Avenant]],
                                  report: Report) -> None:
    """Each avenant is authorised by délibérations of its own: none already cited by the
    convention or an earlier avenant (same party, number and date), each taken after the
    previous act was signed (the convention for avenant n° 1, the last signed avenant after).
    That none is later than the avenant's own signature is _check_signataires' rule."""
    cited: dict[tuple[str, str, dt.date], str] = {}  # (party, number, date) → the act citing it

    def cite(signataires: tuple[Signataire, ...] | list[Signataire], acte: str) -> None:
        for s in signataires:
            if s.deliberation is not None:
                cited.setdefault((s.partie, s.deliberation.numero, s.deliberation.date), acte)

    cite(conv.signataires, msg.PREVIOUS_CONVENTION)
    previous = (conv.signature.date, msg.PREVIOUS_CONVENTION) if conv.signature.date else None
    for f, av in sorted(avenants, key=lambda p: p[1].numero):
        signed = av.signature.date
        # signed before the previous act: that is the error (_check_avenants), not its délibérations
        after = previous if previous is not None and (signed is None or signed > previous[0]) else None
        for i, s in enumerate(av.signataires):
            d = s.deliberation
            if d is None:
                continue
            here: Path_ = ("signataires", i, "deliberation")
            acte = cited.get((s.partie, d.numero, d.date))
            if acte is not None:
                report.add(f, here, msg.DELIBERATION_DEJA_CITEE.format(
                    numero=d.numero, date=fmt.date_longue(d.date), partie=s.partie, acte=acte))
            elif after is not None and d.date <= after[0]:
                report.add(f, here + ("date",), msg.DELIBERATION_AVANT_ACTE_PRECEDENT.format(
                    date=fmt.date_longue(d.date), acte=after[1], signe=fmt.date_longue(after[0])))
        acte = msg.PREVIOUS_AVENANT.format(expected=av.numero)
        cite(av.signataires, acte)
        if signed is not None:
            previous = (signed, acte)


def _check_avenants_copil(avenants: list[tuple[CaseFile, Avenant]],
                          copils: list[tuple[CaseFile, Copil]], report: Report, *,
                          every_avenant: bool = True) -> None:
    """approuve_par_copil names a COPIL of copils/, held before the avenant is signed, that
    records a decision about this avenant (« avenant: <numéro> »); a signed avenant's COPIL is
    recorded as held. A decision's avenant is one of avenants/ (checked when every avenant file
    could be read: every_avenant)."""
    by_day = {cp.date: cp for _, cp in copils}
    known = sorted(by_day)
    for f, av in avenants:
        day = av.approuve_par_copil
        if day is None:
            continue
        here: Path_ = ("approuve_par_copil",)
        if not known:
            report.add(f, here, msg.COPIL_AUCUN_A_VERIFIER.format(
                day=fmt.date_longue(day), jour_iso=day.isoformat()), warn=True)
        elif day not in known:
            report.add(f, here, msg.COPIL_APPROBATEUR_ABSENT.format(
                day=fmt.date_longue(day), items=', '.join(d.isoformat() for d in known)))
        signed = av.signature.date  # a draft is submitted to a COPIL still to come
        if signed is not None and day > signed:
            report.add(f, here, msg.COPIL_TIENT_APRES_AVENANT.format(
                day=fmt.date_longue(day), signed=fmt.date_longue(signed)))
        elif signed is not None and day == signed:
            report.add(f, here, msg.COPIL_JOUR_SIGNATURE.format(day=fmt.date_longue(day)))
        for i, s in enumerate(av.signataires):  # each assembly approves the text the COPIL validated
            if s.deliberation is not None and s.deliberation.date < day:
                report.add(f, ("signataires", i, "deliberation", "date"),
                           msg.DELIBERATION_AVANT_COPIL.format(
                               date=fmt.date_longue(s.deliberation.date),
                               day=fmt.date_longue(day)), warn=True)
        cp = by_day.get(day)
        if cp is None:
            continue
        if not any(d.avenant == av.numero for d in cp.decisions):
            report.add(f, here, msg.COPIL_SANS_DECISION_AVENANT.format(
                day=fmt.date_longue(day), numero=av.numero, jour_iso=day.isoformat()))
            continue
        if signed is not None and not cp.tenu:
            report.add(f, here, msg.COPIL_APPROBATEUR_NON_TENU.format(
                day=fmt.date_longue(day), jour_iso=day.isoformat()))
        _check_decision_couvre(av, f, cp, next(g for g, c in copils if c is cp), report)
    if not every_avenant:
        return
    numeros = sorted(av.numero for _, av in avenants)
    for f, cp in copils:
        for i, d in enumerate(cp.decisions):
            if d.avenant is not None and d.avenant not in numeros:
                report.add(f, ("decisions", i, "avenant"), msg.AVENANT_INCONNU_DECISION.format(
                    numero=d.avenant,
                    items=", ".join(str(n) for n in numeros) or msg.AVENANTS_AUCUN))


def _check_decision_couvre(av: Avenant, f: CaseFile, cp: Copil, cf: CaseFile,
                           report: Report) -> None:
    """An avenant changes only what the approving COPIL's decision names: each operation is
    named in the decision's text (once the COPIL is held; its proposal before) — a fiche by its
    number or its title, a secteur or an axe by its name, a party by its name, a text by its
    article, the duration by the word. Warned at the operation not named."""
    decisions = [(k, d) for k, d in enumerate(cp.decisions) if d.avenant == av.numero]
    texte = " ".join(d.texte or d.proposition or "" for _, d in decisions)
    k, first = decisions[0]
    line = (cf.positions.of(("decisions", k, "texte" if first.texte else "proposition"))[0]
            if cf.positions else 1)
    mots = _plat(texte)
    fiches = _fiches_nommees(mots)
    lu = _lecture(report)
    parties = {p.id: p for p in lu.territoire[0].parties} if lu.territoire else {}
    for i, op in enumerate(av.modifications):
        quoi, noms, numero = _nommer(op, lu.etats.get((av.numero, i)), parties)
        if numero is not None and numero in fiches:
            continue
        if any(f" {_plat(n).strip()}" in mots for n in noms if _plat(n).strip()):
            continue
        report.add(f, ("modifications", i), msg.MODIFICATION_HORS_DECISION.format(
            quoi=quoi, day=fmt.date_longue(cp.date), numero=av.numero,
            fichier=cf.path.name, ligne=line), warn=True)


def _plat(text: str) -> str:
    """Text as bare words between spaces, for looking up a name: no accent, no capital, no
    punctuation (« la fiche action n° 12 » → « la fiche action n 12 »)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                    if not unicodedata.combining(c))
    return " " + " ".join(re.findall(r"[a-z0-9]+", plain)) + " "


def _fiches_nommees(mots: str) -> set[int]:
    """The fiche numbers a text names: « fiche action n° 12 », « fiches actions n° 3, 5 et 12 »,
    « action 7 »; never another number (« avenant n° 1 »)."""
    words = mots.split()
    found: set[int] = set()
    for n, w in enumerate(words):
        if w not in msg.MOTS_FICHE:
            continue
        for nxt in words[n + 1:]:
            if nxt.isdigit():
                found.add(int(nxt))
            elif nxt not in msg.MOTS_NUMERO:
                break
    return found


def _nommer(op: Any, etat: Convention | None,
            parties: dict[str, Partie]) -> tuple[str, list[str], int | None]:
    """How a warning names an operation, the names a decision may give it, the fiche number
    it concerns (or None)."""
    kind = op.operation
    label = msg.OPERATION_NOMMEE[kind]
    if isinstance(op, (AjouterFiche, ModifierFiche, SupprimerFiche)):
        numero = op.fiche.numero if isinstance(op, AjouterFiche) else op.numero
        noms = [op.fiche.intitule] if isinstance(op, AjouterFiche) else [
            x.intitule for x in (etat.fiches_actions if etat else ()) if x.numero == numero]
        return label.format(numero=numero), noms, numero
    if isinstance(op, (AjouterSecteur, ModifierSecteur, SupprimerSecteur)):
        nom = op.secteur.nom if isinstance(op, AjouterSecteur) else next(
            (x.nom for x in (etat.secteurs if etat else ()) if x.id == op.id), op.id)
        return label.format(nom=nom), [nom], None
    if isinstance(op, (AjouterAxe, ModifierAxe, SupprimerAxe)):
        nom = op.axe.intitule if isinstance(op, AjouterAxe) else next(
            (x.intitule for x in (etat.axes if etat else ()) if x.id == op.id), op.id)
        return label.format(nom=nom), [nom], None
    if isinstance(op, RemplacerTexte):
        return (label.format(nom=op.article),
                list(msg.MOTS_TEXTE.get(op.article, (str(op.article).replace("_", " "),))), None)
    if isinstance(op, ProlongerDuree):
        return label.format(nom=op.duree_ans), list(msg.MOTS_DUREE), None
    p = parties.get(op.partie)  # a party joins or leaves
    if p is None:
        return label.format(nom=op.partie), [op.partie.replace("-", " ")], None
    return label.format(nom=p.nom), [_sans_article(p.nom), _sans_article(p.designation)], None


def _sans_article(nom: str) -> str:
    """« la Région Sud » → « Région Sud »: the name as a decision may write it."""
    return re.sub(r"^(?:le|la|les|l['’])\s*", "", nom, flags=re.IGNORECASE)


def _check_copils(copils: list[tuple[CaseFile, Copil]], report: Report) -> None:
    seen: dict[int, str] = {}
    for f, cp in copils:
        _propriete(cp.objet, ("objet",), f, report)
        m = COPIL_NAME.match(f.path.name)
        if m and m.group(1) != cp.date.isoformat():
            report.add(f, ("date",), msg.FICHIER_APPELLE_MAIS_COPIL.format(
                name=f.path.name, date=cp.date.isoformat()))
        if cp.numero in seen:
            report.add(f, ("numero",), msg.COPIL_DOUBLE_DEJA.format(
                numero=cp.numero, seen=seen[cp.numero]))
        seen[cp.numero] = f.path.name
        _check_decisions(cp, f, report)


def _check_decisions(cp: Copil, f: CaseFile, report: Report) -> None:
    """Before the meeting a decision is proposed (« proposition »); once the COPIL is held (its
    attendance recorded: Copil.tenu) each records the decision taken (« texte »)."""
    for i, d in enumerate(cp.decisions):
        if d.texte is None and cp.tenu:
            report.add(f, ("decisions", i), msg.DECISION_PRISE_MANQUANTE)
        elif d.texte is None and d.proposition is None:
            report.add(f, ("decisions", i), msg.DECISION_SANS_TEXTE_NI_PROPOSITION)
        elif d.texte is not None and not cp.tenu:
            report.add(f, ("decisions", i, "texte"), msg.DECISION_AVANT_SEANCE, warn=True)


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
    etats = _lecture(report).etats
    for f, av in sorted(avenants, key=lambda p: p[1].numero):
        retires: set[str] = set()  # the parties this avenant removes from the signatories
        for i, op in enumerate(av.modifications):
            here: Path_ = ("modifications", i)
            etats[(av.numero, i)] = state
            if isinstance(op, AjouterFiche) and op.fiche.numero in removed:
                report.add(f, here + ("fiche", "numero"), msg.FICHE_ACTION_ETE_SUPPRIMEE.format(
                    numero=op.fiche.numero, removed=removed[op.fiche.numero], suivant=max(ever) + 1))
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
                _check_fiche_adoptee(av, op, fiche, here, f, report)
            elif isinstance(op, (AjouterSecteur, ModifierSecteur)):
                secteur = op.secteur if isinstance(op, AjouterSecteur) else next(
                    x for x in new.secteurs if x.id == op.id)
                if secteur.commune not in communes:
                    report.add(f, here, msg.COMMUNE_INCONNUE_COMMUNES.format(
                        commune=secteur.commune, communes=_ids(communes, secteur.commune)))
                geo.check_secteur(f.path.parent.parent, op.secteur if isinstance(op, AjouterSecteur)
                                  else op.champs, here + (("secteur",) if isinstance(op, AjouterSecteur)
                                                          else ("champs",)), f, report,
                                  require=isinstance(op, AjouterSecteur))  # geo: perimeter
                if isinstance(op, AjouterSecteur):
                    fond.check_covers(f.path.parent.parent, t, secteur,
                                      here + ("secteur", "perimetre"), f, report)
            elif isinstance(op, SupprimerFiche):
                removed[op.numero] = av.numero
            elif isinstance(op, RetirerSignataire):
                retires.add(op.partie)
            elif hasattr(op, "partie") and op.partie not in parties:
                report.add(f, here + ("partie",), msg.PARTIE_INCONNUE_TERRITOIRE_YAML.format(
                    partie=op.partie, parties=_ids(parties, op.partie)))
            if isinstance(op, AjouterFiche):
                ever.add(op.fiche.numero)
            state = new
        if any(_maquette(op) for op in av.modifications):
            _lecture(report).maquettes[av.numero] = (f, av, state)
        # Parties to the convention as it stands, the departing ones among them: an avenant is
        # agreed by all of them (the article « Évolution » ; C. civ. art. 1193).
        expected = [x.partie for x in state.signataires] + sorted(retires)
        signing = [x.partie for x in av.signataires]
        partants = sorted(retires - set(signing))
        if partants:  # its own notice (article « Résiliation ») may have ended it: warned
            report.add(f, ("signataires",), msg.AVENANT_RETRAIT_SANS_PARTANT.format(
                parties=", ".join(partants)), warn=True)
            expected = [x for x in expected if x not in partants]
        if sorted(signing) != sorted(expected):
            missing = sorted(set(expected) - set(signing))
            extra = sorted(set(signing) - set(expected))
            detail = []
            if missing:
                detail.append("manquent : " + ", ".join(missing))
            if extra:
                detail.append(msg.SIGNATAIRES_EN_TROP + ", ".join(extra))
            report.add(f, ("signataires",), msg.AVENANT_SIGNE_TOUTES_PARTIES + " ; ".join(detail) + ").")
        jour = av.signature.date or av.date_edition
        _check_signataires(t, list(av.signataires), [], jour, f, report)
        if not any(x.centre_ville and x.commune in principales for x in state.secteurs):
            report.add(f, ("modifications",), msg.APRES_CET_AVENANT_AUCUN)


def _maquette(op: Any) -> bool:
    """The operation re-states the maquette financière: a fiche added or removed, its cost or
    its financing plan changed."""
    if isinstance(op, (AjouterFiche, SupprimerFiche)):
        return True
    return isinstance(op, ModifierFiche) and any(
        getattr(op.champs, k) is not None for k in ("cout", "plan_de_financement"))


def _check_maquettes_copil(t: DossierTerritoire, copils: list[tuple[CaseFile, Copil]],
                           report: Report) -> None:
    """An avenant that re-states the maquette states as acquired at least the subsidies the
    last COPIL held before its signature (else its edition) recorded as obtained (« instantane »),
    own funds apart on both sides."""
    propres = {x.id for x in t.financeurs if x.autofinancement}
    for f, av, state in _lecture(report).maquettes.values():
        jour = av.signature.date or av.date_edition
        tenus = [cp for _, cp in copils if cp.tenu and cp.instantane and cp.date <= jour]
        if not tenus:
            continue
        cp = max(tenus, key=lambda c: c.date)
        obtenu = sum((o.montant for row in cp.instantane for o in row.obtenu
                      if o.financeur not in propres), Decimal(0))
        acquis = sum((row.montant for x in state.fiches_actions for row in x.plan_de_financement
                      if row.statut == "acquis" and row.financeur not in propres), Decimal(0))
        if obtenu > acquis:
            report.add(f, ("modifications",), msg.AVENANT_ACQUIS_INFERIEURS_COPIL.format(
                acquis=fmt.montant(acquis), date=fmt.date_longue(cp.date),
                obtenu=fmt.montant(obtenu)), warn=True)


def _check_fiche_adoptee(av: Avenant, op: AjouterFiche | ModifierFiche, fiche: FicheAction,
                         here: Path_, f: CaseFile, report: Report) -> None:
    """A fiche an avenant adopts (added, or replaced in full: the avenant prints the whole
    fiche), read on the avenant's date: its calendar starts after the avenant is signed (a
    draft: after the COPIL that approves it, else its edition), its status agrees with its
    calendar on the signing day (a draft: its edition)."""
    champs = op.fiche if isinstance(op, AjouterFiche) else op.champs
    inner = here + (("fiche",) if isinstance(op, AjouterFiche) else ("champs",))
    if av.signature.date is not None:
        jour, quand = av.signature.date, msg.AVENANT_QUAND_SIGNATURE
    elif av.approuve_par_copil is not None:
        jour, quand = av.approuve_par_copil, msg.AVENANT_QUAND_COPIL
    else:
        jour, quand = av.date_edition, msg.AVENANT_QUAND_EDITION
    debut = fiche.calendrier.debut
    if debut < jour and fiche.statut != "abandonnee":
        ajoutee = isinstance(op, AjouterFiche)
        restated = champs.calendrier is not None
        report.add(f, inner + ("calendrier", "debut") if restated else here + ("numero",),
                   msg.FICHE_CALENDRIER_AVANT_AVENANT.format(
                       numero=fiche.numero, debut=fmt.date_longue(debut), quand=quand,
                       jour=fmt.date_longue(jour),
                       adoptee=msg.FICHE_ADOPTEE_AJOUTEE if ajoutee else msg.FICHE_ADOPTEE_REMPLACEE,
                       conseil=msg.CONSEIL_CALENDRIER_AJOUTEE if ajoutee or restated
                       else msg.CONSEIL_CALENDRIER_REMPLACEE), warn=True)
    field_ = "statut" if champs.statut is not None else "calendrier"
    _check_statut(fiche.statut, fiche, av.signature.date or av.date_edition,
                  inner + (field_,) if getattr(champs, field_) is not None else here, f, report)


def _check_copils_against_state(
    t: DossierTerritoire, conv: Convention, adh: Adhesion | None, avenants: list[Avenant],
    copils: list[tuple[CaseFile, Copil]], report: Report,
) -> None:
    """Each COPIL against the territory and the convention as it stood on its date."""
    from .. import derive
    from ..resolve import resolve

    parties = {p.id: p for p in t.parties}
    financeurs = {x.id for x in t.financeurs}
    start = adh.signature.date if adh is not None and adh.signature.date else None
    end = (derive.ajouter_annees(conv.signature.date, conv.duree_ans)
           if conv.signature.date else None)
    previous: tuple[int, dt.date] | None = None
    resolved = resolve(conv, avenants)
    for f, cp in sorted(copils, key=lambda p: p[1].date):
        if start is not None and cp.date < start:
            report.add(f, ("date",), msg.COPIL_AVANT_ENTREE_PROGRAMME.format(
                date=fmt.date_longue(cp.date), start=fmt.date_longue(start)))
        if end is not None and cp.date > end:
            report.add(f, ("date",), msg.COPIL_APRES_FIN_CONVENTION.format(
                date=fmt.date_longue(cp.date), end=fmt.date_longue(end)))
        if previous is not None and cp.numero <= previous[0]:
            report.add(f, ("numero",), msg.COPIL_DATE_APRES_NUMEROS.format(
                numero=cp.numero, previous=previous[0], date_precedent=fmt.date_longue(previous[1])))
        previous = (cp.numero, cp.date)
        for here, pid in [(("convoquent", i), p) for i, p in enumerate(cp.convoquent)] + [
                (("preside",), cp.preside)]:
            if pid not in parties:
                report.add(f, here, msg.PARTIE_INCONNUE_PARTIES.format(
                    partie=pid, parties=_ids(parties, pid)))
                continue
            who = representant_copil_at(parties[pid], cp.date_edition)
            if isinstance(who, SansRepresentant):  # the convocation and minutes name them
                report.add(f, here, who.message)
        _unique(cp.invites, "id", ("invites",), f, report, msg.UNIQUE_IDENTIFIANT)
        _unique(cp.ordre_du_jour, "id", ("ordre_du_jour",), f, report, msg.UNIQUE_IDENTIFIANT)
        _unique(cp.presences, "invite", ("presences",), f, report, msg.UNIQUE_INVITE)
        invites = {x.id for x in cp.invites}
        for i, pr in enumerate(cp.presences):
            if pr.invite not in invites:
                report.add(f, ("presences", i, "invite"), msg.PAS_INVITE_AJOUTEZ_LISTE.format(
                    invite=pr.invite))
            if (pr.etat == "represente") != (pr.represente_par is not None):
                report.add(f, ("presences", i), msg.REPRESENTE_ECRIT_ETAT_REPRESENTE)
        points = {x.id for x in cp.ordre_du_jour}
        for i, d in enumerate(cp.decisions):
            if d.point not in points:
                report.add(f, ("decisions", i, "point"), msg.POINT_ABSENT_ORDRE_JOUR.format(
                    point=d.point, points=_ids(points, d.point)))
        state, _draft = resolved.en_vigueur(cp.date)
        fiches = {x.numero: x for x in state.fiches_actions}
        _unique(cp.instantane, "fiche", ("instantane",), f, report, "fiche")
        for i, row in enumerate(cp.instantane):
            fiche = fiches.get(row.fiche)
            if fiche is None:
                report.add(f, ("instantane", i, "fiche"), msg.FICHE_ABSENTE_LE.format(
                    fiche=row.fiche, date=fmt.date_longue(cp.date)))
                continue
            total = Decimal(0)
            for j, o in enumerate(row.obtenu):
                total += o.montant
                if o.financeur not in financeurs:
                    report.add(f, ("instantane", i, "obtenu", j, "financeur"),
                               msg.FINANCEUR_INCONNU_FINANCEURS.format(
                                   financeur=o.financeur, financeurs=_ids(financeurs, o.financeur)))
            _check_statut(row.statut, fiche, cp.date, ("instantane", i, "statut"), f, report)
            cost = row.cout if row.cout is not None else fiche.cout.montant
            if total > cost:
                report.add(f, ("instantane", i, "obtenu"), msg.FINANCEMENTS_OBTENUS_SUPERIEURS_COUT.format(
                    total=fmt.montant(total), cost=fmt.montant(cost)))
    _check_maquettes_copil(t, copils, report)
