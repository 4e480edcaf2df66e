"""Messages of the register of acts (docgen/acts.py) and of `docgen status`."""

from __future__ import annotations

# ------------------------------------------------------------------ the register, read back
REGISTRE_ILLISIBLE = "registre des actes illisible."
REGISTRE_SANS_EMISSION = ("un acte à l'état « {etat} » a une version émise (emis) : le registre "
                          "a été modifié à la main.")
REGISTRE_SANS_SIGNATURE = ("un acte à l'état « {etat} » a une signature (signature) : le "
                           "registre a été modifié à la main.")
REGISTRE_SANS_TRANSMISSION = ("un acte transmis a son accusé de réception (transmission) : le "
                              "registre a été modifié à la main.")
REGISTRE_ORIGINAL_INCOMPLET = ("l'original signé et son empreinte (original_sha256) vont "
                               "ensemble : le registre a été modifié à la main.")
REGISTRE_FICHIER_AILLEURS = ("le fichier « {fichier} » n'est pas dans le dossier de l'acte "
                             "({acte}/) : le registre a été modifié à la main.")
REGISTRE_FICHIER_ABSENT = ("le fichier actes/{fichier} que le registre enregistre est absent : "
                           "restaurez-le depuis une sauvegarde (il fait partie de l'acte).")
REGISTRE_FICHIER_ILLISIBLE = ("le fichier actes/{fichier} n'est pas un fichier ordinaire "
                              "lisible dans le dossier du territoire.")
REGISTRE_FICHIER_MODIFIE = ("le fichier actes/{fichier} n'est plus celui que le registre a "
                            "enregistré (empreinte SHA-256 différente) : un acte enregistré ne "
                            "se modifie pas ; restaurez-le depuis une sauvegarde.")
REGISTRE_FICHIER_TROP_GROS = ("le fichier actes/{fichier} dépasse {limite} Mo : ce n'est pas un "
                              "fichier du registre ; restaurez-le depuis une sauvegarde.")
REGISTRE_FICHIER_PAS_DU_TYPE = ("le fichier actes/{fichier} n'est pas {type} lisible : le registre "
                                "a été modifié à la main ; restaurez le fichier et le registre "
                                "depuis une sauvegarde.")
REGISTRE_TYPES = {"pdf": "un PDF", "docx": "un document Word", "pptx": "une présentation",
                  "xml": "un fichier XML", "yaml": "un fichier YAML"}
REGISTRE_DOSSIER_HORS = ("{dossier} : lien vers un dossier hors du dossier du territoire : rien "
                         "n'a été écrit au registre des actes ; remplacez le lien par le dossier "
                         "lui-même.")
REGISTRE_PAS_UN_DOSSIER = ("{dossier} n'est pas un dossier : rien n'a été écrit au registre des "
                           "actes ; déplacez ce fichier (le registre range ses fichiers dans ce "
                           "dossier).")
REGISTRE_ENTETE = ("# Registre des actes, tenu par docgen (docgen status, docgen relu,\n"
                   "# docgen signature import) : ne le modifiez pas à la main.\n")

# ------------------------------------------------------------------ acts
TITRE_ACTE = {"convention": "la convention", "adhesion": "la convention d'adhésion"}
TITRE_AVENANT = "l'avenant n° {n}"
ACTE_INCONNU = ("{case} : aucun acte « {acte} » dans ce dossier ; actes connus : {connus}.")
ACTE_SIGNE_CHANGERAIT = (
    "{case} : {acte} est {signe} : son texte ne change plus, et rien n'a été écrit.\n"
    "{cause} changerait le texte de ces dispositions :\n{dispositions}\n{conseil}")
ACTE_CAUSE_DOSSIER = "La modification de {fichier} depuis la signature"
ACTE_CAUSE_MODELE = "Un modèle (ou une mise à jour de docgen) modifié depuis la signature"
ACTE_CONSEIL_AVENANT = (
    "Pour modifier un acte signé, passez par un avenant : « docgen avenant draft {ancien} "
    "{nouveau} -o {sortie} » en propose les opérations ; remettez ensuite dans {nouveau} le "
    "texte signé (copie : {ancien}).")
ACTE_CONSEIL_REVENIR = (
    "Revenez sur la modification (le fichier du dossier ou le modèle), ou passez par un avenant "
    "pour modifier ce que l'acte signé prévoit.")
ACTE_ENREGISTRE = ("registre des actes : {acte} — version finale datée enregistrée comme texte de "
                   "référence ({registre}) ; docgen ne la réécrira plus.")
SIGNE_ACCORD = {"convention": "signée", "adhesion": "signée", "avenant": "signé"}
ACTE_TABLEAU = "{article}, tableau {n}{titre}"
ACTE_PARTIES_TITRE = {"parties": "Désignation des parties", "preambule": "Préambule",
                      "signatures": "Signatures", "cadre": "En-tête"}

