"""Messages of the workspace's acts (docgen/web/actes.py): the signed original or the reviewed
DOCX sent from the browser. The verification's own messages are those of `docgen signature
import` and `docgen relu` (messages/acts.py, messages/signed.py)."""

from __future__ import annotations

WEB_ACTE_CHOISIR = "choisissez un fichier."
WEB_ACTE_TROP_GROS = ("{nom} : fichier de plus de {limite} Mio, refusé par l'espace de travail ; "
                      "pour un fichier plus lourd, utilisez la commande « docgen signature "
                      "import » (ou « docgen relu » pour un DOCX).")
WEB_ACTE_PAS_PDF = "{nom} : ce n'est pas un PDF."
WEB_ACTE_PAS_DOCX = "{nom} : ce n'est pas un DOCX (document Word)."
WEB_ACTE_MODE = "indiquez comment l'acte a été signé : électroniquement ou sur papier."
WEB_ACTE_DATE = ("date de signature « {valeur} » illisible : choisissez-la dans le calendrier "
                 "(ou écrivez-la AAAA-MM-JJ).")
WEB_ACTE_DATE_PAPIER = "pour un original papier, indiquez la date de signature."
WEB_ACTE_OCCUPE = ("une production ou un autre enregistrement est en cours pour ce territoire : "
                   "attendez qu'il se termine, puis recommencez.")
WEB_ACTE_RECEPTION = ("{nom} : le fichier n'a pas pu être reçu (disque plein ou dossier temporaire "
                      "inaccessible ?).")
WEB_ACTE_INATTENDU = "{nom} : la vérification n'a pas pu aboutir ({erreur})."
WEB_ACTE_RIEN = "Rien n'a été enregistré au registre."
WEB_ACTE_CONFIANCE = ("Les certificats des signataires n'ont pas été rapprochés d'une autorité de "
                      "confiance : l'espace de travail ne reçoit pas de certificats d'autorité "
                      "(la commande « docgen signature import --autorites FICHIER.pem » le "
                      "fait).")
WEB_ACTE_DATE_INCONNUE = "date non indiquée"
