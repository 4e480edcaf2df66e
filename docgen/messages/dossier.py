"""Messages about a case file's content: cross-field rules, avenants applied in order, drafts."""

from __future__ import annotations

# ------------------------------------------------------------------ resolve.py
SECTEUR_EXISTE_DEJA = "le secteur « {id} » existe déjà."
SECTEUR_ABSENT_SECTEURS = "le secteur « {id} » n'existe pas à cette date ; secteurs : {items}."
SECTEUR_ABSENT = "le secteur « {id} » n'existe pas à cette date."
SECTEUR_ENCORE_CELUI_FICHES = ("le secteur « {id} » est encore celui des fiches {items} : "
                               "modifiez-les d'abord.")
FICHE_ACTION_EXISTE_DEJA = ("la fiche action n° {numero} existe déjà ; choisissez le numéro "
                            "{suivant}.")
FICHE_ABSENTE_A_MODIFIER = ("la fiche action n° {numero} n'existe pas à cette date (jamais créée, "
                           "ou supprimée par un avenant précédent).")
FICHE_ABSENTE_A_SUPPRIMER = ("la fiche action n° {numero} n'existe pas à cette date (jamais "
                             "créée, ou déjà supprimée).")
DEJA_SIGNATAIRE = "« {partie} » est déjà signataire."
PAS_SIGNATAIRE_DATE = "« {partie} » n'est pas signataire à cette date."
DEJA_PARTENAIRE_ASSOCIE = "« {partie} » est déjà partenaire associé."
PAS_PARTENAIRE_ASSOCIE_DATE = "« {partie} » n'est pas partenaire associé à cette date."
DUREE_DEJA_ANS = "la durée est déjà de {duree_ans} ans."
AXE_EXISTE_DEJA = "l'axe « {id} » existe déjà."
AXE_ABSENT_AXES = "l'axe « {id} » n'existe pas à cette date ; axes : {items}."
AXE_ABSENT = "l'axe « {id} » n'existe pas à cette date."
AXE_ENCORE_CELUI_FICHES = ("l'axe « {id} » est encore celui des fiches {items} : modifiez-les "
                           "d'abord.")

# ------------------------------------------------------------------ drafting.py
CHAMPS_MODIFIENT_PAS_AVENANT = "ces champs ne se modifient pas par un avenant généré : "
TEXTE_VIDE_AVENANT_REMPLACE = ("le texte « {key} » est vidé : un avenant le remplace, il ne le "
                               "supprime pas.")
SECTEUR_CHAMP_VIDE_EXPRIME = ("secteur « {sid} » : un champ vidé ne s'exprime pas par « "
                              "modifier_secteur » ; supprimez puis ajoutez le secteur.")

# ------------------------------------------------------------------ load/rules.py
PLUSIEURS_REPRESENTANTS_FONCTION_PRECISEZ = ("plusieurs représentants de {nom} sont en fonction "
                                             "le {jour} ({names}) : précisez « representant: … ».")
PERIODE_DU_AU = "du {du} au {au}"
PERSONNE_REPRESENTE_AJOUTEZ_REPRESENTANT = ("personne ne représente {nom} le {jour} : ajoutez son "
                                            "représentant dans territoire.yaml (connus : {known}).")
FONCTION_DEPUIS = "en fonction depuis le {du}"
AUCUNE_COMMUNE_VILLE_PRINCIPALE = "aucune commune n'a « ville_principale: true »."
PARTIE_INCONNUE_PARTIES = "partie « {partie} » inconnue ; parties : {parties}."
ID_PROCHE = " (vouliez-vous dire « {id} » ?)"
SIGNE_DELEGATION_CITEZ_ARRETE = ("{nom} signe pour {par_delegation_de} et par délégation : citez "
                                 "l'arrêté de délégation de signature dans territoire.yaml (« "
                                 "arrete_delegation: {{numero: …, date: AAAA-MM-JJ}} »).")