# ------------------------------------------------------------------ docgen status
ST_A_JOUR = "à jour"
ST_A_REFAIRE = "à refaire"
ST_RETOUCHE = "retouché à la main"
ST_SIGNE = "signé"
ST_ABSENT = "absent"
ST_ETATS = {"projet": "projet", "relu": "relu", "signe": "signé", "transmis": "transmis"}
ST_ACTE_PROJET = "projet : pas encore émis pour signature"
ST_ACTE_DATE_NON_EMIS = ("projet : date de signature {date} dans le dossier, version finale pas encore "
                         "produite (docgen build l'enregistrera)")
ST_EMIS = "émis le {date} ({origine})"
ST_ORIGINE = {"production": "docgen build", "relecture": "DOCX relu, docgen relu"}
ST_SIGNE_LE = "{signe} le {date} {mode}, {original} ; {emis}"
ST_RELU = "relu : {emis}, en attente de signature"
ST_MODE = {"papier": "sur papier", "electronique": "électroniquement"}
ST_ORIGINAL_ABSENT = "original signé non importé"
ST_ORIGINAL_PAPIER = "original papier numérisé importé le {date}"
ST_ORIGINAL_VERIFIE = "original vérifié ({n} signature(s) ; {confiance})"
ST_CONFIANCE = {"verifiee": "chaîne de confiance vérifiée",
                "non_verifiee": "chaîne de confiance non vérifiée",
                "sans_objet": "sans vérification cryptographique"}
ST_TRANSMIS = "transmis le {date} (identifiant {id}) ; {signe}"
ST_PAS_LE_SIGNE = ("ce n'est pas le texte signé enregistré au registre : relancez docgen build "
                   "pour le remettre")
ST_HORS_MANIFESTE = "fichier que docgen n'a pas écrit (absent de manifest.json)"
ST_SOURCES = "modifié depuis : {fichiers}"
ST_MODELES = "modèle modifié : {modeles}"
ST_DOCGEN_VERSION = "docgen mis à jour ({avant} → {apres})"
ST_AUTRE_CHANGEMENT = ("docgen, un modèle par défaut, une image ou le registre a changé depuis, "
                       "ou les options de production diffèrent")
ST_TITRE_ACTES = "Actes de {case} ({registre})"
ST_TITRE_DOCUMENTS = "Documents produits ({folder})"
ST_AUCUN_DOCUMENT = "  (aucun document produit : docgen build {case})"

# ------------------------------------------------------------------ docgen relu, docgen signature import
RELU_DEJA_SIGNE = ("{case} : {acte} est déjà {signe} : son texte enregistré ne se remplace pas. "
                   "Pour le modifier, passez par un avenant.")
RELU_FAIT = "{acte} : PDF à signer enregistré au registre ({etat}) : {pdf}"
RELU_DIFFERENCES = ("Le DOCX relu diffère du document produit par docgen dans ces dispositions ; "
                    "reportez-les dans le dossier ou les modèles, sinon la production s'arrêtera "
                    "une fois l'acte signé :\n{dispositions}")
IMPORT_SANS_EMISSION = ("{case} : {acte} n'a pas de version émise pour signature au registre : "
                        "produisez-la d'abord (docgen relu avec le DOCX relu, ou docgen build "
                        "une fois sa date de signature indiquée).")
IMPORT_MODE_DIFFERENT = ("le dossier indique que {acte} est {signe} {mode} (signature.mode de "
                         "{fichier}) ; l'original importé l'est {importe} : corrigez l'un ou "
                         "l'autre.")
IMPORT_ILLISIBLE = "{path} : fichier introuvable ou illisible."
IMPORT_TROP_GROS = "{path} : fichier de plus de {limit} Mo, refusé."
IMPORT_PAS_PDF = "{path} : ce n'est pas un PDF."
IMPORT_DEJA_FAIT = "{acte} : cet original signé est déjà enregistré au registre ; rien à faire."
IMPORT_AUTRE_ORIGINAL = ("{acte} : un autre original signé est déjà enregistré au registre : un "
                         "acte signé ne se remplace pas.")
IMPORT_PAPIER_SANS_DATE = ("pour un original papier, indiquez la date de signature : "
                           "--date AAAA-MM-JJ.")
IMPORT_DATE_DIFFERENTE = ("{acte} a été {signe} le {date} d'après les signatures, mais le "
                          "dossier indique le {attendu} (signature.date de {fichier}) : corrigez "
                          "la date du dossier, ou indiquez la date de signature retenue.")
IMPORT_FAIT = "{acte} : original signé {mode} enregistré au registre (signé le {date})."
IMPORT_SIGNATURE = "  {champ} : {nom}{accepte}, le {date}"
IMPORT_ACCEPTE = " (accepté à la place de {attendu})"
IMPORT_PAPIER = ("  original papier numérisé : aucune vérification cryptographique ne "
                 "s'applique.")
IMPORT_CONFIANCE = {"verifiee": "  chaîne de confiance vérifiée (autorités données).",
                    "non_verifiee": "  chaîne de confiance non vérifiée (donnez --autorites "
                                    "FICHIER.pem pour la vérifier).",
                    "sans_objet": ""}
