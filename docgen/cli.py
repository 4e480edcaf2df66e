"""Command line: parses arguments, calls the library, maps errors to exit codes. No logic here."""

from __future__ import annotations

import re
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from . import messages as msg
from .errors import (
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_TEMPLATE,
    CaseInvalid,
    DocgenError,
    summary_line,
)
from .kinds import FAMILIES
from .reviewed import LIMIT_ENV, PDF_LIMIT_S
from .version import __version__

BUILD_LIMIT_S = 300.0  # plan.BuildOptions.limit, which the command line does not import

EXAMPLE = Path(__file__).resolve().parent.parent / "cases" / "pays-des-ecrins"
SCHEMA_KINDS = ("adhesion", "avenant", "convention", "copil", "territoire")  # model.KINDS, which
#               the command line does not import: pydantic is loaded only by what needs it
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Command(click.Command):
    """Help in French, like everything else docgen says."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = msg.AFFICHER_AIDE_QUITTER
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = " ".join(self.collect_usage_pieces(ctx)).replace("[OPTIONS]", "[OPTIONS]")
        formatter.write_usage(ctx.command_path, pieces, msg.USAGE_PREFIX)


class _Group(_Command, click.Group):
    command_class = _Command
    group_class = type  # subgroups are of this same class

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, msg.CLI_GROUP_USAGE, msg.USAGE_PREFIX)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        named = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        commands = [(n, c) for n, c in named if c is not None and not c.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(n) for n, _ in commands)
            with formatter.section(msg.CLI_COMMANDS_SECTION):
                formatter.write_dl([(n, c.get_short_help_str(limit)) for n, c in commands])


# click's own messages, for the usage errors users meet most (the typed ones are rebuilt from
# the exception's parameter in _french, whatever click's wording)
_USAGE = msg.CLICK_USAGE


def _param_name(param: click.Parameter | None) -> str:
    if param is None:
        return "?"
    if isinstance(param, click.Argument):
        return param.human_readable_name
    return " / ".join(param.opts)


def _french(exc: click.ClickException) -> str | None:
    """The French message of a typed click error, built from its parameter."""
    if isinstance(exc, click.NoSuchOption):
        hint = ""
        if exc.possibilities:
            hint = msg.CLI_DID_YOU_MEAN + msg.CLI_OR.join(msg.CLI_QUOTED.format(p=p) for p in
                                                     sorted(exc.possibilities)) + " ?"
        return msg.OPTION_INCONNUE.format(option_name=exc.option_name, hint=hint)
    if isinstance(exc, click.MissingParameter):
        what = msg.ARGUMENT_MANQUANT if isinstance(exc.param, click.Argument) else (
            msg.OPTION_OBLIGATOIRE_MANQUANTE)
        return f"{what} : {_param_name(exc.param)}."
    if isinstance(exc, click.BadParameter):
        param = exc.param
        kind = getattr(param, "type", None)
        value = re.search(r"'([^']*)'", exc.message or "")
        shown = f"« {value.group(1)} »" if value else msg.VALEUR_DONNEE
        if isinstance(kind, click.Choice):
            return (msg.CLI_VALEUR_CHOIX.format(
                param=_param_name(param), shown=shown)
                    + ", ".join(str(c) for c in kind.choices) + ".")
        if isinstance(kind, click.DateTime):
            return (msg.CLI_VALEUR_DATE.format(param=_param_name(param), shown=shown))
        if isinstance(kind, click.IntRange):
            number = re.search(r"(-?\d+) is not in the range", exc.message or "")
            shown = f"« {number.group(1)} »" if number else shown
            return (msg.CLI_VALEUR_ENTIER_ENTRE.format(
                param=_param_name(param), shown=shown, min=kind.min, max=kind.max))
        if isinstance(kind, click.types.IntParamType):
            return (msg.CLI_VALEUR_ENTIER.format(
                param=_param_name(param), shown=shown))
        return msg.CLI_VALEUR_INVALIDE.format(param=_param_name(param), shown=shown)
    return None


def _usage_error(exc: click.ClickException) -> None:
    message = _french(exc) or exc.format_message()
    if _french(exc) is None:
        for pattern, french in _USAGE:
            if re.search(pattern, message):
                message = re.sub(pattern, french, message)
                break
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        click.echo(ctx.get_usage(), err=True)
    click.echo(msg.ERROR_PREFIX.format(message=message), err=True)
    click.echo(msg.USAGE_HELP.format(command=ctx.command_path if ctx else "docgen"), err=True)


class _Range(click.IntRange):
    """An integer range whose help says « de 1 à 64 » rather than « 1<=x<=64 »."""

    def _describe_range(self) -> str:
        return msg.RANGE_HELP.format(min=self.min, max=self.max)


class _Seconds(click.FloatRange):
    """A number of seconds whose help says « de 0.1 à 86400 » rather than « 0.1<=x<=86400 »."""

    def _describe_range(self) -> str:
        return msg.RANGE_HELP.format(min=f"{self.min:g}", max=f"{self.max:g}")


GLOBAL_FLAGS = ("--debug",)


def _global_first(args: list[str]) -> list[str]:
    """Global flags may be typed anywhere (`docgen check CASE --debug`): move them before the
    subcommand, where click reads them; `--` ends the options as usual."""
    end = args.index("--") if "--" in args else len(args)
    flags = [a for a in args[:end] if a in GLOBAL_FLAGS]
    rest = [a for a in args[:end] if a not in GLOBAL_FLAGS]
    return list(dict.fromkeys(flags)) + rest + args[end:]


@click.group(cls=_Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", message="docgen %(version)s",
                      help=msg.AFFICHER_VERSION_QUITTER)
@click.option("--debug", is_flag=True, help=msg.AFFICHER_TRACE_COMPLETE_CAS)
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
    from .batch import expand_cases
    from .load import copil_stages, load_case

    failed = False
    for folder in expand_cases(list(cases)):
        try:
            case = load_case(folder)
        except CaseInvalid as exc:
            click.echo(exc.render(), err=True)
            failed = True
            continue
        for warning in case.warnings:
            click.echo(warning.format(), err=True)
        note = f" ({summary_line(list(case.warnings))[:-1]})" if case.warnings else ""
        click.echo(msg.VALID.format(folder=folder, note=note))
        for line in copil_stages(case):  # the stage each COPIL is at
            click.echo(f"  {line}")
    if failed:
        sys.exit(EXIT_INVALID)


@cli.command(context_settings=CONTEXT)
@click.option(
    "--kind",
    type=click.Choice(SCHEMA_KINDS),
    default="convention",
    metavar="TYPE",
    help=msg.TYPE_FICHIER_DECRIT_DEFAUT
    + ", ".join(SCHEMA_KINDS) + ".",
)
def schema(kind: str) -> None:
    """Écrire sur la sortie standard le schéma JSON d'un type de fichier de dossier."""
    from .schema import json_schema_text

    click.echo(json_schema_text(kind), nl=False)


