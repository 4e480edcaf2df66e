"""Messages of the hand-off of an act (docgen/remise.py, docgen/load/remise.py): the operators'
rules (Pastell, i-Parapheur, @ctes, S²low), each named with its field."""

from __future__ import annotations

# ------------------------------------------------------------------ the rules (load and remise)
# « {valeur} » is the value found, shown with its control characters escaped.
RG_NUMERO_VIDE = "numéro d'acte vide : @ctes en demande un (1 à 15 caractères)."
RG_NUMERO_LONG = ("« {valeur} » a {n} caractères : un numéro d'acte en a 15 au plus (règle "
                  "@ctes).")
RG_NUMERO_CARACTERES = ("« {valeur} » : un numéro d'acte ne s'écrit qu'en chiffres, majuscules "
                        "sans accent et _ (règle @ctes), pas {caracteres}.")
RG_NUMERO_SOULIGNE = ("« {valeur} » : un numéro d'acte ne commence ni ne finit par _ (règle "
                      "S²low).")
RG_MODELE_ACCOLADE = ("« {valeur} » : seuls {{annee}} et {{numero}} s'écrivent entre accolades "
                      "dans un modèle de numéro.")
RG_MODELE_SANS_NUMERO = ("« {valeur} » : le numéro d'un avenant contient {{numero}} (le numéro "
                         "de l'avenant), sinon deux avenants porteraient le même numéro.")
RG_MODELE_NUMERO_ICI = ("« {valeur} » : {{numero}} est le numéro d'un avenant ; il n'a pas de "
                        "sens pour cet acte.")
RG_MODELE_LONG = ("« {valeur} » donne des numéros de {n} caractères (ex. « {exemple} ») : un "
                  "numéro d'acte en a 15 au plus (règle @ctes) ; {{annee}} en compte 4, "
                  "{{numero}} 2.")
RG_MODELE_DOUBLE = ("« {valeur} » est aussi le modèle du numéro de la convention d'adhésion : "
                    "deux actes de la même année porteraient le même numéro.")
RG_OBJET_VIDE = "objet vide : @ctes en demande un (1 à 499 caractères)."
RG_OBJET_LONG = ("l'objet a {n} caractères : 499 au plus (règle @ctes et Pastell) ; "
                 "raccourcissez-le.")
RG_LIGNE = ("« {valeur} » contient un retour à la ligne : la valeur tient sur une ligne (règle "
            "S²low et Pastell).")
RG_CONTROLE = ("« {valeur} » contient un caractère de contrôle ({code}) : il ne passe pas dans "
               "un fichier XML ; retapez la valeur.")
RG_CLASSIFICATION_UNE = ("« {valeur} » ne donne que la matière : @ctes demande aussi la "
                         "sous-matière, au moins deux codes séparés par un point (ex. « 8.5 »).")
RG_CLASSIFICATION = ("« {valeur} » : une classification s'écrit en nombres de 1 à 99 séparés par "
                     "des points, de deux à cinq niveaux (ex. « 8.5 », « 7.4.2 »), entre "
                     "guillemets.")
RG_TYPE_PIECE = ("« {valeur} » : un type de pièce s'écrit deux chiffres, _ et deux majuscules "
                 "(ex. « 99_CO »), comme dans la typologie des pièces de la préfecture.")
RG_SIREN = "« {valeur} » : un SIREN s'écrit en 9 chiffres, sans espace, entre guillemets."
RG_SIREN_CLE = ("« {valeur} » n'est pas un SIREN : sa clé de contrôle ne correspond pas ; "
                "vérifiez-le sur l'annuaire des entreprises.")
RG_DEPARTEMENT = ("« {valeur} » : numéro de département attendu, entre guillemets (« 05 », "
                  "« 2A », « 974 »).")
RG_TEXTE_VIDE = "valeur vide : écrivez-la telle que le parapheur la connaît."

