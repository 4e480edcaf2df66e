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

# ------------------------------------------------------------------ the hand-off from the workspace
# (docgen remise, docgen remise ar: their own messages are in messages/remise.py and acts.py)
WEB_ACTE_REFUS = {"original": "l'original signé a été refusé",
                  "relu": "le DOCX relu a été refusé",
                  "remise": "la remise n'a pas été préparée",
                  "accuse": "l'accusé de réception a été refusé"}
WEB_REMISE_RIEN = "Rien n'a été écrit dans le dossier de remise."
WEB_REMISE_FORCE = ("L'espace de travail ne remplace jamais un fichier de remise retouché : "
                    "renommez ou retirez ces fichiers, puis recommencez ; ou lancez « docgen "
                    "remise TERRITOIRE ACTE --force », qui en garde une copie « .modifie ».")
WEB_REMISE_LEGENDE = "Préparer la remise de {acte}"
WEB_REMISE_AIDE = ("Le dossier que Pastell (glaneur), i-Parapheur et @ctes prennent tels quels, "
                   "comme « docgen remise » : le PDF de l'acte (l'original signé s'il est "
                   "enregistré), le manifeste Pastell, le PREMIS du parapheur, le message ACTES et "
                   "remise.json. Chaque règle des opérateurs est vérifiée avant d'écrire ; les "
                   "annexes se joignent avec la commande (--annexe).")
WEB_REMISE_BOUTON = "Préparer la remise"
WEB_REMISE_ID = "Identifiant que la préfecture donnera à l'acte (IDActe) : {id}."
WEB_REMISE_ZIP = "Télécharger le dossier de remise ({nom})"
WEB_REMISE_ZIP_AIDE = "à déposer dans le répertoire du glaneur de Pastell."
WEB_AR_LEGENDE = "Lire l'accusé de réception de {acte}"
WEB_AR_AIDE = ("Le fichier XML (ARActe) que l'opérateur de transmission rend quand la préfecture "
               "a reçu l'acte : docgen vérifie qu'il est conforme au schéma ACTES et qu'il "
               "concerne cet acte (même numéro, même date que la remise), puis l'acte devient "
               "« transmis ». Un accusé refusé (anomalie, autre acte) n'enregistre rien.")
WEB_AR_FICHIER = "Accusé de réception (ARActe, fichier XML de 1 Mio au plus)"
WEB_AR_TAMPON = "Acte tamponné par la préfecture (PDF, facultatif)"
WEB_AR_TAMPON_AIDE = "Gardé comme copie : l'original signé reste la référence."
WEB_AR_BOUTON = "Lire l'accusé de réception"
WEB_ACTE_PAS_XML = ("{nom} : ce n'est pas un fichier XML (l'accusé de réception ARActe rendu par "
                    "l'opérateur de transmission).")
WEB_ACTE_VIDE = "{nom} : fichier vide."
WEB_QUOI_REMISE = "préparer la remise"
WEB_QUOI_AR = "lire l'accusé de réception"

# A case file as the workspace names it (the heading of its form)
FICHIER_CONVENTION = "La convention"
FICHIER_TERRITOIRE = "Le territoire"
FICHIER_ADHESION = "La convention d’adhésion"
FICHIER_AVENANT = "L’avenant n°\u00a0{n}"
FICHIER_COPIL = "Le COPIL du {jour}/{mois}/{annee}"
