"""Messages of the limits that keep hostile input out: sizes, depths, assets, SVG."""

from __future__ import annotations

# ------------------------------------------------------------------ limits (hostile input)
YAML_TOO_DEEP = ("imbrication trop profonde : plus de {limit} niveaux de listes ou de groupes "
                 "(un dossier réel en a moins de 10) ; fichier refusé.")
YAML_TOO_MANY_NODES = ("trop de valeurs dans ce fichier (plus de {limit}) : fichier refusé "
                       "(un dossier réel en compte quelques milliers).")
INVISIBLE_CHARACTER = ("caractère interdit ({name}, {where}) : il ne s'imprime pas ou change "
                       "l'ordre d'affichage du texte ; seuls la tabulation et le retour à la "
                       "ligne sont admis. Retapez la valeur sans ce caractère.")
ASSET_MISSING = "fichier introuvable."
ASSET_OUTSIDE = ("lien vers un fichier hors du dossier du territoire ({target}) : refusé ; copiez "
                 "le fichier dans le dossier assets/.")
CASE_FILE_OUTSIDE = ("lien vers un fichier hors du dossier du territoire ({target}) : refusé sans "
                     "être lu ; copiez le fichier lui-même dans le dossier du territoire.")
ASSET_NOT_REGULAR = ("ce n'est pas un fichier ordinaire (tube, périphérique ou dossier) : refusé "
                     "sans être lu.")
ASSET_UNREADABLE = "fichier illisible (droits, ou lien refusé)."
ASSET_TOO_BIG = "fichier trop volumineux ({size} Kio) : la limite est de {limit} Mio pour une image."
ASSET_TOO_BIG_GEO = ("fichier trop volumineux ({size} Kio) : la limite est de {limit} Mio pour un GeoJSON "
                     "(découpez la couche autour de la commune dans QGIS).")
ASSET_NOT_IMAGE = "ce fichier n'est pas une image PNG ou JPEG lisible."
ASSET_TOO_MANY_PIXELS = ("image trop grande ({width} × {height} pixels) : la limite est de "
                         "{limit} millions de pixels ; réduisez-la.")
ASSET_TOO_MANY = "trop de fichiers dans assets/ (plus de {limit}) : dossier refusé."
SVG_TOO_COMPLEX = ("dessin SVG trop complexe (plus de {limit} éléments ou de {uses} « <use> ») : "
                   "simplifiez-le ou exportez-le en PNG.")
SVG_ACTIVE = "dessin SVG refusé : il contient un élément actif « <{tag}> » ; retirez-le."
SVG_UNREADABLE = ("dessin SVG illisible : XML mal formé à cet endroit (balise non fermée, "
                  "caractère interdit ?) ; réexportez-le depuis votre logiciel de dessin.")
SVG_ENTITY = "dessin SVG refusé : il déclare des entités XML (« <!ENTITY »), inutiles dans un logo."
SVG_FILTER = ("dessin SVG refusé : il contient un effet « <{tag}> » (un filtre, qui peut demander "
              "des heures de calcul) ; exportez le logo sans effets, ou en PNG.")
SVG_NESTED = ("dessin SVG refusé : il incorpore un autre dessin SVG (« data:image/svg+xml ») ; "
              "incorporez plutôt une image PNG ou JPEG, ou exportez le logo en PNG.")
SVG_TOO_MUCH_DATA = ("dessin SVG trop complexe (plus de {limit} caractères de tracés et de texte) : "
                     "simplifiez-le ou exportez-le en PNG.")
SVG_EXTERNAL = ("dessin SVG refusé : il renvoie à un fichier ou à une adresse hors de lui-même "
                "(« {ref} ») ; incorporez l’image dans le dessin ou exportez-le en PNG.")
FILE_TOO_BIG = ("fichier trop volumineux ({size} Kio) : la limite est de {limit} Mio pour un "
                "fichier de dossier.")
LIST_TOO_LONG = ("liste trop longue ({n} éléments) : la limite est de {limit} ; un dossier réel en "
                 "compte bien moins (fichier collé deux fois ?).")
TOO_MANY_FILES = ("trop de fichiers d'avenants et de COPIL ({n}) : la limite est de {limit} par "
                  "territoire.")