IMPORT_HELP_PAPIER = "Original signé sur papier (numérisé) : sa date est donnée par --date."
IMPORT_HELP_DATE = "Date de signature (obligatoire avec --papier)."
IMPORT_HELP_AUTORITES = ("Certificats des autorités de confiance (PEM), pour vérifier la chaîne "
                         "de confiance des signatures ; répétable.")
IMPORT_HELP_ACCEPTER = ("Accepter ce signataire à la place de celui que l'acte attend (délégation "
                        "de dernière minute) ; répétable.")
ACTE_NOM_INVALIDE = ("« {valeur} » : acte inconnu ; indiquez adhesion, convention ou avenant-01, "
                     "avenant-02…")
ACTE_DISPOSITIONS_EN_PLUS = "\n  – … ({n} de plus)"
ST_PRESENTE = "tel que présenté en séance"
ST_PAS_LE_PRESENTE = ("ce ne sont pas les diapositives présentées en séance (registre) : relancez "
                      "docgen build pour les remettre")
REGISTRE_ACTE_DISPARU = ("l'acte « {acte} » est signé d'après le registre, mais son fichier a "
                         "disparu du dossier : un acte signé ne se retire pas ; remettez son "
                         "fichier (une copie est dans actes/{acte}/dossier.yaml).")
WRITTEN_REDONE = "écrit : {path} (refait : {why})"

# ------------------------------------------------------------------ the acknowledgement (ARActe)
AR_TROP_GROS = "{nom} : fichier trop volumineux pour un accusé de réception (plus de 1 Mo)."
AR_ILLISIBLE = "{nom} : ce n'est pas un message ACTES lisible (XML mal formé : {detail})."
AR_INVALIDE = ("{nom} : message non conforme au schéma ACTES (actesv1_1.xsd), ligne {ligne} : "
               "{detail}")
AR_ANOMALIE = ("{nom} : la préfecture signale une anomalie (nature {nature}, le {date}) : "
               "{detail}. L'acte n'a pas été reçu ; corrigez et transmettez-le de nouveau. Rien "
               "n'a été enregistré.")
AR_SANS_DETAIL = "sans détail"
AR_AUTRE_MESSAGE = ("{nom} : ce message ACTES ({element}) n'est pas un accusé de réception "
                    "d'acte (ARActe).")
AR_AUTRE_ACTE = ("{nom} : cet accusé de réception concerne l'acte n° {numero} du {date} ; "
                 "{acte} porte le n° {attendu} du {attendu_date}. Rien n'a été enregistré.")
AR_PAS_SIGNE = ("{acte} n'est pas enregistré comme signé au registre : importez d'abord son "
                "original signé (docgen signature import).")
AR_DEJA_TRANSMIS = ("{acte} est déjà enregistré comme transmis (identifiant {id}) : un autre "
                    "accusé de réception ne le remplace pas.")
AR_FAIT = "{acte} : transmis, reçu par la préfecture le {date} (identifiant {id})."
AR_TAMPON_PAS_PDF = "{nom} : l'acte tamponné doit être un PDF."
STATUS_FORMAT_HELP = ("texte (défaut) : les actes et les documents ; csv : le registre des actes "
                      "pour un tableur ; pdf : le registre imprimable (avec -o).")
STATUS_OUTPUT_HELP = "Écrire le registre exporté dans ce fichier (csv : sinon à l'écran)."
STATUS_PDF_OUTPUT = "le registre en PDF s'écrit dans un fichier : ajoutez -o registre.pdf."
AR_HELP_TAMPON = ("L'acte tamponné par la préfecture (PDF), gardé comme copie : l'original signé "
                  "reste la référence.")

# The documents of a territory in the users' words (docgen status, the web workspace): the
# group each belongs to, and its own name, from its kind (kinds.py), never from its file name.
DOC_GROUPE = {"convention": "La convention-cadre ORT", "adhesion": "La convention d'adhésion",
              "avenant": "L'avenant n° {n}", "copil": "Le COPIL du {date}"}
DOC_TITRE = {
    "convention": "Convention-cadre", "parcelles": "Parcelles de chaque secteur",
    "adhesion": "Convention d'adhésion", "avenant": "Avenant n° {n}",
    "consolidee": "Convention consolidée après l'avenant n° {n}",
    "redline": "Version révisée par l'avenant n° {n} (modifications suivies)",
    "parcelles-consolidee": "Parcelles de chaque secteur après l'avenant n° {n}",
    "convocation": "Convocation", "diaporama": "Diaporama",
    "diaporama-pptx": "Diaporama", "diaporama-a4": "Diaporama à distribuer, A4 avec notes",
    "emargement": "Feuille d'émargement", "compte-rendu": "Compte rendu",
    "pack": "Dossier de séance"}
DOC_FORMAT = {".docx": "Word", ".pdf": "PDF", ".pptx": "PowerPoint", ".csv": "tableur CSV"}
DOC_PDF_A_SIGNER = "PDF de l'acte, avec ses champs de signature"
