"""CONTEXT: for each document kind, the data its template prints (no sentences here)."""

from __future__ import annotations

from .adhesion import adhesion_context
from .avenant import avenant_context
from .convention import consolidation, convention_context
from .copil import copil_context

__all__ = ["adhesion_context", "avenant_context", "consolidation", "convention_context",
           "copil_context"]