PAS_REPRESENTANT_CONNUS = "« {nom} » n'est pas un représentant de {partie} (connus : {known})."
PAS_FONCTION = "{nom} n'est pas en fonction le {jour} ({periode})."
AUCUN_REPRESENTANT = "aucun représentant"
ETAT_DOIT_ETRE_SIGNATAIRE = "l'État doit être signataire d'une convention ORT."
INTERCOMMUNALITE_DOIT_ETRE_SIGNATAIRE = ("l'intercommunalité (« {epci} ») doit être signataire "
                                         "d'une convention ORT.")
VILLE_PRINCIPALE_DOIT_ETRE = "la ville principale doit être signataire d'une convention ORT."
AUCUN_SECTEUR_INTERVENTION_COUVRE = ("aucun secteur d'intervention ne couvre le centre-ville de "
                                     "la ville principale (« centre_ville: true »).")
AXE_INCONNU_AXES = "axe « {axe} » inconnu ; axes : {axes}."
SECTEUR_INCONNU_SECTEURS = "secteur « {secteur} » inconnu ; secteurs : {secteurs}."
FIN_AVANT_DEBUT = "fin ({fin}) avant le début ({debut})."
PLAN_FINANCEMENT_DEPASSE_COUT = ("le plan de financement ({total}) dépasse le coût de l'action "
                                 "({cout} {base}) de {excedent}.")
DOUBLE_DEJA_UTILISE = "{what} « {value} » en double (déjà utilisé par {base})."
PARTIE_TYPE_PAS_EPCI = "la partie « {epci} » est de type « {type} », pas « epci »."
PARTIE_TYPE_COMMUNE_DOIT = "une partie de type commune doit indiquer « commune: <id> »."
COMMUNE_INCONNUE_COMMUNES = "commune « {commune} » inconnue ; communes : {communes}."
PARTIE_INCONNUE_TERRITOIRE_YAML = ("partie « {partie} » inconnue dans territoire.yaml ; parties : "
                                   "{parties}.")
DELIBERATION_MANQUANTE_AJOUTEZ_DELIBERATION = ("délibération manquante pour {nom} : ajoutez « "
                                               "deliberation: {{numero: …, date: AAAA-MM-JJ}} ».")
DELIBERATION_POSTERIEURE_SIGNATURE = "délibération du {date}, postérieure à la signature du {jour}."
ARRETE_DELEGATION_APRES_SIGNATURE = ("l'arrêté de délégation n° {numero} de {nom} est du {date}, "
                                     "après la signature du {jour} : la délégation doit précéder "
                                     "la signature.")
SIGNE_DEJA_SIGNATAIRE_DOUBLE = "« {partie} » signe déjà : un signataire en double."
FIN_PHASE_AVANT_DEBUT = "fin de phase avant son début."
FINANCEUR_INCONNU_FINANCEURS = "financeur « {financeur} » inconnu ; financeurs : {financeurs}."
RESTE_FINANCER = "reste à financer : {reste} sur {cout} {base}."
FICHIER_APPELLE_MAIS_AVENANT = ("le fichier s'appelle « {name} » mais l'avenant porte le n° "
                                "{numero}.")
AVENANT_HORS_SEQUENCE_ATTENDU = ("avenant n° {numero} hors séquence : n° {expected} attendu (les "
                                 "avenants sont numérotés 1, 2, 3… sans trou).")
COPIL_AUCUN_A_VERIFIER = ("aucun COPIL dans copils/ : le COPIL du {day} ne peut être vérifié "
                            "(ajoutez copils/{jour_iso}.yaml).")
COPIL_TIENT_APRES_AVENANT = ("le COPIL du {day} se tient après l'avenant ({signed}) : il ne peut "
                             "l'avoir approuvé.")
FICHIER_APPELLE_MAIS_COPIL = "le fichier s'appelle « {name} » mais le COPIL est daté du {date}."
COPIL_DOUBLE_DEJA = "COPIL n° {numero} en double (déjà {seen})."
APRES_CET_AVENANT_AUCUN = ("après cet avenant, aucun secteur ne couvre plus le centre-ville de la "
                           "ville principale.")
COPIL_AVANT_ENTREE_PROGRAMME = ("COPIL du {date}, avant l'entrée dans le programme (convention "
                                "d'adhésion du {start}).")