@cli.command(context_settings=CONTEXT)
@click.argument("cases", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="TERRITOIRE…")
@click.option("--doc", "kinds", multiple=True, type=click.Choice(FAMILIES),
              help=msg.TYPE_DOCUMENT_PRODUIRE_REPETABLE)
@click.option("--draft/--final", "draft", default=None,
              help=msg.FORCER_MENTION_PROJET_RETIRER)
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), metavar="DOSSIER",
              help=msg.DOSSIER_SORTIE_DOCUMENTS_VONT)
@click.option("--force", is_flag=True, help=msg.TOUT_RECONSTRUIRE_ECRASER_DOCUMENTS)
@click.option("--date", "dates", multiple=True, type=click.DateTime(formats=["%Y-%m-%d"]), metavar="AAAA-MM-JJ",
              help=msg.DOC_COPIL_SEULEMENT_COPIL)
@click.option("-j", "--jobs", type=_Range(1, 64), default=None, metavar="N",
              help=msg.JOBS_BUILD_HELP)
@click.option("--pdf/--no-pdf", "pdf", default=True,
              help=msg.PRODUIRE_AUSSI_PDF_DEFAUT)
@click.option("--time-limit", "limit", type=_Seconds(min=0.1, max=86_400), metavar="N",
              default=BUILD_LIMIT_S, help=msg.BUILD_LIMIT_HELP.format(default=f"{BUILD_LIMIT_S:g}"))
