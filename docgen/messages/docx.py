"""Messages of the strict DOCX reader (what a document may contain) and of the PDF finish."""

from __future__ import annotations

# ------------------------------------------------------------------ verify: what a signer checks
DOCX_TOO_BIG = "{path} : fichier trop volumineux pour un document Word (limite : {limit} Mio)."
DOCX_NOT_WORD = ("{path} : ce n'est pas un document Word (.docx) lisible (fichier abîmé, ou "
                 "enregistré dans un autre format ?).")
DOCX_NOT_REGULAR = ("{path} : ce n'est pas un fichier ordinaire (dossier, tube ou périphérique) : "
                    "refusé sans être lu.")

# ------------------------------------------------------------------ finish/vocabulary.py
# Elements the strict reader refuses, by local name → the construct in the user's words.
REFUSED_ELEMENTS = {
    "AlternateContent": "contenu alternatif (mc:AlternateContent)", "pict": "forme ou zone de "
    "texte (VML)", "object": "objet incorporé (OLE)", "altChunk": "contenu importé (altChunk)",
    "subDoc": "sous-document", "txbxContent": "zone de texte", "oMath": "formule mathématique",
    "oMathPara": "formule mathématique", "customXml": "balisage XML personnalisé",
    "smartTag": "balise active (smartTag)", "sym": "symbole d'une police décorative",
    "ruby": "texte ruby", "contentPart": "encre manuscrite", "embeddedFont": "police incorporée",
    "dayShort": "date automatique", "dayLong": "date automatique", "monthShort": "date "
    "automatique", "monthLong": "date automatique", "yearShort": "date automatique",
    "yearLong": "date automatique", "pgNum": "numéro de page (ancien format)",
}

# ------------------------------------------------------------------ finish/runs.py
# Word fields refused, by field code → what the field does, in the user's words.
FIELD_WORDS = {
    "INCLUDETEXT": "champ INCLUDETEXT (insère un fichier)", "INCLUDEPICTURE": "champ "
    "INCLUDEPICTURE (insère une image d'un fichier ou d'une adresse)", "HYPERLINK": "champ "
    "HYPERLINK", "DDE": "champ DDE (lien vers un autre programme)", "DDEAUTO": "champ DDEAUTO "
    "(lien vers un autre programme)", "LINK": "champ LINK (objet lié)", "IMPORT": "champ IMPORT",
    "MERGEFIELD": "champ de fusion (MERGEFIELD)", "DATE": "champ DATE (date du jour)",
}

# ------------------------------------------------------------------ finish/docx_reader.py
# Relationships refused, by relationship type → the construct in the user's words.
RELS_REFUSED = {
    "vbaProject": "macros", "keyMapCustomizations": "macros (raccourcis personnalisés)",
    "oleObject": "objet incorporé (OLE)", "package": "objet incorporé (document inclus)",
    "aFChunk": "contenu importé (altChunk)", "subDocument": "sous-document",
    "control": "contrôle ActiveX", "chart": "graphique", "diagramData": "SmartArt",
    "diagramLayout": "SmartArt", "diagramColors": "SmartArt", "diagramQuickStyle": "SmartArt",
    "frame": "cadre HTML", "video": "vidéo", "audio": "son", "media": "média",
}

