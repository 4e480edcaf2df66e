"""Every French message docgen prints about templates, builds and outputs, in one place.

Messages are str.format patterns; the code fills in names, paths and numbers. (The loader's
messages about case files are here too: see the section « dossier ».)
"""

from __future__ import annotations

# ------------------------------------------------------------------ templates
TEMPLATE_NOT_FOUND = "modèle introuvable : {name} (cherché dans : {where})."
TEMPLATE_OUTSIDE = ("{path} : ce modèle est un lien vers un fichier hors de {root} ; copiez le "
                    "fichier lui-même dans le dossier des modèles.")
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
LINT_APOSTROPHE = ("apostrophe droite « ' » dans le texte du modèle : tapez l'apostrophe "
                   "typographique « ’ » (les valeurs du dossier la reçoivent à l'impression).")
LINT_UNKNOWN_VARIABLE = ("variable inconnue « {name} » pour ce type de document ; connues : "
                         "{known}.")
LINT_TRIAL = "rendu d'essai"
LINT_PARAGRAPH = "{part}, paragraphe « {text} »"
LINT_NOTHING = ("{root} : aucun modèle à vérifier (convention.docx, adhesion.docx, avenant.docx, "
                "convocation.docx, compte-rendu.docx).")
LINT_PROBLEMS = "{n} problème(s) dans les modèles."
LINT_NEEDS_CASE = ("le cas d'exemple n'est pas installé avec docgen : indiquez un dossier de "
                   "territoire avec --case.")
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
YAML_TOO_DEEP = ("imbrication trop profonde : plus de {limit} niveaux de listes ou de groupes "
                 "(un dossier réel en a moins de 10) ; fichier refusé.")
YAML_TOO_MANY_NODES = ("trop de valeurs dans ce fichier (plus de {limit}) : fichier refusé "
                       "(un dossier réel en compte quelques milliers).")
INVISIBLE_CHARACTER = ("caractère interdit ({name}, {where}) : il ne s'imprime pas ou change "
                       "l'ordre d'affichage du texte ; seuls la tabulation et le retour à la "
                       "ligne sont admis. Retapez la valeur sans ce caractère.")
ASSET_MISSING = "fichier introuvable."
ASSET_OUTSIDE = ("lien vers un fichier hors du dossier du territoire ({target}) : refusé ; copiez "
                 "le fichier dans le dossier assets/.")
ASSET_NOT_REGULAR = ("ce n'est pas un fichier ordinaire (tube, périphérique ou dossier) : refusé "
                     "sans être lu.")
ASSET_UNREADABLE = "fichier illisible (droits, ou lien refusé)."
ASSET_TOO_BIG = "fichier trop volumineux ({size} Kio) : la limite est de {limit} Mio pour une image."
ASSET_NOT_IMAGE = "ce fichier n'est pas une image PNG ou JPEG lisible."
ASSET_TOO_MANY_PIXELS = ("image trop grande ({width} × {height} pixels) : la limite est de "
                         "{limit} millions de pixels ; réduisez-la.")
ASSET_TOO_MANY = "trop de fichiers dans assets/ (plus de {limit}) : dossier refusé."
SVG_TOO_COMPLEX = ("dessin SVG trop complexe (plus de {limit} éléments ou de {uses} « <use> ») : "
                   "simplifiez-le ou exportez-le en PNG.")
SVG_ACTIVE = "dessin SVG refusé : il contient un élément actif « <{tag}> » ; retirez-le."
SVG_UNREADABLE = ("dessin SVG illisible : XML mal formé à cet endroit (balise non fermée, "
                  "caractère interdit ?) ; réexportez-le depuis votre logiciel de dessin.")
SVG_ENTITY = "dessin SVG refusé : il déclare des entités XML (« <!ENTITY »), inutiles dans un logo."
FILE_TOO_BIG = ("fichier trop volumineux ({size} Kio) : la limite est de {limit} Mio pour un "
                "fichier de dossier.")
LIST_TOO_LONG = ("liste trop longue ({n} éléments) : la limite est de {limit} ; un dossier réel en "
                 "compte bien moins (fichier collé deux fois ?).")
TOO_MANY_FILES = ("trop de fichiers d'avenants et de COPIL ({n}) : la limite est de {limit} par "
                  "territoire.")
RENDER_TIMEOUT = ("{name} : le modèle tourne depuis plus de {seconds} s sans finir (boucle sans "
                  "fin dans un modèle du territoire ?) : construction arrêtée, rien n'a été écrit.")
USAGE_HELP = "Aide : {command} --help"