COPIL_APRES_FIN_CONVENTION = "COPIL du {date}, après la fin de la convention ({end})."
COPIL_DATE_APRES_NUMEROS = ("COPIL n° {numero} daté après le n° {previous} du {date_precedent} : les "
                            "numéros suivent l'ordre des dates.")
FIN_FONCTION_AVANT_DEBUT = "fin de fonction ({au}) avant le début ({du})."
PHASE_HORS_CALENDRIER_ACTION = "phase hors du calendrier de l'action ({debut} – {fin})."
AVENANT_DATE_SUPPOSE_CONVENTION = ("un avenant daté suppose une convention signée "
                                   "(convention.yaml : signature.date).")
COPIL_APPROBATEUR_ABSENT = "aucun COPIL du {day} dans copils/ ; COPIL tenus : {items}."
FICHE_ACTION_ETE_SUPPRIMEE = ("la fiche action n° {numero} a été supprimée par l'avenant n° "
                              "{removed} : un numéro supprimé n'est jamais réutilisé ; choisissez "
                              "le n° {suivant}.")
PAS_INVITE_AJOUTEZ_LISTE = ("« {invite} » n'est pas invité : ajoutez-le à la liste « invites » ou "
                            "corrigez l'identifiant.")
REPRESENTE_ECRIT_ETAT_REPRESENTE = ("« represente_par » s'écrit pour l'état « represente », et "
                                    "seulement pour lui.")
POINT_ABSENT_ORDRE_JOUR = "point « {point} » absent de l'ordre du jour ; points : {points}."
FICHE_ABSENTE_LE = "la fiche action n° {fiche} n'existe pas le {date}."
FINANCEMENTS_OBTENUS_SUPERIEURS_COUT = ("financements obtenus ({total}) supérieurs au coût de "
                                        "l'action ({cost}).")
AVENANT_PAS_ENCORE_SIGNE = ("l'avenant n° {expected} n'est pas encore signé : un avenant se signe "
                            "après la convention et l'avenant précédent.")
SIGNATAIRES_EN_TROP = "en trop : "
AVENANT_SIGNE_TOUTES_PARTIES = ("un avenant est signé par toutes les parties de la convention à "
                                "cette date (")
PREVIOUS_CONVENTION = "la convention"
PREVIOUS_AVENANT = "l'avenant n° {expected}"
DATE_ANTERIEURE = "antérieure à"
DATE_IDENTIQUE = "identique à"
SIGNATURE_AVANT_PRECEDENT = "date du {signed} {when} celle de {what} ({previous})."

# ------------------------------------------------------------------ load/__init__.py
NOM_FICHIER_AVENANT_ATTENDU = ("nom de fichier d'avenant attendu : « NN-objet.yaml » (ex. « "
                               "01-quartier-gare.yaml »).")
NOM_FICHIER_COPIL_ATTENDU = "nom de fichier de COPIL attendu : « AAAA-MM-JJ.yaml »."
DOSSIER_INTROUVABLE_INDIQUEZ_DOSSIER = ("dossier introuvable : indiquez le dossier d'un "
                                        "territoire (ex. cases/pays-des-ecrins).")

# ------------------------------------------------------------------ model/adhesion.py
TITRE_ADHESION_PAR_DEFAUT = "Convention d'adhésion Petites Villes de Demain"


# ------------------------------------------------------------------ model/convention.py
TITRE_CONVENTION_PAR_DEFAUT = ("Convention-cadre Petites Villes de Demain valant Opération de "
                               "Revitalisation de Territoire")

# ------------------------------------------------------------------ load/rules.py (what is unique)
# « {what} « {value} » en double »: the word for the duplicated key.
UNIQUE_IDENTIFIANT = "identifiant"
UNIQUE_NUMERO = "numéro"
UNIQUE_INVITE = "invité"


# ------------------------------------------------------------------ errors.py (issues as printed)
WARNING_LABEL = "avertissement : "