# ------------------------------------------------------------------ finish/styles.py
# Tracked changes and comments, wherever they appear: the user's words for each.
REVISIONS = {
    "ins": "modification suivie non acceptée (insertion)",
    "del": "modification suivie non acceptée (suppression)",
    "moveFrom": "modification suivie non acceptée (déplacement, origine)",
    "moveTo": "modification suivie non acceptée (déplacement, destination)",
    "moveFromRangeStart": "modification suivie non acceptée (déplacement, origine)",
    "moveToRangeStart": "modification suivie non acceptée (déplacement, destination)",
    "moveFromRangeEnd": "modification suivie non acceptée (déplacement, origine)",
    "moveToRangeEnd": "modification suivie non acceptée (déplacement, destination)",
    "rPrChange": "modification suivie non acceptée (mise en forme du texte)",
    "pPrChange": "modification suivie non acceptée (mise en forme du paragraphe)",
    "sectPrChange": "modification suivie non acceptée (mise en page de la section)",
    "tblPrChange": "modification suivie non acceptée (propriétés du tableau)",
    "tblGridChange": "modification suivie non acceptée (colonnes du tableau)",
    "tblPrExChange": "modification suivie non acceptée (propriétés d'une ligne de tableau)",
    "trPrChange": "modification suivie non acceptée (propriétés d'une ligne de tableau)",
    "tcPrChange": "modification suivie non acceptée (propriétés d'une cellule)",
    "numberingChange": "modification suivie non acceptée (numérotation)",
    "cellIns": "modification suivie non acceptée (cellule insérée)",
    "cellDel": "modification suivie non acceptée (cellule supprimée)",
    "cellMerge": "modification suivie non acceptée (cellules fusionnées)",
    "delText": "modification suivie non acceptée (suppression)",
    "delInstrText": "modification suivie non acceptée (suppression)",
    "customXmlInsRangeStart": "modification suivie non acceptée (insertion)",
    "customXmlDelRangeStart": "modification suivie non acceptée (suppression)",
    "commentRangeStart": "commentaire",
    "commentRangeEnd": "commentaire",
    "commentReference": "commentaire",
    "annotationRef": "commentaire",
}

# ------------------------------------------------------------------ finish/styles.py
REVIEW_ADVICE = ("dans Word ou LibreOffice, acceptez ou refusez toutes les modifications et "
                 "supprimez les commentaires (Révision → Accepter tout), enregistrez, puis relancez")

# ------------------------------------------------------------------ finish/vocabulary.py
ELEMENT_NON_PRIS_CHARGE = "élément non pris en charge ({prefix}:{localname})"
PLACE_AFTER_PARAGRAPH = "{prefix}, après le paragraphe {paragraphs}"
PLACE_START = "{prefix}, début"

# ------------------------------------------------------------------ finish/docx_reader.py
MISE_PAGE_SECTION = "mise en page de la section {number}"
PLACE_RELATIONSHIPS = "relations de {part}"
PARAMETRES_DOCUMENT = "paramètres du document"
PROPRIETES_DOCUMENT = "propriétés du document"
CORPS_DOCUMENT = "corps du document"
FICHIER_PAS_DOCUMENT_WORD = "ce fichier n'est pas un document Word (.docx) lisible"
TYPE_DOCUMENT_NON_PRIS = "type de document non pris en charge ({kind})"
COMMENTAIRES_DOCUMENT = "commentaires du document"
PUBLIPOSTAGE_SOURCE_DONNEES_EXTERNE = "publipostage (source de données externe)"
TETES_DIFFERENTS_PAGES_PAIRES = ("en-têtes différents sur les pages paires et impaires (non pris "
                                 "en charge)")
PARTIE_TYPE_NON_PRIS = "partie d'un type non pris en charge ({type})"
ARRIERE_PLAN = "arrière-plan"
ARRIERE_PLAN_DESSINE_FORME = "arrière-plan dessiné (forme)"
ELEMENT_INCONNU = "élément inconnu ({tag})"
CONTROLE_CONTENU_LIE_DONNEES = "contrôle de contenu lié à des données (dataBinding)"
IMAGE_LIEE_EXTERNE = "image liée (externe) : {target}"
TEXTE_PLUSIEURS_COLONNES_NON = "texte sur plusieurs colonnes (non pris en charge)"
RESSOURCE_EXTERNE_LIEE = "ressource externe liée ({type} : {target})"
NUMEROTATION_LIGNES_NON_PRISE = "numérotation des lignes (non prise en charge)"
HEADER = "en-tête"
FOOTER = "pied de page"
FIRST_PAGE_SUFFIX = " de première page"
HEADER_FOOTER_OF_SECTION = "{label} de la section {number}"
TETE_PIED_PAGE_INTROUVABLE = "en-tête ou pied de page introuvable"
PROPRIETE_SECTION_INCONNUE_W = "propriété de section inconnue (w:{name})"

