"""Command line: parses arguments, calls the library, maps errors to exit codes. No logic here."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import (
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_TEMPLATE,
    CaseInvalid,
    DocgenError,
    summary_line,
)
from .model import KINDS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Command(click.Command):
    """Help in French, like everything else docgen says."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Afficher cette aide et quitter."
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = " ".join(self.collect_usage_pieces(ctx)).replace("[OPTIONS]", "[OPTIONS]")
        formatter.write_usage(ctx.command_path, pieces, "Usage : ")


class _Group(_Command, click.Group):
    command_class = _Command
    group_class = type  # subgroups are of this same class

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] COMMANDE [ARGUMENTS]…", "Usage : ")

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        commands = [(n, c) for n, c in commands if c is not None and not c.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(n) for n, _ in commands)
            with formatter.section("Commandes"):
                formatter.write_dl([(n, c.get_short_help_str(limit)) for n, c in commands])


# click's own messages, for the usage errors users meet most
_USAGE = [
    (r"No such command '(.+)'\.", r"commande inconnue « \1 » (voir docgen --help)."),
    (r"No such option: (\S+)", r"option inconnue « \1 »."),
    (r"Missing argument '(.+)'\.", r"argument manquant : \1."),
    (r"Missing option '(.+)'\.", r"option obligatoire manquante : \1."),
    (r"Invalid value for '(.+)': (.+)", r"valeur invalide pour « \1 » : \2"),
    (r"Option '(.+)' requires an argument\.", r"l'option « \1 » attend une valeur."),
    (r"Got unexpected extra arguments? \((.+)\)", r"arguments en trop : \1."),
]


def _usage_error(exc: click.ClickException) -> None:
    import re

    message = exc.format_message()
    for pattern, french in _USAGE:
        if re.search(pattern, message):
            message = re.sub(pattern, french, message)
            break
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        click.echo(ctx.get_usage(), err=True)
    click.echo(f"Erreur : {message}", err=True)


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", message="docgen %(version)s",
                      help="Afficher la version et quitter.")
