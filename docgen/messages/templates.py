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


# ------------------------------------------------------------------ templating.py
# `docgen templates text`: how a page break shows in the text of a template.
PAGE_BREAK_SHOWN = "[saut de page]"
TEXT_VIEW_BODY = "corps"
TEXT_VIEW_PROPERTIES = "=== propriétés ==="
LINT_DEFAULT_ROOT = "modèles"