# ------------------------------------------------------------------ finish/package.py
LIEN_RELATIF_VERS_FICHIER = "lien relatif ou vers un fichier local ({url})"
LIEN_VERS_FICHIER_LOCAL = "lien vers un fichier local ({url})"
LIEN_EXECUTABLE_INTEGRE = "lien exécutable ou intégré ({scheme}:)"
LIEN_TYPE_NON_AUTORISE = "lien d'un type non autorisé ({scheme}:)"
IMAGE_FORMAT_NON_PRIS = "image d'un format non pris en charge (seuls PNG, JPEG et SVG le sont)"
IMAGE_JPEG_ENDOMMAGEE = "image JPEG endommagée"
DECLARATION_DTD_INTERDITE_DOCUMENT = "déclaration DTD (interdite dans un document Word)"
TYPES_CONTENU = "types de contenu"
LIEN_WEB_MAL_FORME = "lien web mal formé"
IMAGE_PIXELS_DELA_LIMITE = ("image de {width} × {height} pixels, au-delà de la limite de "
                            "{MAX_PIXELS} millions de pixels")
IMAGE_SVG_ILLISIBLE = "image SVG illisible"
IMAGE_SVG_IMBRIQUEE_PLUS = "image SVG imbriquée sur plus de {MAX_SVG_DEPTH} niveaux"
XML_ILLISIBLE = "XML illisible ({msg})"
PARTIES_DELA_LIMITE = "{infos} parties, au-delà de la limite de {MAX_PARTS}"
MO_FOIS_DECOMPRESSE_DELA = "{total} Mo une fois décompressé, au-delà de la limite de {MAX_TOTAL} Mo"
IMAGE_SVG_PLUS_ELEMENTS = "image SVG de plus de {MAX_SVG_ELEMENTS} éléments"
IMAGE_SVG_CONTENANT_ELEMENT = "image SVG contenant un élément actif (<{local}>)"
IMAGE_SVG_FEUILLE_STYLE = "image SVG avec une feuille de style externe"
IMAGE_SVG_REFERENCE_CIRCULAIRE = "image SVG avec une référence circulaire (<use>)"
IMAGE_SVG_DONT_USE = ("image SVG dont les <use> démultiplient les éléments au-delà de "
                      "{MAX_SVG_EXPANDED}")
TAUX_COMPRESSION_ANORMAL_BOMBE = "taux de compression anormal (bombe de décompression)"
PARTIE_CHIFFREE = "partie chiffrée"
TAILLE_REELLE_SUPERIEURE_TAILLE = "taille réelle supérieure à la taille annoncée"
MACROS_DOCUMENT_PRENANT_CHARGE = "macros (document prenant en charge les macros)"
ENREGISTREZ_DOCUMENT_FORMAT_DOCX = "enregistrez le document au format .docx sans macros"
IMAGE_SVG_REFERENCE_EXTERNE = "image SVG avec une référence externe ({value})"
IMAGE_SVG_SCRIPT_ATTRIBUT = "image SVG avec un script (attribut {key})"
IMAGE_SVG_URL_EXTERNE = "image SVG avec une référence externe (url(…))"
PARTIE_ENDOMMAGEE = "partie endommagée"
CIBLE_HORS_DOCUMENT = "cible hors du document ({value})"

# ------------------------------------------------------------------ finish/runs.py
CHAMP_SEULS_PAGE_NUMPAGES = "champ {value} (seuls PAGE et NUMPAGES sont autorisés)"
FIELD_TARGET_SUFFIX = " vers « {target} »"
CHAMP_MAL_FORME = "champ mal formé"
NOTE_BAS_PAGE = "note de bas de page"
NOTE_FIN = "note de fin"
HIDDEN_BY_STYLE_SUFFIX = " (par le style « {from_style} »)"
TEXTE_MASQUE_HOW = "texte masqué{how}"
DESSIN_NON_PRIS_CHARGE = "dessin non pris en charge"
IMAGE_MASQUEE = "image masquée"
ZONE_TEXTE_FORME = "zone de texte ou forme"
IMAGE_LIEE_EXTERNE_LIEU = "image liée (externe) au lieu d'être incorporée"
IMAGE_DIMENSIONS_INVALIDES = "image de dimensions invalides"
NOTE_INTROUVABLE = "{word} introuvable"
TEXTE_INVISIBLE_COULEUR_TEXTE = "texte invisible (couleur du texte identique à celle du fond)"
TEXTE_INVISIBLE_TAILLE_POLICE = ("texte invisible (taille de police de {size:g} pt, inférieure à "
                                 "4 pt)")
