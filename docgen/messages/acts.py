"""Messages of the register of acts (docgen/acts.py) and of `docgen status`."""

from __future__ import annotations
