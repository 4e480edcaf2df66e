"""Messages of rendering: slides (PPTX), maps and charts."""

from __future__ import annotations

# ------------------------------------------------------------------ render/pptx.py
PPTX_DIAPORAMA_YAML_TYPE = "commun/diaporama.yaml : type de diapositive inconnu « {kind} » (types connus : titre, liste, tableau, chiffres, barres, calendrier, carte)"

# ------------------------------------------------------------------ render/raster.py
DESSIN_PNG_ECHEC = "{name} : le dessin n’a pas pu être rendu en image PNG ({detail})."

# The names of the PowerPoint slides' shapes (what the selection pane shows)
FORME_TITRE = "Titre"
FORME_PIED = "Pied de page"
FORME_TEXTE = "Texte"
FORME_TABLEAU = "Tableau"
FORME_STATUT = "Statut"
FORME_CARTE = "Carte"
FORME_GRAPHIQUE = "Graphique"
SLIDES_YAML = ("commun/diaporama.yaml : le texte produit n'est pas un YAML valide ({erreur}) ; "
               "écrivez chaque valeur avec |tojson")
SLIDES_MANQUE = "commun/diaporama.yaml : « {cle} » manque dans {ou}"
SLIDES_DOCUMENT = "le document"
SLIDES_DIAPOSITIVE = "la diapositive n° {n} ({type})"