CHAMP_IMBRIQUE_AUTRE_CHAMP = "champ imbriqué dans un autre champ"
IMAGE_FORME_FLOTTANTE_ANCREE = ("image ou forme flottante (ancrée) : placez-la « aligné sur le "
                                "texte »")
GROUPE_FORMES = "groupe de formes"
CODE_CHAMP_HORS_CHAMP = "code de champ hors d'un champ"
OBJET_GRAPHIQUE_NON_PRIS = "objet graphique non pris en charge"
SAUT_COLONNE_NON_PRIS = "saut de colonne (non pris en charge)"

# ------------------------------------------------------------------ finish/styles.py
STYLES_DOCUMENT = "styles du document"
PLACE_STYLE = "style « {name} »"
NUMEROTATION_LISTES = "numérotation des listes"
EFFET_TEXTE_NON_PRIS = "effet de texte non pris en charge ({name})"
CADRE_FRAMEPR_DEPLACE_TEXTE = "cadre (framePr) qui déplace le texte"
STYLES_VALEURS_DEFAUT = "styles, valeurs par défaut"
FORMAT_NUMEROTATION_NON_PRIS = "format de numérotation non pris en charge ({fmt})"
TEXTE_MASQUE = "texte masqué"
PROPRIETE_PARAGRAPHE_INCONNUE_W = "propriété de paragraphe inconnue (w:{name})"
MISE_FORME_TEXTE_INCONNUE = "mise en forme de texte inconnue (w:{name})"

# ------------------------------------------------------------------ finish/tables.py
TABLEAU_FLOTTANT_DEPLACE_TEXTE = "tableau flottant (qui déplace le texte)"
PROPRIETE_TABLEAU_INCONNUE_W = "propriété de tableau inconnue (w:{name})"
ELEMENT_TABLEAU_NON_PRIS = "élément de tableau non pris en charge ({name})"
LIGNE_TABLEAU_MASQUEE = "ligne de tableau masquée"
PROPRIETE_LIGNE_INCONNUE_W = "propriété de ligne inconnue (w:{p})"
ELEMENT_LIGNE_NON_PRIS = "élément de ligne non pris en charge ({pname})"
PROPRIETE_CELLULE_INCONNUE_W = "propriété de cellule inconnue (w:{p})"

# ------------------------------------------------------------------ finish/parity.py
PDF_DIFFERE_PARTIR_APRES = ("le PDF diffère à partir de « {items} » (après « {items2} ») ; le PDF "
                            "porte « {seen}… »")
PARAGRAPHE_ABSENT_PDF = "paragraphe absent du PDF : « {para} »"
AND_MORE = " et {more} autres"
PDFTOTEXT_INTROUVABLE_INSTALLEZ_PAQUET = ("pdftotext est introuvable : installez le paquet "
                                          "poppler-utils.")
PDFTOTEXT_PAS_PU_LIRE = "pdftotext n'a pas pu lire le PDF produit : {err}"
TEXTE_DOCUMENT_WORD_ABSENT = "texte du document Word absent du PDF : "
TEXTE_PDF_ABSENT_DOCUMENT = "texte du PDF absent du document Word : "

# ------------------------------------------------------------------ finish/pdf.py
MISE_PAGE_PDF_ECHOUE = "{name} : la mise en page PDF a échoué : {exc}"
TEXTE_PDF_DIFFERE_CELUI = "{name} : le texte du PDF diffère de celui du document Word :\n  "

# ------------------------------------------------------------------ finish/pdf_html.py
DATA_IMAGE_INTEGREE = "data:… (image intégrée)"

# ------------------------------------------------------------------ finish/vocabulary.py
PLACE_PARAGRAPH = "{prefix}, paragraphe {paragraphs}"