def build(cases: tuple[Path, ...], kinds: tuple[str, ...], draft: bool | None, out: Path,
          force: bool, dates: tuple[Any, ...], jobs: int | None, pdf: bool,
          limit: float) -> None:
    """Produire les documents d'un ou plusieurs territoires (ou d'un dossier de territoires)."""
    from .acts import registre_path
    from .acts import title as acts_title
    from .batch import build_many, expand_cases
    from .pipeline import build as run_build
    from .plan import BuildOptions

    options = BuildOptions(kinds=kinds, out=out, draft=draft, force=force, pdf=pdf,
                           dates=tuple(d.date() for d in dates), jobs=jobs, limit=limit)
    folders = expand_cases(list(cases))
    if len(folders) == 1 and list(cases) == folders:  # one territory: every message in full
        result = run_build(folders[0], options)
        for w in result.case.warnings:
            click.echo(w.format(), err=True)
        for note in result.written.notes:
            click.echo(note, err=True)
        for path in result.written.written:
            why = result.redone.get(path)
            click.echo(msg.WRITTEN_REDONE.format(path=path, why=why) if why else
                       msg.WRITTEN.format(path=path))
        if not result.written.written:
            click.echo(msg.UNCHANGED.format(folder=result.folder))
        for path in result.written.backups:
            click.echo(msg.BACKUP.format(path=path))
        for code in result.issued:
            click.echo(msg.ACTE_ENREGISTRE.format(acte=acts_title(code),
                                                  registre=registre_path(result.case.folder)))
        if result.written.kept:  # the others are written; these wait for the user's choice
            from .errors import OutputError
            from .output import kept_message

            raise OutputError(kept_message(result.written.kept))
        return
    with _progress(len(folders)) as step:
        outcomes = build_many(folders, options, step)
    counts = {s: sum(1 for o in outcomes if o.status == s)
              for s in (msg.STATUS_BUILT, msg.STATUS_UNCHANGED, msg.STATUS_FAILED)}
    click.echo(msg.BATCH_SUMMARY.format(built=counts[msg.STATUS_BUILT],
                                        unchanged=counts[msg.STATUS_UNCHANGED],
                                        failed=counts[msg.STATUS_FAILED], total=len(outcomes)))
    for o in sorted((o for o in outcomes if o.status == msg.STATUS_FAILED), key=lambda o: o.case):
        click.echo(msg.BATCH_FAILED.format(case=o.case, message=o.message), err=True)
    if counts[msg.STATUS_FAILED]:
        sys.exit(EXIT_INVALID)


def _progress(total: int) -> Any:
    """A progress bar on a terminal; plain lines elsewhere (CI logs)."""
    import contextlib

    @contextlib.contextmanager
    def bar() -> Any:
        if sys.stderr.isatty():
            with click.progressbar(length=total, label=msg.BATCH_LABEL, file=sys.stderr) as pb:
                yield lambda outcome: pb.update(1)
        else:
            done = [0]

            def line(outcome: Any) -> None:
                done[0] += 1
                click.echo(msg.BATCH_PROGRESS.format(done=done[0], total=total, case=outcome.case,
                                                     status=outcome.status), err=True)

            yield line

    return bar()


@cli.command(context_settings=CONTEXT)
@click.argument("case_folder", type=click.Path(path_type=Path), metavar="TERRITOIRE")
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), metavar="DOSSIER",
              help=msg.DOSSIER_SORTIE_DOCUMENTS_VONT)
@click.option("--format", "fmt", type=click.Choice(["texte", "csv", "pdf"]), default="texte",
              help=msg.STATUS_FORMAT_HELP)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, metavar="FICHIER",
              help=msg.STATUS_OUTPUT_HELP)
