"""Messages about reading a case file: YAML syntax and positions, and field types."""

from __future__ import annotations

# ------------------------------------------------------------------ load/validate.py
# The wording of a pydantic error, keyed on its type (« {shown} » is the value found).
PYDANTIC_TYPES = {
    "string_type": "texte attendu",
    "string_too_short": "texte vide : écrivez une valeur ou supprimez la ligne",
    "int_type": "nombre entier attendu, trouvé {shown}",
    "int_parsing": "nombre entier attendu, trouvé {shown}",
    "int_from_float": "nombre entier attendu, trouvé {shown}",
    "decimal_type": "montant attendu (ex. 150000, 240 550 € ou 4525,85), trouvé {shown}",
    "decimal_parsing": "montant attendu (ex. 150000, 240 550 € ou 4525,85), trouvé {shown}",
    "finite_number": "montant attendu, pas l'infini",
    "bool_type": "vrai ou faux attendu (true / false), trouvé {shown}",
    "bool_parsing": "vrai ou faux attendu (true / false), trouvé {shown}",
    "list_type": "liste attendue (un élément par ligne, précédé de « - »)",
    "model_type": "groupe de champs attendu (lignes « clé: valeur » indentées)",
    "dict_type": "groupe de champs attendu (lignes « clé: valeur » indentées)",
    "model_attributes_type": "groupe de champs attendu (lignes « clé: valeur » indentées)",
    "date_type": "date attendue (JJ/MM/AAAA ou AAAA-MM-JJ), trouvé {shown}",
    "date_parsing": "date attendue (JJ/MM/AAAA ou AAAA-MM-JJ), trouvé {shown}",
    "date_from_datetime_parsing": "date attendue (JJ/MM/AAAA ou AAAA-MM-JJ), trouvé {shown}",
    "date_from_datetime_inexact": "date attendue sans heure (AAAA-MM-JJ)",
    "frozen_instance": "valeur non modifiable",
}

# ------------------------------------------------------------------ load/validate.py
PYDANTIC_OTHER = "valeur invalide {shown} ({value})."
SHOWN_EMPTY = "une valeur vide"
FICHIER_DOIT_CONTENIR_CHAMPS = ("le fichier doit contenir des champs « clé: valeur » au premier "
                                "niveau.")
CHAMP_OBLIGATOIRE_MANQUANT_AJOUTEZ = "champ obligatoire manquant : ajoutez « {loc}: … »."
VOULIEZ_VOUS_DIRE = " Vouliez-vous dire « {close} » ?"
CLE_INCONNUE = "clé inconnue « {loc} ».{hint}"
TEXTE_TROP_LONG_CARACTERES = "texte trop long ({n} caractères ; au plus {value})."
LISTE_VIDE_MOINS_ELEMENT = "liste vide : au moins {value} élément attendu."
LISTE_TROP_LONGUE_PLUS = "liste trop longue : au plus {value} éléments."
DOIT_ETRE_SUPERIEUR_EGAL = "doit être supérieur ou égal à {value}, trouvé {shown}."
DOIT_ETRE_INFERIEUR_EGAL = "doit être inférieur ou égal à {value}, trouvé {shown}."
PLUS_DECIMALES_CENTIMES_TROUVE = "au plus {value} décimales (les centimes), trouvé {shown}."
MONTANT_TROP_GRAND = "montant trop grand : {shown}."
OPERATION_INCONNUE_OPERATIONS_POSSIBLES = ("opération {shown} inconnue ; opérations possibles : "
                                           "{items}.")
OPERATION_NON_PRECISEE_AJOUTEZ = "opération non précisée : ajoutez « operation: … » ({items})."
VALEUR_INCONNUE_VALEURS_ADMISES = "valeur {shown} inconnue ; valeurs admises : {expected}."
FORMAT_INATTENDU = "format inattendu : {shown}."
SHOWN_GROUP = "un groupe de valeurs"
SHOWN_LIST = "une liste"
IDENTIFIANT_INVALIDE_MINUSCULES_SANS = ("identifiant invalide {shown} : minuscules sans accent, "
                                        "chiffres et tirets seulement (ex. « cc-pays-des-ecrins "
                                        "»).")
CLES_ADMISES = " Clés admises : "