def issues_summary(errors: int, warnings: int, files: int) -> str:
    """The last line of a report: « 2 erreurs et 1 avertissement dans 1 fichier. »"""
    parts = [_plural(errors, "erreur", "erreurs")] if errors or not warnings else []
    if warnings:
        parts.append(_plural(warnings, "avertissement", "avertissements"))
    where = f" dans {_plural(files, 'fichier', 'fichiers')}" if errors else ""
    return " et ".join(parts) + where + "."


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n <= 1 else many}"


# ------------------------------------------------------------------ load/rules.py (issue 23)
COPIL_PERSONNE_REPRESENTE = ("personne ne représente {nom} le {jour}, date d'édition des documents "
                             "du COPIL : ajoutez son représentant dans territoire.yaml (connus : "
                             "{known}), ou corrigez « date_edition ».")
DATE_HORS_BORNES = ("date du {date} hors des bornes d'un dossier (de {debut} à {fin}) : "
                    "vérifiez l'année.")
TROP_LONG_PROPRIETES = ("{n} caractères : ce texte est repris dans les propriétés des documents "
                        "(titre, sujet, auteur, mots-clés), qui n'en admettent que {limite} ici ; "
                        "abrégez-le.")


# ------------------------------------------------------------------ load/rules.py (issue 24)
# Each act has its own décisions.
DELIBERATION_DEJA_CITEE = ("la délibération n° {numero} du {date} de « {partie} » est déjà citée "
                           "par {acte} : chaque avenant est autorisé par une délibération qui lui "
                           "est propre ; citez celle qui approuve le présent avenant.")
DELIBERATION_AVANT_ACTE_PRECEDENT = ("délibération du {date} : la délibération qui autorise un "
                                     "avenant est postérieure à la signature de {acte} ({signe}) ; "
                                     "citez celle qui approuve le présent avenant.")
COPIL_JOUR_SIGNATURE = ("le COPIL du {day} se tient le jour de la signature de l'avenant : le "
                        "comité qui l'approuve se réunit avant qu'il soit signé.")
COPIL_SANS_DECISION_AVENANT = ("le COPIL du {day} ne consigne aucune décision sur l'avenant n° "
                               "{numero} : ajoutez « avenant: {numero} » à la décision qui "
                               "l'approuve dans copils/{jour_iso}.yaml, ou indiquez le COPIL qui "
                               "l'a approuvé.")
COPIL_APPROBATEUR_NON_TENU = ("le COPIL du {day} n'est pas consigné comme tenu (aucune présence "
                              "dans copils/{jour_iso}.yaml) : un avenant signé cite le comité qui "
                              "l'a approuvé ; consignez la séance, ses présences et la décision "
                              "prise.")
AVENANT_INCONNU_DECISION = "aucun avenant n° {numero} dans avenants/ ; avenants : {items}."
AVENANTS_AUCUN = "aucun"

# A COPIL before and after it is held.
DECISION_SANS_TEXTE_NI_PROPOSITION = ("décision sans « texte » ni « proposition » : avant la "
                                      "séance, écrivez le projet de décision soumis au comité (« "
                                      "proposition: … ») ; après, la décision prise (« texte: "
                                      "… »).")
DECISION_PRISE_MANQUANTE = ("le COPIL est tenu (ses présences sont consignées) : consignez la "
                            "décision prise (« texte: … »), que le compte rendu reprend.")
DECISION_AVANT_SEANCE = ("décision consignée alors qu'aucune présence ne l'est : le COPIL est "
                         "encore en préparation et son compte rendu n'est pas produit ; une fois "
                         "la séance tenue, consignez les présences (« presences »).")
COPIL_ETAPE_TENU = ("COPIL n° {numero} du {date} : tenu (présences et décisions consignées) ; "
                    "son dossier comprend le compte rendu.")
COPIL_ETAPE_PREPARATION = ("COPIL n° {numero} du {date} : en préparation (présences non "
                           "consignées) ; convocation, diaporama avec les projets de décision, "
                           "feuille d'émargement et dossier, sans compte rendu jusqu'à la "
                           "séance.")


