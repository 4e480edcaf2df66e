"""LOAD and VALIDATE: case folder → YAML with positions → models → cross-field rules → Issues."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import formatting as fmt
from .errors import CaseInvalid, Issue, display_path
from .model import Adhesion, Avenant, Convention, Copil, DossierTerritoire
from .model.avenant import OPERATIONS, AjouterFiche, AjouterSecteur, ModifierFiche, ModifierSecteur
from .model.convention import Signataire
from .model.territoire import Partie, Representant
from .yamlpos import Path_, Positions, YamlProblem, dotted, read_yaml

TERRITOIRE = "territoire.yaml"
CONVENTION = "convention.yaml"
ADHESION = "adhesion.yaml"
AVENANT_NAME = re.compile(r"^(\d{2})-[a-z0-9][a-z0-9-]*\.yaml$")
COPIL_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.yaml$")


@dataclass(frozen=True)
class Case:
    """A validated territory folder: every file, as models."""

    name: str
    folder: Path
    territoire: DossierTerritoire
    convention: Convention
    adhesion: Adhesion | None
    avenants: tuple[Avenant, ...]
    copils: tuple[Copil, ...]
    files: tuple[Path, ...]
    warnings: tuple[Issue, ...] = ()


@dataclass
class _File:
    path: Path
    shown: str
    data: Any = None
    positions: Positions | None = None


@dataclass
class _Report:
    issues: list[Issue] = field(default_factory=list)

    def add(self, f: _File, path: Path_, message: str, *, key: bool = False, warn: bool = False) -> None:
        line, col = f.positions.of(path, key=key) if f.positions else (1, 1)
        self.issues.append(
            Issue(f.shown, line, col, dotted(path), message, "avertissement" if warn else "erreur")
        )


def load_case(folder: Path) -> Case:
    """Read and check a whole territory folder; raise CaseInvalid with every issue at once."""
    folder = Path(folder)
    report = _Report()
    if not folder.is_dir():
        shown = display_path(folder)
        raise CaseInvalid(
            [Issue(shown, 1, 1, "", "dossier introuvable : indiquez le dossier d'un territoire "
                   "(ex. cases/pays-des-ecrins).")]
        )
    files: dict[str, _File] = {}

    def read(rel: str, model: type[BaseModel], *, optional: bool = False) -> BaseModel | None:
        path = folder / rel
        f = _File(path, display_path(path))
        files[rel] = f
        if optional and not path.exists():
            return None
        try:
            f.data, f.positions = read_yaml(path, f.shown)
        except YamlProblem as exc:
            report.issues.extend(exc.issues)
            return None
        return _validate(model, f, report)

    terr = read(TERRITOIRE, DossierTerritoire)
    conv = read(CONVENTION, Convention)
    adh = read(ADHESION, Adhesion, optional=True)
    avenants: list[tuple[_File, Avenant]] = []
    for path in sorted((folder / "avenants").glob("*.yaml")):
        rel = f"avenants/{path.name}"
        av = read(rel, Avenant)
        if not AVENANT_NAME.match(path.name):
            report.add(files[rel], (), "nom de fichier d'avenant attendu : « NN-objet.yaml » "
                       "(ex. « 01-quartier-gare.yaml »).")
        if isinstance(av, Avenant):
            avenants.append((files[rel], av))
    copils: list[tuple[_File, Copil]] = []
    for path in sorted((folder / "copils").glob("*.yaml")):
        rel = f"copils/{path.name}"
        cp = read(rel, Copil)
        if not COPIL_NAME.match(path.name):
            report.add(files[rel], (), "nom de fichier de COPIL attendu : « AAAA-MM-JJ.yaml ».")
        if isinstance(cp, Copil):
            copils.append((files[rel], cp))

    if isinstance(terr, DossierTerritoire):
        _check_territoire(terr, files[TERRITOIRE], report)
        if isinstance(conv, Convention):
            _check_convention(terr, conv, files[CONVENTION], report)
        if isinstance(adh, Adhesion):
            _check_adhesion(terr, adh, files[ADHESION], report)
    if isinstance(conv, Convention):
        _check_avenants(conv, avenants, report)
        if isinstance(terr, DossierTerritoire) and not any(i.is_error for i in report.issues):
            _check_avenants_against_state(terr, conv, avenants, report)
    _check_copils(copils, report)
    if (isinstance(terr, DossierTerritoire) and isinstance(conv, Convention)
            and not any(i.is_error for i in report.issues)):
        _check_copils_against_state(terr, conv, adh if isinstance(adh, Adhesion) else None,
                                    [a for _, a in avenants], copils, report)

    errors = [i for i in report.issues if i.is_error]
    if errors:
        raise CaseInvalid(report.issues)
    assert isinstance(terr, DossierTerritoire) and isinstance(conv, Convention)
    return Case(
        name=folder.resolve().name,
        folder=folder,
        territoire=terr,
        convention=conv,
        adhesion=adh if isinstance(adh, Adhesion) else None,
        avenants=tuple(a for _, a in sorted(avenants, key=lambda p: p[1].numero)),
        copils=tuple(c for _, c in sorted(copils, key=lambda p: p[1].date)),
        files=tuple(f.path for f in files.values() if f.path.exists()),
        warnings=tuple(sorted(report.issues)),
    )


def load_convention_file(path: Path) -> Convention:
    """One convention.yaml on its own (for `avenant draft`): read and validated as a model."""
    report = _Report()
    f = _File(Path(path), display_path(Path(path)))
    try:
        f.data, f.positions = read_yaml(f.path, f.shown)
    except YamlProblem as exc:
        raise CaseInvalid(exc.issues) from None
    conv = _validate(Convention, f, report)
    if not isinstance(conv, Convention):
        raise CaseInvalid(report.issues)
    return conv


# ---------------------------------------------------------------- pydantic errors → French

def _validate(model: type[BaseModel], f: _File, report: _Report) -> BaseModel | None:
    if not isinstance(f.data, dict):
        report.add(f, (), "le fichier doit contenir des champs « clé: valeur » au premier niveau.")
        return None
    try:
        return model.model_validate(f.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt key shows up twice: as an unknown key and as a missing field. Keep the first.
        typos = {
            (_clean_loc(e["loc"])[:-1], close)
            for e in errors
            if e["type"] == "extra_forbidden"
            for close in difflib.get_close_matches(
                str(e["loc"][-1]), _allowed_keys(model, _clean_loc(e["loc"])[:-1]), n=1
            )
        }
        for err in errors:
            loc = _clean_loc(err["loc"])
            if err["type"] == "missing" and (loc[:-1], loc[-1]) in typos:
                continue
            message, on_key = _message(err, model, loc)
            report.add(f, loc, message, key=on_key)
        return None


def _clean_loc(loc: tuple[Any, ...]) -> Path_:
    """Drop pydantic's internal segments (union branches, discriminator tags, validators)."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and ("[" in part or part.startswith("function-")):
            continue
        if isinstance(part, str) and part in OPERATIONS and out and isinstance(out[-1], int):
            continue
        out.append(part)
    return tuple(out)