def status(case_folder: Path, out: Path, fmt: str, output: Path | None) -> None:
    """Où en sont les actes (projet, relu, signé, transmis) et chaque document produit."""
    from .acts import registre_path
    from .status import status as read_status

    if fmt != "texte":
        from .load import load_case
        from .output import write_file
        from .status import register_csv, register_pdf

        case = load_case(case_folder)
        if fmt == "pdf" and output is None:
            raise click.UsageError(msg.STATUS_PDF_OUTPUT)
        data = register_csv(case).encode("utf-8") if fmt == "csv" else register_pdf(case)
        if output is None:
            click.echo(data.decode("utf-8"), nl=False)
            return
        if output.exists() and not output.is_file():
            raise DocgenError(msg.FILE_EXISTS.format(path=output))
        write_file(output, data)
        click.echo(msg.WRITTEN.format(path=output))
        return
    st = read_status(case_folder, out)
    click.echo(msg.ST_TITRE_ACTES.format(case=st.case.name,
                                         registre=registre_path(st.case.folder)))
    width = max(len(a.titre) for a in st.acts)
    for a in st.acts:
        click.echo(f"  {a.titre:<{width}}  {a.detail}")
    click.echo(msg.ST_TITRE_DOCUMENTS.format(folder=st.folder))
    if all(d.etat == msg.ST_ABSENT for d in st.documents):
        click.echo(msg.ST_AUCUN_DOCUMENT.format(case=case_folder))
        return
    width = max(len(d.path) for d in st.documents)
    for d in st.documents:
        click.echo(f"  {d.path:<{width}}  {d.etat}" + (f" : {d.raison}" if d.raison else ""))


@cli.command(context_settings=CONTEXT)
@click.argument("outdir", type=click.Path(path_type=Path), metavar="DOSSIER_PRODUIT")
def verify(outdir: Path) -> None:
    """Revérifier un dossier produit : empreintes, texte DOCX ↔ PDF, champs de signature."""
    from .verify import verify as run_verify

    problems = run_verify(outdir)
    for p in problems:
        click.echo(p, err=True)
    if problems:
        click.echo(msg.VERIFY_PROBLEMS.format(n=len(problems)), err=True)
        sys.exit(EXIT_INVALID)
    click.echo(msg.VERIFY_OK.format(folder=outdir))


@cli.command("pdf", context_settings=CONTEXT)
@click.argument("docx", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar=msg.FICHIER_DOCX)
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, metavar="FICHIER",
              help=msg.PDF_ECRIRE_SEUL_DOCX)
@click.option("--out-dir", type=click.Path(path_type=Path), default=None, metavar="DOSSIER",
              help=msg.DOSSIER_ECRIRE_PDF_DEFAUT)
@click.option("--force", is_flag=True, help=msg.REMPLACER_PDF_EXISTENT_DEJA)
@click.option("-j", "--jobs", type=_Range(1, 64), default=None, metavar="N",
              help=msg.JOBS_PDF_HELP)
@click.option("--time-limit", "limit", type=_Seconds(min=0.1, max=86_400), metavar="N",
              default=PDF_LIMIT_S, envvar=LIMIT_ENV, show_envvar=False,
              help=msg.PDF_LIMIT_HELP.format(default=f"{PDF_LIMIT_S:g}", env=LIMIT_ENV))
def pdf_command(docx: tuple[Path, ...], output: Path | None, out_dir: Path | None,
                force: bool, jobs: int | None, limit: float) -> None:
    """Produire le PDF prêt à signer de DOCX relus (modifications acceptées)."""
    from .reviewed import pdfs_of_docx

    if output is not None and len(docx) != 1:
        raise click.UsageError(msg.PDF_OUTPUT_ONE)
    targets = [output] if output is not None else [
        (out_dir / d.name if out_dir else d).with_suffix(".pdf") for d in docx]
    for target in pdfs_of_docx(list(docx), targets, force, jobs, limit):
        click.echo(msg.WRITTEN.format(path=target))


@cli.command(context_settings=CONTEXT)
@click.argument("case_folder", type=click.Path(path_type=Path), metavar="TERRITOIRE")
@click.argument("acte", metavar="ACTE")
@click.argument("docx", type=click.Path(path_type=Path), metavar=msg.FICHIER_DOCX)
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), metavar="DOSSIER",
              help=msg.DOSSIER_SORTIE_DOCUMENTS_VONT)
@click.option("--time-limit", "limit", type=_Seconds(min=0.1, max=86_400), metavar="N",
              default=PDF_LIMIT_S, envvar=LIMIT_ENV, show_envvar=False,
              help=msg.PDF_LIMIT_HELP.format(default=f"{PDF_LIMIT_S:g}", env=LIMIT_ENV))