# ------------------------------------------------------------------ docgen remise
# The field each rule applies to, in the words of Pastell's form and of the case.
REMISE_CHAMPS = {
    "numero_de_lacte": "numéro de l'acte (numero_de_lacte)",
    "objet": "objet de l'acte (objet)",
    "classification": "classification (classification)",
    "type_acte": "type de la pièce principale (type_acte)",
    "type_pj": "type d'une annexe (type_pj)",
    "iparapheur_type": "type i-Parapheur (iparapheur_type)",
    "iparapheur_sous_type": "sous-type i-Parapheur (iparapheur_sous_type)",
    "classification_libelle": "libellé de la classification (classification_libelle)",
}
REMISE_REFUS = "{champ} : {regle}"
REMISE_REFUS_SOURCE = "{champ}, tiré de {source} : {regle}"
REMISE_REFUSEE = "{case} : remise de {acte} refusée, rien n'a été écrit :\n{problemes}"
REMISE_SANS_REGLAGES = (
    "{case} : territoire.yaml n'a pas de section « remise » : ajoutez-y le SIREN, le "
    "département, la classification, les types de pièces et le type de dossier du parapheur "
    "(voir le README, « Transmettre au parapheur et au contrôle de légalité »).")
REMISE_SANS_EMISSION = (
    "{case} : {acte} n'a pas de version émise pour signature au registre : il n'y a rien à "
    "remettre. Produisez-la d'abord (docgen relu avec le DOCX relu, ou docgen build une fois sa "
    "date de signature indiquée).")
REMISE_TROP_GROS = ("les pièces (l'acte et ses annexes) pèsent {taille} Mo en tout : {limite} Mo "
                    "au plus (règle @ctes et Pastell) ; allégez les annexes.")
REMISE_PDF_ILLISIBLE = ("{fichier} : pdfinfo ne lit pas ce PDF ({detail}) : le contrôle de "
                        "légalité le refuserait ; exportez-le de nouveau en PDF.")
REMISE_PDF_LENT = "{fichier} : pdfinfo ne l'a pas lu en {secondes} s : PDF refusé."
REMISE_PDFINFO_ABSENT = ("pdfinfo est introuvable : installez poppler-utils (il vérifie que "
                         "chaque PDF est lisible avant la remise).")
REMISE_ANNEXE_ILLISIBLE = "{fichier} : annexe introuvable ou illisible."
REMISE_ANNEXE_PAS_PDF = ("{fichier} n'est pas un PDF (il ne commence pas par %PDF-) : une "
                         "annexe se joint en PDF.")
REMISE_FAITE = "{acte} : dossier de remise écrit dans {dossier} (et {zip})."
REMISE_INCHANGEE = "{acte} : dossier de remise inchangé ({dossier})."
REMISE_PIECE = "  pièce {n} : {nom} ({role})"
REMISE_ROLES = {"acte": "l'acte", "annexe": "annexe"}
REMISE_ORIGINAL = "l'acte, original signé"
REMISE_EMIS = "l'acte, version émise pour signature"
REMISE_DEJA_SIGNE = ("{acte} est déjà {signe} : la remise ne passe pas par le parapheur "
                     "(envoi_signature: false dans ce dossier).")
REMISE_SANS_ORIGINAL = (
    "{acte} : c'est la version émise, sans les signatures, qui ira au contrôle de légalité ; "
    "importez d'abord l'original signé (docgen signature import, --papier pour un scan) si "
    "c'est lui que la préfecture doit recevoir.")
REMISE_VERS = {
    (True, True): "vers le parapheur, puis le contrôle de légalité",
    (True, False): "vers le parapheur",
    (False, True): "vers le contrôle de légalité",
    (False, False): "vers Pastell seulement (ni parapheur ni contrôle de légalité)",
}
REMISE_ROUTE = "{numero} ({acte}) : remise {vers}."

# ------------------------------------------------------------------ the documents' words
REMISE_NOM_ACTE = {"adhesion": "Convention d'adhésion", "convention": "Convention-cadre ORT"}
REMISE_NOM_AVENANT = "Avenant n° {n}"
REMISE_OBJET_ACTE = "{titre} ({territoire})"
REMISE_OBJET_AVENANT = ("Avenant n° {n} à la convention-cadre Petites Villes de Demain valant "
                 "opération de revitalisation de territoire ({territoire}) : {objet}")
REMISE_NOM_DOSSIER = "{numero} – {nom} – {territoire}"
REMISE_TYPE_PIECE_NOMBRE = "{n} fichier(s) typé(s)"  # Pastell's own words (type_piece)

# ------------------------------------------------------------------ the command line
REMISE_HELP_ANNEXE = ("PDF à joindre en annexe de l'acte (ex. une délibération) ; répétable, "
                      "dans l'ordre des annexes.")
REMISE_HELP_FORCE = ("Remplacer un fichier du dossier de remise modifié à la main (une copie "
                     "en est gardée).")
