"""Command-line contract: version, help, exit codes, no traceback."""

from __future__ import annotations

from docgen import __version__
from tests.conftest import EXAMPLE


def test_version(run) -> None:
    result = run("--version")
    assert result.code == 0
    assert result.out.strip() == f"docgen {__version__}"


def test_help_is_french(run) -> None:
    result = run("--help")
    assert result.code == 0
    assert "dossiers de territoire" in result.out
    assert "Vérifier un ou plusieurs dossiers" in result.out


def test_unknown_command_is_usage_error(run) -> None:
    assert run("fabriquer").code == 2


def test_missing_folder_is_invalid_input(run) -> None:
    result = run("check", "nulle-part")
    assert result.code == 1
    assert "dossier introuvable" in result.err


def test_internal_error_has_no_traceback_without_debug(run, monkeypatch) -> None:
    import docgen.load

    def boom(folder):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(docgen.load, "load_case", boom)
    result = run("check", EXAMPLE)
    assert result.code == 70
    assert "Traceback" not in result.err
    assert "Erreur interne" in result.err and "--debug" in result.err
    debug = run("--debug", "check", EXAMPLE)
    assert debug.code == 70 and "Traceback" in debug.err


def test_the_command_leaves_with_its_status_its_output_and_its_exit_handlers() -> None:
    """The console entry point skips the interpreter's teardown (runtime.leave): what it printed
    still arrives, the exit handlers (temporary files, logging) still run, the status is the
    command's."""
    import subprocess
    import sys

    probe = ("import atexit, sys; atexit.register(lambda: print('nettoyé', file=sys.stderr)); "
             "sys.argv = ['docgen'] + sys.argv[1:]; from docgen.cli import main; main()")
    ok = subprocess.run([sys.executable, "-c", probe, "--version"], capture_output=True,
                        text=True, timeout=60)
    assert (ok.returncode, ok.stdout.strip(), ok.stderr.strip()) == (0, f"docgen {__version__}", "nettoyé")
    bad = subprocess.run([sys.executable, "-c", probe, "check", "/nulle/part"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert "dossier introuvable" in bad.stderr and bad.stderr.strip().endswith("nettoyé")


def test_a_build_leaves_nothing_in_the_temporary_folder(tmp_path) -> None:
    """WeasyPrint copies the fonts into a temporary folder it removes only in a finaliser,
    which a process leaving with os._exit (a forked copy, the console command) never runs:
    docgen removes it itself, in every process, parallel or not."""
    import os
    import subprocess
    import sys

    for jobs in ("2", "1"):
        tmp = tmp_path / f"tmp-{jobs}"
        tmp.mkdir()
        result = subprocess.run(
            [sys.executable, "-m", "docgen", "build", str(EXAMPLE), "--doc", "copil",
             "--date", "2022-03-09", "--out", str(tmp_path / f"out-{jobs}"), "-j", jobs],
            capture_output=True, text=True, timeout=300, env={**os.environ, "TMPDIR": str(tmp)})
        assert result.returncode == 0, result.stderr
        assert list(tmp.iterdir()) == [], jobs