# ------------------------------------------------------------------ finish/docx_reader.py
DOCUMENT_SANS_CORPS = "document sans corps"
CHAMP_INCOMPLET_FLDCHAR_SANS = "champ incomplet (fldChar sans fin)"

# ------------------------------------------------------------------ finish/runs.py
DESSIN_SANS_CONTENU = "dessin sans contenu"
IMAGE_SANS_CONTENU = "image sans contenu"
LIEN_SANS_DESTINATION = "lien sans destination"

# ------------------------------------------------------------------ finish/package.py
PLACE_PART = "partie {part}"
PLACE_PACKAGE = "paquet"
SECTION_SUFFIX = " (section {s})"
COMMENTAIRE = "commentaire"
GRAPHIQUE = "graphique"
PARTIE_MANQUANTE = "partie manquante"

# Very long documents typeset in chunks (finish/chunks.py): what the PDF error then says
CHUNK_WORKER_STOPPED = "le processus de mise en page Typst s'est arrêté (code {code})"
CHUNK_OVERLAY_PAGES = ("les en-têtes et pieds de page couvrent {running} pages pour {pages} pages "
                       "de texte")
CHUNK_OVERLAY_SIZE = "page {page} : en-tête et pied de page d'un autre format que la page"

# ------------------------------------------------------------------ issue 22: values, visibility
VALEUR_NUMERIQUE_ILLISIBLE = "valeur « {value} » illisible pour {what} (un nombre est attendu)"
VALEUR_HORS_LIMITES = ("valeur « {value} » hors des limites admises pour {what} (de {lo} à {hi})")
COULEUR_ILLISIBLE = "couleur « {value} » illisible ({what} : six chiffres hexadécimaux attendus)"
COULEUR_TEXTE = "couleur du texte"
COULEUR_BORDURE = "couleur de bordure"
COULEUR_DU_THEME = "couleur du thème"
COULEUR_THEME_NON_PRISE = "couleur « {name} » du thème définie d'une façon non prise en charge"
COULEUR_THEME_INCONNUE = "couleur de thème inconnue (« {name} »)"
TRAME = "trame de fond"
MOTIF_TRAME_NON_PRIS = ("trame à motif « {pattern} » (rayures, quadrillage…) : non prise en charge ; "
                        "choisissez une couleur de fond unie")
THEME_DOCUMENT = "thème du document"
TABLE_POLICES = "table des polices"
POLICES_INCORPOREES = ("polices incorporées au document (Word dessinerait le texte avec elles, le "
                       "PDF avec les polices de docgen)")
POLICES_INCORPOREES_CONSEIL = ("dans Word, décochez Fichier → Options → Enregistrement → « Incorporer "
                               "les polices dans le fichier », enregistrez, puis relancez")
STYLE_EN_DOUBLE = "style défini deux fois (identifiant « {sid} »)"
NUMEROTATION_EN_DOUBLE = "liste numérotée définie deux fois ({what} « {value} »)"
STYLE_TABLEAU_CONDITIONNEL = ("style de tableau avec une mise en forme conditionnelle « {kind} » "
                              "(première ligne, bandes…) : non prise en charge ; appliquez la mise "
                              "en forme directement aux cellules, ou décochez ces options du style "
                              "dans Création de tableau")
TEXTE_NON_LU = ("texte affiché par Word à un endroit que docgen ne sait pas lire (« {text} ») : il "
                "manquerait au PDF")
MARGES_SANS_PLACE_TEXTE = "marges qui ne laissent pas la place au texte (moins de 2,5 cm)"
LIGNE_PLUS_LARGE_GRILLE = ("ligne de {n} colonnes dans un tableau qui n'en a que {grid} (w:tblGrid) : "
                           "fichier incohérent ; dans Word, sélectionnez le tableau, Disposition > "
                           "Ajuster > Ajustement automatique au contenu, puis enregistrez")
EN_TETE_DEPASSE_MARGE = ("{what} plus haut que sa marge ({margin} cm) : Word y décalerait le texte "
                         "de la page, le PDF le couperait ; raccourcissez-le ou agrandissez la "
                         "marge (Mise en page > Marges)")
