"""The workspace: Starlette routes over the library (load_case, build, verify, drafting).

Every sentence shown is in the templates (docgen/web/templates/); this module passes data.
Editing writes YAML files inside a territory folder only; building writes into the output folder.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
import subprocess
import tempfile
import threading
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import messages as msg
from ..batch import is_case
from ..errors import CaseInvalid, DocgenError, Issue
from ..formatting import date_longue
from ..jobs import Pool
from ..kinds import FAMILIES
from ..model import KINDS
from ..output import MANIFEST, read_manifest, sha256_file
from . import forms, store
from .security import Guard

HERE = Path(__file__).resolve().parent
CASE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
FILE_KINDS = {"territoire.yaml": "territoire", "convention.yaml": "convention",
              "adhesion.yaml": "adhesion"}
DOC_KINDS = FAMILIES  # the families of documents a build may be asked for (kinds.py)


@dataclass
class BuildJob:
    id: str
    case: str
    kinds: tuple[str, ...]
    pdf: bool
    started: float = field(default_factory=time.monotonic)
    state: str = "en_cours"  # en_cours, fini, echec
    message: str = ""
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    backups: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # edited by hand: left as they were
    verify: list[str] | None = None
    duration: float = 0.0
    prevus: list[str] = field(default_factory=list)  # the documents the build makes
    faits: list[str] = field(default_factory=list)  # those made so far, as they come

    def note(self, said: Any) -> None:
        """What the build's worker says while it runs (pipeline.build's progress)."""
        if isinstance(said, dict):
            if isinstance(said.get("prevus"), list):
                self.prevus = [str(x) for x in said["prevus"]]
            elif isinstance(said.get("fait"), str):
                self.faits.append(said["fait"])


BUILD_LIMIT_S = 300.0  # one territory's build from the workspace (the example: 4 s)


class Workspace:
    """The folders the app serves and what it remembers between requests (build jobs)."""

    def __init__(self, cases_dir: Path, out_dir: Path, build_limit: float = BUILD_LIMIT_S) -> None:
        self.cases_dir = cases_dir.resolve()
        self.out_dir = out_dir.resolve()
        self.jobs: dict[str, BuildJob] = {}
        self.busy: dict[str, str] = {}  # case → running job id
        self.lock = threading.Lock()
        self.pool = Pool()  # builds run in warm worker processes, each with a time limit
        self.build_limit = build_limit
        self.registers: dict[str, threading.Lock] = {}  # case → who writes its register now

    def register_lock(self, name: str) -> threading.Lock:
        """Held while a build or an import writes the territory's register of acts: one at a
        time (a build waits for an import; an import finding a build running is refused)."""
        with self.lock:
            return self.registers.setdefault(name, threading.Lock())

    # -- paths: nothing leaves the cases folder (or the output folder for downloads) --------
    def cases(self) -> list[Path]:
        if is_case(self.cases_dir):
            return [self.cases_dir]
        return sorted(p for p in self.cases_dir.iterdir()
                      if p.is_dir() and not p.name.startswith(".") and is_case(p))

    def case(self, name: str) -> Path | None:
        if not CASE_NAME.match(name):
            return None
        for p in self.cases():
            if p.name == name:
                return p
        return None

    def case_file(self, folder: Path, rel: str) -> Path | None:
        """A case file named by the user: one of the known kinds, inside the folder."""
        if not (rel in FILE_KINDS or re.fullmatch(r"(avenants|copils)/[A-Za-z0-9][\w.-]{0,120}\.yaml", rel)):
            return None
        path = (folder / rel).resolve()
        if not path.is_relative_to(folder.resolve()) or not path.is_file():
            return None
        return path

    def output_of(self, name: str) -> Path:
        return self.out_dir / name

    def output_file(self, name: str, rel: str) -> Path | None:
        base = self.output_of(name).resolve()
        if "\\" in rel or rel.startswith("/") or any(p in ("..", "") for p in rel.split("/")):
            return None
        path = (base / rel).resolve()
        if not path.is_relative_to(base) or not path.is_file() or path.name.startswith("."):
            return None
        return path


def kind_of_file(rel: str) -> str:
    if rel in FILE_KINDS:
        return FILE_KINDS[rel]
    return "avenant" if rel.startswith("avenants/") else "copil"


def create_app(cases_dir: Path, token: str | None = None, out_dir: Path | None = None,
               host: str | None = None, port: int | None = None,
               build_limit: float = BUILD_LIMIT_S, warm: bool = False) -> Starlette:
    """The workspace over `cases_dir` (a folder of territories, or one territory). With a token,
    every request must carry it (once in the address, `?jeton=…`, then in a cookie). `host` and
    `port` are those the server listens on: the only Host accepted (with the loopback names when
    local); without them, the local address of each connection. Builds run in worker
    processes stopped after `build_limit` seconds; `warm`: one is started at once."""
    cases_dir = Path(cases_dir)
    # <cases>/../output; for a single territory (cases/x), the same output/ beside cases/
    base = cases_dir.resolve().parent
    if is_case(cases_dir):
        base = base.parent
    ws = Workspace(cases_dir, out_dir or base / "output", build_limit)
    if warm:
        ws.pool.warm()
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["euros"] = _euros
    env.filters["date_longue"] = date_longue
    env.filters["initiale"] = _initial
    env.globals["kinds"] = DOC_KINDS
    env.globals["msg"] = msg  # the words of docgen status, never retyped in a template

    def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        ctx = {"request": request, "csrf": getattr(request.state, "csrf", ""), **context}
        return HTMLResponse(env.get_template(name).render(ctx), status_code=status)

    def not_found(request: Request) -> Response:
        return render(request, "refus.html", {"raison": "introuvable"}, 404)

    # -- home ------------------------------------------------------------------------------
    async def home(request: Request) -> Response:
        rows = [territory_summary(ws, p) for p in ws.cases()]
        return render(request, "accueil.html", {"territoires": rows, "dossier": ws.cases_dir})

    # -- one territory ---------------------------------------------------------------------
    async def territory(request: Request) -> Response:
        folder = ws.case(request.path_params["case"])
        if folder is None:
            return not_found(request)
        logo = request.query_params.get("logo", "")
        return territory_page(request, folder, logo=logo if logo in ("ok", "retire", "ordre") else "",
                              logo_nom=request.query_params.get("nom", ""))

    def territory_page(request: Request, folder: Path, status: int = 200, logo: str = "",
                       logo_nom: str = "", refus: Any = None, deplacement: bool = False,
                       **acte: Any) -> Response:
        from .actes import overview
        from .uploads import logo_files

        summary = territory_summary(ws, folder)
        fiches, vigueur = fiches_in_force(folder, summary.pop("case"))
        files = case_files(folder)
        running = ws.busy.get(folder.name)
        last = [j for j in ws.jobs.values() if j.case == folder.name]
        problems = {i.file: i for i in summary["erreurs"]}
        logos = [{"nom": name, "erreur": problems.get(f"assets/logos/{name}")}
                 for name in logo_files(folder)]
        return render(request, "territoire.html", {
            "t": summary, "fiches": fiches, "vigueur": vigueur, "fichiers": files,
            "en_cours": running,
            "derniere": last[-1] if last else None, "message": request.query_params.get("ok", ""),
            "logo": logo, "logo_nom": logo_nom, "refus": refus, "logos": logos,
            "deplacement": deplacement, "etat": overview(folder, ws.out_dir), "acte": acte,
        }, status)

    # -- editing a part of a case file -----------------------------------------------------
    def edit_target(request: Request, rel: str, champ: str) -> tuple[Path, Path, str, Any] | None:
        folder = ws.case(request.path_params["case"])
        if folder is None:
            return None
        path = ws.case_file(folder, rel)
        if path is None:
            return None
        section = forms.parse_path(champ) if champ else ()
        if section is None:
            return None
        model = KINDS[kind_of_file(rel)]
        if champ and forms.type_at(model, section) is None:
            return None
        return folder, path, kind_of_file(rel), section

    def section_widgets(model: Any, tree: Any, section: forms.Path_, folder: Path) -> list[forms.Widget]:
        choices = id_choices(folder)
        readonly = ("numero",) if section[:1] == ("fiches_actions",) else ()
        if not section:
            return forms.widgets(model, tree, (), choices=choices)
        found = forms.type_at(model, section)
        assert found is not None  # edit_target lets only the model's sections through
        tp = found[0]
        if forms.is_model(tp):
            return forms.widgets(tp, forms.get(tree, section), section, choices=choices,
                                 readonly=readonly)
        parent = section[:-1]
        parent_tp = model
        if parent:
            found = forms.type_at(model, parent)
            assert found is not None  # the section's parent: in the model too
            parent_tp = found[0]
        return forms.widgets(parent_tp, forms.get(tree, parent), parent, only=(str(section[-1]),),
                             choices=choices)

    def edit_page(request: Request, target: tuple[Path, Path, str, Any], tree: Any, ver: str,
                  check: store.Check | None, status: int = 200, **extra: Any) -> Response:
        folder, path, kind, section = target
        model = KINDS[kind]
        ws_ = section_widgets(model, tree, section, folder)
        rel = str(path.relative_to(folder.resolve()))
        issues = check.issues if check else []
        mine = [i for i in issues if i.file == rel]
        placed, rest = forms.place_issues(ws_, mine)
        others = rest + [i for i in issues if i.file != rel]
        secteurs = tree.get("secteurs") if section == ("secteurs",) and isinstance(tree, dict) \
            else None
        perimetres = [{"id": str(x.get("id", "")), "nom": str(x.get("nom", "")),
                       "perimetre": x.get("perimetre")} for x in secteurs or []
                      if isinstance(x, dict) and SECTEUR_ID.fullmatch(str(x.get("id", "")))]
        return render(request, "modifier.html", {
            "perimetres": perimetres,
            "t": {"nom": folder.name}, "fichier": rel, "section": forms.dotted(section),
            "nom_fichier": file_title(rel),
            "titre": section_title(tree, section, kind), "widgets": ws_, "placed": placed,
            "autres": others, "version": ver, "checked": check is not None,
            "n_erreurs": len([i for i in issues if i.is_error]),
            "signee": signed_on(tree) if kind == "convention" else None, **extra}, status)

    def unreadable(request: Request, target: Any, exc: BaseException) -> Response:
        rel = str(target[1].relative_to(target[0].resolve()))
        issues, mark = file_problems(target[0], rel, exc)
        return render(request, "illisible.html", {"t": {"nom": target[0].name}, "fichier": rel,
                                                  "issues": issues, "marque": mark}, 422)

    async def edit_get(request: Request) -> Response:
        rel = request.query_params.get("fichier", "")
        champ = request.query_params.get("champ", "")
        target = edit_target(request, rel, champ)
        if target is None:
            return not_found(request)
        try:
            loaded = store.read(target[1])
        except Exception as exc:  # noqa: BLE001 - YAML the round trip cannot read: check says why
            return unreadable(request, target, exc)
        check = store.check_folder(target[0])
        if not section_exists(loaded.tree, target[3]):
            return not_found(request)
        return edit_page(request, target, loaded.tree, loaded.version, check,
                         perimetre_ok=request.query_params.get("perimetre", ""))

    async def edit_post(request: Request) -> Response:
        form = await request.form()
        data = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        rel, champ = data.get("__fichier", ""), data.get("__champ", "")
        target = edit_target(request, rel, champ)
        if target is None:
            return not_found(request)
        folder, path, kind, section = target
        model = KINDS[kind]
        action = data.get("__action", "verifier")
        ver = data.get("__version", "")
        try:
            loaded = store.read(path)
        except Exception as exc:  # noqa: BLE001 - see edit_get
            return unreadable(request, target, exc)
        tree = loaded.tree
        if not section_exists(tree, section):
            return not_found(request)
        checkboxes = tuple(data.get("__cases", "").split()) if data.get("__cases") else ()
        add = action.split(":", 1)[1] if action.startswith("ajouter:") else ""
        forms.apply_form(model, tree, section, data, checkboxes, add)
        text = store.dump(tree)
        check = store.check_with(folder, {rel: text})
        stale = loaded.version != ver
        if data.get("__format") == "json":  # live validation from the page's script
            ws_ = section_widgets(model, tree, section, folder)
            mine = [i for i in check.issues if i.file == rel]
            placed, rest = forms.place_issues(ws_, mine)
            others = rest + [i for i in check.issues if i.file != rel]
            return JSONResponse({
                "champs": {p: [issue_json(i) for i in items] for p, items in placed.items()},
                "autres": [issue_json(i) for i in others],
                "erreurs": len(check.errors), "perime": stale})
        if action != "enregistrer":
            return edit_page(request, target, tree, ver, check, perime=stale)
        if stale:
            return edit_page(request, target, tree, ver, check, 409, perime=True)
        if check.errors:
            return edit_page(request, target, tree, ver, check, 422, refuse=True)
        try:
            backup = store.save(path, text, ver)
        except store.Stale:
            return edit_page(request, target, tree, ver, check, 409, perime=True)
        fresh = store.read(path)
        return edit_page(request, target, fresh.tree, fresh.version, check, enregistre=True,
                         sauvegarde=str(backup.relative_to(folder.resolve())) if backup else "")

    # -- a file's YAML text, edited as such ------------------------------------------------
    def text_target(request: Request, rel: str) -> tuple[Path, Path] | None:
        folder = ws.case(request.path_params["case"])
        path = ws.case_file(folder, rel) if folder is not None else None
        return (folder, path) if folder is not None and path is not None else None

    def text_page(request: Request, folder: Path, rel: str, text: str, ver: str,
                  check: store.Check | None, status: int = 200, **extra: Any) -> Response:
        issues = [i for i in (check.issues if check else []) if i.file == rel]
        others = [i for i in (check.errors if check else []) if i.file != rel]
        return render(request, "texte.html", {
            "t": {"nom": folder.name}, "fichier": rel, "nom_fichier": file_title(rel),
            "texte": text, "version": ver, "checked": check is not None,
            "extraits": excerpts(text, issues), "autres": others,
            "lignes": max(12, min(40, text.count("\n") + 2)), **extra}, status)

    async def text_get(request: Request) -> Response:
        rel = request.query_params.get("fichier", "")
        target = text_target(request, rel)
        if target is None:
            return not_found(request)
        folder, path = target
        raw = path.read_bytes()
        if len(raw) > store.MAX_FILE_BYTES:
            return not_found(request)
        text = raw.decode("utf-8", "replace")
        return text_page(request, folder, rel, text, store.version(raw),
                         store.check_folder(folder))

    async def text_post(request: Request) -> Response:
        form = await request.form()
        data = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        rel = data.get("fichier", "")
        target = text_target(request, rel)
        if target is None:
            return not_found(request)
        folder, path = target
        text = data.get("texte", "").replace("\r\n", "\n").replace("\r", "\n")
        ver = data.get("version", "")
        if len(text.encode("utf-8")) > store.MAX_FILE_BYTES:
            return text_page(request, folder, rel, "", ver, None, 413, trop_long=True)
        check = store.check_with(folder, {rel: text})
        if data.get("action") != "enregistrer":
            return text_page(request, folder, rel, text, ver, check)
        # refused: an error in this file, or one it causes in another (not there before)
        before = {(i.file, i.path, i.message) for i in store.check_folder(folder).errors}
        new = [i for i in check.errors
               if i.file == rel or (i.file, i.path, i.message) not in before]
        if new:
            return text_page(request, folder, rel, text, ver, check, 422, refuse=True)
        try:
            backup = store.save(path, text, ver)
        except store.Stale:
            return text_page(request, folder, rel, text, ver, check, 409, perime=True)
        raw = path.read_bytes()
        return text_page(request, folder, rel, text, store.version(raw), check, enregistre=True,
                         sauvegarde=str(backup.relative_to(folder.resolve())) if backup else "")

    # -- build -----------------------------------------------------------------------------
    async def build_post(request: Request) -> Response:
        folder = ws.case(request.path_params["case"])
        if folder is None:
            return not_found(request)
        form = await request.form()
        kinds = tuple(k for k in form.getlist("doc") if k in DOC_KINDS)
        pdf = form.get("pdf") == "oui"
        job = start_build(ws, folder, kinds, pdf, force=form.get("remplacer") == "oui")
        return RedirectResponse(f"/t/{folder.name}/construction/{job.id}", 303)

    async def build_status(request: Request) -> Response:
        job = ws.jobs.get(request.path_params["job"])
        if job is None or job.case != request.path_params["case"]:
            return not_found(request)
        elapsed = int(time.monotonic() - job.started)
        folder = ws.case(job.case)
        groupes: list[tuple[str, list[tuple[str, str]]]] = []
        if job.state == "fini" and job.written and folder is not None:
            groupes = await run_in_threadpool(written_by_group, folder, ws.out_dir, job.written)
        return render(request, "construction.html", {"t": {"nom": job.case}, "job": job,
                                                     "ecoule": elapsed, "groupes": groupes})

    async def build_events(request: Request) -> Response:
        """The build's progress as server-sent events: the documents planned, each one made as
        it comes, then the end (the page then shows the results). No page polling."""
        import asyncio
        import json

        job = ws.jobs.get(request.path_params["job"])
        if job is None or job.case != request.path_params["case"]:
            return not_found(request)

        async def events() -> Any:
            planned, sent = False, 0
            while True:
                if job.prevus and not planned:
                    planned = True
                    yield f"event: prevus\ndata: {json.dumps(job.prevus)}\n\n"
                while sent < len(job.faits):
                    sent += 1
                    yield f"event: fait\ndata: {json.dumps(job.faits[sent - 1])}\n\n"
                if job.state != "en_cours":
                    yield f"event: fin\ndata: {json.dumps(job.state)}\n\n"
                    return
                if await request.is_disconnected():
                    return
                await asyncio.sleep(0.2)

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store"})

    # -- downloads and preview ---------------------------------------------------------------
    async def download(request: Request) -> Response:
        path = ws.output_file(request.path_params["case"], request.path_params["path"])
        if path is None or ws.case(request.path_params["case"]) is None:
            return not_found(request)
        return FileResponse(path, filename=path.name, media_type=_media(path))

    async def download_zip(request: Request) -> Response:
        name = request.path_params["case"]
        if ws.case(name) is None or not ws.output_of(name).is_dir():
            return not_found(request)
        base = ws.output_of(name)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(base.rglob("*")):
                rel = p.relative_to(base)
                if p.is_file() and not any(part.startswith(".") for part in rel.parts):
                    zf.write(p, f"{name}/{rel}")
        return Response(buf.getvalue(), media_type="application/zip",
                        headers={"Content-Disposition": f'attachment; filename="{name}.zip"'})

    async def preview(request: Request) -> Response:
        name, rel = request.path_params["case"], request.path_params["path"]
        path = ws.output_file(name, rel)
        if path is None or path.suffix != ".pdf" or ws.case(name) is None:
            return not_found(request)
        sizes = page_sizes(path)
        return render(request, "apercu.html", {"t": {"nom": name}, "fichier": rel,
                                               "pages": len(sizes), "vignettes": vignettes(sizes)})

    async def page_png(request: Request) -> Response:
        name, rel = request.path_params["case"], request.path_params["path"]
        path = ws.output_file(name, rel)
        try:
            n = int(request.query_params.get("n", "1"))
        except ValueError:
            n = 0
        # the thumbnail (50 dpi) or, to read the page, its zoom (110 dpi): a closed choice
        resolution = "110" if request.query_params.get("zoom") == "1" else "50"
        if path is None or path.suffix != ".pdf" or ws.case(name) is None or not 1 <= n <= 2000:
            return not_found(request)
        try:
            with tempfile.TemporaryDirectory(prefix="docgen-page-") as tmp:
                subprocess.run(["pdftoppm", "-png", "-r", resolution, "-f", str(n), "-l", str(n),
                                "-singlefile", str(path), f"{tmp}/page"], capture_output=True,
                               timeout=30, check=True)
                png = Path(tmp, "page.png").read_bytes()
        except (OSError, subprocess.SubprocessError):
            return not_found(request)
        return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})

    # -- avenant drafting ------------------------------------------------------------------
    async def avenant_get(request: Request) -> Response:
        folder = ws.case(request.path_params["case"])
        if folder is None:
            return not_found(request)
        return avenant_page(request, folder, None)

    async def avenant_post(request: Request) -> Response:
        folder = ws.case(request.path_params["case"])
        if folder is None:
            return not_found(request)
        form = await request.form()
        data = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        return avenant_page(request, folder, data)

    def avenant_page(request: Request, folder: Path, data: dict[str, str] | None) -> Response:
        from ..drafting import NotDraftable, draft, to_yaml
        from ..model import Avenant, Convention
        from ..resolve import resolve

        check = store.check_folder(folder)
        if check.case is None:
            return render(request, "avenant.html", {"t": {"nom": folder.name},
                                                    "invalide": check.errors}, 200)
        case = check.case
        etat = resolve(case.convention, case.avenants).apres(
            case.avenants[-1].numero if case.avenants else 0)
        numero = (case.avenants[-1].numero if case.avenants else 0) + 1
        tree = etat.model_dump(mode="python", exclude_none=True)
        previous = case.avenants[-1] if case.avenants else None
        meta: dict[str, Any] = {
            "numero": numero,
            "date_edition": dt.date.today(),
            "signature": {"lieu": (previous.signature.lieu if previous
                                   else case.convention.signature.lieu)},
            "objet": "", "motifs": [],
        }
        # its own décisions, asked, never copied: each party's délibération, the approving COPIL
        signataires = [{k: v for k, v in s.model_dump(
            mode="python", exclude_none=True, exclude={"representant", "deliberation"}).items()
            if v != []} for s in (previous.signataires if previous
                                  else case.convention.signataires)]
        meta["signataires"] = signataires
        decision_fields = {"approuve_par_copil"} | {
            f"signataires[{i}].deliberation.{k}" for i in range(len(signataires))
            for k in ("numero", "date", "organe")}
        version = folder_version(folder)
        ops_yaml, problems, issues = "", [], []
        action = (data or {}).get("__action", "")
        if data is not None:
            conv_form = {k: v for k, v in data.items()
                         if k.startswith(("fiches_actions[", "secteurs[", "textes."))
                         or k in ("duree_ans", "en_presence_de")}
            add = action.split(":", 1)[1] if action.startswith("ajouter:") else ""
            boxes = tuple(data.get("__cases", "").split())
            forms.apply_form(Convention, tree, (), conv_form, boxes,
                             add if add.startswith(("fiches_actions[", "secteurs")) else "")
            meta_form = {k[len("avenant."):]: v for k, v in data.items() if k.startswith("avenant.")}
            meta_form = {k: v for k, v in meta_form.items()  # no other party, no other field
                         if not k.startswith(("signataires", "approuve_par_copil"))
                         or k in decision_fields}
            forms.apply_form(Avenant, meta, (), meta_form)
            meta["numero"] = numero
            issues = model_issues(Convention, tree)
            if not issues:
                try:
                    ops = draft(etat, Convention.model_validate(tree))
                    ops_yaml = to_yaml(ops) if ops else ""
                except NotDraftable as exc:
                    problems.append(str(exc))
                    ops = []
                if not ops and not problems:
                    problems.append("vide")
            if action == "creer" and ops_yaml and not problems:
                if data.get("__version") != version:
                    problems.append("perime")
                else:
                    # who represents each party is found at the avenant's date by docgen
                    # jinja2 types a template's module without the macros it sets on it
                    head = str(env.get_template("entetes.txt").module.avenant(numero))  # type: ignore[attr-defined]
                    text = avenant_text(head, meta, meta["signataires"], ops_yaml)
                    rel = f"avenants/{numero:02d}-{slug(str(meta.get('objet') or 'avenant'))}.yaml"
                    result = store.check_with(folder, {rel: text})
                    if result.errors:
                        issues = result.issues
                        problems.append("controle")
                    elif (folder / rel).exists():
                        problems.append("existe")
                    else:
                        (folder / "avenants").mkdir(exist_ok=True)
                        store.save(folder / rel, text, None)
                        job = start_build(ws, folder, ("avenant",), data.get("pdf") == "oui")
                        return RedirectResponse(f"/t/{folder.name}/construction/{job.id}", 303)
        choices = id_choices(folder)
        fiches = [(f, forms.widgets(type(etat.fiches_actions[0]), f, ("fiches_actions", i),
                                    only=("intitule", "cout", "plan_de_financement", "statut",
                                          "calendrier"), choices=choices))
                  for i, f in enumerate(tree["fiches_actions"])]
        duree = forms.widgets(Convention, tree, (), only=("duree_ans", "secteurs"),
                              choices=choices)
        textes = forms.widgets(Convention, tree, (), only=("en_presence_de", "textes"),
                               choices=choices)
        original = etat.model_dump(mode="python", exclude_none=True)["fiches_actions"]
        changed = {i for i, f in enumerate(tree["fiches_actions"])
                   if i >= len(original) or f != original[i]}
        meta_w = forms.widgets(Avenant, meta, (), only=("date_edition", "signature", "objet",
                                                          "motifs"))
        for w in _walk(meta_w):
            w.path = "avenant." + w.path
        all_w = [w for _, ws_ in fiches for w in ws_] + duree + textes
        placed, rest = forms.place_issues(all_w, issues)
        decisions = decision_widgets(case, numero, meta)
        placed_meta, rest = forms.place_issues(meta_w + decisions["widgets"], [
            Issue(i.file, i.line, i.col, "avenant." + i.path, i.message, i.severity)
            if i.file.startswith("avenants/") else i for i in rest])
        placed.update(placed_meta)
        rest = [Issue(i.file, i.line, i.col, i.path.removeprefix("avenant."), i.message, i.severity)
                for i in rest]
        return render(request, "avenant.html", {
            "t": {"nom": folder.name}, "numero": numero, "fiches": fiches, "duree": duree,
            "textes": textes,
            "meta": meta_w, "decisions": decisions, "placed": placed, "autres": rest,
            "ops": ops_yaml,
            "problemes": problems, "version": version, "soumis": data is not None,
            "modifiees": changed})

    # -- COPIL from the previous one -------------------------------------------------------
    async def copil_get(request: Request) -> Response:
        folder = ws.case(request.path_params["case"])
        if folder is None:
            return not_found(request)
        return copil_page(request, folder, None)

    async def copil_post(request: Request) -> Response:
        folder = ws.case(request.path_params["case"])
        if folder is None:
            return not_found(request)
        form = await request.form()
        return copil_page(request, folder, {k: str(v) for k, v in form.items()
                                            if isinstance(v, str)})

    def copil_page(request: Request, folder: Path, data: dict[str, str] | None) -> Response:
        from ..model import Copil

        previous = sorted((folder / "copils").glob("*.yaml"))
        if not previous:
            return render(request, "copil.html", {"t": {"nom": folder.name}, "aucun": True})
        # the next COPIL starts from the last one: when that file cannot be read (YAML, not a
        # mapping, no whole number), the loader's messages instead of a form, nothing written
        rel_last = f"copils/{previous[-1].name}"
        try:
            tree = store.read(previous[-1]).tree
            if not isinstance(tree, dict):
                raise TypeError(rel_last)
            numero = int(str(tree.get("numero", 0)).strip())
        except Exception as exc:  # noqa: BLE001 - any reason: the loader words it
            issues_, mark = file_problems(folder, rel_last, exc)
            return render(request, "copil.html", {
                "t": {"nom": folder.name}, "illisible": rel_last, "issues": issues_,
                "marque": mark}, 422)
        values = {"numero": numero + 1, "date": "", "heure": tree.get("heure", ""),
                  "lieu": tree.get("lieu", ""), "objet": "", "date_edition": dt.date.today().isoformat()}
        issues: list[Issue] = []
        problems: list[str] = []
        if data is not None:
            values.update({k: data.get(k, "") for k in values})
            try:
                day = dt.date.fromisoformat(values["date"].strip())
            except ValueError:
                day = None
                problems.append("date")
            if day is not None:
                rel = f"copils/{day.isoformat()}.yaml"
                if (folder / rel).exists():
                    problems.append("existe")
                else:
                    new = next_copil(tree, values)
                    forms.apply_form(Copil, new, (), {k: values[k] for k in values if k != "numero"})
                    new["numero"] = forms.convert(str(values["numero"]), int)
                    new["date"] = day
                    # jinja2 types a template's module without its macros (as above)
                    new.yaml_set_start_comment(str(env.get_template("entetes.txt").module.copil(  # type: ignore[attr-defined]
                        values["numero"], previous[-1].stem)).strip())
                    text = store.dump(new)
                    result = store.check_with(folder, {rel: text})
                    issues = [i for i in result.errors]
                    if not issues:
                        store.save(folder / rel, text, None)
                        return RedirectResponse(
                            f"/t/{folder.name}/modifier?fichier={rel}&champ=instantane", 303)
        return render(request, "copil.html", {"t": {"nom": folder.name}, "v": values,
                                              "precedent": previous[-1].stem, "issues": issues,
                                              "problemes": problems})

    async def verify_get(request: Request) -> Response:
        from ..verify import verify

        name = request.path_params["case"]
        if ws.case(name) is None:
            return not_found(request)
        out = ws.output_of(name)
        problems = verify(out) if (out / MANIFEST).exists() else None
        return render(request, "controle.html", {"t": {"nom": name}, "problemes": problems})

    async def logo_post(request: Request) -> Response:
        """A logo added: checked here, then by the loader's own asset check; written only when
        both pass. A refusal shows the territory page with the reason beside the field."""
        from .uploads import Refused, save_logo

        folder = ws.case(request.path_params["case"])
        if folder is None:
            return not_found(request)
        form = await request.form(max_files=1, max_part_size=store.MAX_FILE_BYTES + 1)
        upload = form.get("fichier")
        if upload is None or isinstance(upload, str) or not (upload.filename or ""):
            await form.close()
            return territory_page(request, folder, 422, refus=Refused("vide"))
        data = await upload.read(store.MAX_FILE_BYTES + 1)
        await form.close()
        try:
            target = save_logo(folder, upload.filename or "", data)
        except Refused as exc:
            return territory_page(request, folder, 422, refus=exc)
        except (DocgenError, OSError) as exc:  # the disk refused the write (full, read-only…)
            said = exc.render() if isinstance(exc, DocgenError) else ""
            return territory_page(request, folder, 422,
                                  refus=Refused("ecriture", Issue("", 1, 1, "", said)))
        return RedirectResponse(f"/t/{folder.name}?logo=ok&nom={target.name}#logos", 303)

    # -- a secteur's perimeter: a GeoJSON sent, checked as `docgen check` does, its map -----
    async def perimeter_post(request: Request) -> Response:
        """A secteur's perimeter sent as GeoJSON: checked with the case (the loader's own rules:
        size, nesting, coordinates in France, valid polygons), written as
        assets/perimetres/<secteur>.geojson and named in convention.yaml only when it adds no
        error; the old file kept in .sauvegardes/. A refusal says why on the secteurs' page."""
        from ..load.geo import MAX_BYTES
        from ..output import write_file

        folder = ws.case(request.path_params["case"])
        ident = request.path_params["secteur"]
        path = ws.case_file(folder, "convention.yaml") if folder is not None else None
        if folder is None or path is None or not SECTEUR_ID.fullmatch(ident):
            return not_found(request)
        form = await request.form(max_files=1, max_part_size=MAX_BYTES + 1)
        upload = form.get("fichier")
        data = (await upload.read(MAX_BYTES + 1)) if upload is not None and \
            not isinstance(upload, str) else b""
        await form.close()
        loaded = store.read(path)
        secteurs = loaded.tree.get("secteurs") if isinstance(loaded.tree, dict) else None
        index = next((i for i, x in enumerate(secteurs or [])
                      if isinstance(x, dict) and x.get("id") == ident), None)
        if index is None or secteurs is None:
            return not_found(request)
        target = (folder, path, "convention", ("secteurs",))
        rel = f"assets/perimetres/{ident}.geojson"
        asset = folder / rel
        if not _inside_unlinked(folder, asset):  # assets/ or a file of it linked elsewhere
            return edit_page(request, target, loaded.tree, loaded.version, None, 422,
                             perimetre={"secteur": ident, "lien": True})
        if not data or len(data) > MAX_BYTES:
            return edit_page(request, target, loaded.tree, loaded.version, None, 422,
                             perimetre={"secteur": ident, "vide": not data,
                                        "trop": len(data) > MAX_BYTES})
        secteurs[index]["perimetre"] = rel
        text = store.dump(loaded.tree)
        check = store.check_with(folder, {"convention.yaml": text, rel: data})
        before = {(i.file, i.path, i.message) for i in store.check_folder(folder).errors}
        new = [i for i in check.errors if (i.file, i.path, i.message) not in before]
        if new:
            fresh = store.read(path)
            return edit_page(request, target, fresh.tree, fresh.version, None, 422,
                             perimetre={"secteur": ident, "erreurs": new})
        previous = asset.read_bytes() if asset.is_file() else None
        if previous is not None and previous != data:
            store.keep_copy(folder, rel, previous)
        asset.parent.mkdir(parents=True, exist_ok=True)
        write_file(asset, data)
        try:
            store.save(path, text, loaded.version)
        except store.Stale:  # convention.yaml changed meanwhile: the perimeter as it was
            if previous is None:
                asset.unlink()
            else:
                write_file(asset, previous)
            fresh = store.read(path)
            return edit_page(request, target, fresh.tree, fresh.version, None, 409, perime=True)
        return RedirectResponse(f"/t/{folder.name}/modifier?fichier=convention.yaml&champ=secteurs"
                                f"&perimetre={ident}#perimetre-{ident}", 303)

    async def map_view(request: Request) -> Response:
        """A secteur's map as the acts draw it (render/maps.py), for its preview: an SVG that
        is docgen's own drawing (case texts escaped), served with no right to run anything."""
        from ..context.common import programme
        from ..render.maps import drawn

        folder = ws.case(request.path_params["case"])
        ident = request.path_params["secteur"]
        if folder is None or not SECTEUR_ID.fullmatch(ident):
            return not_found(request)
        case = store.check_folder(folder).case
        if case is None:
            return not_found(request)
        secteurs = programme(case.territoire, case.convention, case.perimetres,
                             case.fonds)["secteurs"]
        if not any(x["id"] == ident and x.get("perimetre") is not None for x in secteurs):
            return not_found(request)
        svg = drawn(secteurs, "", "", focus=ident)
        return Response(svg, media_type="image/svg+xml", headers={
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            "Cache-Control": "no-store"})

    async def logo_view(request: Request) -> Response:
        """A logo of the case as a small PNG, for its preview in the list: read by the loader
        (its checks), drawn as the slides and the acts draw it; nothing else is served."""
        from ..load.assets import AssetProblem, logos_of
        from ..render.raster import logo_png
        from .uploads import logo_files

        folder = ws.case(request.path_params["case"])
        name = request.path_params["name"]
        if folder is None or name not in logo_files(folder):
            return not_found(request)
        try:
            found = [x for x in logos_of(folder) if x["fichier"] == name]
            png = logo_png(found[0]["src"], name, height=80)[0] if found else None
        except (AssetProblem, DocgenError, OSError, ValueError):
            png = None
        if png is None:
            return not_found(request)
        return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})

    async def logo_remove(request: Request) -> Response:
        """A logo taken out of the case (assets/logos/), a copy kept in .sauvegardes/."""
        from .uploads import remove_logo

        return await logo_change(request, "retire", lambda folder, name, form: remove_logo(
            folder, name))

    async def logo_move(request: Request) -> Response:
        """A logo one place up or down in the partners' band (its files renamed in order)."""
        from .uploads import move_logo

        return await logo_change(request, "ordre", lambda folder, name, form: move_logo(
            folder, name, up=form.get("sens") == "haut"))

    async def logo_change(request: Request, done: str, change: Any) -> Response:
        """A change to one logo of the band named by the form's `nom`: the territory page with
        `done` said, or the refusal (a case file names it, it is not there, the disk refused)."""
        from .uploads import Refused

        folder = ws.case(request.path_params["case"])
        if folder is None:
            return not_found(request)
        form = await request.form()
        name = str(form.get("nom", ""))
        moving = done == "ordre"
        try:
            change(folder, name, form)
        except Refused as exc:
            return territory_page(request, folder, 409 if exc.code == "reference" else 404,
                                  logo_nom=name, refus=exc, deplacement=moving)
        except (OSError, DocgenError):
            return territory_page(request, folder, 422, logo_nom=name,
                                  refus=Refused("suppression"), deplacement=moving)
        query = urlencode({"logo": done, "nom": name})
        return RedirectResponse(f"/t/{folder.name}?{query}#logos", 303)

    # -- the acts: the signed original, the reviewed DOCX, the PDF to sign ------------------
    def act_target(request: Request) -> tuple[Path, str] | None:
        from .actes import CODE

        folder = ws.case(request.path_params["case"])
        code = request.path_params["code"]
        if folder is None or not CODE.match(code):
            return None
        return folder, code

    async def read_upload(request: Request, files: dict[str, int]
                          ) -> tuple[dict[str, str], dict[str, tuple[bytes, str]]]:
        """The form's fields and, for each file field of `files`, the file sent (read up to its
        limit + 1 byte) and its name as the browser gave it (b"", "" when none)."""
        form = await request.form(max_files=len(files), max_fields=20, max_part_size=64 * 1024)
        try:
            fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
            uploads = {}
            for name, limit in files.items():
                upload = form.get(name)
                if upload is None or isinstance(upload, str):
                    uploads[name] = (b"", "")
                else:
                    uploads[name] = (await upload.read(limit + 1), upload.filename or "")
            return fields, uploads
        finally:
            await form.close()

    async def recording(request: Request, operation: str, run: Any,
                        files: dict[str, int] | None = None) -> Response:
        """An act's operation (a file recorded, its hand-off written) run by `run` (blocking,
        in a thread), one writer of the register at a time; the page shows what the library
        said, or why nothing was done. `files`: the form's file fields and their limits
        (by default one, « fichier », of an act's size)."""
        from ..acts import title
        from .actes import MAX_UPLOAD

        target = act_target(request)
        if target is None:
            return not_found(request)
        folder, code = target
        fields, uploads = await read_upload(request, {"fichier": MAX_UPLOAD}
                                            if files is None else files)
        lock = ws.register_lock(folder.name)
        try:
            prepared = run(folder, code, fields, uploads)
            if not lock.acquire(blocking=False):
                raise DocgenError(msg.WEB_ACTE_OCCUPE)
            try:
                done = await run_in_threadpool(prepared)
            finally:
                lock.release()
        except DocgenError as exc:
            return territory_page(request, folder, 422, code=code, titre=title(code),
                                  operation=operation, erreur=exc.render())
        return territory_page(request, folder, code=code, titre=title(code),
                              operation=operation, fait=done)

    def original_run(folder: Path, code: str, fields: dict[str, str],
                     uploads: dict[str, tuple[bytes, str]]) -> Any:
        from .actes import import_original, parse_date, report_of

        mode = fields.get("mode", "")
        if mode not in ("electronique", "papier"):
            raise DocgenError(msg.WEB_ACTE_MODE)
        day = parse_date(fields.get("date", ""))
        data, filename = uploads["fichier"]
        return lambda: report_of(folder, import_original(
            folder, code, data, filename, papier=mode == "papier", date=day,
            accept=fields.get("accepter", "")[:200], runner=in_worker))

    def reviewed_run(folder: Path, code: str, fields: dict[str, str],
                     uploads: dict[str, tuple[bytes, str]]) -> Any:
        from .actes import record_reviewed

        data, filename = uploads["fichier"]
        return lambda: record_reviewed(folder, code, data, filename, ws.out_dir, in_worker)

    def remise_run(folder: Path, code: str, fields: dict[str, str],
                   uploads: dict[str, tuple[bytes, str]]) -> Any:
        from .actes import hand_off

        return lambda: hand_off(folder, code, ws.out_dir, in_worker)

    def accuse_run(folder: Path, code: str, fields: dict[str, str],
                   uploads: dict[str, tuple[bytes, str]]) -> Any:
        from .actes import read_acknowledgement

        (data, filename), (stamped, stamped_name) = uploads["fichier"], uploads["tampon"]
        return lambda: read_acknowledgement(folder, code, data, filename, stamped, stamped_name,
                                            in_worker)

    def in_worker(task: str, *args: Any) -> Any:
        """A task of jobs.TASKS in the warm pool, its worker killed at the build's limit."""
        return ws.pool.run(task, *args, limit=ws.build_limit)

    async def original_post(request: Request) -> Response:
        """The signed original (a PDF signed electronically, or the scan of the paper one)
        verified and recorded, as `docgen signature import` does it."""
        return await recording(request, "original", original_run)

    async def reviewed_post(request: Request) -> Response:
        """The reviewed DOCX of an act not signed yet turned into its PDF to sign and recorded,
        as `docgen relu` does it."""
        return await recording(request, "relu", reviewed_run)

    async def remise_post(request: Request) -> Response:
        """The act's hand-off (folder and ZIP) written as `docgen remise` does it, never
        forced: a file of it edited by hand is refused, and the page says so."""
        return await recording(request, "remise", remise_run, {})

    async def accuse_post(request: Request) -> Response:
        """The prefecture's acknowledgement (ARActe, and the stamped act if sent) read back,
        as `docgen remise ar` does it: the act becomes « transmis »."""
        from .actes import MAX_ACCUSE, MAX_UPLOAD

        return await recording(request, "accuse", accuse_run,
                               {"fichier": MAX_ACCUSE, "tampon": MAX_UPLOAD})

    async def remise_get(request: Request) -> Response:
        """The ZIP docgen remise wrote for the act: <out>/<case>/remise/<acte>.zip, its path
        made of the act's code (checked) only."""
        from .actes import remise_zip

        target = act_target(request)
        if target is None:
            return not_found(request)
        path = remise_zip(ws.output_of(target[0].name), target[1])
        if path is None:
            return not_found(request)
        return FileResponse(path, filename=path.name, media_type="application/zip",
                            content_disposition_type="attachment")

    async def issued_get(request: Request) -> Response:
        """The PDF issued for signature, as the register keeps it (to send to the parapheur)."""
        from .actes import issued_pdf

        target = act_target(request)
        if target is None:
            return not_found(request)
        data = await run_in_threadpool(issued_pdf, *target)
        if data is None:
            return not_found(request)
        return Response(data, media_type="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{target[1]}-a-signer.pdf"'})

    routes = [
        Route("/", home),
        Route("/t/{case}", territory),
        Route("/t/{case}/modifier", edit_get, methods=["GET"]),
        Route("/t/{case}/modifier", edit_post, methods=["POST"]),
        Route("/t/{case}/texte", text_get, methods=["GET"]),
        Route("/t/{case}/texte", text_post, methods=["POST"]),
        Route("/t/{case}/construire", build_post, methods=["POST"]),
        Route("/t/{case}/construction/{job}", build_status),
        Route("/t/{case}/construction/{job}/suivi", build_events),
        Route("/t/{case}/documents.zip", download_zip),
        Route("/t/{case}/fichier/{path:path}", download),
        Route("/t/{case}/voir/{path:path}", preview),
        Route("/t/{case}/page/{path:path}", page_png),
        Route("/t/{case}/avenant", avenant_get, methods=["GET"]),
        Route("/t/{case}/avenant", avenant_post, methods=["POST"]),
        Route("/t/{case}/copil", copil_get, methods=["GET"]),
        Route("/t/{case}/copil", copil_post, methods=["POST"]),
        Route("/t/{case}/logos", logo_post, methods=["POST"]),
        Route("/t/{case}/logos/retirer", logo_remove, methods=["POST"]),
        Route("/t/{case}/logos/ordre", logo_move, methods=["POST"]),
        Route("/t/{case}/secteurs/{secteur}/perimetre", perimeter_post, methods=["POST"]),
        Route("/t/{case}/carte/{secteur}", map_view),
        Route("/t/{case}/logos/voir/{name}", logo_view),
        Route("/t/{case}/controle", verify_get),
        Route("/t/{case}/actes/{code}/original", original_post, methods=["POST"]),
        Route("/t/{case}/actes/{code}/relu", reviewed_post, methods=["POST"]),
        Route("/t/{case}/actes/{code}/a-signer.pdf", issued_get),
        Route("/t/{case}/actes/{code}/remise", remise_post, methods=["POST"]),
        Route("/t/{case}/actes/{code}/remise.zip", remise_get),
        Route("/t/{case}/actes/{code}/accuse", accuse_post, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(Guard, token=token, render=render,
                                                         host=host, port=port)],
                    exception_handlers={404: lambda r, e: not_found(r)})
    app.state.workspace = ws
    return app


# -- helpers (data for the templates) ---------------------------------------------------------

def _walk(ws: list[forms.Widget]) -> list[forms.Widget]:
    out = []
    for w in ws:
        out.append(w)
        out += _walk(w.children)
        out += _walk(w.columns)
    return out


def issue_json(i: Issue) -> dict[str, Any]:
    return {"fichier": i.file, "ligne": i.line, "colonne": i.col, "champ": i.path,
            "message": i.message, "gravite": i.severity}


def _euros(value: Any) -> str:
    try:
        from decimal import Decimal

        q = Decimal(str(value)).quantize(Decimal("1"))
        return f"{q:,}".replace(",", "\u202f") + " €"
    except Exception:  # noqa: BLE001 - shown as typed
        return str(value)


def _initial(text: str) -> str:
    """« l'avenant n° 1 » → « L'avenant n° 1 » (the rest as written, unlike capitalize)."""
    return text[:1].upper() + text[1:]


def _media(path: Path) -> str:
    return {".pdf": "application/pdf", ".json": "application/json",
            ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }.get(path.suffix, "application/octet-stream")


COLLECTIVITES = ("commune", "epci", "departement", "region")  # their assembly deliberates


def decision_widgets(case: Any, numero: int, meta: dict[str, Any]) -> dict[str, Any]:
    """The décisions a new avenant asks for: each signatory party's délibération (empty until
    typed) and the COPIL that approves it (a COPIL of the case, none chosen until chosen); the
    widgets are named as the loader names their fields, so its messages land beside them."""
    parties = {p.id: p for p in case.territoire.parties}
    rows = []
    for i, s in enumerate(meta.get("signataires") or []):
        here = f"avenant.signataires[{i}]"
        d = s.get("deliberation") if isinstance(s.get("deliberation"), dict) else {}
        party = parties.get(s.get("partie"))
        fields = [forms.Widget(f"{here}.deliberation.{k}", k, kind, value=forms.show(d.get(k), kind),
                               required=k != "organe")
                  for k, kind in (("numero", "text"), ("date", "date"), ("organe", "text"))]
        rows.append({"nom": party.nom if party else s.get("partie"),
                     "etat": party is not None and party.type == "etat",
                     "requise": party is not None and party.type in COLLECTIVITES,
                     "widget": forms.Widget(here, str(i), "group", children=fields)})
    chosen = meta.get("approuve_par_copil")
    copil = forms.Widget("avenant.approuve_par_copil", "approuve_par_copil", "select",
                         value=forms.show(chosen, "date"))
    options = [{"valeur": cp.date.isoformat(), "libelle": date_longue(cp.date),
                "decision": any(d.avenant == numero for d in cp.decisions), "tenu": cp.tenu}
               for cp in sorted(case.copils, key=lambda c: c.date)]
    group = forms.Widget("avenant.signataires", "signataires", "group",
                         children=[r["widget"] for r in rows])
    return {"parties": rows, "copil": copil, "copils": options, "widgets": [group, copil]}


def model_issues(model: Any, data: Any) -> list[Issue]:
    """The loader's French messages for plain data against a model (no file, no positions)."""
    from ..load import validate_model
    from ..load.files import CaseFile, Report

    report = Report()
    validate_model(model, CaseFile(Path("convention.yaml"), "convention.yaml", data, None), report)
    return report.issues


def folder_version(folder: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    for p in sorted(folder.rglob("*.yaml")):
        if not any(part.startswith(".") for part in p.relative_to(folder).parts):
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", text)
    out = "-".join(w for w in words if len(w) > 2)[:40].strip("-")
    return out or "avenant"


def avenant_text(comment: str, meta: dict[str, Any], signataires: list[dict[str, Any]],
                 ops_yaml: str) -> str:
    from ..drafting import Dumper

    head = {k: meta[k] for k in ("numero", "date_edition", "signature", "approuve_par_copil",
                                 "objet", "motifs") if k in meta and meta[k] not in ("", None, [])}
    body = yaml.dump(head, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)
    sig = yaml.dump({"signataires": signataires}, Dumper=Dumper, allow_unicode=True,
                    sort_keys=False, width=100)
    return f"{comment.strip()}\n\n{body}\n{sig}\n{ops_yaml}"


def written_by_group(folder: Path, out: Path, written: list[str]
                     ) -> list[tuple[str, list[tuple[str, str]]]]:
    """The files a build wrote, by act and COPIL, each with its name in words (as `docgen
    status` names them: status.named), in the plan's order; a file the plan does not name (or a
    case that can no longer be read) under its path alone."""
    from ..status import status

    try:
        docs = status(folder, out).documents
    except DocgenError:
        docs = []
    order = {d.path: (k, d.groupe, d.titre) for k, d in enumerate(docs)}
    groups: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(written, key=lambda p: order.get(p, (len(order), "", ""))[0]):
        _, groupe, titre = order.get(path, (0, "", path))
        groups.setdefault(groupe, []).append((path, titre))
    return list(groups.items())


SECTEUR_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")  # a secteur's id in a URL (model Identifiant)


def _inside_unlinked(folder: Path, path: Path) -> bool:
    """Whether `path` and every folder between it and the case's folder are no symbolic link,
    and it is inside the case: a file docgen may write there without writing elsewhere."""
    root = folder.resolve()
    here = path
    while here != folder and here != here.parent:
        if here.is_symlink():
            return False
        here = here.parent
    return path.parent.resolve().is_relative_to(root) if path.parent.exists() else \
        path.parent.parent.resolve().is_relative_to(root)

EXCERPT_AROUND = 2  # lines shown before and after a faulty one


def excerpts(text: str, issues: list[Issue]) -> list[dict[str, Any]]:
    """Each problem of a file with the lines around it, numbered from 1, the faulty line
    marked and the column pointed at (the text editor's page)."""
    lines = text.split("\n")
    out = []
    for issue in sorted(issues, key=lambda i: (i.line, i.col)):
        at = min(max(issue.line, 1), max(len(lines), 1))
        first, last = max(1, at - EXCERPT_AROUND), min(len(lines), at + EXCERPT_AROUND)
        out.append({"issue": issue, "ligne": at,
                    # a tab shown as « ⇥ » (one character: the column still points at it)
                    "lignes": [(n, lines[n - 1].replace("\t", "⇥"), n == at)
                               for n in range(first, last + 1)],
                    "colonne": max(issue.col, 1)})
    return out


def file_problems(folder: Path, rel: str, exc: BaseException | None = None
                  ) -> tuple[list[Issue], tuple[int, int] | None]:
    """Why the case file `rel` cannot be used: the loader's errors for it (file, line, column,
    in French), or, should the loader accept what the round trip refuses, the position where
    the round trip stopped (line, column)."""
    issues = [i for i in store.check_folder(folder).issues if i.file == rel and i.is_error]
    mark = None
    if not issues and exc is not None:
        found = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        if found is not None:
            mark = (int(found.line) + 1, int(found.column) + 1)
    return issues, mark


def next_copil(tree: Any, values: dict[str, Any]) -> Any:
    """The previous COPIL's file as the start of the next: same invitees, convening parties and
    agenda titles; attendance, minutes and decisions emptied; the snapshot kept to update."""
    import copy

    new = copy.deepcopy(tree)
    new.ca.comment = None
    for key in ("presences", "decisions", "actions_a_suivre", "points_de_vigilance",
                "prochaines_etapes", "pieces_jointes", "visio"):
        if key in new:
            del new[key]
    agenda = new.get("ordre_du_jour")
    for point in agenda if isinstance(agenda, list) else []:
        for key in ("compte_rendu", "approbation_compte_rendu"):
            if isinstance(point, dict) and key in point:
                del point[key]
    return new


def section_exists(tree: Any, section: forms.Path_) -> bool:
    """A row named by its index must exist (no form for fiches_actions[99] of 14)."""
    for i, part in enumerate(section):
        if isinstance(part, int) and forms.get(tree, section[: i + 1]) is None:
            return False
    return True


def signed_on(tree: Any) -> Any:
    sig = tree.get("signature") if isinstance(tree, dict) else None
    return sig.get("date") if isinstance(sig, dict) else None


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """Each page's width and height in points (pdfinfo), so that a preview keeps its shape: an
    A4 page portrait, a 16:9 slide landscape."""
    try:
        out = subprocess.run(["pdfinfo", "-f", "1", "-l", "2000", str(path)], capture_output=True,
                             text=True, timeout=20, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [(float(w), float(h)) for w, h in
            re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out, re.M)]


def vignettes(sizes: list[tuple[float, float]]) -> list[dict[str, int]]:
    """The thumbnails' sizes in pixels: 421 pixels along the longer side of each page."""
    out: list[dict[str, int]] = []
    for w, h in sizes:
        scale = 421 / max(w, h, 1)
        out.append({"n": len(out) + 1, "largeur": round(w * scale), "hauteur": round(h * scale)})
    return out


def read_lenient(path: Path) -> Any:
    try:
        return store.read(path).tree
    except Exception:  # noqa: BLE001 - an unreadable file gives no choices; the check says why
        return None


def file_title(rel: str) -> str:
    """A case file as its users name it: « La convention », « L'avenant n° 1 », « Le COPIL du
    16/01/2026 »; the path itself for any other."""
    fixed = {"convention.yaml": msg.FICHIER_CONVENTION, "territoire.yaml": msg.FICHIER_TERRITOIRE,
             "adhesion.yaml": msg.FICHIER_ADHESION}
    if rel in fixed:
        return fixed[rel]
    found = re.fullmatch(r"avenants/(\d{1,3})-[^/]*\.yaml", rel)
    if found:
        return msg.FICHIER_AVENANT.format(n=int(found.group(1)))
    found = re.fullmatch(r"copils/(\d{4})-(\d{2})-(\d{2})\.yaml", rel)
    if found:
        return msg.FICHIER_COPIL.format(jour=found.group(3), mois=found.group(2),
                                        annee=found.group(1))
    return rel


def id_choices(folder: Path) -> forms.Choices:
    """What a reference field may take, by field name, with the name of each id (a party's
    `nom`, an axe's `intitule`…) for the drop-down to show."""
    terr = read_lenient(folder / "territoire.yaml") or {}
    conv = read_lenient(folder / "convention.yaml") or {}
    noms: dict[str, str] = {}

    def ids(items: Any) -> list[str]:
        out = []
        for x in items or []:
            if isinstance(x, dict) and x.get("id"):
                out.append(str(x["id"]))
                name = x.get("nom") or x.get("intitule")
                if isinstance(name, str) and name.strip():
                    noms.setdefault(str(x["id"]), name.strip()[:120])
        return out

    parties = ids(terr.get("parties") if isinstance(terr, dict) else None)
    place = terr.get("territoire") if isinstance(terr, dict) else None
    communes = ids(place.get("communes") if isinstance(place, dict) else None)
    return forms.Choices({
        "axe": ids(conv.get("axes") if isinstance(conv, dict) else None),
        "secteur": ids(conv.get("secteurs") if isinstance(conv, dict) else None),
        "maitre_ouvrage": parties, "partie": parties, "commune": communes,
        "financeur": ids(terr.get("financeurs") if isinstance(terr, dict) else None),
    }, noms)


def fiches_in_force(folder: Path, case: Any) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The fiches of the convention in force today (the signed avenants applied), each with its
    status at the last COPIL held beside the convention's, and which of them the convention's
    own file holds (its form); the file as written when the case cannot be read."""
    from ..resolve import resolve

    if case is None:
        return fiche_list(folder), {}
    today = dt.date.today()  # a page, not a document: « in force » is as of the day it is read
    etat, projet = resolve(case.convention, case.avenants).en_vigueur(today)
    applied = [av for av in case.avenants
               if not projet and av.signature.date is not None and av.signature.date <= today]
    held = [cp for cp in case.copils if cp.tenu and cp.date <= today]
    last = max(held, key=lambda cp: cp.date) if held else None
    at_copil = {line.fiche: line.statut for line in (last.instantane if last else [])}
    own = {f.numero: i for i, f in enumerate(case.convention.fiches_actions)}
    rows = [{"index": own.get(f.numero), "numero": f.numero, "intitule": f.intitule,
             "montant": f.cout.montant, "base": f.cout.base, "statut": f.statut,
             "copil": at_copil.get(f.numero)} for f in etat.fiches_actions]
    return rows, {"avenant": applied[-1] if applied else None, "projet": projet,
                  "copil": last}


def fiche_list(folder: Path) -> list[dict[str, Any]]:
    conv = read_lenient(folder / "convention.yaml")
    out = []
    if isinstance(conv, dict):
        for i, f in enumerate(conv.get("fiches_actions") or []):
            if isinstance(f, dict):
                cout = f.get("cout")
                if not isinstance(cout, dict):
                    cout = {}
                out.append({"index": i, "numero": f.get("numero"), "intitule": f.get("intitule"),
                            "montant": cout.get("montant"), "base": cout.get("base"),
                            "statut": f.get("statut")})
    return out


def case_files(folder: Path) -> list[dict[str, Any]]:
    out = []
    for rel in FILE_KINDS:
        if (folder / rel).is_file():
            out.append({"fichier": rel, "genre": FILE_KINDS[rel]})
    for sub, genre in (("avenants", "avenant"), ("copils", "copil")):
        for p in sorted((folder / sub).glob("*.yaml")):
            entry: dict[str, Any] = {"fichier": f"{sub}/{p.name}", "genre": genre}
            try:  # a COPIL's file is named by its date: shown in words
                entry["date"] = dt.date.fromisoformat(p.stem[:10]) if genre == "copil" else None
            except ValueError:
                entry["date"] = None
            out.append(entry)
    return out


def section_title(tree: Any, section: forms.Path_, kind: str) -> dict[str, Any]:
    node = forms.get(tree, section) if section else tree
    out: dict[str, Any] = {"genre": kind, "champ": forms.dotted(section)}
    if isinstance(node, dict):
        out["numero"] = node.get("numero")
        out["intitule"] = node.get("intitule") or node.get("nom")
    return out


def territory_summary(ws: Workspace, folder: Path) -> dict[str, Any]:
    check = store.check_folder(folder)
    out = ws.output_of(folder.name)
    documents = []
    built = None
    if (out / MANIFEST).exists():
        try:
            manifest = read_manifest(out)
        except DocgenError:
            manifest = {"outputs": {}}
        built = dt.datetime.fromtimestamp((out / MANIFEST).stat().st_mtime)
        for rel, entry in sorted(manifest["outputs"].items()):
            path = out / rel
            state = "absent" if not path.exists() else (
                "ok" if sha256_file(path) == entry.get("sha256") else "modifie")
            documents.append({"fichier": rel, "etat": state, "pdf": rel.endswith(".pdf")})
    signed = None
    projet_actes = []
    if check.case is not None:
        c = check.case
        signed = c.convention.signature.date
        projet_actes = [a.numero for a in c.avenants if a.signature.date is None]
    return {
        "nom": folder.name, "valide": check.case is not None, "erreurs": check.errors,
        "avertissements": [i for i in check.issues if not i.is_error],
        "documents": documents, "construit": built, "signee": signed,
        "avenants_projet": projet_actes,
        "titre": (check.case.territoire.territoire.nom if check.case is not None
                  and hasattr(check.case.territoire, "territoire") else folder.name),
        "case": check.case,
    }


def start_build(ws: Workspace, folder: Path, kinds: tuple[str, ...], pdf: bool,
                force: bool = False) -> BuildJob:
    with ws.lock:
        running = ws.busy.get(folder.name)
        if running and ws.jobs[running].state == "en_cours":
            return ws.jobs[running]
        job = BuildJob(secrets.token_hex(8), folder.name, kinds, pdf)
        ws.jobs[job.id] = job
        for old in list(ws.jobs)[:-50]:  # remember the last 50 builds
            if ws.jobs[old].state != "en_cours":
                del ws.jobs[old]
        ws.busy[folder.name] = job.id

    def run() -> None:
        from ..plan import BuildOptions

        try:  # in a warm worker process, killed at the limit (jobs.py): the server goes on
            with ws.register_lock(folder.name):  # a build may record an act it issues
                done = ws.pool.run("build", folder, BuildOptions(kinds=kinds, out=ws.out_dir,
                                                                 pdf=pdf, force=force),
                                   limit=ws.build_limit, note=job.note)
            job.written, job.unchanged = done["written"], done["unchanged"]
            job.backups, job.verify = done["backups"], done["verify"]
            job.kept = done.get("kept", [])
            job.state = "fini"
        except CaseInvalid as exc:
            job.state, job.message = "echec", exc.render()
        except DocgenError as exc:
            job.state, job.message = "echec", exc.render()
        except Exception as exc:  # noqa: BLE001 - shown plainly; the server goes on
            job.state, job.message = "echec", f"{type(exc).__name__} : {exc}"
        finally:
            job.duration = time.monotonic() - job.started
            with ws.lock:
                ws.busy.pop(folder.name, None)

    threading.Thread(target=run, name=f"docgen-build-{job.id}", daemon=True).start()
    return job


__all__ = ["create_app"]

