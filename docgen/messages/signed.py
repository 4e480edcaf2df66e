"""Messages of the verification of a signed original (docgen/signed.py)."""

from __future__ import annotations