def _message(err: Any, root: type[BaseModel], loc: Path_) -> tuple[str, bool]:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    shown = _shown(value)
    if kind == "missing":
        return f"champ obligatoire manquant : ajoutez « {loc[-1]}: … ».", False
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, loc[:-1])
        hint = ""
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if close:
            hint = f" Vouliez-vous dire « {close[0]} » ?"
        elif allowed:
            hint = " Clés admises : " + ", ".join(allowed) + "."
        return f"clé inconnue « {loc[-1]} ».{hint}", True
    table = {
        "string_type": "texte attendu",
        "string_too_short": "texte vide : écrivez une valeur ou supprimez la ligne",
        "int_type": f"nombre entier attendu, trouvé {shown}",
        "int_parsing": f"nombre entier attendu, trouvé {shown}",
        "int_from_float": f"nombre entier attendu, trouvé {shown}",
        "decimal_type": f"montant attendu (ex. 150000 ou 4525.85), trouvé {shown}",
        "decimal_parsing": f"montant attendu (ex. 150000 ou 4525.85), trouvé {shown}",
        "finite_number": "montant attendu, pas l'infini",
        "bool_type": f"vrai ou faux attendu (true / false), trouvé {shown}",
        "bool_parsing": f"vrai ou faux attendu (true / false), trouvé {shown}",
        "list_type": "liste attendue (un élément par ligne, précédé de « - »)",
        "model_type": "groupe de champs attendu (lignes « clé: valeur » indentées)",
        "dict_type": "groupe de champs attendu (lignes « clé: valeur » indentées)",
        "model_attributes_type": "groupe de champs attendu (lignes « clé: valeur » indentées)",
        "date_type": f"date attendue au format AAAA-MM-JJ, trouvé {shown}",
        "date_parsing": f"date attendue au format AAAA-MM-JJ, trouvé {shown}",
        "date_from_datetime_parsing": f"date attendue au format AAAA-MM-JJ, trouvé {shown}",
        "date_from_datetime_inexact": "date attendue sans heure (AAAA-MM-JJ)",
        "frozen_instance": "valeur non modifiable",
    }
    if kind in table:
        return table[kind] + ".", False
    if kind == "string_too_long":
        n = len(value) if isinstance(value, str) else "?"
        return f"texte trop long ({n} caractères ; au plus {ctx.get('max_length')}).", False
    if kind == "too_short":
        return f"liste vide : au moins {ctx.get('min_length', 1)} élément attendu.", False
    if kind == "too_long":
        return f"liste trop longue : au plus {ctx.get('max_length')} éléments.", False
    if kind in ("greater_than_equal", "greater_than"):
        return f"doit être supérieur ou égal à {ctx.get('ge', ctx.get('gt'))}, trouvé {shown}.", False
    if kind in ("less_than_equal", "less_than"):
        return f"doit être inférieur ou égal à {ctx.get('le', ctx.get('lt'))}, trouvé {shown}.", False
    if kind == "decimal_max_places":
        return f"au plus {ctx.get('decimal_places')} décimales (les centimes), trouvé {shown}.", False
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return f"montant trop grand : {shown}.", False
    if kind == "union_tag_invalid":
        shown = _shown(ctx.get("tag"))
        return (f"opération {shown} inconnue ; opérations possibles : {', '.join(OPERATIONS)}.",
                False)
    if kind == "union_tag_not_found":
        return ("opération non précisée : ajoutez « operation: … » ("
                f"{', '.join(OPERATIONS)}).", False)
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"valeur {shown} inconnue ; valeurs admises : {expected}.", False
    if kind == "string_pattern_mismatch":
        if "a-z0-9" in str(ctx.get("pattern", "")):
            return (
                f"identifiant invalide {shown} : minuscules sans accent, chiffres et tirets "
                "seulement (ex. « cc-pays-des-ecrins »).",
                False,
            )
        return f"format inattendu : {shown}.", False
    return f"valeur invalide {shown} ({err.get('msg')}).", False


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "un groupe de valeurs" if isinstance(value, dict) else "une liste"
    if value is None:
        return "une valeur vide"
    text = str(value)
    if len(text) > 40:
        text = text[:37] + "…"
    return f"« {text} »"