# ------------------------------------------------------------------ load/rules.py (issue 25)
# A délégation de signature is personal: it lapses when the délégant or the délégataire changes.
ARRETE_AVANT_DELEGANT = (
    "l'arrêté de délégation n° {numero} du {date} précède la prise de fonction de {delegant}, "
    "{fonction} depuis le {du}, en fonction le {jour} quand {nom} signe ({acte}) : une délégation "
    "de signature est personnelle et cesse quand son auteur quitte ses fonctions ; citez l'arrêté "
    "que {delegant} a pris.")
ARRETE_AVANT_DELEGATAIRE = (
    "l'arrêté de délégation n° {numero} du {date} précède la prise de fonction de {nom} ({du}) : "
    "il délègue la signature à la personne alors en poste, pas à {nom} ; citez l'arrêté pris en "
    "faveur de {nom}.")
DELEGANT_INCONNU = (
    "personne n'exerce la fonction « {autorite} » le {jour}, jour où {nom} signe par délégation "
    "({acte}) : docgen ne peut vérifier que l'arrêté n° {numero} émane de l'autorité en fonction ; "
    "ajoutez-la, avec ses dates, parmi les représentants de {partie}.")
ARRETE_SANS_PUBLICATION = (
    "l'arrêté de délégation n° {numero} de {nom} ne dit pas où il a été publié : une délégation de "
    "signature n'a d'effet qu'une fois publiée ; citez sa publication (« publication: publié au "
    "recueil des actes administratifs de la préfecture … le … »).")

# The convention-cadre within the deadline of the convention d'adhésion.
CONVENTION_APRES_DELAI = (
    "convention-cadre {quand} le {jour}, plus de {mois} mois après la convention d'adhésion du "
    "{adhesion} (délai échu le {echeance}) : si le délai a été prorogé, citez l'acte qui le proroge "
    "(« prorogation_delai: {{date: AAAA-MM-JJ, reference: …}} ») ; sinon, vérifiez les dates.")
CONVENTION_QUAND_SIGNEE = "signée"
CONVENTION_QUAND_EDITEE = "éditée"
# What the convention-cadre states (art. L. 303-2 CCH, the PVD programme).
DIAGNOSTIC_MANQUANT = (
    "pas de diagnostic du territoire (« textes.diagnostic ») : le programme Petites Villes de "
    "Demain attend de la convention-cadre un diagnostic précis du territoire ; sans lui, son "
    "article dit seulement que le diagnostic n'y est pas reproduit.")
EMPLOYEUR_INCONNU = "employeur du chef de projet : partie « {partie} » inconnue ; parties : {parties}."
PROROGATION_APRES_SIGNATURE = (
    "prorogation du {date}, postérieure à la signature de la convention-cadre du {jour} : le "
    "délai est prorogé avant que la convention soit signée.")

# A status the calendar contradicts, on the date of the document that states it.
STATUT_REALISEE_FIN_FUTURE = (
    "action dite « réalisée » au {jour} alors que son calendrier court jusqu'au {fin} : corrigez "
    "le statut ou le calendrier.")
STATUT_EN_PROJET_FIN_PASSEE = (
    "action dite « en projet » au {jour} alors que son calendrier s'est achevé le {fin} : "
    "corrigez le statut (reportée, abandonnée…) ou le calendrier.")
AVENANT_RETRAIT_SANS_PARTANT = (
    "l'avenant retire des signataires « {parties} » sans que cette partie le signe : l'article « "
    "Évolution » de la convention veut un avenant signé par toutes les parties, celle qui se "
    "retire comprise ; ajoutez-la aux signataires de l'avenant (sa délibération), sauf si elle "
    "a elle-même résilié la convention (article « Résiliation »), ce que l'avenant constate.")
AVENANT_ACQUIS_INFERIEURS_COPIL = (
    "les financements acquis que l'avenant reproduit ({acquis}) sont inférieurs à ceux que le "
    "COPIL du {date} a constatés ({obtenu}) : mettez à jour le statut des lignes de financement "
    "obtenues.")
