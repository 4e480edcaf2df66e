"""Every French message docgen prints about templates, builds and outputs, in one place.

Messages are str.format patterns; the code fills in names, paths and numbers. (The loader's
messages about case files are here too: see the section « dossier ».)
"""

from __future__ import annotations

# ------------------------------------------------------------------ templates
TEMPLATE_NOT_FOUND = "modèle introuvable : {name} (cherché dans : {where})."
TEMPLATE_UNKNOWN = "modèle inconnu « {name} » ; modèles : {known}."
TEMPLATE_ALREADY_COPIED = ("{target} existe déjà : ce territoire a déjà sa copie de ce modèle "
                           "(supprimez-la pour repartir du modèle par défaut).")
TEMPLATE_COPIED = "copié : {target} (modifiez cette copie ; elle remplace le modèle par défaut pour ce territoire)"
NOT_A_CASE_FOLDER = ("{folder} : ce n'est pas un dossier de territoire (territoire.yaml ou "
                     "convention.yaml introuvable).")
TEMPLATE_FORBIDDEN = ("{name} : opération interdite dans un modèle ({detail}) : un modèle ne peut "
                      "qu'afficher les données du dossier, pas atteindre le fonctionnement de Python.")
TEMPLATE_FORBIDDEN_ATTRIBUTE = "accès refusé à « {attribute} »"
TEMPLATE_FORBIDDEN_CALL = "appel refusé"
TEMPLATE_UNDEFINED = "{name} : variable inconnue dans le modèle : {detail}."
TEMPLATE_SYNTAX = ("{name} : erreur de syntaxe dans le modèle : {detail} "
                   "(vérifiez les balises {{{{ }}}} et {{% %}}).")
TEMPLATE_OTHER = "{name} : erreur dans le modèle : {detail}."
TEMPLATE_NOT_DOCX = "{path} : un modèle Word (.docx) est attendu."
TEMPLATE_UNREADABLE = "{path} : modèle illisible ({detail})."

LINT_SPLIT_TAG = ("balise {tag!r} coupée entre plusieurs segments de texte Word : retapez-la d'un "
                  "seul tenant.")
LINT_UNBALANCED = "balise incomplète : « {opener} » sans son pendant."
LINT_SYNTAX = "erreur de syntaxe Jinja : {detail}"
LINT_UNKNOWN_VARIABLE = ("variable inconnue « {name} » pour ce type de document ; connues : "
                         "{known}.")
LINT_TRIAL = "rendu d'essai"
LINT_PARAGRAPH = "{part}, paragraphe « {text} »"
LINT_NOTHING = ("{root} : aucun modèle à vérifier (convention.docx, adhesion.docx, avenant.docx, "
                "convocation.docx, compte-rendu.docx).")
LINT_PROBLEMS = "{n} problème(s) dans les modèles."
LINT_OK = "{n} modèle(s) vérifié(s) : aucun problème."

# ------------------------------------------------------------------ build
NO_COPIL_ON = "{case} : aucun COPIL le {dates} ; COPIL du dossier : {known}."
NOTHING_TO_BUILD = "{case} : aucun document à produire pour {kinds}."
PDF_DIFFERS = "{name} : le PDF ne reprend pas exactement le texte du DOCX :\n  {problems}"
PDF_OUTPUT_ONE = "-o ne vaut que pour un seul DOCX ; pour plusieurs, utilisez --out-dir."
PDF_SOURCE_MISSING = "{path} : fichier introuvable."
PDF_SOURCE_NOT_DOCX = "{path} : un fichier .docx est attendu."
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

# ------------------------------------------------------------------ output
HAND_EDITED = ("ces fichiers ont été modifiés à la main depuis leur génération (ou n'ont pas été "
               "produits par docgen) ; rien n'a été écrit :\n{names}\nRenommez-les pour garder vos "
               "modifications, ou relancez avec --force : docgen en gardera une copie « .modifie » "
               "à côté.")
MANIFEST_UNREADABLE = ("{path} : manifeste illisible ({detail}) ; supprimez-le ou relancez avec "
                       "--force.")
BUSY = ("{folder} : une autre construction de ce dossier est en cours ; attendez qu'elle se "
        "termine.")
CANNOT_WRITE = ("{folder} : impossible d'écrire les documents ({reason}) ; les documents "
                "précédents sont intacts.")
DISK_FULL = "disque plein"
NO_PERMISSION = "écriture refusée (droits)"
READ_ONLY = "dossier en lecture seule"
QUOTA = "quota disque dépassé"

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