def _allowed_keys(root: type[BaseModel], loc: Path_) -> list[str]:
    model: Any = root
    for part in loc:
        model = _unwrap(model)
        if isinstance(part, int):
            args = typing.get_args(model)
            model = args[0] if args else None
        elif isinstance(model, type) and issubclass(model, BaseModel) and part in model.model_fields:
            model = model.model_fields[part].annotation
        else:
            return []
    model = _unwrap(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp


# ---------------------------------------------------------------- cross-field rules

def _unique(items: list[Any], attr: str, base: Path_, f: _File, report: _Report, what: str) -> None:
    seen: dict[Any, int] = {}
    for i, item in enumerate(items):
        value = getattr(item, attr)
        if value in seen:
            report.add(f, base + (i, attr), f"{what} « {value} » en double "
                       f"(déjà utilisé par {dotted(base + (seen[value],))}).")
        else:
            seen[value] = i


def _check_territoire(t: DossierTerritoire, f: _File, report: _Report) -> None:
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
    f: _File,
    report: _Report,
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


def _check_convention(t: DossierTerritoire, c: Convention, f: _File, report: _Report) -> None:
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
    financeurs: set[str], f: _File, report: _Report,
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


def _check_adhesion(t: DossierTerritoire, a: Adhesion, f: _File, report: _Report) -> None:
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


def _check_avenants(c: Convention, avenants: list[tuple[_File, Avenant]], report: _Report) -> None:
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
            elif previous is not None and signed < previous:
                what = "la convention" if expected == 1 else f"l'avenant n° {expected - 1}"
                report.add(f, ("signature", "date"), f"date du {fmt.date_longue(signed)} "
                           f"antérieure à celle de {what} ({fmt.date_longue(previous)}).")
            previous = signed


def _check_copils(copils: list[tuple[_File, Copil]], report: _Report) -> None:
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
    t: DossierTerritoire, conv: Convention, avenants: list[tuple[_File, Avenant]], report: _Report
) -> None:
    """Each avenant's operations, in order, against the convention as its predecessors left it."""
    from .timeline import Inapplicable, apply

    parties = {p.id: p for p in t.parties}
    communes = {c.id for c in t.territoire.communes}
    financeurs = {x.id for x in t.financeurs}
    principales = {x.id for x in t.territoire.communes if x.ville_principale}
    state = conv
    for f, av in sorted(avenants, key=lambda p: p[1].numero):
        for i, op in enumerate(av.modifications):
            here: Path_ = ("modifications", i)
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
            elif hasattr(op, "partie") and op.partie not in parties:
                report.add(f, here + ("partie",), f"partie « {op.partie} » inconnue dans "
                           f"territoire.yaml ; parties : {_ids(parties)}.")
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
        if av.approuve_par_copil is not None and av.signature.date is not None and (
            av.approuve_par_copil > av.signature.date
        ):
            report.add(f, ("approuve_par_copil",), "le COPIL qui approuve l'avenant se tient après "
                       "sa signature.")


def _check_copils_against_state(
    t: DossierTerritoire, conv: Convention, adh: Adhesion | None, avenants: list[Avenant],
    copils: list[tuple[_File, Copil]], report: _Report,
) -> None:
    """Each COPIL against the territory and the convention as it stood on its date."""
    from . import derive
    from .timeline import state_at_date

    parties = {p.id for p in t.parties}
    financeurs = {x.id for x in t.financeurs}
    start = adh.signature.date if adh is not None and adh.signature.date else None
    end = (derive.ajouter_annees(conv.signature.date, conv.duree_ans)
           if conv.signature.date else None)
    previous: tuple[int, dt.date] | None = None
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
        state, _draft = state_at_date(conv, avenants, cp.date)
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