# ------------------------------------------------------------------ verify: what a signer checks
PDF_UNREADABLE = "PDF illisible ({detail})."
PDF_AT_OPEN = "à l'ouverture du document"
PDF_AT_DOCUMENT = "dans les actions du document"
PDF_AT_PAGE = "page {page}"
PDF_JAVASCRIPT_NAMES = "contient du JavaScript (scripts de document) : à refuser avant signature."
PDF_EMBEDDED = "contient {n} fichier(s) intégré(s) : un document à signer n'en porte aucun."
PDF_ATTACHMENT_ANNOT = "{where} : pièce jointe intégrée dans une annotation."
PDF_XFA = "contient un formulaire XFA (contenu dynamique) : à refuser avant signature."
PDF_ACTION = "{where} : action interdite dans un document à signer : {what}."
PDF_LOCAL_LINK = "{where} : lien vers un fichier local ou un chemin ({uri}) : à retirer."
PDF_BAD_LINK = ("{where} : lien vers une adresse qui n'est ni web (http, https) ni courriel "
                "({uri}) : à retirer.")
PDF_CONTENT_UNREADABLE = "page {page} : contenu illisible (flux de dessin corrompu)."
PDF_INVISIBLE = "page {page} : texte invisible ({what}) : {n} passage(s)."
PDF_INVISIBLE_MODE = "mode de rendu invisible"
PDF_INVISIBLE_WHITE = "blanc sur fond blanc"
PDF_INVISIBLE_CLIPPED = "masqué par un découpage"
PDF_INVISIBLE_OFF_PAGE = "hors de la page"
PDF_PERMS = "le document est verrouillé pour la signature (/Perms, certification) : à refuser."
PDF_SIG_FILLED = "le champ de signature « {name} » est déjà rempli (signé) : il doit être vide."
PDF_SIG_LOCKED = "le champ de signature « {name} » verrouille des champs (/Lock) : à refuser."
PDF_SIG_READONLY = "le champ de signature « {name} » est en lecture seule : il ne pourra être signé."
PDF_SIG_MISSING = "champs de signature attendus {want}, trouvés {have}."
PDFA_NO_CLAIM = "pas de déclaration PDF/A dans les métadonnées XMP (pdfaid:part)."
PDFA_NO_CONFORMANCE = "déclaration PDF/A-{part} incomplète : niveau de conformité (pdfaid:conformance) absent."
PDFA_NO_INTENT = "pas de profil de couleurs de sortie PDF/A (OutputIntent GTS_PDFA1) : la déclaration PDF/A n'est pas fondée."
VERIFY_NO_MANIFEST = ("{folder} : aucun manifest.json (ce dossier n'a pas été produit par docgen "
                      "build).")
VERIFY_MISSING = "{path} : fichier manquant."
VERIFY_CHANGED = ("{path} : modifié depuis sa production (empreinte SHA-256 différente de "
                  "manifest.json).")
VERIFY_MANIFEST_UNREADABLE = "{path} : manifeste illisible ({detail})."
VERIFY_OUTSIDE = "manifest.json nomme un fichier hors du dossier produit ({path}) : ignoré."
BATCH_CRASHED = ("le processus de construction s'est arrêté brutalement (mémoire épuisée ou "
                 "processus tué) ; les autres territoires ont été construits.")
RENDER_TOO_BIG = ("{name} : le modèle demande une boucle ou un nombre démesuré (range() est limité "
                  "à 100 000 éléments dans un modèle) : corrigez le modèle du territoire.")
RENDER_RECURSION = ("{name} : le modèle s'appelle lui-même sans fin (macro récursive) : corrigez "
                    "le modèle du territoire.")
RENDER_MEMORY = "{name} : le modèle a épuisé la mémoire : corrigez le modèle du territoire."
NOT_A_FOLDER = "un fichier porte déjà le nom du dossier de sortie"
IS_A_FOLDER = "un dossier porte le nom d'un document à écrire"
NAME_TOO_LONG = "nom de fichier trop long"
TOO_MANY_OPEN = "trop de fichiers ouverts"
IO_ERROR = "erreur d'entrée-sortie du disque"
OTHER_OS_ERROR = "erreur du système ({code})"
DOCX_TOO_BIG = "{path} : fichier trop volumineux pour un document Word (limite : {limit} Mio)."
DOCX_NOT_WORD = ("{path} : ce n'est pas un document Word (.docx) lisible (fichier abîmé, ou "
                 "enregistré dans un autre format ?).")
DOCX_NOT_REGULAR = ("{path} : ce n'est pas un fichier ordinaire (dossier, tube ou périphérique) : "
                    "refusé sans être lu.")
