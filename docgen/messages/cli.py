"""Messages of the command line: notices, option help and usage errors."""

from __future__ import annotations


# ------------------------------------------------------------------ command line
WRITTEN = "écrit : {path}"
UNCHANGED = "{folder} : inchangé (rien à reconstruire ; --force pour tout refaire)."
BACKUP = "copie de sauvegarde : {path}"
VALID = "{folder} : dossier valide{note}."
VERIFY_OK = "{folder} : tout est conforme."
VERIFY_PROBLEMS = "{n} problème(s)."
SAME_CONVENTION = "{old} et {new} décrivent la même convention : aucune opération."
DRAFT_WRITTEN = "écrit : {path} ({n} opération(s))"
FILE_EXISTS = "{path} existe déjà : choisissez un autre nom, ou relancez avec --force."
INTERRUPTED = "Interrompu."
INTERNAL = ("Erreur interne de docgen ({kind}: {detail}). Relancez avec --debug et transmettez la "
            "trace à l'équipe.")
USAGE_PREFIX = "Usage : "
ERROR_PREFIX = "Erreur : {message}"

# ------------------------------------------------------------------ limits (hostile input)
USAGE_HELP = "Aide : {command} --help"
