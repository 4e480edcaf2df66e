"""Messages of the verification of a signed original (docgen/signed.py)."""

from __future__ import annotations

# ------------------------------------------------------------------ the file itself
SIGNED_TOO_BIG = ("{file} : fichier trop volumineux ({size} Mio) : la limite est de {limit} Mio "
                  "pour un original signé (le maximum d'ACTES).")
SIGNED_NOT_PDF = "{file} : ce n'est pas un PDF (pas d'en-tête « %PDF- ») : fichier refusé."
SIGNED_UNREADABLE = "{file} : PDF illisible ({detail}) : fichier refusé."
SIGNED_ENCRYPTED = ("{file} : PDF chiffré : le PDF émis par docgen ne l'est pas, ce fichier n'en "
                    "est donc pas la version signée.")
SIGNED_TOO_MANY_REVISIONS = ("{file} : {n} versions successives (mises à jour incrémentales) : "
                             "la limite est de {limit} pour un original signé ; fichier refusé.")
SIGNED_AUTHORITY_UNREADABLE = ("autorité de confiance n° {n} illisible : ni un certificat PEM ni "
                               "un certificat DER.")
SIGNED_NO_AUTHORITY = "autorité de confiance n° {n} : aucun certificat dans ce fichier."

# ------------------------------------------------------------------ the issued PDF, first revision
SIGNED_NOT_ISSUED = ("{file} : ce n'est pas le PDF émis, signé : ses {size} premiers octets n'ont "
                     "pas l'empreinte SHA-256 du PDF émis enregistrée au registre (PDF régénéré, "
                     "réenregistré ou converti plutôt que signé ?). Faites signer le PDF émis "
                     "lui-même, sans l'ouvrir dans un autre logiciel.")
SIGNED_NOT_FIRST_REVISION = ("{file} : commence par le PDF émis, mais sa première version n'est "
                             "pas le PDF émis octet pour octet ({detail}) : fichier refusé.")
SIGNED_REVISION_COUNT = "le fichier ne reprend pas les versions du PDF émis"
SIGNED_REVISION_XREF = "table des références de la version {n} différente"
SIGNED_REVISION_OVERLAP = "la version {n} commence à l'octet {start}, dans le PDF émis"

# ------------------------------------------------------------------ fields
SIGNED_FIELD_MISSING = "{file} : le champ de signature « {field} » ({who}) a disparu du fichier."
SIGNED_FIELD_EMPTY = "{file} : le champ « {field} » ({who}) n'est pas signé."
SIGNED_FIELD_UNEXPECTED = ("{file} : champ de signature inattendu « {field} »{state} : le PDF "
                           "émis ne le prévoit pas ; fichier refusé.")
SIGNED_FIELD_UNEXPECTED_FILLED = " (signé)"
SIGNED_FIELD_UNEXPECTED_EMPTY = " (vide)"
SIGNED_FIELD_TWICE = "{file} : deux champs de signature s'appellent « {field} » : fichier refusé."
SIGNED_OUTSIDE_FIELD = ("{file} : page {page} : une signature hors des champs de signature du "
                        "formulaire : fichier refusé.")
SIGNED_DOC_TIMESTAMP = ("{file} : le champ « {field} » porte un horodatage de document, pas une "
                        "signature : fichier refusé.")

# ------------------------------------------------------------------ each signature
SIGNED_SIG_UNREADABLE = ("{file} : la signature du champ « {field} » est illisible ou d'un type "
                         "non reconnu ({detail}) : fichier refusé.")
SIGNED_NOT_INTACT = ("{file} : la signature du champ « {field} » ({signer}) n'est plus intacte : "
                     "le fichier a été modifié après cette signature.")
SIGNED_INVALID = ("{file} : la signature du champ « {field} » ({signer}) est invalide : elle ne "
                  "correspond pas à la clé de son certificat.")
SIGNED_COVERAGE = ("{file} : la signature du champ « {field} » ({signer}) ne couvre pas toute sa "
                   "version du fichier : fichier refusé.")
SIGNED_MODIFIED_AFTER = ("{file} : modifié après la signature du champ « {field} » ({signer}) par "
                         "autre chose que des signatures ou le remplissage du formulaire ({detail}) "
                         ": fichier refusé.")
SIGNED_MODIFIED_SINCE_ISSUE = ("{file} : modifié depuis le PDF émis par autre chose que des "
                               "signatures ou le remplissage du formulaire ({detail}) : fichier "
                               "refusé.")
SIGNED_CHANGE_ANNOTATIONS = "annotations ajoutées ou modifiées"
SIGNED_CHANGE_OTHER = "contenu ou structure du document changés"
SIGNED_DOCMDP = ("{file} : la signature du champ « {field} » ({signer}) interdit les modifications "
                 "faites après elle (certification) : fichier refusé.")
SIGNED_TIMESTAMP_BROKEN = ("{file} : l'horodatage de la signature du champ « {field} » ({signer}) "
                           "n'est pas intact ou pas valide : fichier refusé.")
SIGNED_UNTRUSTED = ("{file} : le certificat de {signer} (champ « {field} ») ne remonte à aucune "
                    "des autorités de confiance données ({detail}) : fichier refusé.")
SIGNED_TRUST_NO_CHAIN = "aucune chaîne de certification vers elles"
SIGNED_TRUST_REVOKED = "certificat révoqué"
SIGNED_TRUST_EXPIRED = "certificat expiré ou pas encore valide"
SIGNED_TRUST_USAGE = "certificat refusé par les contraintes de sa chaîne (usage de clé, autorité)"
SIGNED_TRUST_OTHER = "chaîne refusée : {code}"
SIGNED_TRUST_UNVERIFIED = "chaîne de confiance non vérifiée"

# ------------------------------------------------------------------ who signed
SIGNED_WRONG_SIGNER = ("{file} : le champ « {field} » est signé par « {signer} », et non par "
                       "{expected}{pour}. Si cette personne signe bien à sa place (délégation, "
                       "intérim), relancez avec --accepter-signataire \"{signer}\".")
SIGNED_POUR = " (pour {pour})"
SIGNED_WHO = "{nom}"
SIGNED_WHO_POUR = "{nom}, pour {pour}"
SIGNED_NO_NAME = "certificat sans nom"