def relu(case_folder: Path, acte: str, docx: Path, out: Path, limit: float) -> None:
    """Enregistrer le DOCX relu d'un acte et produire son PDF à signer (ACTE : convention…)."""
    import datetime as dt

    from .acts import record_reviewed, title

    code = _acte(acte)
    done = record_reviewed(case_folder, code, docx, out, limit, dt.date.today())
    if done.differences:
        click.echo(msg.RELU_DIFFERENCES.format(dispositions="\n".join(
            f"  – {d}" for d in done.differences)), err=True)
    click.echo(msg.RELU_FAIT.format(acte=title(code), etat=msg.ST_ETATS[done.etat], pdf=done.pdf))


def _acte(value: str) -> str:
    """adhesion, convention, avenant-01… (avenant-1 and avenant1 are understood)."""
    m = re.fullmatch(r"(adhesion|convention)|avenant-?0*([1-9][0-9]?)", value.strip().lower())
    if m is None:
        raise DocgenError(msg.ACTE_NOM_INVALIDE.format(valeur=value))
    return m.group(1) or f"avenant-{int(m.group(2)):02d}"


@cli.group(context_settings=CONTEXT)
def signature() -> None:
    """Originaux signés : importer et vérifier le PDF signé revenu du parapheur."""


@signature.command("import", context_settings=CONTEXT)
@click.argument("case_folder", type=click.Path(path_type=Path), metavar="TERRITOIRE")
@click.argument("acte", metavar="ACTE")
@click.argument("pdf", type=click.Path(path_type=Path), metavar="FICHIER.pdf")
@click.option("--papier", is_flag=True, help=msg.IMPORT_HELP_PAPIER)
@click.option("--date", "date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              metavar="AAAA-MM-JJ", help=msg.IMPORT_HELP_DATE)
@click.option("--autorites", "authorities", multiple=True, metavar="FICHIER.pem",
              type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help=msg.IMPORT_HELP_AUTORITES)
@click.option("--accepter-signataire", "accept", multiple=True, metavar="NOM",
              help=msg.IMPORT_HELP_ACCEPTER)
def signature_import(case_folder: Path, acte: str, pdf: Path, papier: bool, date: Any,
                     authorities: tuple[Path, ...], accept: tuple[str, ...]) -> None:
    """Importer l'original signé d'un acte (vérifié) ; --papier pour un original papier."""
    import datetime as dt

    from .acts import french_day, import_signed, title
    from .formatting import date_longue

    code = _acte(acte)
    done = import_signed(case_folder, code, pdf, papier=papier,
                         date=date.date() if date else None, authorities=authorities,
                         accept=accept, today=dt.date.today())
    click.echo(msg.IMPORT_FAIT.format(acte=title(code), mode=msg.ST_MODE[done.mode],
                                      date=date_longue(done.date)))
    for s in done.signatures:
        click.echo(msg.IMPORT_SIGNATURE.format(
            champ=s.champ, nom=s.nom, date=date_longue(french_day(s.date)) if s.date else "?",
            accepte=msg.IMPORT_ACCEPTE.format(attendu=s.attendu) if s.accepte else ""))
    click.echo(msg.IMPORT_PAPIER if papier else msg.IMPORT_CONFIANCE[done.confiance])


class _DefaultGroup(_Group):
    """A group whose first argument, when it names none of its commands, goes to its default
    command: `docgen remise TERRITOIRE ACTE` is `docgen remise preparer TERRITOIRE ACTE`."""

    default = "preparer"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_DefaultGroup, context_settings=CONTEXT)
def remise() -> None:
    """Remettre un acte au parapheur et au contrôle de légalité.

    « docgen remise TERRITOIRE ACTE » (ACTE : adhesion, convention, avenant-01…) écrit le dossier
    de remise de l'acte et son ZIP, que Pastell importe tels quels.
    """


@remise.command("preparer", context_settings=CONTEXT)
@click.argument("case_folder", type=click.Path(path_type=Path), metavar="TERRITOIRE")
@click.argument("acte", metavar="ACTE")
@click.option("--annexe", "annexes", multiple=True, type=click.Path(path_type=Path),
              metavar="FICHIER.pdf", help=msg.REMISE_HELP_ANNEXE)
