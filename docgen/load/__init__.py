"""LOAD: a territory folder → YAML with positions → models → cross-field rules → a Case.

Every problem of every file is reported at once, each at file:line:column with its field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .. import formatting as fmt
from .. import messages as msg
from ..errors import CaseInvalid, Issue, display_path
from ..model import Adhesion, Avenant, Convention, Copil, DossierTerritoire
from ..model.case import Case
from ..model.registre import Registre
from . import fond
from .assets import check_assets
from .files import CaseFile, Report
from .reading import shown_path
from .registre import load_registre, registre_path
from .rules import (
    AVENANT_NAME,
    COPIL_NAME,
    Reading,
    _check_adhesion,
    _check_avenants,
    _check_avenants_against_state,
    _check_avenants_copil,
    _check_avenants_deliberations,
    _check_convention,
    _check_copils,
    _check_copils_against_state,
    _check_territoire,
    representant_at,
)
from .validate import _validate
from .yamlpos import YamlProblem, read_yaml

validate_model = _validate  # a model checked against one file's data, issues in the report

TERRITOIRE = "territoire.yaml"
CONVENTION = "convention.yaml"
ADHESION = "adhesion.yaml"


MAX_FICHES = 300  # fiches actions of a convention (or added by one avenant); real ones: 10 to 40
MAX_LIGNES_PLAN = 60  # lines of one financing plan; real ones: 2 to 10
MAX_ELEMENTS = 2_000  # any other list of a case file (signatories, invitees, operations…)
MAX_FICHIERS = 400  # avenants/ and copils/ files of one territory


def _too_many(f: CaseFile, report: Report) -> bool:
    """Lists longer than the limits, each at its position; True when any was found."""
    found = False
    stack: list[tuple[tuple[str | int, ...], object]] = [((), f.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((path + (k,), v) for k, v in value.items())
        elif isinstance(value, list):
            name = next((p for p in reversed(path) if isinstance(p, str)), "")
            limit = {"fiches_actions": MAX_FICHES, "plan_de_financement": MAX_LIGNES_PLAN}.get(
                name, MAX_ELEMENTS)
            if len(value) > limit:
                report.add(f, path, msg.LIST_TOO_LONG.format(n=len(value), limit=limit))
                found = True
                continue
            stack.extend((path + (i,), v) for i, v in enumerate(value))
    return found


def load_case(folder: Path) -> Case:
    """Read and check a whole territory folder; raise CaseInvalid with every issue at once."""
    folder = Path(folder)
    report = Reading()
    if not folder.is_dir():
        shown = display_path(folder)
        raise CaseInvalid(
            [Issue(shown, 1, 1, "", msg.DOSSIER_INTROUVABLE_INDIQUEZ_DOSSIER)]
        )
    files: dict[str, CaseFile] = {}

    def read(rel: str, model: type[BaseModel], *, optional: bool = False) -> BaseModel | None:
        path = folder / rel
        f = CaseFile(path, shown_path(path))
        files[rel] = f
        if optional and not path.exists() and not path.is_symlink():
            return None
        try:  # a link leaving the case is refused unread: no value of it is ever shown
            f.data, f.positions = read_yaml(path, f.shown, root=folder)
        except YamlProblem as exc:
            report.issues.extend(exc.issues)
            return None
        if _too_many(f, report):  # refused before validation: 10,000 fiches cost minutes
            return None
        return _validate(model, f, report)

    terr = read(TERRITOIRE, DossierTerritoire)
    conv = read(CONVENTION, Convention)
    adh = read(ADHESION, Adhesion, optional=True)
    extra = sorted((folder / "avenants").glob("*.yaml")) + sorted((folder / "copils").glob("*.yaml"))
    if len(extra) > MAX_FICHIERS:
        raise CaseInvalid([Issue(display_path(folder), 1, 1, "", msg.TOO_MANY_FILES.format(
            n=len(extra), limit=MAX_FICHIERS))] + report.issues)
    avenants: list[tuple[CaseFile, Avenant]] = []
    avenant_files = sorted((folder / "avenants").glob("*.yaml"))
    for path in avenant_files:
        rel = f"avenants/{path.name}"
        av = read(rel, Avenant)
        if not AVENANT_NAME.match(path.name):
            report.add(files[rel], (), msg.NOM_FICHIER_AVENANT_ATTENDU)
        if isinstance(av, Avenant):
            avenants.append((files[rel], av))
    copils: list[tuple[CaseFile, Copil]] = []
    for path in sorted((folder / "copils").glob("*.yaml")):
        rel = f"copils/{path.name}"
        cp = read(rel, Copil)
        if not COPIL_NAME.match(path.name):
            report.add(files[rel], (), msg.NOM_FICHIER_COPIL_ATTENDU)
        if isinstance(cp, Copil):
            copils.append((files[rel], cp))

    report.issues.extend(check_assets(folder))
    if isinstance(terr, DossierTerritoire):
        _check_territoire(terr, files[TERRITOIRE], report)
        if isinstance(conv, Convention):
            _check_convention(terr, conv, files[CONVENTION], report)
        if isinstance(adh, Adhesion):
            _check_adhesion(terr, adh, files[ADHESION], report)
    if isinstance(conv, Convention):
        _check_avenants(conv, avenants, report)
        _check_avenants_deliberations(conv, avenants, report)
        if isinstance(terr, DossierTerritoire) and not any(i.is_error for i in report.issues):
            _check_avenants_against_state(terr, conv, avenants, report)
    _check_copils(copils, report)
    _check_avenants_copil(avenants, copils, report,
                          every_avenant=len(avenants) == len(avenant_files))
    if (isinstance(terr, DossierTerritoire) and isinstance(conv, Convention)
            and not any(i.is_error for i in report.issues)):
        _check_copils_against_state(terr, conv, adh if isinstance(adh, Adhesion) else None,
                                    [a for _, a in avenants], copils, report)

    try:  # the register of acts, when the case has one (its files and their SHA-256 too)
        registre = load_registre(folder)
    except CaseInvalid as exc:
        report.issues.extend(exc.issues)
        registre = Registre()
    present = {"convention"} | ({"adhesion"} if adh is not None else set()) | {
        f"avenant-{a.numero:02d}" for _, a in avenants}
    for code, acte in registre.actes.items():  # a signed act is a record: its file stays
        if acte.etat in ("signe", "transmis") and code not in present:
            report.issues.append(Issue(shown_path(registre_path(folder)), 1, 1, f"actes.{code}",
                                       msg.REGISTRE_ACTE_DISPARU.format(acte=code)))
    errors = [i for i in report.issues if i.is_error]
    if errors:
        raise CaseInvalid(report.issues)
    assert isinstance(terr, DossierTerritoire) and isinstance(conv, Convention)
    perimetres = _perimetres(folder, terr, conv, [a for _, a in avenants])
    return Case(
        name=folder.resolve().name,
        folder=folder,
        territoire=terr,
        convention=conv,
        adhesion=adh if isinstance(adh, Adhesion) else None,
        avenants=tuple(a for _, a in sorted(avenants, key=lambda p: p[1].numero)),
        copils=tuple(c for _, c in sorted(copils, key=lambda p: p[1].date)),
        files=tuple(f.path for f in files.values() if f.path.exists())
        + tuple(folder / rel for rel in perimetres)  # geo: the GeoJSON files read
        + tuple(folder / rel for rel in fond.fichiers(terr)),
        warnings=tuple(sorted(report.issues)),
        perimetres=perimetres,
        fonds=fond.collect(folder, terr),
        registre=registre,
    )


def _perimetres(folder: Path, terr: DossierTerritoire, conv: Convention,
                avenants: list[Avenant]) -> dict[str, Any]:
    """geo: the perimeter files of the communes and of every secteur, in any state (checked)."""
    from ..model.avenant import AjouterSecteur, ModifierSecteur
    from . import geo

    secteurs: list[Any] = list(conv.secteurs)
    for av in avenants:
        secteurs += [op.secteur if isinstance(op, AjouterSecteur) else op.champs
                     for op in av.modifications if isinstance(op, (AjouterSecteur, ModifierSecteur))]
    return geo.collect(folder, terr, secteurs)


def copil_stages(case: Case) -> list[str]:
    """One line per COPIL, in date order: the stage it is at (held once its attendance is
    recorded, in preparation before) and what that stage builds."""
    return [(msg.COPIL_ETAPE_TENU if cp.tenu else msg.COPIL_ETAPE_PREPARATION).format(
        numero=cp.numero, date=fmt.date_longue(cp.date)) for cp in case.copils]


def load_convention_file(path: Path) -> Convention:
    """One convention.yaml on its own (for `avenant draft`): read and validated as a model."""
    report = Report()
    f = CaseFile(Path(path), display_path(Path(path)))
    try:
        f.data, f.positions = read_yaml(f.path, f.shown)
    except YamlProblem as exc:
        raise CaseInvalid(exc.issues) from None
    conv = _validate(Convention, f, report)
    if not isinstance(conv, Convention):
        raise CaseInvalid(report.issues)
    return conv


__all__ = ["Case", "copil_stages", "load_case", "load_convention_file", "representant_at"]
