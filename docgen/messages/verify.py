"""Messages of `docgen verify` and of the PDF checks a signer relies on."""

from __future__ import annotations

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

# ------------------------------------------------------------------ pdfcheck.py
# Actions a signed document has no business carrying (PDF 32000-1 §12.6.4): their names for a user.
DANGEROUS_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "lancement d'un programme (Launch)",
    "/SubmitForm": "envoi de formulaire (SubmitForm)",
    "/ImportData": "import de données (ImportData)",
    "/ResetForm": "remise à zéro de formulaire (ResetForm)",
    "/GoToR": "ouverture d'un autre fichier (GoToR)",
    "/GoToE": "ouverture d'un fichier intégré (GoToE)",
    "/Rendition": "média (Rendition)",
    "/Movie": "vidéo (Movie)",
    "/Sound": "son (Sound)",
    "/Hide": "masquage d'éléments (Hide)",
    "/SetOCGState": "changement de calques (SetOCGState)",
    "/Trans": "transition (Trans)",
    "/GoTo3DView": "vue 3D (GoTo3DView)",
}

# ------------------------------------------------------------------ verify.py
OUTPUTS_PAS_GROUPE = "« outputs » n'est pas un groupe"
