"""Messages about the output folder: hand-edited files, manifest, lock, disk errors."""

from __future__ import annotations

# ------------------------------------------------------------------ output
HAND_EDITED_NOTHING = ("ces fichiers ont été modifiés à la main depuis leur génération (ou n'ont "
                       "pas été produits par docgen) ; rien n'a été écrit :\n{names}\nRenommez-les "
                       "pour garder vos modifications, ou relancez avec --force : docgen en "
                       "gardera une copie « .modifie » à côté.")
HAND_EDITED = ("ces fichiers ont été modifiés à la main depuis leur génération (ou n'ont pas été "
               "produits par docgen) : ils sont gardés tels quels, avec leur PDF ou leur DOCX, et "
               "les autres documents ont été produits :\n{names}\nRenommez-les pour garder vos "
               "modifications, ou relancez avec --force : docgen les refera et en gardera une "
               "copie « .modifie » à côté.")
MANIFEST_UNREADABLE = ("{path} : manifeste illisible ({detail}) : docgen ne peut plus savoir quels "
                       "documents il a produits. Relancez avec --force : il sera mis de côté et "
                       "reconstruit (les documents présents sont gardés en copie « .modifie »).")
MANIFEST_SET_ASIDE = "manifeste illisible mis de côté : {path} ; un nouveau manifeste a été écrit."
CANNOT_WRITE_PARTIAL = ("{folder} : écriture interrompue ({reason}) ; une partie des documents a "
                        "déjà été remplacée.")
PARTIAL_NEW = "Documents nouveaux (remplacés) :\n{names}"
PARTIAL_OLD = "Documents anciens (non remplacés) :\n{names}"
PARTIAL_AGAIN = ("manifest.json décrit ces fichiers tels qu'ils sont ; relancez la construction "
                 "une fois le problème réglé.")
PARTIAL_PENDING = ("manifest.json.pending décrit les documents nouveaux ; la prochaine "
                   "construction les reconnaîtra. Relancez-la une fois le problème réglé.")
BUSY = ("{folder} : une autre construction de ce dossier est en cours ; attendez qu'elle se "
        "termine.")
CANNOT_WRITE = ("{folder} : impossible d'écrire les documents ({reason}) ; les documents "
                "précédents sont intacts.")
DISK_FULL = "disque plein"
NO_PERMISSION = "écriture refusée (droits)"
READ_ONLY = "dossier en lecture seule"
QUOTA = "quota disque dépassé"

# ------------------------------------------------------------------ verify: what a signer checks
NOT_A_FOLDER = "un fichier porte déjà le nom du dossier de sortie"
IS_A_FOLDER = "un dossier porte le nom d'un document à écrire"
NAME_TOO_LONG = "nom de fichier trop long"
TOO_MANY_OPEN = "trop de fichiers ouverts"
IO_ERROR = "erreur d'entrée-sortie du disque"
OTHER_OS_ERROR = "erreur du système ({code})"

# ------------------------------------------------------------------ output.py
STRUCTURE_INATTENDUE = "structure inattendue"
ENTREE_DOCUMENT_SANS_EMPREINTE = "entrée de document sans empreinte"