@click.option("--debug", is_flag=True, help="Afficher la trace complète en cas d'erreur interne.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Documents Petites Villes de Demain à partir des dossiers de territoire (YAML).

    Un dossier de territoire (ex. cases/pays-des-ecrins) contient territoire.yaml,
    convention.yaml, adhesion.yaml, avenants/ et copils/.
    """
    ctx.obj = {"debug": debug}


@cli.command(context_settings=CONTEXT)
@click.argument("cases", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="TERRITOIRE…")
def check(cases: tuple[Path, ...]) -> None:
    """Vérifier un ou plusieurs dossiers de territoire ; afficher chaque problème."""
    from .loading import load_case

    failed = False
    for folder in cases:
        try:
            case = load_case(folder)
        except CaseInvalid as exc:
            click.echo(exc.render(), err=True)
            failed = True
            continue
        for warning in case.warnings:
            click.echo(warning.format(), err=True)
        note = f" ({summary_line(list(case.warnings))[:-1]})" if case.warnings else ""
        click.echo(f"{folder} : dossier valide{note}.")
    if failed:
        sys.exit(EXIT_INVALID)


@cli.command(context_settings=CONTEXT)
@click.option(
    "--kind",
    type=click.Choice(sorted(KINDS)),
    default="convention",
    show_default=True,
    help="Type de fichier décrit.",
)
def schema(kind: str) -> None:
    """Écrire sur la sortie standard le schéma JSON d'un type de fichier de dossier."""
    from .schema import json_schema_text

    click.echo(json_schema_text(kind), nl=False)


@cli.command(context_settings=CONTEXT)
@click.argument("cases", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="TERRITOIRE…")
@click.option("--doc", "kinds", multiple=True, type=click.Choice(["convention", "adhesion",
              "avenant", "copil"]), help="Type de document à produire (répétable) ; par défaut tous.")
@click.option("--draft/--final", "draft", default=None,
              help="Forcer la mention PROJET, ou la retirer (par défaut : PROJET tant que la "
              "date de signature n'est pas renseignée).")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Dossier de sortie ; les documents vont dans OUT/<territoire>/.")
@click.option("--force", is_flag=True, help="Tout reconstruire, et écraser des documents modifiés "
              "à la main (une copie « .modifie » est gardée).")
@click.option("--date", "dates", multiple=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Avec --doc copil : seulement le COPIL de cette date (AAAA-MM-JJ ; répétable).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Territoires construits en parallèle (par défaut : le nombre de cœurs).")
@click.option("--pdf/--no-pdf", "pdf", default=True,
              help="Produire aussi les PDF (par défaut) ; --no-pdf : seulement les DOCX.")
def build(cases: tuple[Path, ...], kinds: tuple[str, ...], draft: bool | None, out: Path,
          force: bool, dates: tuple[Any, ...], jobs: int | None, pdf: bool) -> None:
    """Produire les documents d'un ou plusieurs territoires (ou d'un dossier de territoires)."""
    import os

    from .pipeline import build as run_build
    from .pipeline import build_outcome, expand_cases

    days = [d.date() for d in dates]
    folders = expand_cases(list(cases))
    if len(folders) == 1 and list(cases) == folders:  # one territory: every message in full
        result = run_build(folders[0], kinds or None, out, draft, force, pdf=pdf, dates=days)
        for w in result.case.warnings:
            click.echo(w.format(), err=True)
        for path in result.written.written:
            click.echo(f"écrit : {path}")
        if not result.written.written:
            click.echo(f"{result.folder} : inchangé (rien à reconstruire ; --force pour tout refaire).")
        for path in result.written.backups:
            click.echo(f"copie de sauvegarde : {path}")
        return
    jobs = jobs or os.cpu_count() or 1
    outcomes = []
    args = [(f, kinds or None, out, draft, force, days, pdf) for f in folders]
    with _progress(len(folders)) as step:
        if jobs == 1:
            for a in args:
                outcomes.append(build_outcome(*a))
                step(outcomes[-1])
        else:
            from concurrent.futures import ProcessPoolExecutor, as_completed

            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = [pool.submit(build_outcome, *a) for a in args]
                for fut in as_completed(futures):
                    outcomes.append(fut.result())
                    step(outcomes[-1])
    built = [o for o in outcomes if o.status == "construit"]
    unchanged = [o for o in outcomes if o.status == "inchangé"]
    failed = sorted((o for o in outcomes if o.status == "échec"), key=lambda o: o.case)
    click.echo(f"{len(built)} construit(s), {len(unchanged)} inchangé(s), {len(failed)} en échec, "
               f"sur {len(outcomes)} territoire(s).")
    for o in failed:
        click.echo(f"  échec {o.case} : {o.message}", err=True)
    if failed:
        sys.exit(EXIT_INVALID)


def _progress(total: int) -> Any:
    """A progress bar on a terminal; plain lines elsewhere (CI logs)."""
    import contextlib

    @contextlib.contextmanager
    def bar() -> Any:
        if sys.stderr.isatty():
            with click.progressbar(length=total, label="Construction", file=sys.stderr) as pb:
                yield lambda outcome: pb.update(1)
        else:
            done = [0]

            def line(outcome: Any) -> None:
                done[0] += 1
                click.echo(f"[{done[0]}/{total}] {outcome.case} : {outcome.status}", err=True)

            yield line

    return bar()


@cli.command(context_settings=CONTEXT)
@click.argument("outdir", type=click.Path(path_type=Path), metavar="DOSSIER_PRODUIT")
def verify(outdir: Path) -> None:
    """Revérifier un dossier produit : empreintes, texte DOCX ↔ PDF, champs de signature."""
    from .verify import verify as run_verify

    problems = run_verify(outdir)
    for p in problems:
        click.echo(p, err=True)
    if problems:
        click.echo(f"{len(problems)} problème(s).", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(f"{outdir} : tout est conforme.")


@cli.command("pdf", context_settings=CONTEXT)
@click.argument("docx", type=click.Path(path_type=Path), metavar="FICHIER.docx")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="PDF à écrire (par défaut : même nom que le DOCX, en .pdf).")
@click.option("--force", is_flag=True, help="Remplacer le PDF s'il existe déjà.")
def pdf_command(docx: Path, output: Path | None, force: bool) -> None:
    """Produire le PDF prêt à signer d'un DOCX relu (modifications acceptées)."""
    from .pipeline import pdf_of_docx

    click.echo(f"écrit : {pdf_of_docx(docx, output, force)}")


@cli.group(context_settings=CONTEXT)
def avenant() -> None:
    """Avenants à la convention."""


@avenant.command("draft", context_settings=CONTEXT)
@click.argument("old", type=click.Path(path_type=Path), metavar="ANCIEN.yaml")
@click.argument("new", type=click.Path(path_type=Path), metavar="NOUVEAU.yaml")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="Écrire les opérations dans ce fichier plutôt que sur la sortie standard.")
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe déjà.")
def avenant_draft(old: Path, new: Path, output: Path | None, force: bool) -> None:
    """Écrire les opérations d'avenant qui font passer de OLD à NEW (deux convention.yaml)."""
    from .drafting import NotDraftable, draft, to_yaml
    from .loading import load_convention_file
    from .output import write_file

    before, after = load_convention_file(old), load_convention_file(new)
    try:
        ops = draft(before, after)
    except NotDraftable as exc:
        raise DocgenError(f"{new} : {exc}") from None
    if not ops:
        click.echo(f"{old} et {new} décrivent la même convention : aucune opération.", err=True)
        return
    text = to_yaml(ops)
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise DocgenError(f"{output} existe déjà : choisissez un autre nom, ou relancez avec --force.")
    write_file(output, text.encode("utf-8"))
    click.echo(f"écrit : {output} ({len(ops)} opération(s))", err=True)


@cli.group(context_settings=CONTEXT)
def templates() -> None:
    """Modèles de documents (Word)."""


@templates.command("check", context_settings=CONTEXT)
@click.argument("folder", required=False, type=click.Path(path_type=Path), metavar="[DOSSIER]")
@click.option("--case", "case_folder", type=click.Path(path_type=Path),
              default=None, help="Dossier de territoire qui fournit les données d'essai "
              "(par défaut le cas d'exemple).")
def templates_check(folder: Path | None, case_folder: Path | None) -> None:
    """Vérifier les modèles : balises coupées, variables inconnues, rendu d'essai."""
    from .loading import load_case
    from .pipeline import lint_contexts
    from .templates import BUILTIN, lint_docx

    case = load_case(case_folder or BUILTIN.parent / "cases" / "pays-des-ecrins")
    root = folder or BUILTIN
    findings = []
    checked = 0
    for name, context_of in lint_contexts(case).items():
        path = root / "docx" / name
        if not path.exists():
            path = root / name
        if not path.exists():
            continue
        checked += 1
        findings += lint_docx(path, context_of(path))
    for f in findings:
        click.echo(f.format(), err=True)
    if not checked:
        raise DocgenError(f"{root} : aucun modèle à vérifier (convention.docx, adhesion.docx, "
                          "avenant.docx, convocation.docx, compte-rendu.docx).")
    if findings:
        click.echo(f"{len(findings)} problème(s) dans les modèles.", err=True)
        sys.exit(EXIT_TEMPLATE)
    click.echo(f"{checked} modèle(s) vérifié(s) : aucun problème.")


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors without traceback, internal errors with exit code 70."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        cli.main(args=args, standalone_mode=False, prog_name="docgen")
    except click.exceptions.Abort:
        click.echo("Interrompu.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        _usage_error(exc)
        sys.exit(exc.exit_code)
    except DocgenError as exc:
        click.echo(exc.render(), err=True)
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except BaseException as exc:  # a bug: say so plainly, keep the trace for --debug
        if debug:
            traceback.print_exc()
        else:
            click.echo(
                f"Erreur interne de docgen ({type(exc).__name__}: {exc}). "
                "Relancez avec --debug et transmettez la trace à l'équipe.",
                err=True,
            )
        sys.exit(EXIT_INTERNAL)
