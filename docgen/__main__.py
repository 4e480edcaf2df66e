"""`python -m docgen` runs the command line."""

from .cli import main

main()