# ------------------------------------------------------------------ load/yamlpos.py
# PyYAML's problem (the start of its English text) → what a user reads.
YAML_SYNTAX = {
    "mapping values are not allowed": "« : » inattendu (une valeur contenant « : » "
    "doit être entre guillemets, ou l'indentation est décalée)",
    "found character that cannot start any token": "caractère inattendu en début de valeur "
    "(mettez la valeur entre guillemets)",
    "found unexpected ':'": "« : » inattendu (mettez la valeur entre guillemets)",
    "could not find expected": "symbole attendu manquant (guillemet, crochet ou « : » non fermé ?)",
    "could not find expected ':'": "« : » attendu après la clé",
    "found character '\\t' that cannot start any token": "tabulation interdite pour "
    "l'indentation : utilisez des espaces",
    "did not find expected key": "clé attendue : l'indentation est probablement décalée",
    "found undefined alias": "alias inconnu (« * » sans ancre « & » correspondante)",
    "found unexpected end of stream": "fin de fichier inattendue (guillemet non fermé ?)",
    "did not find expected '-' indicator": "élément de liste « - » attendu",
    "found unknown escape character": "séquence d'échappement inconnue entre guillemets",
    "sequence entries are not allowed here": "élément de liste « - » inattendu ici "
    "(l'indentation est probablement décalée)",
    "block sequence entries are not allowed": "élément de liste « - » inattendu ici "
    "(l'indentation est probablement décalée)",
    "expected <block end>, but found": "indentation incohérente : un élément est décalé "
    "par rapport aux précédents",
    "expected a comment or a line break": "texte inattendu après la valeur (mettez la "
    "valeur entre guillemets)",
    "expected alphabetic or numeric character": "nom d'ancre ou d'alias invalide après « & » "
    "ou « * » (mettez la valeur entre guillemets)",
    "expected ',' or ']'": "« , » ou « ] » attendu dans une liste entre crochets",
    "expected ',' or '}'": "« , » ou « } » attendu dans un groupe entre accolades",
    "found duplicate anchor": "ancre « & » définie deux fois",
    "found a tab character": "tabulation interdite : utilisez des espaces",
    "found unexpected document": "« --- » ou « ... » inattendu",
    "while scanning a directive": "directive « % » inattendue en début de ligne",
    "found incompatible YAML document": "version de YAML non prise en charge",
}

# ------------------------------------------------------------------ load/yamlpos.py
ERREUR_SYNTAXE_YAML_STRUCTURE = ("erreur de syntaxe YAML : structure inattendue à cet endroit "
                                 "(vérifiez l'indentation, les guillemets, les crochets et les « "
                                 ": »).")
CHARACTER_RANK = "{index}e caractère du texte"
CHARACTER_SHOWN = "« {ch} » (U+{cp:04X})"
CONTROLE_DIRECTION = "contrôle de direction"
CARACTERE_INVISIBLE = "caractère invisible"
FICHIER_VIDE_DOIT_CONTENIR = "le fichier est vide : il doit contenir des champs « clé: valeur »."
FICHIER_CONTIENT_PLUSIEURS_DOCUMENTS = ("le fichier contient plusieurs documents YAML (« --- ») : "
                                        "un seul est attendu.")
ERREUR_SYNTAXE_YAML = "erreur de syntaxe YAML : {fr}."
FICHIER_PAS_ENCODE_UTF = ("le fichier n'est pas encodé en UTF-8 (enregistrez-le en UTF-8 depuis "
                          "votre éditeur).")
CARACTERE_CONTROLE_INTERDIT_U = ("caractère de contrôle interdit (U+{code:04X}) : seuls la "
                                 "tabulation et le retour à la ligne sont admis dans un texte.")
ERREUR_SYNTAXE_YAML_FICHIER = "erreur de syntaxe YAML : fichier illisible."
FICHIER_INTROUVABLE = "fichier introuvable."
CHEMIN_PAS_FICHIER = "ce chemin n'est pas un fichier."
FICHIER_ILLISIBLE_DROITS_LECTURE = "fichier illisible : droits de lecture insuffisants."
FICHIER_ILLISIBLE_ERREUR_SYSTEME = "fichier illisible (erreur du système {errno})."
CARACTERE_CONTROLE_U = "caractère de contrôle U+{cp:04X}"
U_MOITIE_PAIRE_SUBSTITUTION = "U+{cp:04X}, moitié de paire de substitution isolée"
ERREUR_SYNTAXE_YAML_TABULATION = ("erreur de syntaxe YAML : tabulation interdite pour "
                                  "l'indentation, utilisez des espaces.")
TROP_VALEURS_FOIS_ALIAS = ("trop de valeurs une fois les alias (« *nom ») développés : fichier "
                           "refusé (alias en cascade ?).")
FUSION_PAS_PRISE_CHARGE = "la fusion « << » n'est pas prise en charge."
CLE_DOIT_ETRE_SIMPLE = "une clé doit être un simple mot."
CLE_DOUBLE_DEJA_DEFINIE = ("clé « {key} » en double (déjà définie ligne {first}) : supprimez "
                           "l'une des deux.")
ACCENT_SANS_LETTRE = ("accent combinant {mark} posé sur « {base} » sans former de lettre accentuée : "
                      "le PDF ne le restituerait pas tel quel ; tapez la lettre accentuée "
                      "elle-même (é, è, ê…) ou retirez l'accent en trop.")
CARACTERE_AUCUNE_POLICE_DOCUMENTS = ("caractère {missing} qu'aucune police des documents ne sait "
                                     "dessiner : il ne pourrait pas être imprimé dans le PDF ; "
                                     "remplacez-le.")
VALEUR_ILLISIBLE = "valeur illisible"
FORMAT_ATTENDU_AAAA_MM = "{what} : « {value} » (format attendu AAAA-MM-JJ)."

# ------------------------------------------------------------------ load/yamlpos.py
DATE_IMPOSSIBLE = "date impossible"
