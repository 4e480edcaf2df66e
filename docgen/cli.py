"""Command line: parses arguments, calls the library, maps errors to exit codes. No logic here."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import EXIT_INTERNAL, EXIT_INVALID, CaseInvalid, DocgenError, summary_line
from .model import KINDS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", message="docgen %(version)s")
@click.option("--debug", is_flag=True, help="Afficher la trace complète en cas d'erreur interne.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Documents Petites Villes de Demain à partir des dossiers de territoire (YAML).

    Un dossier de territoire (ex. cases/pays-des-ecrins) contient territoire.yaml,
    convention.yaml, adhesion.yaml, avenants/ et copils/.
    """
    ctx.obj = {"debug": debug}


@cli.command(context_settings=CONTEXT)
@click.argument("cases", nargs=-1, required=True, type=click.Path(path_type=Path))
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
        exc.show()
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
