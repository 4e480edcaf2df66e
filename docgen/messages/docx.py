"""Messages of the strict DOCX reader (what a document may contain) and of the PDF finish."""

from __future__ import annotations


# ------------------------------------------------------------------ verify: what a signer checks
DOCX_TOO_BIG = "{path} : fichier trop volumineux pour un document Word (limite : {limit} Mio)."
DOCX_NOT_WORD = ("{path} : ce n'est pas un document Word (.docx) lisible (fichier abîmé, ou "
                 "enregistré dans un autre format ?).")
DOCX_NOT_REGULAR = ("{path} : ce n'est pas un fichier ordinaire (dossier, tube ou périphérique) : "
                    "refusé sans être lu.")
