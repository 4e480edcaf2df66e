"""The units the loader works on: one file with its positions, and the report of issues."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Issue
from .yamlpos import Path_, Positions, dotted


@dataclass
class CaseFile:
    """One YAML file of a case: where it is, how to show it, its data and positions."""

    path: Path
    shown: str
    data: Any = None
    positions: Positions | None = None


@dataclass
class Report:
    """Every issue found so far, each placed at its file, line and column."""

    issues: list[Issue] = field(default_factory=list)

    def add(self, f: CaseFile, path: Path_, message: str, *, key: bool = False, warn: bool = False) -> None:
        line, col = f.positions.of(path, key=key) if f.positions else (1, 1)
        self.issues.append(
            Issue(f.shown, line, col, dotted(path), message, "avertissement" if warn else "erreur")
        )

