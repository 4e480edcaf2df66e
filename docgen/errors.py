"""Error tree: user errors (no traceback), validation issues (many at once), internal errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import messages as msg

# Exit codes of the command-line contract (design.md §5).
EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_TEMPLATE = 3
EXIT_INTERNAL = 70


@dataclass(frozen=True, order=True)
class Issue:
    """One problem found in a case file, placed at file:line:column and a field path."""

    file: str
    line: int
    col: int
    path: str
    message: str
    severity: str = "erreur"  # "erreur" blocks the build; "avertissement" does not

    @property
    def is_error(self) -> bool:
        return self.severity == "erreur"

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}"
        label = "" if self.is_error else msg.WARNING_LABEL
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {label}{self.message}"


class DocgenError(Exception):
    """A problem the user can fix; printed without traceback."""

    exit_code = EXIT_INVALID

    def render(self) -> str:
        return str(self)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as it is, whatever its constructor takes: an error met in a forked copy of
        the process (parallel.py) reaches the user unchanged."""
        return (_rebuilt, (type(self), self.args, self.__dict__))


def _rebuilt(cls: type[DocgenError], args: tuple[object, ...],
             state: dict[str, object]) -> DocgenError:
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class CaseInvalid(DocgenError):
    """A case folder failed validation; carries every issue found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = sorted(issues, key=_issue_key)
        super().__init__(self.render())

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.is_error]

    def render(self) -> str:
        lines = [i.format() for i in self.issues]
        lines.append(summary_line(self.issues))
        return "\n".join(lines)


class TemplateError(DocgenError):
    """A template is missing, broken or tried something forbidden."""

    exit_code = EXIT_TEMPLATE


class OutputError(DocgenError):
    """The output folder cannot be written safely (edited by hand, locked, unwritable)."""

    exit_code = EXIT_INVALID


def _issue_key(issue: Issue) -> tuple[str, int, int, str]:
    return (issue.file, issue.line, issue.col, issue.path)


def summary_line(issues: list[Issue]) -> str:
    errors = sum(1 for i in issues if i.is_error)
    warnings = len(issues) - errors
    files = len({i.file for i in issues if i.is_error})
    return msg.issues_summary(errors, warnings, files)


def display_path(path: Path) -> str:
    """Path as the user typed it relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
