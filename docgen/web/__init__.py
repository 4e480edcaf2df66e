"""`docgen serve`: a local web workspace for the project lead (edit, check, build, draft)."""

from .app import create_app

__all__ = ["create_app"]