PLACE_TABLE = "{prefix}, tableau {n}"
PLACE_ROW = "{base}, ligne {n}"
PLACE_CELL = "{base}, ligne {row}, cellule {cell}"
TROP_DE_COLONNES = "tableau de {n} colonnes (Word en admet au plus {max})"
TABLEAU_SANS_CELLULE = "tableau sans aucune cellule"
CELLULE_FUSIONNEE_TEXTE = ("cellule fusionnée avec celle du dessus dont Word n'affiche pas le "
                           "texte ; annulez la fusion ou déplacez ce texte dans la cellule du haut")
LIGNE_HAUTEUR_EXACTE = ("ligne de tableau de hauteur exacte ({height} pt) trop basse pour son texte "
                        "(environ {need} pt) : Word en coupe une partie ; choisissez une hauteur "
                        "« Au moins »")
TEXTE_AJUSTE_LARGEUR = "texte ajusté à une largeur (« Ajuster le texte ») : non pris en charge"
ECHELLE_CARACTERES = ("texte à l'échelle de {scale} % (Police → Paramètres avancés → Échelle) : "
                      "non pris en charge ; remettez l'échelle à 100 %")
TEXTE_DECALE = ("texte décalé de {position} pt au-dessus ou au-dessous de sa ligne (Police → "
                "Position) : remettez la position à « Normale »")
POLICE_SYMBOLES = ("texte dans une police de symboles (« {font} ») : Word affiche des pictogrammes, "
                   "le PDF afficherait des lettres")
NUMERO_LISTE_POLICE_SYMBOLES = ("numéro de liste dans une police de symboles (« {font} ») : Word "
                                "afficherait des pictogrammes")
NUMERO_LISTE = "numéro de liste"
WHAT_SUFFIX = " ({what})"
TAILLES_SELON_ECRITURE = ("texte mêlant deux écritures de tailles différentes ({size} pt pour le "
                          "latin, {cs} pt pour l'arabe, l'hébreu…) : non pris en charge ; "
                          "donnez-leur la même taille")
INTERLIGNE_EXACT_TROP_PETIT = ("interligne exact de {line} pt trop petit pour du texte de {size} pt : "
                               "Word en coupe une partie ; choisissez un interligne « Au moins » ou "
                               "« Simple »")
IMAGE_ROGNEE = ("image rognée : non prise en charge ; dans Word, Format de l'image → Rogner, "
                "réinitialisez, ou enregistrez l'image rognée comme une nouvelle image")
IMAGE_EFFET = "image avec un effet ou une transparence (a:{name}) : non pris en charge"
IMAGE_TOURNEE = "image tournée ou retournée : non prise en charge"
IMAGE_DECOUPEE = "image découpée selon une forme (« {shape} ») : non prise en charge"
PARTIE_EN_DOUBLE = "partie présente deux fois dans le paquet"
RELATION_EN_DOUBLE = "deux relations portent le même identifiant (« {rid} »)"
SIGNET_SIGNATURE_INVALIDE = ("signet de signature « {name} » : seuls des lettres sans accent, des "
                             "chiffres et « _ » sont admis (40 caractères au plus)")
CARACTERES_RESSERRES = ("caractères resserrés de {tracking} pt au point de se chevaucher (Police → "
                       "Paramètres avancés → Espacement) : remettez un espacement « Normal »")
APPEL_NOTE_PERSONNALISE = "appel de note personnalisé (marque choisie à la main) : non pris en charge"
RETRAIT_HORS_PAGE = "retrait négatif de {value} pt qui fait sortir le texte de la page"
TABLEAUX_TROP_IMBRIQUES = "tableaux imbriqués sur plus de {max} niveaux"
STYLES_TROP_IMBRIQUES = "styles fondés les uns sur les autres sur plus de {max} niveaux"
LIGNE_HAUTEUR_EXACTE_FUSION = ("ligne de tableau de hauteur exacte ({height} pt) traversée par une "
                               "cellule fusionnée qui porte du texte : Word peut en couper une partie "
                               "; choisissez une hauteur « Au moins »")
