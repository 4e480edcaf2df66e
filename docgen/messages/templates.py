"""Messages about templates: search path, overrides, sandbox refusals, template lint."""

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
TEMPLATE_PART_NOT_XML = ("partie {part} : XML mal formé à la ligne {line} ; rouvrez le modèle dans "
                         "Word et enregistrez-le à nouveau")
TEMPLATE_NOT_ZIP = "ce n'est pas un fichier Word lisible : archive abîmée"
TEMPLATE_FILE_UNREADABLE = "fichier introuvable ou illisible"
# What a template asked for and was refused or failed (templating.BoundedSandbox): where, then
# what; no final full stop, as a Word template's renderer quotes it inside its own sentence.
TEMPLATE_CALC_REFUSED = "{where}{detail} ; corrigez le modèle"
TEMPLATE_CALC_WHERE = "{name}, ligne {line} : "
TEMPLATE_CALC_WHERE_NAME = "{name} : "
CALC_DIVISION_ZERO = "division par zéro dans un calcul"
CALC_NUMBER_TOO_BIG = "calcul d'un nombre démesuré (plus de {digits} chiffres)"
CALC_NUMBER_OUT_OF_RANGE = "calcul d'un nombre hors des limites"
CALC_TOO_LONG = "texte ou liste démesuré (plus de {limit} caractères ou éléments)"
CALC_WIDTH = "largeur ou répétition démesurée dans une mise en forme (au plus {limit})"
CALC_RANGE = "boucle démesurée (range() est limité à {limit} éléments)"
CALC_RECURSION = "macro qui s'appelle elle-même sans fin"
CALC_MEMORY = "mémoire épuisée par le modèle"
CALC_TYPES = "opération « {op} » impossible entre {left} et {right}"
CALC_KIND_NONE = "une valeur vide"
CALC_KIND_BOOL = "un vrai/faux"
CALC_KIND_NUMBER = "un nombre"
CALC_KIND_TEXT = "un texte"
CALC_KIND_LIST = "une liste"
CALC_KIND_GROUP = "un groupe de valeurs"
CALC_KIND_OTHER = "une valeur d'un autre type"
LINT_SPLIT_TAG = ("balise {tag!r} coupée entre plusieurs segments de texte Word : retapez-la d'un "
                  "seul tenant.")
LINT_UNBALANCED = "balise incomplète : « {opener} » sans son pendant."
LINT_SYNTAX = "erreur de syntaxe Jinja : {detail}"
LINT_APOSTROPHE = ("apostrophe droite « ' » dans le texte du modèle : tapez l'apostrophe "
                   "typographique « ’ » (les valeurs du dossier la reçoivent à l'impression).")
LINT_UNKNOWN_VARIABLE = ("variable inconnue « {name} » pour ce type de document ; celles que ce "
                         "modèle peut utiliser : {known}.")
LINT_UNDEFINED = "variable inconnue « {name} »"
LINT_NO_ATTRIBUTE = "« {name} » n'existe pas dans la donnée où le modèle la cherche"
LINT_PART_BODY = "corps du document"
LINT_PART_HEADER = "en-tête"
LINT_PART_FOOTER = "pied de page"
LINT_TRIAL = "rendu d'essai"
LINT_PARAGRAPH = "{part}, paragraphe « {text} »"
LINT_NOTHING = ("{root} : aucun modèle à vérifier (convention.docx, adhesion.docx, avenant.docx, "
                "convocation.docx, compte-rendu.docx).")
LINT_PROBLEMS = "{n} problème(s) dans les modèles."
LINT_NEEDS_CASE = ("le cas d'exemple n'est pas installé avec docgen : indiquez un dossier de "
                   "territoire avec --case.")
LINT_OK = "{n} modèle(s) vérifié(s) : aucun problème."


# ------------------------------------------------------------------ templating.py
# `docgen templates text`: how a page break shows in the text of a template.
PAGE_BREAK_SHOWN = "[saut de page]"
TEXT_VIEW_BODY = "corps"
TEXT_VIEW_PROPERTIES = "=== propriétés ==="
LINT_DEFAULT_ROOT = "modèles"
TEMPLATE_PROPERTY_TOO_LONG = ("{name} : la propriété « {prop} » du document ferait {n} caractères, "
                              "Word n'en admet que 255 : raccourcissez-la dans le modèle (Fichier > "
                              "Propriétés) ou le texte qu'elle reprend.")
PROPERTY_NAMES = {"title": "Titre", "subject": "Objet", "keywords": "Mots clés",
                  "category": "Catégorie", "author": "Auteur"}  # as Word's Properties show them
