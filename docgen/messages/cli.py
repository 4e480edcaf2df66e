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

# ------------------------------------------------------------------ cli.py
# click's English usage errors (a regular expression) → the French replacement (\\1: the group).
CLICK_USAGE = [
    (r"No such command '(.+)'\.", r"commande inconnue « \1 » (voir docgen --help)."),
    (r"No such option:? '?([^'\s]+)'?", r"option inconnue « \1 »."),
    (r"Missing argument '(.+)'\.", r"argument manquant : \1."),
    (r"Missing option '(.+)'\.", r"option obligatoire manquante : \1."),
    (r"Option '(.+)' requires an argument\.", r"l'option « \1 » attend une valeur."),
    (r"Option '(.+)' does not take a value\.", r"l'option « \1 » ne prend pas de valeur."),
    (r"Got unexpected extra arguments? \((.+)\)", r"arguments en trop : \1."),
    (r"Invalid value for '(.+)': (.+)", r"valeur invalide pour « \1 » : \2"),
]

# ------------------------------------------------------------------ cli.py
OPTION_INCONNUE = "option inconnue « {option_name} ».{hint}"
CLI_VALEUR_INVALIDE = "valeur invalide pour « {param} » : {shown}."
RANGE_HELP = "de {min} à {max}"
AFFICHER_VERSION_QUITTER = "Afficher la version et quitter."
AFFICHER_TRACE_COMPLETE_CAS = "Afficher la trace complète en cas d'erreur interne."
TYPE_DOCUMENT_PRODUIRE_REPETABLE = "Type de document à produire (répétable) ; par défaut tous."
FORCER_MENTION_PROJET_RETIRER = ("Forcer la mention PROJET, ou la retirer (par défaut : PROJET "
                                 "tant que la date de signature n'est pas renseignée).")
DOSSIER_SORTIE_DOCUMENTS_VONT = ("Dossier de sortie ; les documents vont dans "
                                 "DOSSIER/<territoire>/ (par défaut : output).")
TOUT_RECONSTRUIRE_ECRASER_DOCUMENTS = ("Tout reconstruire, et écraser des documents modifiés à la "
                                       "main (une copie « .modifie » est gardée).")
DOC_COPIL_SEULEMENT_COPIL = ("Avec --doc copil : seulement le COPIL de cette date (AAAA-MM-JJ ; "
                             "répétable).")
JOBS_BUILD_HELP = ("Processus en parallèle : les territoires, ou les documents d'un seul "
                   "territoire (par défaut : le nombre de cœurs).")
JOBS_PDF_HELP = "Fichiers traités en parallèle (par défaut : le nombre de cœurs)."
PDF_LIMIT_HELP = ("Secondes accordées à la mise en page de chaque fichier, au-delà de quoi elle est "
                  "arrêtée et rien n'est écrit (par défaut : {default} ; ou la variable "
                  "d'environnement {env}).")
PRODUIRE_AUSSI_PDF_DEFAUT = "Produire aussi les PDF (par défaut) ; --no-pdf : seulement les DOCX."
FICHIER_DOCX = "FICHIER.docx…"
PDF_ECRIRE_SEUL_DOCX = "PDF à écrire, pour un seul DOCX (par défaut : même nom, en .pdf)."
DOSSIER_ECRIRE_PDF_DEFAUT = "Dossier où écrire les PDF (par défaut : à côté de chaque DOCX)."
REMPLACER_PDF_EXISTENT_DEJA = "Remplacer les PDF qui existent déjà."
ECRIRE_OPERATIONS_FICHIER_PLUTOT = ("Écrire les opérations dans ce fichier plutôt que sur la "
                                    "sortie standard.")
REMPLACER_FICHIER_EXISTE_DEJA = "Remplacer le fichier s'il existe déjà."
DOSSIER_TERRITOIRE_FOURNIT_DONNEES = ("Dossier de territoire qui fournit les données d'essai et "
                                      "dont les modèles propres sont vérifiés aussi (par défaut "
                                      "le cas d'exemple).")
ESPACE_TRAVAIL_CTRL_ARRETER = "Espace de travail : {url}  (Ctrl-C pour arrêter)"
ADRESSE_ECOUTE_AILLEURS_CET = ("Adresse d'écoute ; ailleurs que sur cet ordinateur, un jeton est "
                               "exigé.")
DOSSIER_DOCUMENTS_PRODUITS_DEFAUT = ("Dossier des documents produits (par défaut : output/ à côté "
                                     "du dossier).")
JETON_ACCES_DOCGEN_TOKEN = ("Jeton d'accès (ou DOCGEN_TOKEN) ; tiré au hasard si l'adresse n'est "
                            "pas locale.")
AFFICHER_AIDE_QUITTER = "Afficher cette aide et quitter."
ARGUMENT_MANQUANT = "argument manquant"
VALEUR_DONNEE = "la valeur donnée"
CLI_VALEUR_DATE = ("valeur invalide pour « {param} » : {shown} n'est pas une date au "
                            "format AAAA-MM-JJ (ex. 2026-01-16).")
CLI_VALEUR_ENTIER_ENTRE = ("valeur invalide pour « {param} » : {shown} ; un nombre entier "
                                 "de {min} à {max} est attendu.")
CLI_VALEUR_ENTIER = ("valeur invalide pour « {param} » : {shown} ; un nombre entier "
                                   "est attendu.")
DOSSIER_INTROUVABLE_DOCGEN_SERVE = "{cases_dir} : dossier introuvable (ex. docgen serve cases)."
TYPE_FICHIER_DECRIT_DEFAUT = "Type de fichier décrit (par défaut : convention) : "
CLI_VALEUR_CHOIX = "valeur invalide pour « {param} » : {shown} ; valeurs admises : "

# ------------------------------------------------------------------ cli.py
OPTION_OBLIGATOIRE_MANQUANTE = "option obligatoire manquante"
CLI_DID_YOU_MEAN = " Vouliez-vous dire "
CLI_OR = " ou "
CLI_QUOTED = "« {p} »"

# ------------------------------------------------------------------ cli.py (help layout)
CLI_COMMANDS_SECTION = "Commandes"
CLI_GROUP_USAGE = "[OPTIONS] COMMANDE [ARGUMENTS]…"
BUILD_LIMIT_HELP = ("Secondes accordées à chaque document (avec son PDF) : au-delà, sa production "
                    "est arrêtée (modèle qui boucle). Plusieurs territoires à la fois : chacun a "
                    "ce temps en tout. Défaut : {default}.")