STATUT_EN_COURS_DEBUT_FUTUR = (
    "action dite « en cours » au {jour} alors que son calendrier ne commence que le {debut} : "
    "corrigez le statut (en projet, engagée…) ou le calendrier.")

# What an avenant adopts, against its own dates and its COPIL.
FICHE_CALENDRIER_AVANT_AVENANT = (
    "la fiche action n° {numero}, {adoptee} par l'avenant, a un calendrier qui commence le {debut}, "
    "avant {quand} ({jour}) : l'avenant adopterait une action avec effet rétroactif ; {conseil}")
FICHE_ADOPTEE_AJOUTEE = "ajoutée"
FICHE_ADOPTEE_REMPLACEE = "remplacée"
AVENANT_QUAND_SIGNATURE = "la signature de l'avenant"
AVENANT_QUAND_COPIL = "le COPIL qui approuve l'avenant"
AVENANT_QUAND_EDITION = "la date d'édition de l'avenant"
CONSEIL_CALENDRIER_AJOUTEE = ("corrigez le calendrier de la fiche, ou dites dans sa description "
                              "ce qui est déjà engagé.")
CONSEIL_CALENDRIER_REMPLACEE = ("la fiche entière est remplacée : redonnez son calendrier à jour "
                                "dans les champs modifiés (« calendrier: {debut: …, fin: …} »).")
DELIBERATION_AVANT_COPIL = (
    "délibération du {date}, antérieure au COPIL du {day} qui a validé le projet d'avenant : "
    "l'assemblée a approuvé un texte que le comité n'avait pas encore arrêté ; citez la "
    "délibération prise après le comité.")
MODIFICATION_HORS_DECISION = (
    "changement que la décision du COPIL du {day} sur l'avenant n° {numero} ne nomme pas "
    "(copils/{fichier}, ligne {ligne}) : {quoi} ; un avenant ne va pas au-delà de ce que le "
    "comité a approuvé : nommez ce changement dans la décision consignée, ou retirez-le de "
    "l'avenant.")

# « {quoi} » above: each operation as the warning names it.
OPERATION_NOMMEE = {
    "ajouter_secteur": "l'ajout du secteur « {nom} »",
    "modifier_secteur": "la modification du secteur « {nom} »",
    "supprimer_secteur": "le retrait du secteur « {nom} »",
    "ajouter_fiche": "l'ajout de la fiche action n° {numero}",
    "modifier_fiche": "la modification de la fiche action n° {numero}",
    "supprimer_fiche": "la suppression de la fiche action n° {numero}",
    "ajouter_signataire": "l'entrée de « {nom} » parmi les signataires",
    "retirer_signataire": "le retrait de « {nom} » des signataires",
    "ajouter_partenaire": "l'entrée de « {nom} » parmi les partenaires associés",
    "retirer_partenaire": "le retrait de « {nom} » des partenaires associés",
    "remplacer_texte": "le remplacement du texte « {nom} »",
    "prolonger_duree": "la prolongation de la durée à {nom} ans",
    "ajouter_axe": "l'ajout de l'axe « {nom} »",
    "modifier_axe": "la modification de l'axe « {nom} »",
    "supprimer_axe": "le retrait de l'axe « {nom} »",
}
# The words by which a decision names a change (compared without accents nor capitals; a word
# matches its longer forms: « prolong » matches « prolonger », « prolongation »).
MOTS_FICHE = ("fiche", "fiches", "action", "actions")
MOTS_NUMERO = ("n", "no", "nos", "s", "numero", "numeros", "et", "action", "actions")
MOTS_DUREE = ("duree", "prolong", "proroge", "prorogation")
MOTS_TEXTE = {
    "preambule": ("preambule",),
    "diagnostic": ("diagnostic",),
    "ambitions": ("ambition",),
    "projet": ("projet urbain", "projet economique", "projet de territoire"),
    "strategie": ("strategi", "orientation"),
    "delegation_operateurs": ("operateur",),
    "ingenierie": ("ingenierie",),
    "gouvernance": ("gouvernance",),
    "suivi_evaluation": ("suivi", "evaluation"),
    "resultats_attendus": ("resultat",),
}