@click.option("--out", type=click.Path(path_type=Path), default=Path("output"), metavar="DOSSIER",
              help=msg.DOSSIER_SORTIE_DOCUMENTS_VONT)
@click.option("--force", is_flag=True, help=msg.REMISE_HELP_FORCE)
def remise_preparer(case_folder: Path, acte: str, annexes: tuple[Path, ...], out: Path,
                    force: bool) -> None:
    """Écrire le dossier de remise d'un acte (PDF, manifeste Pastell, PREMIS, @ctes) et son ZIP."""
    from .remise import summary, write_remise

    lines, notes = summary(write_remise(case_folder, _acte(acte), out, annexes, force))
    for note in notes:
        click.echo(note, err=True)
    for line in lines:
        click.echo(line)


@remise.command("ar", context_settings=CONTEXT)
@click.argument("case_folder", type=click.Path(path_type=Path), metavar="TERRITOIRE")
@click.argument("acte", metavar="ACTE")
@click.argument("accuse", type=click.Path(path_type=Path), metavar="ARActe.xml")
@click.option("--tampon", type=click.Path(path_type=Path), default=None, metavar="FICHIER.pdf",
              help=msg.AR_HELP_TAMPON)
def remise_ar(case_folder: Path, acte: str, accuse: Path, tampon: Path | None) -> None:
    """Lire l'accusé de réception de la préfecture (ARActe) : l'acte devient « transmis »."""
    import datetime as dt

    from .acts import record_acknowledgement, title
    from .formatting import date_longue

    code = _acte(acte)
    ar = record_acknowledgement(case_folder, code, accuse, tampon, dt.date.today())
    click.echo(msg.AR_FAIT.format(acte=title(code), date=date_longue(ar.recu_le), id=ar.id_acte))


@cli.group(context_settings=CONTEXT)
def avenant() -> None:
    """Avenants à la convention."""


@avenant.command("draft", context_settings=CONTEXT)
@click.argument("old", type=click.Path(path_type=Path), metavar="ANCIEN.yaml")
@click.argument("new", type=click.Path(path_type=Path), metavar="NOUVEAU.yaml")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, metavar="FICHIER",
              help=msg.ECRIRE_OPERATIONS_FICHIER_PLUTOT)
@click.option("--force", is_flag=True, help=msg.REMPLACER_FICHIER_EXISTE_DEJA)
def avenant_draft(old: Path, new: Path, output: Path | None, force: bool) -> None:
    """Écrire les opérations d'avenant qui font passer de OLD à NEW (deux convention.yaml)."""
    from .drafting import NotDraftable, draft, to_yaml
    from .load import load_convention_file
    from .output import write_file

    before, after = load_convention_file(old), load_convention_file(new)
    try:
        ops = draft(before, after)
    except NotDraftable as exc:
        raise DocgenError(f"{new} : {exc}") from None
    if not ops:
        click.echo(msg.SAME_CONVENTION.format(old=old, new=new), err=True)
        return
    text = to_yaml(ops)
    if output is None:
        click.echo(text, nl=False)
        return
    if output.exists() and not force:
        raise DocgenError(msg.FILE_EXISTS.format(path=output))
    write_file(output, text.encode("utf-8"))
    click.echo(msg.DRAFT_WRITTEN.format(path=output, n=len(ops)), err=True)


@cli.group(context_settings=CONTEXT)
def templates() -> None:
    """Modèles de documents (Word, HTML) : vérifier, lire, copier dans un territoire."""


@templates.command("check", context_settings=CONTEXT)
@click.argument("folder", required=False, type=click.Path(path_type=Path), metavar="[DOSSIER]")
@click.option("--case", "case_folder", type=click.Path(path_type=Path), metavar="TERRITOIRE",
              default=None, help=msg.DOSSIER_TERRITOIRE_FOURNIT_DONNEES)
