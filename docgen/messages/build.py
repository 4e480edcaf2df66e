"""Messages of a build: what to build, PDF finishing of a build, batches and their progress."""

from __future__ import annotations

# ------------------------------------------------------------------ build
NO_COPIL_ON = "{case} : aucun COPIL le {dates} ; COPIL du dossier : {known}."
NOTHING_TO_BUILD = "{case} : aucun document à produire pour {kinds}."
PDF_DIFFERS = "{name} : le PDF ne reprend pas exactement le texte du DOCX :\n  {problems}"
PDF_OUTPUT_ONE = "-o ne vaut que pour un seul DOCX ; pour plusieurs, utilisez --out-dir."
PDF_SOURCE_MISSING = "{path} : fichier introuvable."
PDF_SOURCE_NOT_DOCX = "{path} : un fichier .docx est attendu."
PDF_TARGET_IS_SOURCE = ("{path} : ce PDF remplacerait le DOCX {source} lui-même ; choisissez un "
                        "autre nom avec -o ou un autre dossier avec --out-dir. Rien n'a été écrit.")
PDF_TARGET_TWICE = ("{path} : {first} et {second} donneraient tous deux ce même PDF ; traitez-les "
                    "séparément (-o) ou renommez l'un d'eux. Rien n'a été écrit.")
PDF_TARGET_IS_FOLDER = ("{path} est un dossier : donnez un nom de fichier PDF avec -o, ou le dossier "
                        "avec --out-dir. Rien n'a été écrit.")
PDF_FOLDER_UNWRITABLE = ("{folder} : impossible d'y écrire le PDF ({reason}) ; rien n'a été écrit. "
                         "Choisissez un autre dossier avec --out-dir ou -o.")
PDF_ALREADY_WRITTEN = "PDF déjà écrits avant l'erreur :\n{names}"
PDF_OVERTIME = ("{path} : la mise en page du PDF dépasse la limite de {seconds} s (document "
                "démesuré, ou qui fait tourner la mise en page sans fin ?) : arrêtée, aucun PDF "
                "n'a été écrit. Pour un document très long, relancez avec --time-limit N (ou "
                "{env}=N), N en secondes.")
PDF_TARGET_EXISTS = ("{path} existe déjà : choisissez un autre nom avec -o, ou relancez avec "
                     "--force pour le remplacer.")
LAYOUT_WARNINGS = "{name} : la mise en page PDF a signalé des problèmes :\n  {records}"
EXTERNAL_RESOURCE = "ressource externe refusée : {url}"
PDFTOTEXT_MISSING = ("pdftotext est introuvable : installez le paquet poppler-utils "
                     "(make install le fait).")
REVIEW_PENDING = ("{name} contient encore {what} : dans Word ou LibreOffice, acceptez ou refusez "
                  "toutes les modifications et supprimez les commentaires (Révision → Accepter "
                  "tout), enregistrez, puis relancez.")
REVIEW_CHANGES = "{n} modification(s) suivie(s) non acceptée(s)"
REVIEW_COMMENTS = "des commentaires"

# ------------------------------------------------------------------ batch
BATCH_SUMMARY = ("{built} construit(s), {unchanged} inchangé(s), {failed} en échec, sur {total} "
                 "territoire(s).")
BATCH_FAILED = "  échec {case} : {message}"
BATCH_INTERNAL = "erreur interne : {kind}: {detail}"
BATCH_ERRORS = "{first} ({n} erreur(s))"
BATCH_PROGRESS = "[{done}/{total}] {case} : {status}"
BATCH_LABEL = "Construction"
STATUS_BUILT = "construit"
STATUS_UNCHANGED = "inchangé"
STATUS_FAILED = "échec"

# ------------------------------------------------------------------ limits (hostile input)
RENDER_TIMEOUT = ("{name} : le modèle tourne depuis plus de {seconds} s sans finir (boucle sans "
                  "fin dans un modèle du territoire ?) : construction arrêtée, rien n'a été écrit.")

# ------------------------------------------------------------------ verify: what a signer checks
BATCH_CRASHED = ("le processus de construction s'est arrêté brutalement (mémoire épuisée ou "
                 "processus tué) ; les autres territoires ont été construits.")
RENDER_TOO_BIG = ("{name} : le modèle demande une boucle ou un nombre démesuré (range() est limité "
                  "à 100 000 éléments dans un modèle) : corrigez le modèle du territoire.")
RENDER_RECURSION = ("{name} : le modèle s'appelle lui-même sans fin (macro récursive) : corrigez "
                    "le modèle du territoire.")
RENDER_MEMORY = "{name} : le modèle a épuisé la mémoire : corrigez le modèle du territoire."

# ------------------------------------------------------------------ parallel work
WORKER_DIED = ("un processus de construction s'est arrêté sans rendre son travail ({status}) : "
               "relancez la commande ; si cela se répète, relancez avec -j 1.")
WORKER_SIGNAL = "arrêté par le signal {signal}"
WORKER_EXIT = "code de sortie {code}"
WORKER_UNKNOWN = "sans en dire la raison"
JOB_OVERTIME = ("arrêté au bout de {seconds} s : un modèle qui tourne sans fin, ou un document "
                "démesuré ? Rien n'a été écrit ; corrigez le modèle du territoire, ou relancez.")
TASK_OVERTIME = "une tâche a dépassé la limite de {seconds} s : arrêtée."