def templates_check(folder: Path | None, case_folder: Path | None) -> None:
    """Vérifier les modèles : balises coupées, variables inconnues, rendu d'essai."""
    from .lint import lint_case
    from .load import load_case

    if case_folder is None and not EXAMPLE.is_dir():
        raise click.UsageError(msg.LINT_NEEDS_CASE)
    case = load_case(case_folder or EXAMPLE)
    checked, findings = lint_case(case, folder)
    for f in findings:
        click.echo(f.format(), err=True)
    if not checked:
        raise DocgenError(msg.LINT_NOTHING.format(root=folder or msg.LINT_DEFAULT_ROOT))
    if findings:
        click.echo(msg.LINT_PROBLEMS.format(n=len(findings)), err=True)
        sys.exit(EXIT_TEMPLATE)
    click.echo(msg.LINT_OK.format(n=checked))


@templates.command("text", context_settings=CONTEXT)
@click.argument("path", type=click.Path(path_type=Path), metavar="MODELE.docx")
def templates_text(path: Path) -> None:
    """Afficher un modèle Word en texte brut avec ses balises (pour relire un changement)."""
    from .reviewed import read_docx_file
    from .templating import docx_text

    data = read_docx_file(path)  # a FIFO, a zip bomb or not a Word file: a French error first
    click.echo(docx_text(path, data), nl=False)  # the bytes checked, not the path read again


@templates.command("copy", context_settings=CONTEXT)
@click.argument("name", metavar="NOM")
@click.argument("case_folder", type=click.Path(path_type=Path), metavar="TERRITOIRE")
def templates_copy(name: str, case_folder: Path) -> None:
    """Copier un modèle par défaut (ex. docx/convention.docx) dans un territoire, pour l'adapter."""
    from .templating import copy_template

    click.echo(msg.TEMPLATE_COPIED.format(target=copy_template(name, case_folder)))


@cli.command(context_settings=CONTEXT)
@click.argument("cases_dir", required=False, type=click.Path(path_type=Path), default=Path("cases"),
                metavar="[DOSSIER_DES_TERRITOIRES]")
@click.option("--host", default="127.0.0.1", show_default=True,
              help=msg.ADRESSE_ECOUTE_AILLEURS_CET)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help=msg.DOSSIER_DOCUMENTS_PRODUITS_DEFAUT)
@click.option("--token", envvar="DOCGEN_TOKEN", default=None,
              help=msg.JETON_ACCES_DOCGEN_TOKEN)
def serve(cases_dir: Path, host: str, port: int, out: Path | None, token: str | None) -> None:
    """Ouvrir l'espace de travail dans le navigateur : modifier, vérifier, produire, avenants."""
    import secrets

    import uvicorn

    from .web import create_app
    from .web.security import is_loopback

    if not cases_dir.is_dir():
        raise DocgenError(msg.DOSSIER_INTROUVABLE_DOCGEN_SERVE.format(cases_dir=cases_dir))
    if token is None and not is_loopback(host):
        token = secrets.token_urlsafe(24)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?jeton={token}" if token else "")
    click.echo(msg.ESPACE_TRAVAIL_CTRL_ARRETER.format(url=url), err=True)
    # the Host and Origin accepted are this very address (DNS rebinding: see web/security.py)
    app = create_app(cases_dir, token=token, out_dir=out, host=host, port=port, warm=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors without traceback, internal errors with exit code 70. As the
    process's own entry point (no argv given), it then leaves without the interpreter's
    teardown (see runtime.leave)."""
    if argv is not None:
        _main(argv)
        return
    from . import runtime

    runtime.console()  # docgen's own process: its settings (runtime.py)
    try:
        _main(None)
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):  # sys.exit("message"): printed, status 1, as Python does
        print(code, file=sys.stderr)
    runtime.leave(code if isinstance(code, int) else (0 if code is None else 1))


def _main(argv: list[str] | None) -> None:
    args = _global_first(list(sys.argv[1:] if argv is None else argv))
    debug = "--debug" in args
    try:
        cli.main(args=args, standalone_mode=False, prog_name="docgen")
    except click.exceptions.Abort:
        click.echo(msg.INTERRUPTED, err=True)
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
            click.echo(msg.INTERNAL.format(kind=type(exc).__name__, detail=exc), err=True)
        sys.exit(EXIT_INTERNAL)
